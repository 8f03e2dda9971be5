/**
 * Rewrite index markers into anchors, by offsets: the author’s Markdown is
 * never re-serialised.
 *
 * * Text: `{{hi:x}}` → `<span id="xref-x-1"></span>`, `{{i:x}}` →
 *   `<span id="xref-x-1"></span>x`.
 * * Heading: an anchor line before the heading, the marker becomes its
 *   visible text (or nothing).
 * * Escaped: `\{{hi:x}}` → `&#123;{hi:x}}`.
 *
 * Separators keep a replacement from changing how its neighbours parse.
 */

import {isEscaped, openerExpression, syntax} from './marker-extent.js'
import type {FoundMarker} from './markers.js'
import {spellSymbols} from './symbol-names.js'
import {parseTerm, visibleText} from './terms.js'

/** Replace `source.slice(start, end)` with `value` (`start === end`: insert). */
export interface Edit {
  /** Offset. */
  start: number
  /** Offset after the replaced text. */
  end: number
  /** Replacement. */
  value: string
}

/** Id counts per slug across one chapter, so that segments can be rewritten in order. */
export interface IdState {
  /** Markers seen so far per slug. */
  counts: Map<string, number>
}

/** A marker and what replaces it, before guarding. */
interface Replacement {
  marker: FoundMarker
  value: string
}

/** Separator that keeps neighbours of a replacement apart; renders as nothing (mdBook drops `<em>` from heading ids). */
const separator = '<em></em>'

/** Emphasis and strikethrough delimiters: whether they open or close depends on their neighbours. */
const delimiter = /^[*_~]$/

/** Punctuation as CommonMark counts it for flanking (Unicode P and S). */
const punctuation = /^[\p{P}\p{S}]$/u

/**
 * Turn markers into edits and ids.
 *
 * Text: `{{hi:x}}` → `<span id="xref-x-1"></span>`, `{{i:x}}` →
 * `<span id="xref-x-1"></span>x`. Heading: mdBook derives the heading id
 * from its HTML, so the marker becomes `''` or the visible text, and
 * `<a id="xref-x-1"></a>` goes on its own line before the heading.
 * Escaped: `\{{` → `&#123;{`, `\<<` → `&lt;<`.
 *
 * @param markers
 *   Markers from `findMarkers`, in order.
 * @param source
 *   Markdown they were found in.
 * @param ids
 *   Id counts of the chapter; updated.
 * @returns
 *   Edits, sorted, and ids parallel to `markers` (`''` for escaped markers).
 */
export function rewriteMarkers(
  markers: FoundMarker[],
  source: string,
  ids: IdState
): {edits: Edit[]; ids: string[]} {
  const edits: Edit[] = []
  const result: string[] = []
  const replacements: Replacement[] = []

  for (const marker of markers) {
    if (marker.escaped) {
      edits.push({start: marker.start, end: marker.start + 3, value: syntax[marker.form].escape})
      result.push('')
      continue
    }

    const id = nextId(marker.term, ids)
    result.push(id)
    const value = marker.kind === 'hi' ? '' : visible(marker.term)

    if (marker.context === 'heading' && marker.headingStart !== undefined) {
      edits.push({
        start: marker.headingStart,
        end: marker.headingStart,
        value: headingAnchor(source, marker.headingStart, id)
      })
      replacements.push({marker, value})
    } else {
      replacements.push({marker, value: '<span id="' + id + '"></span>' + value})
    }
  }

  // Adjacent markers (`{{i:x}}{{hi:y}}*`) are guarded together: their
  // neighbours in the output are each other’s replacements.
  let index = 0

  while (index < replacements.length) {
    let stop = index + 1

    while (
      stop < replacements.length &&
      replacements[stop].marker.start === replacements[stop - 1].marker.end
    ) {
      stop++
    }

    const group = replacements.slice(index, stop)
    const start = group[0].marker.start
    const end = group[group.length - 1].marker.end
    const values = guardJoin(
      source.slice(Math.max(0, start - 5), start),
      group.map((d) => d.value),
      source.slice(end, end + 5)
    )

    for (const [position, {marker}] of group.entries()) {
      edits.push({start: marker.start, end: marker.end, value: guardHeading(source, marker, values[position])})
    }

    index = stop
  }

  return {edits: sortEdits(edits), ids: result}
}

/**
 * Apply edits to a source.
 *
 * @param source
 *   Text.
 * @param edits
 *   Non-overlapping edits; sorted here by `start` (inserts at the same offset
 *   keep their order and come before a replacement there).
 * @returns
 *   Edited text.
 */
export function applyEdits(source: string, edits: Edit[]): string {
  const sorted = sortEdits(edits)
  // Concatenation, not `join`: V8 keeps the result as a rope, so the 800 KB
  // of definitions after the last edit are not copied here (only once, when
  // the book is serialised).
  let result = ''
  let last = 0

  for (const edit of sorted) {
    if (edit.start < last || edit.end < edit.start) {
      throw new Error(
        'Unexpected overlapping edit at `' + edit.start + '`, expected edits that do not overlap'
      )
    }

    result += source.slice(last, edit.start) + edit.value
    last = edit.end
  }

  return result + source.slice(last)
}

/**
 * Create empty id counts for a chapter.
 *
 * @returns
 *   Fresh state.
 */
export function createIdState(): IdState {
  return {counts: new Map()}
}

/**
 * Sort edits by start; inserts come before a replacement at the same offset
 * and keep their order.
 *
 * @param edits
 *   Edits.
 * @returns
 *   Sorted copy.
 */
export function sortEdits(edits: Edit[]): Edit[] {
  return [...edits].sort(function (a, b) {
    return a.start - b.start || Number(a.end > a.start) - Number(b.end > b.start)
  })
}

/**
 * Slug of a term for ids: all levels, lowercase ASCII alphanumerics joined
 * by `-`, at most 40 characters (`async!Tokio` → `async-tokio`); a term
 * without letter or number spells its characters (`!=` → `excl-eq`).
 *
 * @param term
 *   Term as written.
 * @returns
 *   Slug (`term` when nothing is left).
 */
function slug(term: string): string {
  const levels = parseTerm(term).map((level) => level.display)

  if (!levels.some((level) => /[\p{L}\p{N}]/u.test(level))) {
    const spelled = levels.map(spellSymbols).filter(Boolean).join('-')
    return spelled.slice(0, 40).replace(/-+$/, '') || 'term'
  }

  const value = levels
    .join('-')
    .toLowerCase()
    .replace(/[^a-z\d]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return value || 'term'
}

/**
 * Next id for a term: `xref-<slug>-<n>`, `n` counting per slug from 1.
 *
 * @param term
 *   Term as written.
 * @param ids
 *   Counts; updated.
 * @returns
 *   Id.
 */
function nextId(term: string, ids: IdState): string {
  const key = slug(term)
  const count = (ids.counts.get(key) || 0) + 1
  ids.counts.set(key, count)
  return 'xref-' + key + '-' + count
}

/**
 * Visible text of an `i`/`ii` marker; a trailing odd backslash run gets a
 * space back (`{{i:a\ }}` → `a\ `), so that it does not escape what follows.
 *
 * @param term
 *   Term as written.
 * @returns
 *   Markdown to show.
 */
function visible(term: string): string {
  const value = visibleText(term)
  return isEscaped(value + ' ', value.length, 0) ? value + ' ' : value
}

/**
 * Anchor line to insert before a heading.
 *
 * `> - # Tokio` → `> - <a id="…"></a>\n>   # Tokio`: the line’s container
 * prefix continues the containers, with list markers turned into spaces so
 * that no new item starts. A setext heading gets a blank line after the
 * anchor, or the anchor would join its text.
 *
 * @param source
 *   Text.
 * @param headingStart
 *   Offset of the heading.
 * @param id
 *   Anchor id.
 * @returns
 *   Text to insert at `headingStart`.
 */
function headingAnchor(source: string, headingStart: number, id: string): string {
  const lineStart = lineStartOf(source, headingStart)
  const prefix = source
    .slice(lineStart, headingStart)
    .replace(/(^|[ \t>])([-*+]|\d{1,9}[.)])(?=[ \t]|$)/g, function ($0, $1: string, $2: string) {
      return $1 + ' '.repeat($2.length)
    })
  const eol = lineEnding(source, headingStart)
  const anchor = '<a id="' + id + '"></a>' + eol
  return isAtx(source, headingStart) ? anchor + prefix : anchor + prefix.replace(/[ \t]+$/, '') + eol + prefix
}

/**
 * Whether the heading at `headingStart` is an ATX heading (`# Tokio`), not
 * setext (`Tokio\n===`, also `#tokio\n===`).
 *
 * @param source
 *   Text.
 * @param headingStart
 *   Offset of the heading.
 * @returns
 *   Whether ATX.
 */
export function isAtx(source: string, headingStart: number): boolean {
  return /^#{1,6}(?:[ \t\n\r]|$)/.test(source.slice(headingStart, headingStart + 8))
}

/**
 * Offset where the line containing `offset` starts.
 *
 * @param source
 *   Text.
 * @param offset
 *   Offset.
 * @returns
 *   Offset after the previous line ending (or `0`).
 */
function lineStartOf(source: string, offset: number): number {
  let index = offset

  while (index > 0) {
    const code = source.charCodeAt(index - 1)
    if (code === 10 /* `\n` */ || code === 13 /* `\r` */) break
    index--
  }

  return index
}

/**
 * Line ending used at the end of the line that contains `offset` (`\n` when
 * there is none).
 *
 * @param source
 *   Text.
 * @param offset
 *   Offset.
 * @returns
 *   `\r\n`, `\r` or `\n`.
 */
function lineEnding(source: string, offset: number): string {
  const match = /\r\n?|\n/.exec(source.slice(offset, offset + 4096))
  return match ? match[0] : '\n'
}

/**
 * Guards that only headings need, where a marker can become nothing.
 *
 * * Setext `{{hi:x}}\n===`: a blank line would end the heading.
 * * `*<<ii:y*{{hi:<}}[>`: without the marker’s `<`, `<ii:y*[>` would be an
 *   autolink; the separator’s `<` keeps it apart.
 *
 * @param source
 *   Text.
 * @param marker
 *   Marker.
 * @param value
 *   Replacement so far.
 * @returns
 *   Replacement.
 */
function guardHeading(source: string, marker: FoundMarker, value: string): string {
  if (marker.context !== 'heading' || marker.headingStart === undefined) return value

  if (
    value === '' &&
    !isAtx(source, marker.headingStart) &&
    /^[\s>*+\-\d.)]*$/.test(source.slice(lineStartOf(source, marker.start), marker.start))
  ) {
    return separator
  }

  if (
    !value.startsWith(separator) &&
    /[<>\s]/.test(source.slice(marker.start, marker.end)) &&
    angleAround(source, marker.start, marker.end)
  ) {
    return separator + value
  }

  return value
}

/**
 * Keep replacements from changing how their neighbours parse.
 *
 * * A new opener: heading `{{{hi:x}}{hi:y}}` would become `{{hi:y}}`, which
 *   indexes when the output is processed again.
 * * A marker starts and ends with punctuation (`{`, `}`); a letter, nothing,
 *   or another character there can change a neighbour: whether `*`, `_`,
 *   `~` open or close (`{{i:a}}_b_`, heading `*a {{hi:x}}*`), or make a new
 *   link, image, tag, entity or code run (heading `[a]{{hi:x}}(u)`,
 *   `!{{hi:x}}[a](u)`).
 *
 * `<em></em>` goes between: punctuation at both ends, renders as nothing,
 * and mdBook drops it from heading ids.
 *
 * @param before
 *   Source just before the first marker.
 * @param values
 *   Replacements of adjacent markers.
 * @param after
 *   Source just after the last marker.
 * @returns
 *   Replacements, with separators where needed.
 */
function guardJoin(before: string, values: string[], after: string): string[] {
  const result = [...values]
  // Pieces with content; `index` is `-1` for `before`, `values.length` for `after`.
  const pieces: Array<{text: string; index: number}> = [{text: before, index: -1}]
  for (const [index, value] of values.entries()) if (value) pieces.push({text: value, index})
  pieces.push({text: after, index: values.length})
  const junctions: number[] = []
  let joined = ''

  for (const [index, piece] of pieces.entries()) {
    joined += piece.text
    if (index < pieces.length - 1) junctions.push(joined.length)
  }

  const flags = junctions.map((_, index) =>
    risky(lastCharacter(pieces[index].text), firstCharacter(pieces[index + 1].text))
  )

  // A new opener: one that crosses a junction.
  for (const match of joined.matchAll(openerExpression)) {
    const start = match.index
    const end = start + match[0].length
    const crossed = junctions.findIndex((d) => start < d && d < end)
    if (crossed !== -1) flags[crossed] = true
  }

  for (const [index, flag] of flags.entries()) {
    if (!flag) continue
    const left = pieces[index].index
    const right = pieces[index + 1].index
    let empty = left + 1
    while (empty < right && result[empty] !== '') empty++

    if (empty < right) {
      result[empty] = separator
    } else if (left >= 0) {
      result[left] += separator
    } else {
      result[right] = separator + result[right]
    }
  }

  return result
}

/**
 * Whether a `<` comes before `start` and a `>` after `end` on the same line.
 *
 * @param source
 *   Text.
 * @param start
 *   Offset.
 * @param end
 *   Offset after.
 * @returns
 *   Whether so.
 */
function angleAround(source: string, start: number, end: number): boolean {
  let index = start - 1
  let before = false

  while (index >= 0 && !before) {
    const code = source.charCodeAt(index)
    if (code === 10 /* `\n` */ || code === 13 /* `\r` */) break
    before = code === 60 /* `<` */
    index--
  }

  if (!before) return false
  index = end

  while (index < source.length) {
    const code = source.charCodeAt(index)
    if (code === 10 /* `\n` */ || code === 13 /* `\r` */) break
    if (code === 62 /* `>` */) return true
    index++
  }

  return false
}

/**
 * Whether character `a` directly followed by `b` (one of them new, `''` for
 * a line edge) may parse differently than with a marker between them.
 *
 * @param a
 *   Character before.
 * @param b
 *   Character after.
 * @returns
 *   Whether a separator is needed.
 */
function risky(a: string, b: string): boolean {
  if (delimiter.test(a) && (!punctuation.test(b) || a === b)) return true
  if (delimiter.test(b) && (!punctuation.test(a) || a === b)) return true
  if (a === ']' && (b === '[' || b === '(')) return true
  if (a === '!' && b === '[') return true
  if (a === '<' && /^[A-Za-z/!?]$/.test(b)) return true
  if (a === '&' && /^[#A-Za-z]$/.test(b)) return true
  return a === '`' && b === '`'
}

/**
 * First code point of a string.
 *
 * @param value
 *   Text.
 * @returns
 *   Character, or `''`.
 */
function firstCharacter(value: string): string {
  const code = value.codePointAt(0)
  return code === undefined ? '' : String.fromCodePoint(code)
}

/**
 * Last code point of a string.
 *
 * @param value
 *   Text.
 * @returns
 *   Character, or `''`.
 */
function lastCharacter(value: string): string {
  if (value === '') return ''
  const low = value.charCodeAt(value.length - 1)
  const pair = low >= 0xdc_00 && low <= 0xdf_ff && value.length > 1
  return value.slice(pair ? -2 : -1)
}
