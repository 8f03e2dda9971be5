/**
 * Order of the index: sort texts, collation, letter groups, heading ids.
 */

import {spellSymbols} from '../markdown/symbol-names.js'
import {termText} from '../markdown/terms.js'
import type {Level, Node} from './model.js'

/** Label of the group for terms without letter or number. */
export const symbolsLabel = 'Symbols'

/** Label of the group for terms that start with a number. */
export const digitsLabel = '0–9'

/**
 * Group label of a sort text (already stripped of leading punctuation).
 *
 * @param stripped
 *   Sort text, such as `gitignore`, `128-bit`, or `` (symbols).
 * @returns
 *   `Symbols`, `0–9`, or a letter such as `U` (for `über`).
 */
export function groupOf(stripped: string): string {
  const first = [...stripped][0]
  if (first === undefined) return symbolsLabel
  if (/\p{N}/u.test(first)) return digitsLabel
  const base = first.normalize('NFD').replace(/\p{M}/gu, '') || first
  return [...base.toUpperCase()][0]
}

/**
 * Sort nodes and their children (recursively).
 *
 * @param nodes
 *   Nodes.
 * @param collator
 *   Collator.
 * @returns
 *   Sorted nodes.
 */
export function sortNodes(nodes: Node[], collator: Intl.Collator): Node[] {
  for (const node of nodes) {
    node.children = new Map(
      sortNodes([...node.children.values()], collator).map((child) => [
        child.key,
        child
      ])
    )
  }

  return nodes.sort(
    (a, b) =>
      compareSortTexts(a.sortText, b.sortText, collator) ||
      compareCodePoints(a.display, b.display) ||
      compareCodePoints(a.key, b.key)
  )
}

/**
 * Compare two paths like the index sorts them (used for problem order and
 * loop cuts, where nodes do not exist yet).
 *
 * @param a
 *   Path.
 * @param b
 *   Path.
 * @param collator
 *   Collator.
 * @returns
 *   Order.
 */
export function comparePaths(
  a: ReadonlyArray<Level>,
  b: ReadonlyArray<Level>,
  collator: Intl.Collator
): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const left = sortTextOf(a[index])
    const right = sortTextOf(b[index])
    const result =
      compareSortTexts(left, right, collator) ||
      compareCodePoints(a[index].display, b[index].display)
    if (result) return result
  }

  return a.length - b.length
}

/**
 * Compare two sort texts: terms without letter or number (`!=`, `?`) first,
 * and among themselves by the code points of their text (`!=` U+0021, `*`
 * U+002A, `==` U+003D, `?` U+003F), because collators order punctuation by
 * tables that differ between locales and ICU versions; other terms by the
 * collator, code points breaking ties.
 *
 * @param a
 *   Sort text.
 * @param b
 *   Sort text.
 * @param collator
 *   Collator.
 * @returns
 *   Order.
 */
export function compareSortTexts(
  a: string,
  b: string,
  collator: Intl.Collator
): number {
  const symbolA = trimPunctuation(a) === ''
  const symbolB = trimPunctuation(b) === ''
  if (symbolA && symbolB) return compareCodePoints(a, b)
  if (symbolA !== symbolB) return symbolA ? -1 : 1
  return collator.compare(a, b) || compareCodePoints(a, b)
}

/**
 * Sort text of a level.
 *
 * @param level
 *   Level.
 * @returns
 *   Sort text.
 */
export function sortTextOf(level: Level): string {
  const basis = termText(level.sortKey ?? level.display)
  return trimPunctuation(basis) || basis
}

/**
 * Drop leading and trailing characters that are neither letter nor number:
 * they do not decide the order (`#[derive]` sorts as `derive`, before
 * `derive_more`; `.gitignore` as `gitignore`).
 *
 * @param value
 *   Plain text.
 * @returns
 *   Trimmed text (empty for `!=`).
 */
export function trimPunctuation(value: string): string {
  return value.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
}

/**
 * Readable slug of a node's term path for its entry id: levels outermost
 * first, letters and numbers lowercased, runs of anything else as `-`
 * (`async!Tokio` → `async-tokio`); a level without letter or number names
 * its characters (`!=` → `excl-eq`, `→` → `u2192`); at most 40 characters.
 *
 * @param node
 *   Node.
 * @returns
 *   Slug (not yet unique).
 */
export function entrySlug(node: Node): string {
  const parts: string[] = []
  let current: Node | undefined = node

  while (current) {
    parts.unshift(levelSlug(termText(current.display)))
    current = current.parent
  }

  // Bounded like the chapter anchors' slugs: a 1 MB term makes no 1 MB id.
  const slug = parts.filter(Boolean).join('-').slice(0, 40).replace(/-+$/, '')
  return slug || 'term'
}

/**
 * Slug of one level.
 *
 * @param value
 *   Plain text of a level.
 * @returns
 *   Slug.
 */
function levelSlug(value: string): string {
  if (trimPunctuation(value) === '') {
    return spellSymbols(value)
  }

  return value
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
}

// One judge of mdBook's heading ids, for the index's own headings and for
// the sections of chapters.
export {headingId} from '../markdown/sections.js'

/**
 * Compare by code points (not UTF-16 units: `\u{1F600}` after `\uFFFD`).
 *
 * @param a
 *   Value.
 * @param b
 *   Value.
 * @returns
 *   Order.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0
  let index = 0

  while (index < a.length && index < b.length) {
    const left = a.codePointAt(index) as number
    const right = b.codePointAt(index) as number
    if (left !== right) return left - right
    index += left > 0xffff ? 2 : 1
  }

  return a.length - b.length
}
