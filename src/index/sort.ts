/**
 * Order of the index: sort texts, collation, letter groups, heading ids.
 */

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
      collator.compare(a.sortText, b.sortText) ||
      compareCodePoints(a.sortText, b.sortText) ||
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
      collator.compare(left, right) ||
      compareCodePoints(left, right) ||
      compareCodePoints(a[index].display, b[index].display)
    if (result) return result
  }

  return a.length - b.length
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
