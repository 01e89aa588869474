import { describe, expect, it } from 'vitest'
import { createRecord, recordsOf, updateCells } from '../../src/crdt/recordDoc'
import { MAX_CLOCK_AHEAD_MS } from '../../src/domain/boundEntryTime'
import type { FieldValue } from '../../src/domain/schema'
import { ADMIN_TOKEN, makeTempDir, sleep, startTestRelay, useTestScope, waitFor } from './relayTestKit'

const scope = useTestScope()
const DAY_MS = 24 * 60 * 60 * 1000

async function relay() {
  const started = await startTestRelay({ dataDir: makeTempDir(), apiRateLimit: null })
  scope.cleanups.push(() => started.close())
  return started
}

const entry = (doc: Parameters<typeof recordsOf>[0], recordId: string, key: string) => recordsOf(doc).get(recordId)?.get(key) as { at: string } | undefined

describe('entry times are a client\'s clock, bounded by the relay when they arrive', () => {
  it('a stage change written a day ahead ends with its arrival time on every client; an old time is kept; the writer stays connected', async () => {
    const { syncUrl } = await relay()
    const writer = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
    const other = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
    await Promise.all([writer.synced, other.synced])
    const closes: number[] = []
    writer.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0))

    const deal = createRecord(writer.doc, { 'deals.title': 'Clock drift', 'deals.stage': 'sales.new' }, { createdBy: 'm1' }, 'ui')
    const old = { from: 'sales.new', to: 'sales.qualified', at: '2025-01-15T09:30:00.000Z', by: 'm1' }
    const ahead = { from: 'sales.qualified', to: 'sales.won', at: new Date(Date.now() + DAY_MS).toISOString(), by: 'm1' }
    // an offline change of last year, then one by a clock a day ahead
    updateCells(writer.doc, [{ recordId: deal, fieldId: 'deals.stage', value: 'sales.qualified' }, { recordId: deal, fieldId: 'stage@past1', value: old as unknown as FieldValue }], 'ui')
    const sentAt = Date.now()
    updateCells(writer.doc, [{ recordId: deal, fieldId: 'deals.stage', value: 'sales.won' }, { recordId: deal, fieldId: 'stage@ahead1', value: ahead as unknown as FieldValue }], 'ui')

    const bounded = (doc: typeof writer.doc) => {
      const at = entry(doc, deal, 'stage@ahead1')?.at
      return at !== undefined && Date.parse(at) <= Date.now()
    }
    await waitFor(() => bounded(writer.doc) && bounded(other.doc), 'the relay\'s arrival time on both clients')
    const arrival = Date.parse(entry(writer.doc, deal, 'stage@ahead1')!.at)
    expect(arrival).toBeGreaterThanOrEqual(sentAt - 1000)
    expect(arrival).toBeLessThanOrEqual(Date.now())
    expect(entry(other.doc, deal, 'stage@ahead1')).toEqual({ ...ahead, at: new Date(arrival).toISOString() })
    // the past stays as written, here and for a client that connects afterwards
    expect(entry(writer.doc, deal, 'stage@past1')).toEqual(old)
    const late = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
    await late.synced
    expect(entry(late.doc, deal, 'stage@ahead1')?.at).toBe(new Date(arrival).toISOString())
    expect(entry(late.doc, deal, 'stage@past1')).toEqual(old)
    // a wrong clock is not a reason to refuse or close: the writer is still connected and syncing
    expect(closes).toEqual([])
    expect(writer.provider.wsconnected).toBe(true)
  })

  it('an issued document dated ahead is bounded the same way; one within the allowed skew is kept', async () => {
    const { syncUrl } = await relay()
    const writer = scope.client(syncUrl, 'entity-deals', ADMIN_TOKEN)
    await writer.synced
    const deal = createRecord(writer.doc, { 'deals.title': 'Quote me' }, { createdBy: 'm1' }, 'ui')
    const soon = { kind: 'quote', at: new Date(Date.now() + MAX_CLOCK_AHEAD_MS / 4).toISOString(), by: 'm1', terms: '', valid_until: null }
    const ahead = { kind: 'invoice', at: new Date(Date.now() + 3 * DAY_MS).toISOString(), by: 'm1', terms: 'Net 14', valid_until: '2030-01-01' }
    updateCells(writer.doc, [{ recordId: deal, fieldId: 'document@soon1', value: soon as unknown as FieldValue }], 'ui')
    updateCells(writer.doc, [{ recordId: deal, fieldId: 'document@ahead1', value: ahead as unknown as FieldValue }], 'ui')
    await waitFor(() => Date.parse(entry(writer.doc, deal, 'document@ahead1')?.at ?? '') <= Date.now(), 'the issue\'s arrival time')
    expect(entry(writer.doc, deal, 'document@ahead1')).toMatchObject({ kind: 'invoice', terms: 'Net 14', valid_until: '2030-01-01' })
    await sleep(200)
    expect(entry(writer.doc, deal, 'document@soon1')).toEqual(soon)
  })
})
