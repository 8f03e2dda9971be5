/**
 * Index markers: find `{{hi:term}}`, `{{i:term}}`, `{{ii:term}}` (and the
 * angle forms `<<hi:term>>`, `<<i:term>>`, `<<ii:term>>`) where CommonMark
 * sees text, and rewrite them, by offsets, into anchors.
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
import type {Plugin} from 'unified'
import type {VFile} from 'vfile'
import {report, treeSource, type RuleLevels} from '../diagnostics/rules.js'
import {parseTerm, visibleText} from './terms.js'

/** Kind of marker: `hi` (hidden), `i` (visible), `ii` (visible, italic in the index). */
export type MarkerKind = 'hi' | 'i' | 'ii'

/** Marker syntax: `{{…}}` or `<<…>>`. */
export type MarkerForm = 'brace' | 'angle'

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

/** Replace `source.slice(start, end)` with `value` (`start === end`: insert). */
export interface Edit {
  /** Offset. */
  start: number
  /** Offset after the replaced text. */
  end: number
  /** Replacement. */
  value: string
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
}

/** Id counts per slug across one chapter, so that segments can be rewritten in order. */
export interface IdState {
  /** Markers seen so far per slug. */
  counts: Map<string, number>
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

/** What `remarkXrefMarkers` stores on `file.data.xref`. */
export interface XrefMarkersData {
  /** Markers, in order. */
  markers: FoundMarker[]
  /** Index entries of the markers that are not escaped, in order. */
  entries: IndexEntry[]
  /** Document with markers rewritten. */
  output: string
}

declare module 'vfile' {
  interface DataMap {
    /** Index markers of the document, set by `remarkXrefMarkers`. */
    xref: XrefMarkersData
  }
}

/** An opener in the source, such as `{{hi:` at 10–15. */
interface Opener {
  start: number
  end: number
  kind: MarkerKind
  form: MarkerForm
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
interface State {
  source: string
  limit: number
  html: boolean
  /** Every opener in `source` (before `limit`), sorted. */
  openers: Opener[]
  /** Offsets of every `}}` (overlapping: `}}}` gives two). */
  braceClosers: number[]
  /** Offsets of every `>>`. */
  angleClosers: number[]
  /** Offsets of every `\n` and `\r`. */
  breaks: number[]
  /** Parent and line end for which no closer exists after `from`: saves rescans. */
  noCloser: {parent: Parents; from: number; to: number; form: MarkerForm} | undefined
  markers: FoundMarker[]
  problems: MarkerProblem[]
}

/** A marker and what replaces it, before guarding. */
interface Replacement {
  marker: FoundMarker
  value: string
}

/** Outcome of looking for a closer. */
type Closing =
  | {type: 'closed'; closer: number}
  | {type: 'nested'; inner: Opener; end: number}
  | {type: 'unterminated'}

/** Defaults: every field off. */
const emptyOptions: Readonly<MarkerOptions> = {}

/** Every opener: `{{hi:`, `{{i:`, `{{ii:`, `<<hi:`, `<<i:`, `<<ii:`. */
const openerExpression = /(?:\{\{|<<)(?:hi|ii|i):/g

/** Closer and escaped opener (`\{{` → `&#123;{`) per form. */
const syntax = {
  brace: {close: '}}', escape: '&#123;{'},
  angle: {close: '>>', escape: '&lt;<'}
} as const

/** Label text of a shortcut or collapsed reference: rewriting it would break the reference. */
const labelReason =
  'Unexpected marker in the label of a shortcut or collapsed reference, expected it outside `[…]` or a full reference `[text][label]`'

/** Separator that keeps neighbours of a replacement apart; renders as nothing (mdBook drops `<em>` from heading ids). */
const separator = '<em></em>'

/** Emphasis and strikethrough delimiters: whether they open or close depends on their neighbours. */
const delimiter = /^[*_~]$/

/** Punctuation as CommonMark counts it for flanking (Unicode P and S). */
const punctuation = /^[\p{P}\p{S}]$/u

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
 * Turn index markers into anchors; stores `file.data.xref` and reports problems.
 *
 * @param options
 *   Configuration (optional).
 * @returns
 *   Transform.
 */
export const remarkXrefMarkers: Plugin<[(Readonly<MarkerOptions> | null | undefined)?], Root> =
  function (options) {
    const settings = options || emptyOptions

    /**
     * Find, report and rewrite the markers of one document.
     *
     * @param tree
     *   Tree.
     * @param file
     *   File.
     * @returns
     *   Nothing.
     */
    return function (tree: Root, file: VFile): undefined {
      const {value, place} = treeSource(file)
      const {markers, problems} = findMarkers(tree, value, settings)

      for (const problem of problems) {
        const start = place.toPoint(problem.start)
        const end = place.toPoint(problem.end)
        report(
          file,
          {
            ruleId: problem.ruleId,
            reason: problem.reason,
            place: start && end ? {start, end} : start
          },
          settings.levels
        )
      }

      const {edits, ids} = rewriteMarkers(markers, value, createIdState())
      const entries: IndexEntry[] = []

      for (const [index, marker] of markers.entries()) {
        if (marker.escaped) continue
        const point = place.toPoint(marker.start)
        entries.push({
          term: marker.term,
          kind: marker.kind,
          id: ids[index],
          chapter: file.path ?? null,
          chapterName: file.stem ?? '',
          offset: marker.start,
          line: point ? point.line : 1,
          column: point ? point.column : 1
        })
      }

      file.data.xref = {markers, entries, output: applyEdits(value, edits)}
    }
  }

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
function collectOpeners(source: string, limit: number): Opener[] {
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
function collectAll(source: string, value: string, limit: number): number[] {
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
function collectBreaks(source: string, limit: number): number[] {
  const result: number[] = []
  const expression = /[\n\r]/g
  let match: RegExpExecArray | null

  while ((match = expression.exec(source)) && match.index < limit) result.push(match.index)

  return result
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
        reason: 'Unexpected unclosed `' + open + '`, expected `' + close + '` on the same line',
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

    if (term.trim() === '') {
      state.problems.push({
        ruleId: 'marker-empty',
        reason:
          'Unexpected empty term in `' +
          source.slice(opener.start, end) +
          '`, expected a term such as `' +
          open +
          'tokio' +
          close +
          '`',
        start: opener.start,
        end
      })
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
 * Find the closer of an opener: the first `}}` (or `>>`) on the same line
 * that is in text of the same parent and not escaped (`\}}`).
 *
 * `{{hi:`a}}`}}`: the first `}}` is code, the second closes.
 * `*{{hi:a*}}`: the only `}}` is outside the emphasis: unterminated.
 * `{{hi:{{i:x}}}}`: another opener comes first: nested.
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
  const {source} = state
  const lineEnd = Math.min(box.end, nextBreak(state.breaks, opener.end))
  const closers = opener.form === 'brace' ? state.braceClosers : state.angleClosers
  const cache = state.noCloser
  let closer = -1

  // An earlier opener of this parent and line found no closer after `from`.
  if (
    !(
      cache &&
      cache.parent === range.parent &&
      cache.form === opener.form &&
      cache.to === lineEnd &&
      opener.end >= cache.from
    )
  ) {
    for (let at = lowerBound(closers, opener.end); at < closers.length; at++) {
      const candidate = closers[at]
      if (candidate + 2 > lineEnd) break
      if (isEscaped(source, candidate, opener.end)) continue
      const other = findRange(box.ranges, candidate)

      if (other && other.parent === range.parent && candidate + 2 <= other.end) {
        closer = candidate
        break
      }
    }

    if (closer === -1) {
      state.noCloser = {parent: range.parent, from: opener.end, to: lineEnd, form: opener.form}
    }
  }

  if (closer === -1) return {type: 'unterminated'}
  const next = state.openers[index + 1]

  if (next && next.start < closer) {
    // At least through the closer, so that no opener inside is rewritten
    // (`{{hi:>>\{{hi:x}}`) and a second run sees the same nest.
    return {type: 'nested', inner: next, end: Math.max(closer + 2, nestedEnd(state, opener, index, lineEnd))}
  }

  return {type: 'closed', closer}
}

/**
 * End of a nested problem: where openers and closers balance again, or the
 * last closer on the line (`{{hi:{{i:x}}}}` → after the last `}}`).
 *
 * @param state
 *   State.
 * @param opener
 *   Outer opener.
 * @param index
 *   Its index in `state.openers`.
 * @param lineEnd
 *   Offset of the end of the line (or container).
 * @returns
 *   Offset after the problem.
 */
function nestedEnd(state: State, opener: Opener, index: number, lineEnd: number): number {
  const {openers, braceClosers, angleClosers} = state
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
function isEscaped(source: string, offset: number, from: number): boolean {
  let count = 0
  let index = offset - 1

  while (index >= from && source.charCodeAt(index) === 92 /* `\` */) {
    count++
    index--
  }

  return count % 2 === 1
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
  let low = 0
  let high = ranges.length - 1
  let result: TextRange | undefined

  while (low <= high) {
    const middle = (low + high) >> 1

    if (ranges[middle].start <= offset) {
      result = ranges[middle]
      low = middle + 1
    } else {
      high = middle - 1
    }
  }

  return result && offset < result.end ? result : undefined
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
function lowerBound(values: number[], offset: number): number {
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
function lowerBoundOpener(openers: Opener[], offset: number): number {
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
function nextBreak(breaks: number[], offset: number): number {
  const index = lowerBound(breaks, offset)
  return index < breaks.length ? breaks[index] : Infinity
}

/**
 * Slug of a term for ids: all levels, lowercase ASCII alphanumerics joined
 * by `-`, at most 40 characters (`async!Tokio` → `async-tokio`).
 *
 * @param term
 *   Term as written.
 * @returns
 *   Slug (`term` when nothing is left).
 */
function slug(term: string): string {
  const value = parseTerm(term)
    .map((level) => level.display)
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
function isAtx(source: string, headingStart: number): boolean {
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
