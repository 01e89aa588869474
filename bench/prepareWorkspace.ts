import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateWorkspace, type GeneratedWorkspace, type WorkspaceCounts } from './generateWorkspace'
import { seedMembers, seedRelayStorage, type SeededMember } from './seedRelayStorage'

/** Admin first (it cold-loads the workspace in B8), then editors (one per figure that connects). */
export const MEMBER_NAMES = ['Bench Admin', 'Ana Editor', 'Ben Editor', 'Cleo Editor', 'Dan Editor']

export interface PreparedWorkspace {
  /** A relay data directory holding the members and every document; copy it (copyDataDir) per repetition. */
  templateDir: string
  members: SeededMember[]
  workspace: GeneratedWorkspace
  /** ms to generate and store it. */
  prepareMs: number
  remove(): void
}

/** Generates the workspace once and seeds it into a relay data directory used as the template. */
export function prepareWorkspace(counts: WorkspaceCounts, onProgress?: (message: string) => void): PreparedWorkspace {
  const started = performance.now()
  const templateDir = mkdtempSync(join(tmpdir(), 'kanso-bench-template-'))
  try {
    const members = seedMembers(templateDir, MEMBER_NAMES)
    const workspace = generateWorkspace({ counts, ownerIds: members.map((m) => m.id), onProgress })
    seedRelayStorage(templateDir, workspace.docs)
    return { templateDir, members, workspace, prepareMs: performance.now() - started, remove: () => rmSync(templateDir, { recursive: true, force: true }) }
  } catch (error) {
    rmSync(templateDir, { recursive: true, force: true })
    throw error
  }
}
