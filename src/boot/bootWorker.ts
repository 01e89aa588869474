/// <reference lib="webworker" />
import type { BootReply, BootRequest } from './bootProtocol'
import { readBootSnapshot } from './bootReader'

/*
 * The boot worker: started by the boot script (bootScript.ts) while the HTML is still being
 * parsed, it reads the snapshot of the list in the address bar so the page's thread only
 * receives the bytes (IndexedDB's value getter runs on the reading thread: 140–340 ms for 14 MB).
 * The build emits it as a same-origin classic script (build/inlineBootScript.ts).
 */

/** After the head, the whole snapshot is read at the latest this much later, asked or not. */
const REST_AFTER_HEAD_MS = 5000

declare const self: DedicatedWorkerGlobalScope

let restWanted!: () => void
const whenRest = new Promise<void>((resolve) => (restWanted = resolve))

function post(reply: BootReply): void {
  const snapshot = 'head' in reply ? reply.head : reply.full
  self.postMessage(reply, snapshot ? [snapshot.bytes.buffer] : [])
  // after the head: the first time zone lookup loads ICU's zone data for the whole tab
  // (60–80 ms); done here, the page's own lookup while building the grid costs ~1 ms
  if ('head' in reply) void Intl.DateTimeFormat().resolvedOptions().timeZone
}

self.onmessage = (event: MessageEvent<BootRequest>) => {
  const request = event.data
  if (request.type === 'rest') return restWanted()
  void readBootSnapshot(request.entity, request.token, {
    indexedDB: self.indexedDB,
    fetch: self.fetch.bind(self),
    origin: self.location.origin,
    post,
    whenRestWanted: () => {
      setTimeout(restWanted, REST_AFTER_HEAD_MS)
      return whenRest
    },
  })
}
