/**
 * The extent of an index marker: where `{{hi:…}}` (or `<<hi:…>>`) closes,
 * whether another opener nests inside it first, and whether its term is
 * empty.
 *
 * One judge for both readers: `findMarkers` (on a parsed tree) and the plain
 * reader of the fast path (on units it reads without a parse). Each says
 * which closers stand in the same text as the opener; the judge does the
 * rest.
 */

/** Kind of marker: `hi` (hidden), `i` (visible), `ii` (visible, italic in the index). */
export type MarkerKind = 'hi' | 'i' | 'ii'

/** Marker syntax: `{{…}}` or `<<…>>`. */
export type MarkerForm = 'brace' | 'angle'

/** An opener in the source, such as `{{hi:` at 10–15. */
export interface Opener {
  /** Offset of `{{` or `<<`. */
  start: number
  /** Offset after `:`. */
  end: number
  /** Kind. */
  kind: MarkerKind
  /** Syntax. */
  form: MarkerForm
}

/** Openers and closers of a text, collected once and read by `closeMarker`. */
export interface Marks {
  /** Text. */
  source: string
  /** Every opener in `source` (before a limit), sorted. */
  openers: Opener[]
  /** Offsets of every `}}` (overlapping: `}}}` gives two). */
  braceClosers: number[]
  /** Offsets of every `>>`. */
  angleClosers: number[]
}

/** Outcome of looking for a closer. */
export type Closing =
  | {type: 'closed'; closer: number}
  | {type: 'nested'; inner: Opener; end: number}
  | {type: 'unterminated'; inner?: Inner}

/** A `{{` in the term of a brace marker (`{{hi:{{#include }}}}`). */
export interface Inner {
  /** Offset of the first `{{` in the term. */
  start: number
}

/** Every opener: `{{hi:`, `{{i:`, `{{ii:`, `<<hi:`, `<<i:`, `<<ii:`. */
export const openerExpression = /(?:\{\{|<<)(?:hi|ii|i):/g

/** Closer and escaped opener (`\{{` → `&#123;{`) per form. */
export const syntax = {
  brace: {close: '}}', escape: '&#123;{'},
  angle: {close: '>>', escape: '&lt;<'}
} as const

/**
 * Collect every opener before `limit`.
 *
 * @param source
 *   Text.
 * @param limit
 *   Offset to stop at.
 * @returns
 *   Openers, sorted.
 */
export function collectOpeners(source: string, limit: number): Opener[] {
  const openers: Opener[] = []
  const expression = new RegExp(openerExpression.source, 'g')
  let match: RegExpExecArray | null

  while ((match = expression.exec(source)) && match.index < limit) {
    const text = match[0]
    openers.push({
      start: match.index,
      end: match.index + text.length,
      kind: text.slice(2, -1) as MarkerKind,
      form: text.charCodeAt(0) === 123 /* `{` */ ? 'brace' : 'angle'
    })
  }

  return openers
}

/**
 * Collect every (overlapping) offset of a two-character string before `limit`.
 *
 * @param source
 *   Text.
 * @param value
 *   `}}` or `>>`.
 * @param limit
 *   Offset to stop at.
 * @returns
 *   Offsets, sorted.
 */
export function collectAll(source: string, value: string, limit: number): number[] {
  const result: number[] = []
  let index = source.indexOf(value)

  while (index !== -1 && index < limit) {
    result.push(index)
    index = source.indexOf(value, index + 1)
  }

  return result
}

/**
 * Collect offsets of line ending characters (`\n`, `\r`) before `limit`.
 *
 * @param source
 *   Text.
 * @param limit
 *   Offset to stop at.
 * @returns
 *   Offsets, sorted.
 */
export function collectBreaks(source: string, limit: number): number[] {
  const result: number[] = []
  const expression = /[\n\r]/g
  let match: RegExpExecArray | null

  while ((match = expression.exec(source)) && match.index < limit) result.push(match.index)

  return result
}

/**
 * Judge an opener: the first `}}` (or `>>`) before `lineEnd` that is not
 * escaped (`\}}`) and that `accept` takes closes it, unless another opener
 * comes first.
 *
 * `{{hi:`a}}`}}`: the first `}}` is code, the second closes.
 * `*{{hi:a*}}`: the only `}}` is outside the emphasis: unterminated.
 * `{{hi:{{i:x}}}}`: another opener comes first: nested.
 *
 * @param marks
 *   Openers and closers.
 * @param index
 *   Index of the opener in `marks.openers`.
 * @param lineEnd
 *   Offset of the end of the line (or of the text the opener is in).
 * @param accept
 *   Whether a closer at an offset is in the same text as the opener.
 * @returns
 *   Outcome.
 */
export function closeMarker(
  marks: Marks,
  index: number,
  lineEnd: number,
  accept: (closer: number) => boolean
): Closing {
  const {source} = marks
  const opener = marks.openers[index]
  const closers = opener.form === 'brace' ? marks.braceClosers : marks.angleClosers
  let closer = -1

  for (let at = lowerBound(closers, opener.end); at < closers.length; at++) {
    const candidate = closers[at]
    if (candidate + 2 > lineEnd) break
    if (isEscaped(source, candidate, opener.end)) continue

    if (accept(candidate)) {
      closer = candidate
      break
    }
  }

  if (closer === -1) return {type: 'unterminated'}

  // A `{{` in the term takes its own `}}` (`{{hi:{{#include }}}}`).
  if (opener.form === 'brace') {
    const inner = innerOpen(marks, opener.end, closer, accept)

    if (inner !== -1) {
      const balanced = balance(marks, inner, lineEnd, accept)
      if (balanced.type === 'unterminated') return balanced
      closer = balanced.closer
    }
  }

  const next = marks.openers[index + 1]

  if (next && next.start < closer) {
    // At least through the closer, so that no opener inside is rewritten
    // (`{{hi:>>\{{hi:x}}`) and a second run sees the same nest.
    return {type: 'nested', inner: next, end: Math.max(closer + 2, nestedEnd(marks, opener, index, lineEnd))}
  }

  return {type: 'closed', closer}
}

/**
 * Offset of the first `{{` in `from`–`to` that is text (`accept`), not
 * escaped, and not an opener (unless `openerToo`), or `-1`.
 *
 * @param marks
 *   Openers and closers.
 * @param from
 *   Offset to start at.
 * @param to
 *   Offset to stop before.
 * @param accept
 *   Whether an offset is in the same text as the opener.
 * @param openerToo
 *   Whether an opener counts (default: `false`).
 * @returns
 *   Offset or `-1`.
 */
function innerOpen(
  marks: Marks,
  from: number,
  to: number,
  accept: (offset: number) => boolean,
  openerToo = false
): number {
  const {source, openers} = marks

  for (let index = from; index + 1 < to; index++) {
    if (source.charCodeAt(index) !== 123 /* `{` */ || source.charCodeAt(index + 1) !== 123) continue
    if (isEscaped(source, index, from) || !accept(index)) continue
    if (openerToo) return index
    const at = lowerBoundOpener(openers, index)
    if (at < openers.length && openers[at].start === index) continue
    return index
  }

  return -1
}

/**
 * Walk a term from its first inner `{{`, each `{{` taking its own `}}`, to the
 * `}}` that closes the marker.
 *
 * @param marks
 *   Openers and closers.
 * @param start
 *   Offset of the first inner `{{`.
 * @param lineEnd
 *   Offset of the end of the line (or container).
 * @param accept
 *   Whether an offset is in the same text as the opener.
 * @returns
 *   Outcome.
 */
function balance(
  marks: Marks,
  start: number,
  lineEnd: number,
  accept: (offset: number) => boolean
): {type: 'closed'; closer: number} | {type: 'unterminated'; inner: Inner} {
  const {source, braceClosers} = marks
  const inner: Inner = {start}
  let depth = 1
  let position = start + 2
  let at = lowerBound(braceClosers, position)

  while (true) {
    while (at < braceClosers.length && braceClosers[at] < position) at++
    let closer = -1

    for (; at < braceClosers.length && braceClosers[at] + 2 <= lineEnd; at++) {
      const candidate = braceClosers[at]
      if (!isEscaped(source, candidate, start) && accept(candidate)) {
        closer = candidate
        break
      }
    }

    if (closer === -1) return {type: 'unterminated', inner}
    // A later opener takes a `}}` too, so that its own marker can close.
    const open = innerOpen(marks, position, closer, accept, true)

    if (open !== -1) {
      depth++
      position = open + 2
    } else if (depth === 0) {
      return {type: 'closed', closer}
    } else {
      depth--
      position = closer + 2
    }
  }
}

/**
 * Reason why the term of a closed marker is not indexed: it is empty
 * (`{{hi: }}`).
 *
 * @param source
 *   Text.
 * @param opener
 *   Opener.
 * @param closer
 *   Offset of its closer.
 * @returns
 *   Reason (“Unexpected empty term …”), or `undefined` when the term is fine.
 */
export function termProblem(source: string, opener: Opener, closer: number): string | undefined {
  if (source.slice(opener.end, closer).trim() !== '') return undefined
  const open = source.slice(opener.start, opener.end)
  const close = syntax[opener.form].close
  return (
    'Unexpected empty term in `' +
    source.slice(opener.start, closer + 2) +
    '`, expected a term such as `' +
    open +
    'tokio' +
    close +
    '`'
  )
}

/**
 * End of a nested problem: where openers and closers balance again, or the
 * last closer on the line (`{{hi:{{i:x}}}}` → after the last `}}`).
 *
 * @param marks
 *   Openers and closers.
 * @param opener
 *   Outer opener.
 * @param index
 *   Its index in `marks.openers`.
 * @param lineEnd
 *   Offset of the end of the line (or container).
 * @returns
 *   Offset after the problem.
 */
function nestedEnd(marks: Marks, opener: Opener, index: number, lineEnd: number): number {
  const {openers, braceClosers, angleClosers} = marks
  let nextOpener = index + 1
  let brace = lowerBound(braceClosers, opener.end)
  let angle = lowerBound(angleClosers, opener.end)
  let position = opener.end
  let depth = 1
  let end = opener.end

  while (depth > 0) {
    while (brace < braceClosers.length && braceClosers[brace] < position) brace++
    while (angle < angleClosers.length && angleClosers[angle] < position) angle++
    const o = nextOpener < openers.length ? openers[nextOpener].start : Infinity
    const b = brace < braceClosers.length ? braceClosers[brace] : Infinity
    const a = angle < angleClosers.length ? angleClosers[angle] : Infinity
    const first = Math.min(o, b, a)
    if (first === Infinity || first + 2 > lineEnd) break

    if (first === o) {
      depth++
      position = openers[nextOpener].end
      nextOpener++
    } else {
      depth--
      position = first + 2
      end = position
    }
  }

  return end
}

/**
 * Whether the character at `offset` is escaped by an odd run of backslashes
 * that starts at or after `from` (`\{{` yes, `\\{{` no).
 *
 * @param source
 *   Text.
 * @param offset
 *   Offset of the character.
 * @param from
 *   Offset before which backslashes do not count.
 * @returns
 *   Whether escaped.
 */
export function isEscaped(source: string, offset: number, from: number): boolean {
  let count = 0
  let index = offset - 1

  while (index >= from && source.charCodeAt(index) === 92 /* `\` */) {
    count++
    index--
  }

  return count % 2 === 1
}

/**
 * Index of the first value `>= offset` in a sorted list.
 *
 * @param values
 *   Sorted offsets.
 * @param offset
 *   Offset.
 * @returns
 *   Index (`values.length` if none).
 */
export function lowerBound(values: number[], offset: number): number {
  let low = 0
  let high = values.length

  while (low < high) {
    const middle = (low + high) >> 1
    if (values[middle] < offset) low = middle + 1
    else high = middle
  }

  return low
}

/**
 * Index of the first opener starting at or after `offset`.
 *
 * @param openers
 *   Sorted openers.
 * @param offset
 *   Offset.
 * @returns
 *   Index (`openers.length` if none).
 */
export function lowerBoundOpener(openers: Opener[], offset: number): number {
  let low = 0
  let high = openers.length

  while (low < high) {
    const middle = (low + high) >> 1
    if (openers[middle].start < offset) low = middle + 1
    else high = middle
  }

  return low
}

/**
 * Offset of the first line ending character at or after `offset`.
 *
 * @param breaks
 *   Sorted offsets of `\n` and `\r`.
 * @param offset
 *   Offset.
 * @returns
 *   Offset, or `Infinity`.
 */
export function nextBreak(breaks: number[], offset: number): number {
  const index = lowerBound(breaks, offset)
  return index < breaks.length ? breaks[index] : Infinity
}
