import { localeRegion } from '../src/domain/localeRegion'

/**
 * The country the relay's process locale names for phone numbers (the first set of LC_ALL,
 * LC_TELEPHONE and LANG, as POSIX picks them: `de_DE.UTF-8` → 'DE'), or undefined for `C`, `POSIX` or a language
 * alone. Read from the environment, not Intl: Node's ICU falls back to en-US when none is set,
 * which would look like a choice.
 */
export function relayCountry(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return localeRegion(env.LC_ALL || env.LC_TELEPHONE || env.LANG)
}
