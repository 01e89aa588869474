import type { RelayProcess } from './relayProcess'

/** Creates a record through the relay's REST API as the admin (test set-up); answers its id. */
export async function postRecord(relay: RelayProcess, entity: string, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${relay.url}/api/v1/${entity}`, {
    method: 'POST', headers: { authorization: `Bearer ${relay.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  })
  if (res.status !== 201) throw new Error(`POST ${entity}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { id: string }).id
}
