import { For, Show } from 'solid-js'
import { findStage, type Pipeline } from '../../domain/pipelines/pipeline'
import { stageChangesOf } from '../../domain/pipelines/stageHistory'
import type { EntityDef, Row } from '../../domain/schema'
import { memberNameOf } from '../session/memberDirectory'

export interface HistorySectionProps {
  entity: EntityDef
  row: Row
  pipelines: readonly Pipeline[]
  members: readonly { id: string; name: string }[]
  locale: string
}

/**
 * The record panel's history: what the record holds about its own past today — when and by
 * whom it was created, and a deal's stage changes (stageHistory) — newest first. The timeline
 * of every cell (issue 15's "History of every cell") takes this section's place in the panel.
 */
export function HistorySection(props: HistorySectionProps) {
  const when = (iso: string) => {
    const d = new Date(iso)
    return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(props.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d)
  }
  const who = (id: string) => memberNameOf(props.members, id) ?? (id.startsWith('relay:') || id === 'api' ? 'the API' : 'a former member')
  const stageName = (id: string | null) => (id === null ? 'none' : findStage(props.pipelines, id)?.stage.name ?? id)
  const entries = () => [
    ...stageChangesOf(props.row).map((c) => ({ at: c.at, text: `Stage ${stageName(c.from)} → ${stageName(c.to)}`, by: c.by })),
    { at: props.row.createdAt, text: `Created this ${props.entity.singular.toLowerCase()}`, by: props.row.createdBy },
  ].sort((a, b) => b.at.localeCompare(a.at))
  return (
    <section class="kanso-related kanso-history" aria-labelledby="kanso-history-head" data-testid="record-history">
      <header class="kanso-related-head"><h3 id="kanso-history-head">History</h3></header>
      <Show when={entries().length}>
        <ol class="kanso-history-list">
          <For each={entries()}>
            {(e) => <li><span class="kanso-history-text">{e.text}</span> <span class="kanso-related-detail">{who(e.by)} · <time datetime={e.at}>{when(e.at)}</time></span></li>}
          </For>
        </ol>
      </Show>
    </section>
  )
}
