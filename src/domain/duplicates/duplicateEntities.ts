/** The lists the duplicates screen and `GET /api/v1/{entity}/duplicates` / `POST …/merge` serve (by entity key). */
export const DUPLICATE_ENTITY_KEYS = ['contacts', 'companies', 'leads'] as const

export function offersDuplicates(entityKey: string): boolean {
  return (DUPLICATE_ENTITY_KEYS as readonly string[]).includes(entityKey)
}

/** GET …/duplicates answers this many groups unless ?limit= asks otherwise. */
export const DUPLICATES_DEFAULT_LIMIT = 50
export const DUPLICATES_MAX_LIMIT = 500
