/**
 * Term paths: levels, identity keys, and the loose forms near-duplicate
 * checks compare.
 */

import {parseTerm, termPhrasing, termText} from '../markdown/terms.js'
import {sep, type Level, type Settings} from './model.js'

/**
 * Parse a term into levels with identity keys.
 *
 * @param term
 *   Term as written.
 * @param synthetic
 *   Whether it comes from configuration.
 * @param settings
 *   Settings.
 * @returns
 *   Levels, or `undefined` for a blank term or a blank level.
 */
export function levelsOf(
  term: string,
  synthetic: boolean,
  settings: Settings
): Level[] | undefined {
  const levels: Level[] = []

  for (const level of parseTerm(term)) {
    const display = level.display.replace(/[ \t\r\n]+/g, ' ')
    if (display === '') return undefined
    levels.push({
      display,
      sortKey: level.sortKey || undefined,
      key: identity(display, settings.mergeCase),
      synthetic
    })
  }

  return levels
}

/**
 * Identity of a display: with case merging, the first letter lowercased
 * (`Regex` → `regex`, `.Gitignore` → `.gitignore`; `Result::Ok` keeps its
 * `O` because `R` is the first letter).
 *
 * @param display
 *   Display.
 * @param mergeCase
 *   Whether to merge case.
 * @returns
 *   Key.
 */
export function identity(display: string, mergeCase: boolean): string {
  if (!mergeCase) return display
  const match = /\p{L}/u.exec(display)
  if (!match) return display
  return (
    display.slice(0, match.index) +
    match[0].toLowerCase() +
    display.slice(match.index + match[0].length)
  )
}

/**
 * Key of a path.
 *
 * @param levels
 *   Levels.
 * @returns
 *   Key.
 */
export function pathKey(levels: ReadonlyArray<Level>): string {
  return levels.map((level) => level.key).join(sep)
}

/**
 * Add every prefix of a path to a set.
 *
 * @param set
 *   Set of path keys.
 * @param levels
 *   Path.
 */
export function addPrefixes(set: Set<string>, levels: Level[]): void {
  for (let size = 1; size <= levels.length; size++) {
    set.add(pathKey(levels.slice(0, size)))
  }
}

/**
 * Form of a display for near-duplicate checks: plain text, leading
 * punctuation dropped, lowercase, without `-`, `_`, whitespace.
 *
 * @param display
 *   Display, such as `.Git-Ignore`.
 * @returns
 *   Form, such as `gitignore`.
 */
export function nearForm(display: string): string {
  const value = termText(display)
  const stripped = value.replace(/^[^\p{L}\p{N}]+/u, '') || value
  // In code, case is meaning: `Result::Ok` (variant) is not `Result::ok`
  // (method).
  return (looksLikeCode(display)
    ? identity(stripped, true)
    : stripped.toLowerCase()
  ).replace(
    /[-_\s]+/g,
    ''
  )
}

/**
 * Whether a display is code (a code span, or a path such as `std::fs`),
 * where case differences are meaningful.
 *
 * @param display
 *   Display.
 * @returns
 *   Whether it looks like code.
 */
function looksLikeCode(display: string): boolean {
  return display.includes('::') || termPhrasing(display).some((node) => node.type === 'inlineCode')
}

/**
 * Singular candidates of a form (`ies` → `y`, `-es`, `-s`; not `-ss`),
 * each at least two characters long.
 *
 * @param form
 *   Form, such as `paths` or `libraries`.
 * @returns
 *   Candidates, such as `path` or `library`.
 */
export function singulars(form: string): string[] {
  const result: string[] = []
  if (form.endsWith('ies')) result.push(form.slice(0, -3) + 'y')
  if (form.endsWith('es')) result.push(form.slice(0, -2))
  if (form.endsWith('s') && !form.endsWith('ss')) result.push(form.slice(0, -1))
  return result.filter((value) => value.length - value.lastIndexOf(sep) > 2)
}
