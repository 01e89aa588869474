import type { MachineInfo } from './machineInfo'
import type { RelayLatencyResult } from './measureRelayLatency'
import type { OpenSample } from './measureOpen'
import type { PlainRowsSample } from './measurePlainRows'

/** Everything measured for one workspace size (raw samples; summaries are derived). */
export interface SizeResult {
  contacts: number
  companies: number
  /** Stored sizes: the contacts document as one Yjs update, and the same rows as JSON. */
  contactsYjsBytes: number
  contactsJsonBytes: number
  generateMs: number
  /** Per repetition: the relay's first answer on entity-contacts (it loads the document). */
  roomLoadMs: number[]
  open: OpenSample[]
  plainRows: PlainRowsSample[]
  /** Set when this size could not be measured. */
  error?: string
}

export interface LatencyResult {
  contacts: number
  clients: number
  editIntervalMs: number
  roundMs: number
  result?: RelayLatencyResult
  error?: string
}

/** What `npm run bench` saves under bench/results/. */
export interface BenchResults {
  startedAt: string
  durationMs: number
  machine: MachineInfo
  /** 1-minute load average when the bench ended. */
  loadAverageAtEnd: number
  flags: { quick: boolean; strict: boolean }
  sizes: SizeResult[]
  latency: LatencyResult | null
}
