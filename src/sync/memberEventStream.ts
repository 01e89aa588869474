/** One server-sent event: its name and its JSON data. */
export interface MemberEvent { event: string; data: unknown }

/**
 * Splits a server-sent events text into complete frames and what is left for the next chunk.
 * Comments (`: ping`) and `retry:` lines carry nothing for the app.
 */
export function readEventFrames(buffer: string): { events: MemberEvent[]; rest: string } {
  const events: MemberEvent[] = []
  const frames = buffer.replace(/\r\n?/g, '\n').split('\n\n')
  const rest = frames.pop() ?? ''
  for (const frame of frames) {
    let event = 'message'
    const data: string[] = []
    for (const line of frame.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    }
    if (data.length) events.push({ event, data: JSON.parse(data.join('\n')) })
  }
  return { events, rest }
}

/**
 * Follows the member's event stream on the relay (GET /api/v1/events) while the page is open,
 * reconnecting after a drop (1 s, doubling up to 30 s). A fetch stream rather than EventSource,
 * which cannot send the Authorization header, so the token never travels in a URL. Returns the stop.
 */
export function makeMemberEventStream(token: string, onEvent: (event: MemberEvent) => void, url = '/api/v1/events'): () => void {
  let stopped = false
  let controller: AbortController | null = null
  let delay = 1000
  let timer: ReturnType<typeof setTimeout> | undefined
  const connect = async () => {
    controller = new AbortController()
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal })
      // a refused token or an API key: the stream will not open by retrying
      if (res.status === 401 || res.status === 403) return
      if (!res.ok || !res.body) throw new Error(`the event stream answered ${res.status}`)
      delay = 1000
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        const read = readEventFrames(buffer + value)
        buffer = read.rest
        for (const event of read.events) onEvent(event)
      }
    } catch (error) {
      if (stopped) return
      console.warn('Kanso: the event stream dropped; reconnecting', error)
    }
    if (stopped) return
    timer = setTimeout(() => void connect(), delay)
    delay = Math.min(delay * 2, 30_000)
  }
  void connect()
  return () => {
    stopped = true
    clearTimeout(timer)
    controller?.abort()
  }
}
