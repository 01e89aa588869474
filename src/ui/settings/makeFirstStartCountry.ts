import { firstStartCountry } from '../../domain/firstStartCountry'
import type { WorkspaceSession } from '../../sync/workspaceSession'

/**
 * The first admin's browser sets the workspace's country from its language settings, once the
 * schema has synced with the relay (a copy from this device alone may lack a country another
 * admin set). Returns the cleanup.
 */
export function makeFirstStartCountry(session: WorkspaceSession, browserLocales: readonly string[]): () => void {
  if (session.member.role !== 'admin') return () => {}
  let done = false
  const check = () => {
    if (done || session.status().state !== 'synced') return
    const schema = session.schema.read()
    if (!schema.entities.length) return
    done = true
    stop()
    const country = firstStartCountry(schema.workspace, browserLocales)
    if (country) session.schema.setDefaultCountry(country, 'locale')
  }
  const stop = session.onStatus(check)
  check()
  return () => {
    done = true
    stop()
  }
}
