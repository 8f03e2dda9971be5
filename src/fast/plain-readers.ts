/**
 * Markers and reference problems in plain units, found without a parse.
 *
 * Most units of a book that hold a marker or a reference to check are a
 * paragraph, a list of one-line items or a table of prose, code spans and
 * reference links. Where CommonMark sees text in such a unit can be read off
 * its characters, as long as nothing else is there:
 *
 * * outside code spans, no `<` (HTML, autolinks, `<<…>>` markers), no `\`
 *   (escapes, hard breaks), no `](` (inline link destinations), no `[^`
 *   (footnote calls); no `\r`;
 * * no line that could start or interrupt another block (headings, quotes,
 *   lists, fences, thematic breaks, setext underlines, definitions), no
 *   blank line, no indented first line; a list only as one-line items;
 * * a table only as a header row, a delimiter row with as many cells, and
 *   rows, none indented.
 *
 * Then code spans are found by pairing backtick runs (they bind tighter than
 * anything else left, except a label right after `][`, which CommonMark
 * reads raw: one with a backtick is refused), and brackets by nesting, which
 * gives the pairs CommonMark's delimiter stack gives: each `]` takes the
 * nearest `[` not yet taken, link or not.
 *
 * * A marker outside code and outside every bracket pair, with nothing
 *   between its opener and its closer that could start or end an inline
 *   node, is text, as `findMarkers` finds it in the parsed unit.
 * * When no pair nests (but for `[[wiki]]`) and at most two are adjacent,
 *   which of them are links follows from their labels; with those and the
 *   code masked, the bracket scan of `findReferenceProblems` runs as on the
 *   parsed unit.
 *
 * Whatever falls outside that returns `undefined`, and the unit is parsed.
 * Tests compare both with the parse on generated units, and the fast path
 * with whole-chapter parses on fixture books and the corpus.
 */

import {indented, listItem, mayStartBlock} from '../markdown/block-start.js'
import {
  closeMarker,
  collectAll,
  collectOpeners,
  lowerBoundOpener,
  termProblem,
  type Marks
} from '../markdown/marker-extent.js'
import {droppedReason, type FoundMarker, type MarkerProblem} from '../markdown/markers.js'
import type {Range} from '../markdown/definitions.js'
import {normalizeLabel, type RefOptions} from '../markdown/labels.js'
import {findReferenceProblemsIn, type RefProblem} from '../markdown/reference-scan.js'
import {codeSpans} from '../markdown/terms.js'

/** Markers and problems of a unit, offsets in the unit. */
export interface PlainMarkers {
  markers: FoundMarker[]
  problems: MarkerProblem[]
}

/** A stretch parsed as one inline context: a paragraph or a table cell. */
interface Context {
  start: number
  end: number
  /** Reason markers here are dropped (a cell beyond the header’s count). */
  dropped: string | undefined
}

/** Characters that make a unit more than plain. */
const refused = /\r/

/**
 * Outside code, what makes an inline context more than plain, and `][`,
 * after which a label is read raw.
 */
const refusedInline = /[<\\]|\]\(|\[\^|\]\[/g

/** A line that could be a delimiter row, a setext underline or `---`. */
const delimiterLike = /^[ \t|:-]*-[ \t|:-]*$/

/** A cell of a delimiter row. */
const delimiterCell = /^[ \t]*:?-+:?[ \t]*$/

/** A GFM task list item’s checkbox. */
const taskItem = /^\[[ xX]\](?:[ \t]|$)/

/**
 * Find the markers of a unit without parsing it, when it is plain.
 *
 * @param text
 *   Unit (starts where every block is closed).
 * @returns
 *   Markers and problems, or `undefined` when the unit must be parsed.
 */
export function findPlainMarkers(text: string): PlainMarkers | undefined {
  const contexts = plainContexts(text)
  return contexts ? judgeAll(text, contexts) : undefined
}

/**
 * Find the reference problems of a unit without parsing it, when it is plain
 * and its brackets are simple: single `[label]`, `[text][label]`,
 * `[label][]` (links when their label is defined) and `[[wiki | links]]`
 * whose inner label is not defined. Others, footnote calls among them, are
 * left to the parse.
 *
 * @param text
 *   Unit (starts where every block is closed).
 * @param isDefined
 *   Whether an identifier is defined in the chapter.
 * @param options
 *   Families and suggestion candidates, as for `findReferenceProblems`.
 * @returns
 *   Problems (offsets in the unit), or `undefined` when the unit must be
 *   parsed.
 */
export function findPlainReferenceProblems(
  text: string,
  isDefined: (identifier: string) => boolean,
  options: Readonly<RefOptions>
): RefProblem[] | undefined {
  const contexts = plainContexts(text)
  if (!contexts) return undefined
  const ranges: Array<Range & {masks: Range[]}> = []

  for (const context of contexts) {
    const code = plainCode(text, context)
    if (!code) return undefined
    const links = linkRanges(text, context, code, isDefined)
    if (!links) return undefined
    ranges.push({start: context.start, end: context.end, masks: merge(code, links)})
  }

  return findReferenceProblemsIn(text, ranges, isDefined, options)
}

/**
 * The inline contexts of a plain unit: its paragraph, the text of each of
 * its one-line list items, or the cells of its table.
 *
 * @param text
 *   Unit.
 * @returns
 *   Contexts in order, or `undefined` when the unit is not plain.
 */
function plainContexts(text: string): Context[] | undefined {
  if (refused.test(text)) return undefined
  const lines = lineRanges(text)
  if (lines.length === 0) return undefined
  const first = text.slice(lines[0][0], lines[0][1])
  if (indented(first)) return undefined
  // A definition can run over lines: `[a\nb]: /u`.
  if (/^ {0,3}\[/.test(first) && text.includes(']:')) return undefined

  const contexts: Context[] = []

  if (lines.every(([start, end]) => itemContent(text.slice(start, end)) > 0)) {
    // A list of one-line items: each item's text is a paragraph.
    for (const [start, end] of lines) {
      const line = text.slice(start, end)
      const from = start + itemContent(line)
      const content = text.slice(from, end)

      if (
        // `- - -`, `* * *`: thematic breaks; `- # a`, `- > a`: other blocks.
        delimiterLike.test(line) ||
        mayStartBlock(content) ||
        taskItem.test(content) ||
        (content.charCodeAt(0) === 91 /* `[` */ && content.includes(']:'))
      ) {
        return undefined
      }

      contexts.push({start: from, end, dropped: undefined})
    }

    return contexts
  }

  for (const [start, end] of lines) {
    const line = text.slice(start, end)
    if (/^[ \t]*$/.test(line) || mayStartBlock(line)) return undefined
  }

  // In a table, `\|` is a pipe in a cell, even in code.
  const columns = lines.length > 1 && !text.includes('\\') ? tableColumns(text, lines) : 0

  if (columns === 0) {
    for (const [start, end] of lines) if (delimiterLike.test(text.slice(start, end))) return undefined
    contexts.push({start: 0, end: text.length, dropped: undefined})
    return contexts
  }

  for (const [index, [start, end]] of lines.entries()) {
    if (index === 1) continue
    const line = text.slice(start, end)
    if (index > 1 && (indented(line) || delimiterLike.test(line))) return undefined

    for (const [cell, range] of cellRanges(text, start, end).entries()) {
      contexts.push({
        start: range[0],
        end: range[1],
        dropped: cell < columns ? undefined : droppedReason(cell, columns)
      })
    }
  }

  return contexts
}

/**
 * Where the text of a list item on one line starts: a marker at column 0,
 * one space, then text (`- a`, `1. a`).
 *
 * @param line
 *   Line.
 * @returns
 *   Offset of its text, `0` when the line is no such item.
 */
function itemContent(line: string): number {
  const item = listItem(line, 0, 0)
  if (!item || item.empty) return 0
  const after = item.contentIndex - 1
  const code = line.charCodeAt(item.contentIndex)
  return line.charCodeAt(after) === 32 && !isSpace(code) && !isSpace(line.charCodeAt(after - 1))
    ? item.contentIndex
    : 0
}

/**
 * Find markers in inline contexts.
 *
 * @param text
 *   Unit.
 * @param contexts
 *   Paragraphs or cells, in order.
 * @returns
 *   Markers and problems, or `undefined` when one could not be judged.
 */
function judgeAll(text: string, contexts: Context[]): PlainMarkers | undefined {
  const result: PlainMarkers = {markers: [], problems: []}
  const openers = collectOpeners(text, text.length)
  // Most units have no opener: no closers to collect.
  if (openers.length === 0) return result
  const marks: Marks = {
    source: text,
    openers,
    braceClosers: collectAll(text, '}}', text.length),
    angleClosers: collectAll(text, '>>', text.length)
  }

  for (const context of contexts) {
    if (!judge(marks, context, result)) return undefined
  }

  return result
}

/**
 * Find markers in one inline context; `closeMarker` judges each opener, as
 * for the parse, with every closer outside code in the same text.
 *
 * @param marks
 *   Openers and closers of the unit.
 * @param context
 *   Paragraph or cell.
 * @param result
 *   Result to add to.
 * @returns
 *   Whether every opener could be judged.
 */
function judge(marks: Marks, context: Context, result: PlainMarkers): boolean {
  const {source: text, openers} = marks
  const {start, end} = context
  let index = lowerBoundOpener(openers, start)
  if (index === openers.length || openers[index].start >= end) return true

  const code = plainCode(text, context)
  if (!code) return false
  const brackets = bracketPairs(text, start, end, code)
  let resume = start

  for (; index < openers.length && openers[index].start < end; index++) {
    const opener = openers[index]
    // Inside the marker before; in code: not text, as written.
    if (opener.start < resume || within(code, opener.start)) continue
    if (within(brackets, opener.start)) return false
    let lineEnd = text.indexOf('\n', opener.end)
    if (lineEnd === -1 || lineEnd > end) lineEnd = end
    const closing = closeMarker(marks, index, lineEnd, (closer) => !within(code, closer))
    // Unterminated and nested markers are left to the parse.
    if (closing.type !== 'closed') return false
    const {closer} = closing
    if (termProblem(text, opener, closer) || !plainTerm(text, opener.end, closer)) return false
    resume = closer + 2

    if (context.dropped) {
      result.problems.push({ruleId: 'marker-dropped', reason: context.dropped, start: opener.start, end: closer + 2})
    } else {
      result.markers.push({
        kind: opener.kind,
        form: opener.form,
        term: text.slice(opener.end, closer),
        start: opener.start,
        end: closer + 2,
        escaped: false,
        context: 'text'
      })
    }
  }

  return true
}

/**
 * Code spans of a plain inline context, or `undefined` when the context is
 * not plain: outside code, `<` (HTML, autolinks), `\` (escapes), `](`
 * (inline links) and `[^` (footnote calls) are left to the parse, and so is
 * a backtick in a label right after `][`, which CommonMark reads raw before
 * code spans (`[a][b`c]`).
 *
 * @param text
 *   Unit.
 * @param context
 *   Paragraph or cell.
 * @returns
 *   Code spans, or `undefined`.
 */
function plainCode(text: string, context: Context): Array<[number, number]> | undefined {
  const {start, end} = context
  const code = codeSpans(text.slice(start, end)).map((d): [number, number] => [d.start + start, d.end + start])
  refusedInline.lastIndex = start
  let other = refusedInline.exec(text)

  while (other && other.index < end) {
    if (!within(code, other.index)) {
      if (other[0] !== '][') return undefined

      for (let index = other.index + 2; index < end; index++) {
        const character = text.charCodeAt(index)
        if (character === 91 /* `[` */ || character === 93 /* `]` */) break
        if (character === 96 /* `` ` `` */) return undefined
      }
    }

    refusedInline.lastIndex = other.index + 1
    other = refusedInline.exec(text)
  }

  return code
}

/**
 * Ranges of the links, references and images of a plain inline context, when
 * its brackets are simple enough to resolve by their labels.
 *
 * @param text
 *   Unit.
 * @param context
 *   Paragraph or cell.
 * @param code
 *   Its code spans.
 * @param isDefined
 *   Whether an identifier is defined.
 * @returns
 *   Ranges, or `undefined` when the parse must decide.
 */
function linkRanges(
  text: string,
  context: Context,
  code: Array<[number, number]>,
  isDefined: (identifier: string) => boolean
): Array<[number, number]> | undefined {
  const pairs = bracketPairs(text, context.start, context.end, code).sort((a, b) => a[0] - b[0])
  /** Top-level pairs, each with whether it holds exactly one pair right inside (`[[a]]`). */
  const top: Array<{pair: [number, number]; wiki: boolean}> = []
  let index = 0

  while (index < pairs.length) {
    const pair = pairs[index]
    let inside = index + 1
    while (inside < pairs.length && pairs[inside][0] < pair[1]) inside++
    const count = inside - index - 1
    const wiki = count === 1 && pairs[index + 1][0] === pair[0] + 1 && pairs[index + 1][1] === pair[1] - 1
    if (count > 0 && !wiki) return undefined
    top.push({pair, wiki})
    index = inside
  }

  const links: Array<[number, number]> = []
  index = 0

  while (index < top.length) {
    let last = index
    while (last + 1 < top.length && top[last + 1].pair[0] === top[last].pair[1]) last++
    const [open, end] = top[index].pair
    const from = open > context.start && text.charCodeAt(open - 1) === 33 /* `!` */ ? open - 1 : open
    const label = (pair: [number, number]) => text.slice(pair[0] + 1, pair[1] - 1)

    if (last === index) {
      const content = label(top[index].pair)
      if (content.length > 999) return undefined

      if (top[index].wiki) {
        // `[[a]]`: text, unless `[a]` is a link.
        if (from !== open || isDefined(normalizeLabel(label([open + 1, end - 1])))) return undefined
      } else if (isDefined(normalizeLabel(content))) {
        links.push([from, end])
      }
    } else if (last === index + 1 && !top[index].wiki && !top[last].wiki) {
      const first = label(top[index].pair)
      const target = label(top[last].pair)
      if (first.length > 999 || target.length > 999) return undefined
      // `[a][]`: collapsed; `[a][ ]`: no label, and no shortcut either.
      const identifier = normalizeLabel(target === '' ? first : target)
      if (target !== '' && identifier === '') return undefined
      if (isDefined(identifier)) links.push([from, top[last].pair[1]])
    } else {
      return undefined
    }

    index = last + 1
  }

  return links
}

/**
 * Merge two sorted lists of ranges into one sorted list.
 *
 * @param a
 *   Ranges.
 * @param b
 *   Other ranges.
 * @returns
 *   Ranges by start.
 */
function merge(a: Array<[number, number]>, b: Array<[number, number]>): Range[] {
  return [...a, ...b].sort((x, y) => x[0] - y[0]).map(([start, end]) => ({start, end}))
}

/**
 * Whether a term is one text node: nothing in it can open or close an inline
 * node or another marker (`_` only inside a word, where it cannot).
 *
 * @param text
 *   Unit.
 * @param start
 *   Start of the term.
 * @param end
 *   End of the term.
 * @returns
 *   Whether it is plain.
 */
function plainTerm(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index)

    if (
      code === 96 /* `` ` `` */ ||
      code === 91 /* `[` */ ||
      code === 93 /* `]` */ ||
      code === 42 /* `*` */ ||
      code === 126 /* `~` */ ||
      code === 124 /* `|` */ ||
      (code === 123 /* `{` */ && text.charCodeAt(index + 1) === 123) ||
      (code === 95 /* `_` */ && !(alphanumeric(text.charCodeAt(index - 1)) && alphanumeric(text.charCodeAt(index + 1))))
    ) {
      return false
    }
  }

  return true
}

/**
 * Whether a character is an ASCII letter or digit.
 *
 * @param code
 *   Character code.
 * @returns
 *   Whether it is.
 */
function alphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}

/**
 * Bracket pairs of an inline context, outside code.
 *
 * @param text
 *   Unit.
 * @param start
 *   Start of the context.
 * @param end
 *   End of the context.
 * @param code
 *   Code spans.
 * @returns
 *   Pairs `[open, close + 1)`.
 */
function bracketPairs(
  text: string,
  start: number,
  end: number,
  code: Array<[number, number]>
): Array<[number, number]> {
  const pairs: Array<[number, number]> = []
  const stack: number[] = []
  let span = 0

  for (let index = start; index < end; index++) {
    const character = text.charCodeAt(index)
    if (character !== 91 /* `[` */ && character !== 93 /* `]` */) continue
    while (span < code.length && code[span][1] <= index) span++
    if (span < code.length && code[span][0] <= index) continue

    if (character === 91) {
      stack.push(index)
    } else if (stack.length > 0) {
      pairs.push([stack.pop()!, index + 1])
    }
  }

  return pairs
}

/**
 * Whether an offset is inside one of some ranges.
 *
 * @param ranges
 *   Ranges `[start, end)`.
 * @param offset
 *   Offset.
 * @returns
 *   Whether it is.
 */
function within(ranges: Array<[number, number]>, offset: number): boolean {
  for (const [start, end] of ranges) if (start <= offset && offset < end) return true
  return false
}

/**
 * Lines of a unit, without their line endings; no last empty line.
 *
 * @param text
 *   Unit.
 * @returns
 *   Ranges `[start, end)`.
 */
function lineRanges(text: string): Array<[number, number]> {
  const lines: Array<[number, number]> = []
  let start = 0

  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    lines.push([start, end])
    start = end + 1
  }

  return lines
}

/**
 * Columns of a table that starts the unit: header cells, when the second
 * line is a delimiter row with as many cells and both have a `|`.
 *
 * @param text
 *   Unit.
 * @param lines
 *   Its lines (two or more).
 * @returns
 *   Columns, `0` when the unit does not start with a table.
 */
function tableColumns(text: string, lines: Array<[number, number]>): number {
  const [headStart, headEnd] = lines[0]
  const [rowStart, rowEnd] = lines[1]
  if (!text.slice(headStart, headEnd).includes('|') || !text.slice(rowStart, rowEnd).includes('|')) return 0
  const head = cellRanges(text, headStart, headEnd)
  const delimiter = cellRanges(text, rowStart, rowEnd)
  if (head.length !== delimiter.length) return 0
  // `|` alone is no header row (`| |` is, but is left to the parse).
  if (!head.some(([start, end]) => /[^ \t]/.test(text.slice(start, end)))) return 0

  for (const [start, end] of delimiter) {
    if (!delimiterCell.test(text.slice(start, end))) return 0
  }

  return head.length
}

/**
 * Cells of a table row: split at every `|` (in code too, as GFM does), after
 * dropping one leading and one trailing `|`.
 *
 * @param text
 *   Unit.
 * @param start
 *   Start of the line.
 * @param end
 *   End of the line.
 * @returns
 *   Cell ranges.
 */
function cellRanges(text: string, start: number, end: number): Array<[number, number]> {
  let from = start
  let to = end
  while (from < to && isSpace(text.charCodeAt(from))) from++
  while (to > from && isSpace(text.charCodeAt(to - 1))) to--
  if (text.charCodeAt(from) === 124 /* `|` */ && from < to) from++
  if (to > from && text.charCodeAt(to - 1) === 124) to--
  const cells: Array<[number, number]> = []
  let cell = from

  for (let index = from; index < to; index++) {
    if (text.charCodeAt(index) === 124) {
      cells.push([cell, index])
      cell = index + 1
    }
  }

  cells.push([cell, to])
  return cells
}

/**
 * Whether a character is a space or tab.
 *
 * @param code
 *   Character code.
 * @returns
 *   Whether it is.
 */
function isSpace(code: number): boolean {
  return code === 32 || code === 9
}
