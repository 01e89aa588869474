/** The parts of a V8 / Chrome DevTools CPU profile that matter here. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; parent?: number; children?: number[] }[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

export interface SelfTime { name: string; where: string; ms: number; share: number }

/** Functions by self time (where the CPU actually was), biggest first. */
export function topSelfTime(profile: CpuProfile, limit = 15): SelfTime[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]))
  const totals = new Map<string, SelfTime>()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  let all = 0
  for (let i = 0; i < samples.length; i++) {
    const node = byNode.get(samples[i] as number)
    const us = deltas[i + 1] ?? deltas[i] ?? 0
    if (!node) continue
    all += us
    const { functionName, url, lineNumber } = node.callFrame
    const where = url ? `${url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${lineNumber + 1}` : ''
    const key = `${functionName}@${where}`
    const entry = totals.get(key) ?? { name: functionName || '(anonymous)', where, ms: 0, share: 0 }
    entry.ms += us / 1000
    totals.set(key, entry)
  }
  return [...totals.values()]
    .map((e) => ({ ...e, share: all ? (e.ms * 1000) / all : 0 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit)
}
