/**
 * Index markers: find `{{hi:term}}`, `{{i:term}}`, `{{ii:term}}` (and the
 * angle forms `<<hi:term>>`, `<<i:term>>`, `<<ii:term>>`) where CommonMark
 * sees text. `marker-extent.ts` judges each opener, `marker-rewrite.ts`
 * turns markers into anchors.
 *
 * * `{{i:term}}`, `{{ii:term}}`: the term stays visible and is indexed
 *   (`ii`: shown in italics in the index).
 * * `{{hi:term}}`: hidden, indexed only.
 * * `\{{hi:term}}`, `\<<hi:term>>`: literal text.
 *
 * The author’s Markdown is never re-serialised: the tree only tells where
 * text is; the source string is edited by UTF-16 offsets.
 */

import type {Nodes, Parents, Root} from 'mdast'
import {lastStartingAtOrBefore} from '../util/search.js'
import type {RuleLevels} from '../diagnostics/rules.js'
import {
  closeMarker,
  collectAll,
  collectBreaks,
  collectOpeners,
  isEscaped,
  lowerBoundOpener,
  nextBreak,
  syntax,
  termProblem,
  type Closing,
  type MarkerForm,
  type MarkerKind,
  type Marks,
  type Opener
} from './marker-extent.js'

export type {MarkerForm, MarkerKind} from './marker-extent.js'

/** A marker found in text. */
export interface FoundMarker {
  /** Kind. */
  kind: MarkerKind
  /** Syntax: `{{…}}` or `<<…>>`. */
  form: MarkerForm
  /** Raw source between `:` and the closer, such as `async!tokio` or “`` `Vec` ``”. */
  term: string
  /** Offset (UTF-16) of the whole marker, including a leading `\` escape. */
  start: number
  /** Offset (UTF-16) after the closer (after the opener when an escaped one has no closer). */
  end: number
  /** Whether the marker is escaped (`\{{hi:x}}`): literal text, not indexed. */
  escaped: boolean
  /** Where the marker stands. */
  context: 'text' | 'heading'
  /** Offset where the heading block starts, for context `heading`. */
  headingStart?: number
}

/** A marker-like text that is not indexed; its text is left exactly as written. */
export interface MarkerProblem {
  /** Rule. */
  ruleId: 'marker-empty' | 'marker-unterminated' | 'marker-nested' | 'marker-dropped'
  /** Reason: “Unexpected …, expected …”. */
  reason: string
  /** Offset of the problem. */
  start: number
  /** Offset after the problem. */
  end: number
}

/** One index entry: a marker with its anchor. */
export interface IndexEntry {
  /** Term as written. */
  term: string
  /** Kind. */
  kind: MarkerKind
  /** Anchor id, such as `xref-async-tokio-1`. */
  id: string
  /** Chapter path (`path` of the mdBook chapter), `null` for drafts. */
  chapter: string | null
  /** Chapter name. */
  chapterName: string
  /** Offset of the marker in the chapter content. */
  offset: number
  /** Line (1-indexed) in the chapter content. */
  line: number
  /** Column (1-indexed) in the chapter content. */
  column: number
  /** Plain text of the heading whose section holds the marker (the nearest heading before it, or the heading it is in), if any. */
  section?: string | undefined
  /** Id mdBook gives that heading, if any. */
  sectionId?: string | undefined
}

/** Configuration. */
export interface MarkerOptions {
  /** Whether markers in raw HTML blocks count (default: `false`). */
  html?: boolean | null | undefined
  /** Offset at and after which nodes are ignored, such as stand-in definitions appended to a segment (default: none). */
  limit?: number | null | undefined
  /** Rule levels, used by `remarkXrefMarkers` when reporting (default: each rule’s own). */
  levels?: RuleLevels | null | undefined
}

/** A stretch of source that CommonMark sees as text, with the node it belongs to. */
interface TextRange {
  start: number
  end: number
  parent: Parents
  /** Reason why markers here are dropped (extra table cell, reference label). */
  dropped: string | undefined
  /** Whether this is an autolink `<hi:…>` that may be the middle of `<<hi:…>>`. */
  autolink: boolean
}

/** A block whose text is searched: paragraph, heading, table cell, HTML block. */
interface Container {
  start: number
  end: number
  ranges: TextRange[]
  /** Autolinks merged into `ranges` for `<<hi:…>>`: their insides are URLs, not text. */
  autolinks: Array<[number, number]>
  context: 'text' | 'heading'
  headingStart: number | undefined
}

/** State shared by the finder’s small functions. */
interface State extends Marks {
  limit: number
  html: boolean
  /** Offsets of every `\n` and `\r`. */
  breaks: number[]
  /** Parent and line end for which no closer exists after `from`: saves rescans. */
  noCloser: {parent: Parents; from: number; to: number; form: MarkerForm} | undefined
  markers: FoundMarker[]
  problems: MarkerProblem[]
}

/** Defaults: every field off. */
const emptyOptions: Readonly<MarkerOptions> = {}

/** Label text of a shortcut or collapsed reference: rewriting it would break the reference. */
const labelReason =
  'Unexpected marker in the label of a shortcut or collapsed reference, expected it outside `[…]` or a full reference `[text][label]`'

/**
 * Find markers in a parsed (part of a) chapter; pure, no ids.
 *
 * @param tree
 *   Tree parsed from `source` (with positions).
 * @param source
 *   Markdown that `tree` was parsed from.
 * @param options
 *   Configuration (optional).
 * @returns
 *   Markers and problems, in source order.
 */
export function findMarkers(
  tree: Root,
  source: string,
  options?: Readonly<MarkerOptions> | null | undefined
): {markers: FoundMarker[]; problems: MarkerProblem[]} {
  const settings = options || emptyOptions
  const limit =
    typeof settings.limit === 'number' ? Math.min(settings.limit, source.length) : source.length
  const state: State = {
    source,
    limit,
    html: settings.html === true,
    openers: collectOpeners(source, limit),
    braceClosers: [],
    angleClosers: [],
    breaks: [],
    noCloser: undefined,
    markers: [],
    problems: []
  }

  // Most segments have no opener at all: skip the walk.
  if (state.openers.length === 0) return {markers: [], problems: []}

  state.braceClosers = collectAll(source, '}}', limit)
  state.angleClosers = collectAll(source, '>>', limit)
  state.breaks = collectBreaks(source, limit)
  walkBlocks(state, tree)
  state.problems.sort((a, b) => a.start - b.start)
  return {markers: state.markers, problems: state.problems}
}

/**
 * Walk block nodes and search each text container that holds an opener.
 *
 * @param state
 *   State.
 * @param tree
 *   Tree (or block node) to walk.
 * @returns
 *   Nothing.
 */
function walkBlocks(state: State, tree: Nodes): undefined {
  // An explicit stack, in document order: containers can nest thousands
  // deep (`- - - … {{hi:x}}`, `>>>> …`), deeper than the call stack.
  const stack: Nodes[] = [tree]

  while (stack.length > 0) {
    const node = stack.pop()!
    const start = node.position?.start.offset
    const end = node.position?.end.offset
    // Skip quietly when a node has no position, or starts in appended stand-ins.
    if (start === undefined || end === undefined || start >= state.limit) continue
    if (!hasOpener(state, start, end)) continue

    switch (node.type) {
      case 'paragraph': {
        search(state, container(state, node, start, end, 'text', undefined, undefined))
        break
      }

      case 'heading': {
        search(state, container(state, node, start, end, 'heading', start, undefined))
        break
      }

      case 'table': {
        walkTable(state, node)
        break
      }

      case 'html': {
        // Block HTML (inline HTML is never visited: phrasing is not walked here).
        if (state.html) {
          search(state, {
            start,
            end,
            ranges: [{start, end, parent: node as unknown as Parents, dropped: undefined, autolink: false}],
            autolinks: [],
            context: 'text',
            headingStart: undefined
          })
        }

        break
      }

      case 'root':
      case 'blockquote':
      case 'list':
      case 'listItem':
      case 'footnoteDefinition': {
        for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index])
        break
      }

      default:
      // Code, definitions, thematic breaks: no text.
    }
  }
}

/**
 * Search the cells of a table; cells beyond the header’s count are dropped
 * by pulldown-cmark (`| a |` over `| 1 | 2 |`: `2` never renders).
 *
 * @param state
 *   State.
 * @param table
 *   Table.
 * @returns
 *   Nothing.
 */
function walkTable(state: State, table: Extract<Nodes, {type: 'table'}>): undefined {
  const columns = table.children[0] ? table.children[0].children.length : 0

  for (const row of table.children) {
    for (const [index, cell] of row.children.entries()) {
      const start = cell.position?.start.offset
      const end = cell.position?.end.offset
      if (start === undefined || end === undefined || start >= state.limit) continue
      if (!hasOpener(state, start, end)) continue
      const dropped = index < columns ? undefined : droppedReason(index, columns)
      search(state, container(state, cell, start, end, 'text', undefined, dropped))
    }
  }
}

/**
 * Reason for a marker in a table cell that pulldown-cmark drops.
 *
 * @param index
 *   Index of the cell in its row (0-indexed).
 * @param columns
 *   Cells in the header row.
 * @returns
 *   Reason.
 */
export function droppedReason(index: number, columns: number): string {
  return (
    'Unexpected marker in cell `' +
    (index + 1) +
    '` of a table with `' +
    columns +
    '` columns, expected it in the first `' +
    columns +
    '` cells (mdBook drops the others)'
  )
}

/**
 * Reason for a marker in a dropped cell of a row that an included file
 * wrote: `{{#include t.md}}{{hi:x}}` continues the last line of `t.md`, so
 * the marker joins its table's last row.
 *
 * @param reason
 *   Reason made by `droppedReason`.
 * @param from
 *   Included file, as the including file would name it (`t.md`).
 * @returns
 *   Reason, or `undefined` when `reason` is not one of `droppedReason`.
 */
export function includedRowReason(reason: string, from: string): string | undefined {
  const cell = /^Unexpected marker in cell `(\d+)` of a table with /.exec(reason)
  if (!cell) return undefined
  return (
    'Unexpected marker in cell `' +
    cell[1] +
    '` of a table row from `' +
    from +
    "` (the marker follows `{{#include}}` on its line, so it joins the included table's last row), expected the marker on a line of its own"
  )
}

/**
 * Whether an opener starts in `[start, end)`.
 *
 * @param state
 *   State.
 * @param start
 *   Offset.
 * @param end
 *   Offset after.
 * @returns
 *   Whether one does.
 */
function hasOpener(state: State, start: number, end: number): boolean {
  const index = lowerBoundOpener(state.openers, start)
  return index < state.openers.length && state.openers[index].start < end
}

/**
 * Build a container: its text ranges, sorted, with `<` + autolink + `>` merged.
 *
 * @param state
 *   State.
 * @param node
 *   Paragraph, heading or table cell.
 * @param start
 *   Offset.
 * @param end
 *   Offset after.
 * @param context
 *   Context of markers in it.
 * @param headingStart
 *   Offset of the heading, for headings.
 * @param dropped
 *   Reason markers in it are dropped, if so.
 * @returns
 *   Container.
 */
function container(
  state: State,
  node: Parents,
  start: number,
  end: number,
  context: 'text' | 'heading',
  headingStart: number | undefined,
  dropped: string | undefined
): Container {
  const raw: TextRange[] = []
  const autolinks: Array<[number, number]> = []
  collectText(state, node, dropped, raw)
  const ranges = mergeRanges(state.source, raw, autolinks)
  return {start, end, ranges, autolinks, context, headingStart}
}

/**
 * Collect the text ranges of phrasing content, in order.
 *
 * @param state
 *   State.
 * @param parent
 *   Parent whose children to collect.
 * @param dropped
 *   Reason markers in it are dropped, if so.
 * @param ranges
 *   Ranges to add to.
 * @returns
 *   Nothing.
 */
function collectText(
  state: State,
  parent: Parents,
  dropped: string | undefined,
  ranges: TextRange[]
): undefined {
  // An explicit stack: emphasis can nest thousands deep (`*a *b … b* a*`).
  const stack: Array<{parent: Parents; index: number; dropped: string | undefined}> = [
    {parent, index: 0, dropped}
  ]

  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    const children = ('children' in frame.parent ? frame.parent.children : []) as Nodes[]

    if (frame.index >= children.length) {
      stack.pop()
      continue
    }

    const child = children[frame.index++]
    const start = child.position?.start.offset
    const end = child.position?.end.offset
    if (start === undefined || end === undefined || start >= state.limit) continue

    switch (child.type) {
      case 'text': {
        ranges.push({start, end, parent: frame.parent, dropped: frame.dropped, autolink: false})
        break
      }

      case 'link': {
        // Autolink `<hi:tokio>`: not text, unless it is the middle of
        // `<<hi:tokio>>` (see `mergeRanges`).
        if (state.source.charCodeAt(start) === 60 /* `<` */) {
          const scheme = state.source.slice(start + 1, start + 4)
          if (scheme === 'hi:' || scheme === 'ii:') {
            ranges.push({start, end, parent: frame.parent, dropped: frame.dropped, autolink: true})
          }
        } else {
          stack.push({parent: child, index: 0, dropped: frame.dropped})
        }

        break
      }

      case 'linkReference': {
        // `[{{hi:x}}]`, `[{{hi:x}}][]`: the text is the label.
        stack.push({parent: child, index: 0, dropped: child.referenceType === 'full' ? frame.dropped : labelReason})
        break
      }

      case 'emphasis':
      case 'strong':
      case 'delete': {
        stack.push({parent: child, index: 0, dropped: frame.dropped})
        break
      }

      default:
      // Code, HTML, images, breaks, footnote references: not text.
    }
  }
}

/**
 * Merge touching ranges of one parent; keep an autolink only as the middle of
 * `<` + `<hi:x>` + `>` (CommonMark parses `<<hi:x>>` so).
 *
 * @param source
 *   Text.
 * @param raw
 *   Ranges in order.
 * @param autolinks
 *   Autolinks that are merged, to add to.
 * @returns
 *   Merged ranges.
 */
function mergeRanges(source: string, raw: TextRange[], autolinks: Array<[number, number]>): TextRange[] {
  const result: TextRange[] = []

  for (const [index, range] of raw.entries()) {
    if (range.autolink) {
      const before = raw[index - 1]
      const after = raw[index + 1]
      const fits =
        before !== undefined &&
        !before.autolink &&
        before.end === range.start &&
        before.parent === range.parent &&
        source.charCodeAt(range.start - 1) === 60 /* `<` */ &&
        after !== undefined &&
        !after.autolink &&
        after.start === range.end &&
        after.parent === range.parent &&
        source.charCodeAt(range.end) === 62 /* `>` */
      if (!fits) continue
      autolinks.push([range.start, range.end])
    }

    const last = result[result.length - 1]

    if (last && last.end === range.start && last.parent === range.parent) {
      last.end = range.end
    } else {
      result.push({...range, autolink: false})
    }
  }

  return result
}

/**
 * Search one container for markers; the long loop keeps the per-opener
 * decisions (escape, closer, nesting, emptiness) in one place.
 *
 * @param state
 *   State.
 * @param box
 *   Container.
 * @returns
 *   Nothing.
 */
function search(state: State, box: Container): undefined {
  const {source, openers} = state
  let resume = box.start
  let autolink = 0
  state.noCloser = undefined

  for (let index = lowerBoundOpener(openers, box.start); index < openers.length; index++) {
    const opener = openers[index]
    if (opener.start >= box.end) break
    if (opener.start < resume) continue
    while (autolink < box.autolinks.length && box.autolinks[autolink][1] <= opener.start) autolink++
    // `<<hi:a{{hi:b}}>>`: the second opener is in the URL of `<hi:a{{hi:b}}>`.
    if (autolink < box.autolinks.length && box.autolinks[autolink][0] <= opener.start) continue
    const range = findRange(box.ranges, opener.start)
    // Not text: code, HTML, a link destination, an autolink.
    if (!range) continue
    const escaped = isEscaped(source, opener.start, range.start)

    if (opener.end > range.end) {
      // `<<hi:a>b>>`: `<` then the autolink `<hi:a>`, not closed by `>>`.
      if (opener.form === 'angle' && opener.start === range.end - 1) {
        const autolinkEnd = source.indexOf('>', opener.start)
        const end = autolinkEnd === -1 ? opener.end : autolinkEnd + 1

        if (escaped) {
          state.markers.push(found(box, opener, '', opener.start - 1, opener.end, true))
        } else {
          state.problems.push({
            ruleId: 'marker-unterminated',
            reason:
              'Unexpected autolink `' +
              source.slice(opener.start + 1, end) +
              '` after `<`, expected `>` right after it, as in `' +
              source.slice(opener.start, end) +
              '>`',
            start: opener.start,
            end
          })
        }
      }

      continue
    }

    const closing = findCloser(state, box, range, opener, index)

    if (escaped) {
      // Literal text; what follows the opener is searched as usual.
      const closed = closing.type === 'closed'
      state.markers.push(
        found(
          box,
          opener,
          closed ? source.slice(opener.end, closing.closer) : '',
          opener.start - 1,
          closed ? closing.closer + 2 : opener.end,
          true
        )
      )
      continue
    }

    const open = source.slice(opener.start, opener.end)
    const close = syntax[opener.form].close

    if (closing.type === 'unterminated') {
      state.problems.push({
        ruleId: 'marker-unterminated',
        reason: closing.inner
          ? 'Unexpected unclosed `' +
            open +
            '`, expected on the same line a `}}` for each `{{` in its term, then one for the marker'
          : 'Unexpected unclosed `' + open + '`, expected `' + close + '` on the same line',
        start: opener.start,
        end: opener.end
      })
      resume = opener.end
      continue
    }

    if (closing.type === 'nested') {
      state.problems.push({
        ruleId: 'marker-nested',
        reason:
          'Unexpected `' +
          source.slice(closing.inner.start, closing.inner.end) +
          '` inside `' +
          open +
          '`, expected `' +
          close +
          '` first',
        start: opener.start,
        end: closing.end
      })
      resume = closing.end
      continue
    }

    const term = source.slice(opener.end, closing.closer)
    const end = closing.closer + 2
    resume = end

    const empty = termProblem(source, opener, closing.closer)

    if (empty) {
      state.problems.push({ruleId: 'marker-empty', reason: empty, start: opener.start, end})
      continue
    }

    if (range.dropped) {
      state.problems.push({ruleId: 'marker-dropped', reason: range.dropped, start: opener.start, end})
      continue
    }

    state.markers.push(found(box, opener, term, opener.start, end, false))
  }
}

/**
 * Create a found marker.
 *
 * @param box
 *   Container.
 * @param opener
 *   Opener.
 * @param term
 *   Raw term.
 * @param start
 *   Offset (of the `\` when escaped).
 * @param end
 *   Offset after.
 * @param escaped
 *   Whether escaped.
 * @returns
 *   Marker.
 */
function found(
  box: Container,
  opener: Opener,
  term: string,
  start: number,
  end: number,
  escaped: boolean
): FoundMarker {
  const marker: FoundMarker = {
    kind: opener.kind,
    form: opener.form,
    term,
    start,
    end,
    escaped,
    context: box.context
  }
  if (box.headingStart !== undefined) marker.headingStart = box.headingStart
  return marker
}

/**
 * Find the closer of an opener in a container: `closeMarker`, taking closers
 * in text of the same parent as the opener.
 *
 * @param state
 *   State.
 * @param box
 *   Container.
 * @param range
 *   Text range of the opener.
 * @param opener
 *   Opener.
 * @param index
 *   Index of the opener in `state.openers`.
 * @returns
 *   Outcome.
 */
function findCloser(
  state: State,
  box: Container,
  range: TextRange,
  opener: Opener,
  index: number
): Closing {
  const lineEnd = Math.min(box.end, nextBreak(state.breaks, opener.end))
  const cache = state.noCloser

  // An earlier opener of this parent and line found no closer after `from`.
  if (
    cache &&
    cache.parent === range.parent &&
    cache.form === opener.form &&
    cache.to === lineEnd &&
    opener.end >= cache.from
  ) {
    return {type: 'unterminated'}
  }

  const closing = closeMarker(state, index, lineEnd, function (candidate) {
    const other = findRange(box.ranges, candidate)
    return other !== undefined && other.parent === range.parent && candidate + 2 <= other.end
  })

  // Not after a `{{` in the term: its `}}` may close a later opener.
  if (closing.type === 'unterminated' && !closing.inner) {
    state.noCloser = {parent: range.parent, from: opener.end, to: lineEnd, form: opener.form}
  }

  return closing
}

/**
 * Find the range that contains `offset`.
 *
 * @param ranges
 *   Sorted, non-overlapping ranges.
 * @param offset
 *   Offset.
 * @returns
 *   Range, if any.
 */
function findRange(ranges: TextRange[], offset: number): TextRange | undefined {
  const result = lastStartingAtOrBefore(ranges, offset)
  return result && offset < result.end ? result : undefined
}
