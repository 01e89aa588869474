import type * as Y from 'yjs'
import { isRememberedMapping, rememberedMappingKey, type RememberedMapping } from '../domain/import/rememberedMapping'

/*
 * Remembered import mappings (src/domain/import/rememberedMapping.ts) live in the schema
 * document's `workspace` map beside the other workspace settings, one entry per file header and
 * entity (`import-header:<columns>#<entity id>` → the fields' API keys by column), so they sync to
 * the whole team and two members' files both win. The relay checks the entries' shape
 * (server/rooms/layout/layoutRules.ts).
 */

const workspaceOf = (doc: Y.Doc) => doc.getMap<unknown>('workspace')

/** The mapping remembered for files with this header, if any (an entry of the wrong shape reads as none). */
export function readImportMapping(doc: Y.Doc, entityId: string, header: readonly string[]): RememberedMapping | undefined {
  const value = workspaceOf(doc).get(rememberedMappingKey(entityId, header))
  return isRememberedMapping(value) ? value : undefined
}

/** Remembers the mapping of files with this header (a mapping of another width than the header is not kept). */
export function writeImportMapping(doc: Y.Doc, entityId: string, header: readonly string[], mapping: RememberedMapping, origin: unknown): void {
  if (mapping.length !== header.length || !isRememberedMapping(mapping)) return
  const key = rememberedMappingKey(entityId, header)
  const before = workspaceOf(doc).get(key)
  if (JSON.stringify(before) === JSON.stringify(mapping)) return
  doc.transact(() => workspaceOf(doc).set(key, [...mapping]), origin)
}
