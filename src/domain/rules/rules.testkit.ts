import { defaultSchema } from '../defaultSchema'
import { defaultPipeline, pipelineFromStageNames, type Pipeline } from '../pipelines/pipeline'
import { pipelineChoices, stageChoices } from '../pipelines/stageChoices'
import type { FieldValue, Row, WorkspaceSchema } from '../schema'
import type { Rule } from './rule'
import type { RuleContext } from './runRules'

/** The default workspace with its Sales pipeline and a second one, stage choices derived as schemaDoc's readSchema does. */
export function ruleTestSchema(): WorkspaceSchema {
  const pipelines: Pipeline[] = [defaultPipeline(), { ...pipelineFromStageNames(['Intro', 'Signed', 'Won'], 'partners', 'Partners'), order: 1 }]
  const schema = defaultSchema()
  for (const entity of schema.entities) {
    for (const field of entity.fields) {
      if (!field.choicesFrom) continue
      field.choices = field.choicesFrom === 'stages' ? stageChoices(pipelines) : pipelineChoices(pipelines)
      field.options = field.choices.map((c) => c.label)
    }
  }
  return { ...schema, pipelines }
}

let ruleNumber = 0

/** An enabled rule with no conditions; the rest as given. */
export function testRule(o: Partial<Rule> & Pick<Rule, 'trigger' | 'actions'>): Rule {
  ruleNumber++
  return { id: `rule${ruleNumber}`, name: `Rule ${ruleNumber}`, enabled: true, conditions: [], createdAt: '2026-12-01T00:00:00.000Z', createdBy: 'admin', ...o }
}

export function testRow(id: string, values: Record<string, FieldValue>, extra: Partial<Row> = {}): Row {
  return { id, values, createdAt: '2026-12-01T09:00:00.000Z', createdBy: 'ann', ...extra }
}

/** A writer's records in memory, firing counts and ids from seeds (kept, so a test can look at them). */
export interface TestWorkspace {
  ctx: RuleContext
  rows: Map<string, Row>
  counts: Map<string, number>
  seeds: string[]
  put(entity: string, row: Row): Row
}

export function testWorkspace(o: { schema?: WorkspaceSchema; now?: Date; writer?: string; timeZone?: string } = {}): TestWorkspace {
  const rows = new Map<string, Row>()
  const counts = new Map<string, number>()
  const seeds: string[] = []
  const ctx: RuleContext = {
    schema: o.schema ?? ruleTestSchema(),
    now: o.now ?? new Date('2026-12-06T10:00:00.000Z'),
    timeZone: o.timeZone,
    writer: o.writer ?? 'ann',
    row: (entity, id) => rows.get(`${entity}/${id}`),
    firedCount: (ruleId) => counts.get(ruleId) ?? 0,
    newId: (seed) => {
      seeds.push(seed)
      return `new${seeds.length}`
    },
  }
  return {
    ctx, rows, counts, seeds,
    put(entity, row) {
      rows.set(`${entity}/${row.id}`, row)
      return row
    },
  }
}
