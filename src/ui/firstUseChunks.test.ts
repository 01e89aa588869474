import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// Views a list's open never shows: they come with their first use, as chunks of their own, so
// the page parses and compiles none of their code before a list's first rows (bench B1, B2).
const FIRST_USE = ['panel/RecordPanel.tsx', 'deals/DealDocumentView.tsx', 'bulk/BulkEditDialog.tsx', 'trash/TrashDialog.tsx', 'duplicates/DuplicatesDialog.tsx', 'automation/AutomationView.tsx', 'reports/ReportsView.tsx', 'reports/ReportChartCanvas.tsx',
  'board/BoardView.tsx', 'activities/MyWorkView.tsx', 'settings/SettingsView.tsx', 'settings/WorkspaceSettingsView.tsx', 'settings/PipelinesView.tsx',
  'settings/ApiView.tsx', 'settings/WebFormsView.tsx', 'settings/WebhooksView.tsx', 'MembersView.tsx',
  'deals/DealLinesPanel.tsx', 'deals/LostReasonDialog.tsx', 'leads/ConvertLeadDialog.tsx', 'cards/EditSheet.tsx']
const UI = resolve(__dirname)
const ENTRY = resolve(UI, 'main.tsx')

/** The source files main.tsx reaches through static imports and re-exports (not `import()`). */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const source = readFileSync(file, 'utf8')
    for (const match of source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'|^import\s+'(\.[^']+)'/gm)) {
      const target = resolveModule(dirname(file), (match[1] ?? match[2])!)
      if (target) visit(target)
    }
  }
  visit(entry)
  return seen
}

function resolveModule(from: string, spec: string): string | undefined {
  const base = resolve(from, spec)
  return [base, `${base}.ts`, `${base}.tsx`, resolve(base, 'index.ts')].find((f) => /\.tsx?$/.test(f) && existsSync(f))
}

describe('first-use views', () => {
  const graph = staticGraph(ENTRY)

  it('reads the app through its static imports', () => {
    expect(graph.has(resolve(UI, 'Shell.tsx'))).toBe(true)
    expect(graph.has(resolve(UI, 'GridView.tsx'))).toBe(true)
  })

  it.each(FIRST_USE)('%s is not in the bundle a list opens with', (view) => {
    expect(graph.has(resolve(UI, view))).toBe(false)
  })
})
