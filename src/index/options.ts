/**
 * Options of the index chapter and the settings made from them.
 */

import type {Settings} from './model.js'
import {compareCodePoints} from './sort.js'

/** Configuration of the index chapter. */
export interface IndexOptions {
  /** Title, rendered as the first heading (default: `'Index'`). */
  title?: string | null | undefined
  /** Render the title heading; off when the chapter has its own (default: `true`). */
  heading?: boolean | null | undefined
  /**
   * Path of the index chapter in `src/`, such as `indices/word_index.md`;
   * links are relative to its folder and keep `.md` so mdBook rewrites them
   * (default: `'index.md'`, links relative to `src/`).
   */
  indexPath?: string | null | undefined
  /** Locale for `Intl.Collator`, from `book.language` (default: `'en'`; unsupported → `'en'`). */
  language?: string | null | undefined
  /** Merge terms that differ only in the case of a level’s first letter (default: `true`). */
  mergeCase?: boolean | null | undefined
  /** Link label: chapter name or occurrence number `1`, `2`, … (default: `'name'`). */
  labels?: 'name' | 'number' | null | undefined
  /** Terms rendered as “*see* target”; their occurrences move to the target (default: none). */
  seeInstead?: Readonly<Record<string, string>> | null | undefined
  /** Terms that get “*see also* a, b” (default: none). */
  seeAlso?: Readonly<Record<string, ReadonlyArray<string>>> | null | undefined
  /** Terms filed under a parent term (default: none). */
  nestUnder?: Readonly<Record<string, string>> | null | undefined
}

/**
 * What may differ between renderings of one compiled index (the page and
 * the JSON export of one book); each field unset falls back to the
 * compiled options (`heading` is read by the page only).
 */
export type IndexView = Pick<IndexOptions, 'heading' | 'indexPath' | 'title'>

const emptyOptions: Readonly<IndexOptions> = {}

/**
 * Fill defaults and order configuration tables deterministically.
 *
 * @param options
 *   Options.
 * @returns
 *   Settings.
 */
export function configure(
  options: Readonly<IndexOptions> | null | undefined
): Settings {
  const settings = options || emptyOptions
  const requested = settings.language || 'en'
  const language = validLocale(requested) ? requested : 'en'
  const byKey = (a: [string, unknown], b: [string, unknown]): number =>
    compareCodePoints(a[0], b[0])

  return {
    title: settings.title || 'Index',
    indexPath: settings.indexPath || 'index.md',
    language,
    mergeCase: settings.mergeCase ?? true,
    labels: settings.labels || 'name',
    seeInstead: Object.entries(settings.seeInstead || {}).sort(byKey),
    seeAlso: Object.entries(settings.seeAlso || {})
      .map(([key, value]): [string, string[]] => [
        key,
        // A lone string (`async = "tokio"`) is one target.
        typeof value === 'string' ? [value] : [...value]
      ])
      .sort(byKey),
    nestUnder: Object.entries(settings.nestUnder || {}).sort(byKey),
    collator: new Intl.Collator(language, {
      sensitivity: 'base',
      numeric: true
    })
  }
}

/**
 * Whether `Intl` supports a locale (an unsupported one would silently fall
 * back to the machine’s locale and make output differ between machines).
 *
 * @param value
 *   Locale, such as `en` or `zh-CN`.
 * @returns
 *   Whether it can be used.
 */
function validLocale(value: string): boolean {
  try {
    return Intl.Collator.supportedLocalesOf([value]).length > 0
  } catch {
    return false
  }
}
