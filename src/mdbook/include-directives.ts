/**
 * Include directive syntax: finding `{{#include …}}`, `{{#rustdoc_include …}}`,
 * `{{#playground …}}` (`{{#playpen …}}`), `{{#title …}}` and `\{{#…}}` escapes
 * in text, and reading what each one asks for, as mdBook's `find_links`,
 * `Link::from_capture` and `parse_range_or_anchor` in `links.rs` do.
 */

import {ws, type Select} from './take-lines.js'

/** Where a directive points and what to do with its lines. */
type LinkType =
  | {kind: 'escaped'}
  | {kind: 'include' | 'rustdoc'; file: string; select: Select}
  | {kind: 'playground'; file: string; attrs: string[]}
  | {kind: 'title'; title: string}

/** One directive found in text. */
export interface Link {
  start: number
  end: number
  type: LinkType
}

/**
 * mdBook's `find_links` expression: an escaped directive runs to the last
 * `}}` on its line (Rust `.` is all but `\n`); a directive is
 * `{{ #type rest}}` with `rest` free of `}`.
 */
const linkExpression = new RegExp(
  '\\\\\\{\\{#[^\\n]*\\}\\}|\\{\\{[' +
    ws +
    ']*#([a-zA-Z0-9_]+)[' +
    ws +
    ']+([^}]+)\\}\\}',
  'g'
)
const whitespace = new RegExp('[' + ws + ']+')
const usize = /^\+?\d+$/
const usizeMax = 2n ** 64n - 1n

/**
 * Find directives, as mdBook's `find_links` (matches of unknown types are
 * skipped, and their text is not searched again).
 *
 * @param text
 *   Text.
 * @param titles
 *   Whether `{{#title …}}` is a directive.
 * @returns
 *   Directives.
 */
export function findLinks(text: string, titles: boolean): Link[] {
  const links: Link[] = []
  // Fast exit: most text has no directive.
  if (!text.includes('{{')) return links
  linkExpression.lastIndex = 0
  let match: RegExpExecArray | null

  while ((match = linkExpression.exec(text))) {
    const type = linkType(match, titles)
    if (type) {
      links.push({start: match.index, end: match.index + match[0].length, type})
    }
  }

  return links
}

/**
 * Classify a match (mdBook's `Link::from_capture`).
 *
 * @param match
 *   Match of `linkExpression`.
 * @param titles
 *   Whether `{{#title …}}` is a directive.
 * @returns
 *   Type, or `undefined` for what mdBook ignores.
 */
function linkType(match: RegExpExecArray, titles: boolean): LinkType | undefined {
  const type = match[1]
  const rest = match[2]

  // `\{{#anything}}`.
  if (type === undefined || rest === undefined) return {kind: 'escaped'}
  // mdBook ≥ 0.4.8: `{{#title My Title}}`.
  if (type === 'title' && titles) return {kind: 'title', title: rest}
  const [file, ...attrs] = rest.split(whitespace).filter((d) => d !== '')
  if (file === undefined) return undefined

  switch (type) {
    case 'include':
    case 'rustdoc_include': {
      // `file.rs:anchor`, `file.rs:10:20`: the first `:` ends the path.
      const colon = file.indexOf(':')
      return {
        kind: type === 'include' ? 'include' : 'rustdoc',
        file: colon === -1 ? file : file.slice(0, colon),
        select: parseSelect(colon === -1 ? undefined : file.slice(colon + 1))
      }
    }

    case 'playground':
    case 'playpen': {
      return {kind: 'playground', file, attrs}
    }

    default: {
      return undefined
    }
  }
}

/**
 * mdBook's `parse_range_or_anchor`.
 *
 * @param value
 *   What follows the first `:` (`10`, `10:20`, `10:`, `:20`, `anchor`).
 * @returns
 *   Selection.
 */
function parseSelect(value: string | undefined): Select {
  const parts = (value || '').split(':')
  const first = parts[0]
  const number = parseUsize(first)
  // 1-indexed; `0` is taken as `1` (`saturating_sub`).
  const start = number === undefined ? undefined : Math.max(0, number - 1)
  if (start === undefined && first !== '') return {range: false, anchor: first}

  // `splitn(3, ':')`: a missing second part means one line.
  if (parts.length < 2) {
    return {range: true, start, end: start === undefined ? undefined : start + 1}
  }

  return {range: true, start, end: parseUsize(parts[1])}
}

/**
 * Rust `str::parse::<usize>`.
 *
 * @param value
 *   Text.
 * @returns
 *   Number, or `undefined` when Rust would fail.
 */
function parseUsize(value: string): number | undefined {
  if (!usize.test(value) || BigInt(value) > usizeMax) return undefined
  return Number(value)
}
