import { safeLocale } from './safeLocale'
import type { EntityDef } from './schema'

// The words are English (the app's language for now), so their plural rules are English too;
// the number itself is written the member's way.
const plurals = new Intl.PluralRules('en')

/** `1 company`, `2 companies`, `1,234 contacts`: a count of an entity's records. */
export function countLabel(count: number, entity: Pick<EntityDef, 'label' | 'singular'>, locale: string): string {
  const word = plurals.select(count) === 'one' ? entity.singular : entity.label
  return `${new Intl.NumberFormat(safeLocale(locale), { numberingSystem: 'latn' }).format(count)} ${word.toLowerCase()}`
}
