/**
 * Lines an include takes: mdBook's `take_lines.rs` (a range of lines, or
 * the lines between `ANCHOR: name` and `ANCHOR_END: name`, other anchor
 * lines dropped; `rustdoc_include` hides the lines it does not take behind
 * `# `), over Rust `str::lines()`, each piece mapped to its place in the
 * file.
 */

import type {CacheEntry} from './file-cache.js'
import {Builder, type Mapped} from './source-map.js'

// Rust's `\s` (`White_Space`), which is not JavaScript's `\s` (no U+0085,
// but U+FEFF).
export const ws = '\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000'
// Rust's `\w`.
const word = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}_\\-'

const anchorStart = new RegExp('ANCHOR:[' + ws + ']*([' + word + ']+)', 'u')
const anchorEnd = new RegExp('ANCHOR_END:[' + ws + ']*([' + word + ']+)', 'u')

/** Lines to take: a range (0-indexed, end exclusive) or an anchor. */
export type Select =
  | {range: true; start: number | undefined; end: number | undefined}
  | {range: false; anchor: string}

/**
 * Lines of an included file, as `take_lines`, `take_anchored_lines`,
 * `take_rustdoc_include_lines` or `take_rustdoc_include_anchored_lines`.
 *
 * @param entry
 *   File.
 * @param file
 *   Record index of the file.
 * @param kind
 *   `include` or `rustdoc`.
 * @param select
 *   Range or anchor.
 * @returns
 *   Content.
 */
export function takeLines(entry: CacheEntry, file: number, kind: 'include' | 'rustdoc', select: Select): Mapped {
  const lines = linesOf(entry)
  const count = lines.starts.length
  // Per line: `true` to keep, `false` to hide behind `# `, absent to drop.
  const keep: Array<boolean | undefined> = []

  if (select.range) {
    const start = select.start ?? 0
    const end = select.end ?? Number.POSITIVE_INFINITY

    for (let index = 0; index < count; index++) {
      const within = index >= start && index < end
      keep.push(within ? true : kind === 'rustdoc' ? false : undefined)
    }
  } else if (kind === 'include') {
    let found = false

    for (let index = 0; index < count; index++) {
      const line = lineText(entry.text, lines, index)

      if (found) {
        const end = anchorEnd.exec(line)
        if (end && end[1] === select.anchor) break
        // Other anchors' marker lines are dropped inside the range.
        keep.push(end || anchorStart.test(line) ? undefined : true)
      } else {
        const start = anchorStart.exec(line)
        if (start && start[1] === select.anchor) found = true
        keep.push(undefined)
      }
    }
  } else {
    let within = false

    for (let index = 0; index < count; index++) {
      const line = lineText(entry.text, lines, index)

      if (within) {
        const end = anchorEnd.exec(line)
        if (end) {
          if (end[1] === select.anchor) within = false
          keep.push(undefined)
        } else {
          keep.push(anchorStart.test(line) ? undefined : true)
        }
      } else {
        const start = anchorStart.exec(line)
        if (start) {
          if (start[1] === select.anchor) within = true
          keep.push(undefined)
        } else {
          keep.push(anchorEnd.test(line) ? undefined : false)
        }
      }
    }
  }

  return joinLines(entry.text, lines, keep, file)
}

/**
 * Join kept lines with `\n`, hidden ones behind `# `.
 *
 * @param text
 *   File text.
 * @param lines
 *   Its lines.
 * @param keep
 *   Decision per line.
 * @param file
 *   Record index.
 * @returns
 *   Content.
 */
function joinLines(
  text: string,
  lines: {starts: number[]; ends: number[]; crlf: boolean},
  keep: Array<boolean | undefined>,
  file: number
): Mapped {
  const out = new Builder()
  let previousEnd = -1
  let index = 0

  while (index < keep.length) {
    const decision = keep[index]
    if (decision === undefined) {
      index++
      continue
    }

    if (previousEnd !== -1) out.add('\n', file, previousEnd)

    if (decision === false) {
      out.add('# ', ~file, lines.starts[index])
      out.add(text.slice(lines.starts[index], lines.ends[index]), file, lines.starts[index])
      previousEnd = lines.ends[index]
      index++
      continue
    }

    // A run of kept lines is one slice when the file has no `\r\n`.
    let last = index
    if (!lines.crlf) {
      while (last + 1 < keep.length && keep[last + 1] === true) last++
    }

    out.add(text.slice(lines.starts[index], lines.ends[last]), file, lines.starts[index])
    previousEnd = lines.ends[last]
    index = last + 1
  }

  return out.done()
}

/**
 * Rust `str::lines()` of a file: a line ends at `\n`, a `\r` before it is
 * not part of the line, and a final line ending does not start a line.
 *
 * @param entry
 *   File.
 * @returns
 *   Line starts and ends.
 */
function linesOf(entry: CacheEntry): {starts: number[]; ends: number[]; crlf: boolean} {
  if (entry.lines) return entry.lines
  const text = entry.text
  const starts: number[] = []
  const ends: number[] = []
  let crlf = false
  let start = 0

  while (start < text.length) {
    const newline = text.indexOf('\n', start)
    const stop = newline === -1 ? text.length : newline
    const cr = newline !== -1 && stop > start && text.charCodeAt(stop - 1) === 13
    if (cr) crlf = true
    starts.push(start)
    ends.push(cr ? stop - 1 : stop)
    if (newline === -1) break
    start = newline + 1
  }

  entry.lines = {starts, ends, crlf}
  return entry.lines
}

/**
 * Text of one line.
 *
 * @param text
 *   File text.
 * @param lines
 *   Its lines.
 * @param index
 *   Line index.
 * @returns
 *   Line without its ending.
 */
function lineText(text: string, lines: {starts: number[]; ends: number[]}, index: number): string {
  return text.slice(lines.starts[index], lines.ends[index])
}
