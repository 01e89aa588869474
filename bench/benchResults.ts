import type { DuplicatesBenchResult } from './measureDuplicates'
import type { BackupBenchResult } from './measureBackup'
import type { ImportBenchResult } from './measureImport'
import type { ExportBenchResult } from './measureExport'
import type { SearchBenchResult } from './measureSearch'
import type { ViewFilterBenchResult } from './measureViewFilter'
import type { ReportsBenchResult } from './measureReports'
import type { DashboardBenchResult } from './measureDashboard'
import type { ApiBenchResult } from './measureApi'
import type { RecordPanelResult } from './measureRecordPanel'
import type { DealTotalsBenchResult } from './measureDealTotals'
import type { BoardOpenResult } from './measureBoardOpen'
import type { BoardMovesResult } from './measureBoardMoves'
import type { WorkspaceCounts } from './generateWorkspace'
import type { MachineInfo } from './machineInfo'
import type { OpenSample } from './measureOpen'
import type { PlainRowsSample } from './measurePlainRows'
import type { RecordHistoryResult } from './measureRecordHistory'
import type { RulesBenchResult } from './measureRules'
import type { HistoryStorageResult } from './measureHistoryStorage'
import type { RelayColdLoadResult } from './measureRelayColdLoad'
import type { RelayFloodResult } from './measureRelayFlood'
import type { RelayLatencyResult } from './measureRelayLatency'
import type { RelayVsReferenceResult } from './measureRelayVsReference'

/** How many repetitions and how long each part runs (full run vs --quick). */
export interface BenchConfig {
  counts: WorkspaceCounts
  /** Repetitions of new-profile open + stored open (B1–B5, B7). */
  openReps: number
  /** B5 keyboard edits per repetition. */
  cellEdits: number
  jsonParseRuns: number
  plainRowsReps: number
  latency: { clients: number; editIntervalMs: number; roundMs: number; rounds: number }
  coldLoad: { reps: number; busyClients: number; busyEditsPerSecond: number }
  relayVsReference: { reps: number; docs: number; clientsPerDoc: number; rates: number[]; window: number; phaseMs: number }
  /** B10: repetitions of the flood scene (see measureRelayFlood). */
  flood: { reps: number }
  /** B11–B13: the REST API (see measureApi); B13 runs B6's latency clients. */
  api?: { rounds: number; readsPerRound: number; createsPerRound: number; createsPerSecond: number }
}

/** A part that ran (or failed) and what it produced; `error` when it could not be measured. */
export interface Part<T> {
  ms: number
  result?: T
  error?: string
}

export interface WorkspaceInfo {
  counts: WorkspaceCounts
  records: number
  docs: { name: string; records: number; bytes: number }[]
  /** Every row as one JSON array (the JSON.parse denominator). */
  allRowsJsonBytes: number
  /** Generate + seed the relay storage, ms. */
  prepareMs: number
}

export interface OpenPart {
  samples: OpenSample[]
  /** Per repetition: the relay's first answer on each document the contacts grid opens (it loads them). */
  roomLoadMs: Record<string, number>[]
  /** Repetitions that failed, with why. */
  errors: string[]
}

/** What `npm run bench` saves under bench/results/ (raw samples; the table is derived from them). */
export interface BenchResults {
  startedAt: string
  durationMs: number
  machine: MachineInfo
  /** 1-minute load average when the bench ended. */
  loadAverageAtEnd: number
  flags: { quick: boolean; strict: boolean }
  config: BenchConfig
  workspace: WorkspaceInfo | null
  build: Part<null>
  prepare: Part<null>
  open: Part<OpenPart>
  plainRows: Part<PlainRowsSample[]>
  /** B6 */
  latency: Part<RelayLatencyResult>
  /** B8 */
  coldLoad: Part<RelayColdLoadResult>
  /** B9 */
  relayVsReference: Part<RelayVsReferenceResult>
  /** B10 */
  flood: Part<RelayFloodResult>
  /** B11–B13 (absent in results saved before them) */
  api?: Part<ApiBenchResult>
  /** B14 (absent in results saved before it) */
  dealTotals?: Part<DealTotalsBenchResult>
  /** B15 (absent in results saved before it) */
  board?: Part<BoardOpenResult>
  /** B16 (absent in results saved before it) */
  boardMoves?: Part<BoardMovesResult>
  /** B17 (absent in results saved before it) */
  search?: Part<SearchBenchResult>
  /** B18 (absent in results saved before it) */
  recordPanel?: Part<RecordPanelResult>
  /** B19 (absent in results saved before it) */
  viewFilter?: Part<ViewFilterBenchResult>
  /** B20 (absent in results saved before it) */
  recordHistory?: Part<RecordHistoryResult>
  /** The record history's storage growth per 10k edits, no budget (absent in results saved before it) */
  historyStorage?: Part<HistoryStorageResult>
  /** B21, B22 (absent in results saved before them) */
  rules?: Part<RulesBenchResult>
  /** B23, B24 (absent in results saved before them) */
  reports?: Part<ReportsBenchResult>
  /** B25 (absent in results saved before it) */
  dashboard?: Part<DashboardBenchResult>
  /** B27 (absent in results saved before it) */
  backup?: Part<BackupBenchResult>
  /** B26 (absent in results saved before it) */
  import?: Part<ImportBenchResult>
  /** B28 (absent in results saved before it) */
  export?: Part<ExportBenchResult>
  /** B29 (absent in results saved before it) */
  duplicates?: Part<DuplicatesBenchResult>
}
