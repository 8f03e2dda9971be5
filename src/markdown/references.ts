/**
 * Link references: parse blocks of definitions fast, find references that
 * do not resolve (remark keeps those as plain text), and check definitions
 * across the chapters that include them.
 *
 * Everything here works on a tree plus the source it was parsed from, which
 * may be a *part* of a chapter (see the contract’s performance design), and
 * returns offsets relative to that source.
 */

import type {Nodes, Root} from 'mdast'
import type {Plugin} from 'unified'
import type {VFile} from 'vfile'
import {decodeString} from 'micromark-util-decode-string'
import {normalizeIdentifier} from 'micromark-util-normalize-identifier'
import {
  checkConvention,
  foldCrate,
  formatCrateLabel,
  parseCrateLabel,
  registryCrate
} from './crate-labels.js'
import {report, treeSource, type RuleLevels} from '../diagnostics/rules.js'
import {parseMarkdown} from './flavour.js'
import {editDistance} from '../util/did-you-mean.js'

/** A link-reference definition, with offsets relative to the parsed text. */
export interface Definition {
  /** Label, decoded as mdast does (`a\]b` → `a]b`). */
  label: string
  /** Normalised label (`normalizeLabel` of the raw label), as mdast’s `identifier`. */
  identifier: string
  /** Destination, escapes and character references decoded. */
  url: string
  /** Title, or `null` when absent or empty. */
  title: string | null
  /** Offset of `[`. */
  start: number
  /** Offset after the definition (trailing whitespace included, as micromark). */
  end: number
  /** Line of `[` (1-indexed). */
  line: number
  /** Column of `[` (1-indexed). */
  column: number
}

/** A range of text (UTF-16 offsets). */
export interface Range {
  /** Start offset. */
  start: number
  /** End offset. */
  end: number
}

/** A problem with a reference. */
export interface RefProblem {
  /** Rule. */
  ruleId: 'undefined-reference' | 'wiki-link'
  /** Label as written (for wiki links: the target). */
  label: string
  /** Reason. */
  reason: string
  /** Start offset of the whole reference (`[text][label]`, `[[target]]`). */
  start: number
  /** End offset. */
  end: number
}

/** Configuration. */
export interface RefOptions {
  /** Label families whose shortcut references (`[c~tokio~docs]`) must be defined (default: `['c-', 'c~', 'cat-', 'cat~']`). */
  prefixes?: ReadonlyArray<string> | null | undefined
  /** Offset at or after which nodes are ignored, such as stand-in definitions appended by the caller (default: none). */
  limit?: number | null | undefined
  /** Labels to suggest for an undefined reference, read only when one is found (default: none). */
  candidates?: Iterable<string> | (() => Iterable<string>) | null | undefined
  /** Check crate and category URL conventions (default: `true`). */
  conventions?: boolean | null | undefined
  /** Rule severities, used by the plugin (default: each rule’s own). */
  levels?: RuleLevels | null | undefined
}

/** A place in a source file (1-indexed line and column). */
export interface SourcePlace {
  /** File, as the caller names it (such as `src/refs/crate-refs.md`). */
  file: string
  /** Line. */
  line: number
  /** Column. */
  column: number
}

/** A definition as one chapter sees it, at the place the author wrote it. */
export interface PlacedDefinition {
  /** Label as written. */
  label: string
  /** Destination. */
  url: string
  /** Normalised label; computed from `label` when missing. */
  identifier?: string | undefined
  /** Where it is written. */
  place: SourcePlace
}

/** A line that looks like a definition but is not one. */
export interface MalformedDefinition {
  /** Label-like text. */
  label: string
  /** Reason. */
  reason: string
  /** Where it is written. */
  place: SourcePlace
}

/** The definitions one chapter has after include expansion, in order. */
export interface ChapterDefinitions {
  /** Chapter (its path). */
  chapter: string
  /** Definitions in document order. */
  definitions: ReadonlyArray<PlacedDefinition>
  /** Definition-looking lines that are not definitions (see `findMalformedDefinitions`). */
  malformed?: ReadonlyArray<MalformedDefinition> | null | undefined
}

/** Rules about definitions. */
export type DefinitionRuleId =
  | 'duplicate-definition'
  | 'conflicting-definition'
  | 'convention'
  | 'malformed-definition'
  | 'unsafe-url'

/** A problem with a definition, once per place, with every chapter it affects. */
export interface DefinitionProblem {
  /** Rule. */
  ruleId: DefinitionRuleId
  /** Reason. */
  reason: string
  /** Label. */
  label: string
  /** Where the definition is written. */
  place: SourcePlace
  /** Chapters whose text includes it, in input order. */
  chapters: string[]
  /** Related information (such as which definition wins). */
  note?: string
  /** Expected values (such as the conventional URL), for fixes. */
  expected?: string[]
}

/** A problem with one definition, wherever it is included. */
export interface SiteProblem {
  /** Rule. */
  ruleId: 'convention' | 'malformed-definition' | 'unsafe-url'
  /** Reason. */
  reason: string
  /** Expected values. */
  expected?: string[]
}

/** A definition-looking line that is not a definition, in a parsed text. */
export interface FoundMalformed {
  /** Label-like text. */
  label: string
  /** Reason. */
  reason: string
  /** Start offset of the line’s `[`. */
  start: number
  /** End offset of the line. */
  end: number
}

/** Default label families. */
export const defaultPrefixes: ReadonlyArray<string> = ['c-', 'c~', 'cat-', 'cat~']

const emptyOptions: Readonly<RefOptions> = {}

/** Inline nodes whose source is analysed; all other inline nodes are masked. */
const transparent = new Set(['text', 'emphasis', 'strong', 'delete', 'break'])

/**
 * A fallback group that may open a construct spanning blank lines (a fenced
 * code block, or an HTML block of kind 1–5): after it, later groups cannot
 * be read on their own.
 */
const spanning = /`{3}|~{3}|<!--|<\?|<![A-Za-z[]|<(?:script|pre|style|textarea)(?=[\s>]|$)/i

/**
 * Normalise a label for matching, as CommonMark does (collapse whitespace,
 * trim, fold case); this is the form of mdast’s `identifier`.
 *
 * @param label
 *   Label as written (`c~Tokio~docs`).
 * @returns
 *   Identifier (`c~tokio~docs`).
 */
export function normalizeLabel(label: string): string {
  return normalizeIdentifier(label).toLowerCase()
}

/**
 * Parse a block of definitions fast.
 *
 * Each blank-line separated group whose lines are all one-line definitions
 * (`[label]: dest`, `[label]: <dest> "title"`, indented at most three
 * spaces, no tabs) is parsed by hand; any other group is parsed with
 * micromark (`parseMarkdown`), together with the rest of the text when the
 * group could open a fenced code or HTML block that spans blank lines.
 * Known limit: only top-level definitions of micromark groups are returned;
 * their other blocks (lists, quotes, which may hold definitions) are in
 * `other`, for the caller to analyse as prose.
 *
 * @param text
 *   Text (a block of definitions, perhaps with other Markdown).
 * @returns
 *   Definitions in order, and ranges of everything else.
 */
export function parseDefinitions(text: string): {definitions: Definition[]; other: Range[]} {
  const state: ParseState = {
    text,
    definitions: [],
    other: [],
    chunk: undefined
  }
  /** Definitions of the current group, while it is simple. */
  let group: Definition[] = []
  let simple = true
  let groupStart = -1
  let groupLine = 0
  let groupEnd = 0
  let position = 0
  let line = 1

  while (position < text.length) {
    let lineEnd = position
    let code = text.charCodeAt(lineEnd)
    while (lineEnd < text.length && code !== 10 && code !== 13) {
      code = text.charCodeAt(++lineEnd)
    }

    const next = code === 13 && text.charCodeAt(lineEnd + 1) === 10 ? lineEnd + 2 : lineEnd + 1

    if (isBlank(text, position, lineEnd)) {
      if (groupStart !== -1) {
        if (flushGroup(state, group, simple, groupStart, groupLine, groupEnd)) return finish(state)
        group = []
        simple = true
        groupStart = -1
      }
    } else {
      if (groupStart === -1) {
        groupStart = position
        groupLine = line
        // An indented group after text micromark parses may continue a
        // container opened there (`- [a]: b`, blank, `  [c]: d` is in the
        // item): parse it with that text.
        const first = text.charCodeAt(position)
        if (state.chunk && (first === 32 || first === 9)) simple = false
      }

      groupEnd = lineEnd

      if (simple) {
        const definition = parseLine(text, position, lineEnd, line)
        if (definition) group.push(definition)
        else simple = false
      }
    }

    position = next
    line++
  }

  if (groupStart !== -1 && flushGroup(state, group, simple, groupStart, groupLine, groupEnd)) {
    return finish(state)
  }

  flushChunk(state, state.chunk ? state.chunk.end : 0)
  return {definitions: state.definitions, other: state.other}
}

/** State of `parseDefinitions`. */
interface ParseState {
  /** Whole text. */
  text: string
  /** Definitions found. */
  definitions: Definition[]
  /** Other ranges found. */
  other: Range[]
  /** Groups waiting to be parsed with micromark. */
  chunk: {start: number; line: number; end: number} | undefined
}

/**
 * Take a finished group: keep its definitions, or queue it for micromark.
 *
 * @param state
 *   State.
 * @param group
 *   Definitions parsed so far.
 * @param simple
 *   Whether every line was a one-line definition.
 * @param start
 *   Offset of the group.
 * @param line
 *   Line of the group.
 * @param end
 *   End of its last line.
 * @returns
 *   Whether the rest of the text must go to micromark with this group.
 */
function flushGroup(
  state: ParseState,
  group: Definition[],
  simple: boolean,
  start: number,
  line: number,
  end: number
): boolean {
  if (simple) {
    if (state.chunk) flushChunk(state, state.chunk.end)
    for (const definition of group) state.definitions.push(definition)
    return false
  }

  if (!state.chunk) state.chunk = {start, line, end}
  state.chunk.end = end
  return spanning.test(state.text.slice(start, end))
}

/**
 * Parse the queued groups and the rest of the text with micromark.
 *
 * @param state
 *   State (with a chunk).
 * @returns
 *   Result.
 */
function finish(state: ParseState): {definitions: Definition[]; other: Range[]} {
  flushChunk(state, state.text.length)
  return {definitions: state.definitions, other: state.other}
}

/**
 * Parse queued groups with micromark.
 *
 * @param state
 *   State.
 * @param end
 *   End offset of the chunk.
 * @returns
 *   Nothing.
 */
function flushChunk(state: ParseState, end: number): undefined {
  const chunk = state.chunk
  if (!chunk) return
  state.chunk = undefined
  const tree = parseMarkdown(state.text.slice(chunk.start, end))

  for (const node of tree.children) {
    const position = node.position
    if (!position) continue
    const start = position.start.offset! + chunk.start
    const stop = position.end.offset! + chunk.start

    if (node.type === 'definition') {
      state.definitions.push({
        label: node.label ?? '',
        identifier: node.identifier,
        url: node.url,
        title: node.title ?? null,
        start,
        end: stop,
        line: position.start.line + chunk.line - 1,
        column: position.start.column
      })
    } else {
      state.other.push({start, end: stop})
    }
  }
}

/**
 * Whether a line is blank (only spaces and tabs).
 *
 * @param text
 *   Text.
 * @param start
 *   Line start.
 * @param end
 *   Line end.
 * @returns
 *   Whether it is blank.
 */
function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index)
    if (code !== 32 && code !== 9) return false
  }

  return true
}

/**
 * Whether a character code is ASCII punctuation (escapable).
 *
 * @param code
 *   Character code.
 * @returns
 *   Whether it is.
 */
function isPunctuation(code: number): boolean {
  return (
    (code >= 33 && code <= 47) ||
    (code >= 58 && code <= 64) ||
    (code >= 91 && code <= 96) ||
    (code >= 123 && code <= 126)
  )
}

/**
 * Parse one line as a one-line definition: `[label]: dest`,
 * `[label]: <dest>`, optionally followed by `"title"`, `'title'` or
 * `(title)`.
 *
 * Anything unusual (a tab, a control character, a destination or title on
 * the next line, a footnote `[^1]:`, unbalanced parentheses) gives
 * `undefined`, so that micromark decides.
 * This function is long because it is one hand-written scanner.
 *
 * @param text
 *   Text.
 * @param lineStart
 *   Line start.
 * @param lineEnd
 *   Line end (before the line ending).
 * @param line
 *   Line number.
 * @returns
 *   Definition, or `undefined`.
 */
function parseLine(
  text: string,
  lineStart: number,
  lineEnd: number,
  line: number
): Definition | undefined {
  let index = lineStart
  while (index < lineEnd && text.charCodeAt(index) === 32) index++
  if (index - lineStart > 3 || text.charCodeAt(index) !== 91 /* `[` */) return undefined
  const start = index
  const labelStart = ++index
  let decode = false
  let blank = true

  // Label: `c~tokio~docs`, `a\]b`.
  while (true) {
    if (index >= lineEnd) return undefined
    const code = text.charCodeAt(index)
    if (code === 93 /* `]` */) break
    if (code === 91 /* `[` */ || code < 32 || code === 127) return undefined
    if (code === 92 /* `\` */ && index + 1 < lineEnd && isPunctuation(text.charCodeAt(index + 1))) {
      decode = true
      blank = false
      index += 2
      continue
    }

    if (code === 38 /* `&` */) decode = true
    if (code !== 32) blank = false
    index++
  }

  const labelEnd = index
  // Footnote definitions (`[^1]: …`) and long labels are for micromark.
  if (blank || labelEnd - labelStart > 999 || text.charCodeAt(labelStart) === 94) return undefined
  index++
  if (text.charCodeAt(index) !== 58 /* `:` */ || index >= lineEnd) return undefined
  index++
  while (index < lineEnd && text.charCodeAt(index) === 32) index++
  if (index >= lineEnd) return undefined

  // Destination: `<a b>` or `https://x.y/(z)`.
  let destinationStart: number
  let destinationEnd: number

  if (text.charCodeAt(index) === 60 /* `<` */) {
    destinationStart = ++index
    const found = closing(text, index, lineEnd, 62 /* `>` */, 60 /* `<` */)
    if (!found) return undefined
    decode ||= found.decode
    destinationEnd = found.end
    index = found.end + 1
  } else {
    destinationStart = index
    let depth = 0
    while (index < lineEnd) {
      const code = text.charCodeAt(index)
      if (code === 32) break
      if (code < 32 || code === 127) return undefined
      if (code === 92 && index + 1 < lineEnd && isPunctuation(text.charCodeAt(index + 1))) {
        decode = true
        index += 2
        continue
      }

      if (code === 38) decode = true
      if (code === 40 /* `(` */) depth++
      if (code === 41 /* `)` */) {
        if (depth === 0) return undefined
        depth--
      }

      index++
    }

    if (depth !== 0) return undefined
    destinationEnd = index
  }

  const afterDestination = index
  while (index < lineEnd && text.charCodeAt(index) === 32) index++
  let titleStart = -1
  let titleEnd = -1

  // Title: `"a"`, `'a'`, `(a)`, separated from the destination by spaces.
  if (index < lineEnd) {
    if (index === afterDestination) return undefined
    const open = text.charCodeAt(index)
    const close = open === 34 ? 34 : open === 39 ? 39 : open === 40 ? 41 : -1
    if (close === -1) return undefined
    titleStart = ++index
    // `(` cannot open again inside `(…)`.
    const found = closing(text, index, lineEnd, close, open === 40 ? 40 : -1)
    if (!found) return undefined
    decode ||= found.decode
    titleEnd = found.end
    index = found.end + 1
    while (index < lineEnd && text.charCodeAt(index) === 32) index++
    if (index < lineEnd) return undefined
  }

  const rawLabel = text.slice(labelStart, labelEnd)
  const url = text.slice(destinationStart, destinationEnd)
  // An empty title (`""`) is no title in mdast.
  const title = titleEnd > titleStart ? text.slice(titleStart, titleEnd) : null

  return {
    label: decode ? decodeString(rawLabel) : rawLabel,
    identifier: normalizeLabel(rawLabel),
    url: decode ? decodeString(url) : url,
    title: title !== null && decode ? decodeString(title) : title,
    start,
    end: lineEnd,
    line,
    column: start - lineStart + 1
  }
}

/**
 * Find where an enclosed part of a definition line (`<…>` destination,
 * `"…"`, `'…'` or `(…)` title) closes: a backslash before punctuation
 * escapes it, and an escape or `&` means the part needs decoding.
 *
 * @param text
 *   Text.
 * @param index
 *   Offset after the opening character.
 * @param lineEnd
 *   End of the line.
 * @param close
 *   Closing character code.
 * @param reject
 *   Character code that ends the attempt (`-1` for none).
 * @returns
 *   Offset of the closing character and whether to decode, or `undefined`
 *   when the line ends first or `reject` comes.
 */
function closing(
  text: string,
  index: number,
  lineEnd: number,
  close: number,
  reject: number
): {end: number; decode: boolean} | undefined {
  let decode = false

  while (index < lineEnd) {
    const code = text.charCodeAt(index)
    if (code === close) return {end: index, decode}
    if (code === reject) return undefined

    if (code === 92 && index + 1 < lineEnd && isPunctuation(text.charCodeAt(index + 1))) {
      decode = true
      index += 2
      continue
    }

    if (code === 38) decode = true
    index++
  }

  return undefined
}

/**
 * Find references that do not resolve, and wiki links.
 *
 * remark keeps an undefined reference as text, so this reads the source of
 * each paragraph, heading and table cell with every non-text inline node
 * (code, HTML, links, references, images, footnote calls) masked.
 * Reported: full (`[text][label]`) and collapsed (`[label][]`) references
 * with any undefined label; shortcut references (`[c~tokio~docs]`) with an
 * undefined label of a family in `prefixes`; `[[target | text]]` wiki links
 * (mdBook renders them literally).
 * Not reported: task boxes, alerts (`[!NOTE]`), footnote calls (`[^1]`),
 * other shortcuts (`[x]`), `[text](broken url)`.
 *
 * @param tree
 *   Tree parsed from `source`.
 * @param source
 *   Source of the tree (maybe a part of a chapter).
 * @param isDefined
 *   Whether an identifier (see `normalizeLabel`) is defined.
 * @param options
 *   Configuration.
 * @returns
 *   Problems, in source order, offsets relative to `source`.
 */
export function findReferenceProblems(
  tree: Root,
  source: string,
  isDefined: (identifier: string) => boolean,
  options?: Readonly<RefOptions> | null | undefined
): RefProblem[] {
  const state = createScanState(source, isDefined, options)
  walkBlocks(tree, state)
  return state.problems
}

/**
 * Find references that do not resolve, and wiki links, in stretches of text
 * whose non-text inline nodes are known without a tree: what
 * `findReferenceProblems` does for each paragraph, heading or table cell.
 *
 * @param source
 *   Source.
 * @param ranges
 *   Stretches (paragraphs, cells), each with the ranges of its code, links,
 *   references, images and other non-text nodes, in order.
 * @param isDefined
 *   Whether an identifier (see `normalizeLabel`) is defined.
 * @param options
 *   Configuration.
 * @returns
 *   Problems, in source order.
 */
export function findReferenceProblemsIn(
  source: string,
  ranges: ReadonlyArray<Range & {masks: Range[]}>,
  isDefined: (identifier: string) => boolean,
  options?: Readonly<RefOptions> | null | undefined
): RefProblem[] {
  const state = createScanState(source, isDefined, options)

  for (const range of ranges) {
    const raw = source.slice(range.start, range.end)
    if (raw.includes('[')) scanBrackets(mask(raw, range.start, range.masks), range.start, state)
  }

  return state.problems
}

/**
 * Create the state of a reference scan.
 *
 * @param source
 *   Source.
 * @param isDefined
 *   Whether an identifier is defined.
 * @param options
 *   Configuration.
 * @returns
 *   State.
 */
function createScanState(
  source: string,
  isDefined: (identifier: string) => boolean,
  options: Readonly<RefOptions> | null | undefined
): ScanState {
  const settings = options || emptyOptions
  return {
    source,
    isDefined,
    prefixes: (settings.prefixes || defaultPrefixes).map((d) => d.toLowerCase()),
    limit: typeof settings.limit === 'number' ? settings.limit : Number.POSITIVE_INFINITY,
    candidates: settings.candidates || undefined,
    suggestions: undefined,
    problems: []
  }
}

/** State of `findReferenceProblems`. */
interface ScanState {
  /** Source. */
  source: string
  /** Whether an identifier is defined. */
  isDefined: (identifier: string) => boolean
  /** Lowercase label families. */
  prefixes: string[]
  /** Ignore nodes starting at or after this. */
  limit: number
  /** Candidate labels, as given. */
  candidates: Iterable<string> | (() => Iterable<string>) | undefined
  /** Candidates, prepared on first use. */
  suggestions: Suggestions | undefined
  /** Problems. */
  problems: RefProblem[]
}

/**
 * Visit blocks with inline content.
 *
 * @param node
 *   Node.
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function walkBlocks(node: Nodes, state: ScanState): undefined {
  // A loop, not recursion: `- - - - …` nests thousands deep.
  const stack: Nodes[] = [node]

  while (stack.length > 0) {
    const current = stack.pop()!

    if (current.type === 'paragraph' || current.type === 'heading' || current.type === 'tableCell') {
      const position = current.position
      if (position && position.start.offset! < state.limit) scanInline(current, state)
      continue
    }

    if (current.type === 'code' || current.type === 'html' || current.type === 'definition') continue

    if ('children' in current) {
      for (let index = current.children.length - 1; index >= 0; index--) stack.push(current.children[index])
    }
  }
}

/**
 * Scan the source of one block with inline content.
 *
 * @param node
 *   Paragraph, heading, or table cell.
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function scanInline(node: Nodes & {children: Nodes[]}, state: ScanState): undefined {
  const start = node.position!.start.offset!
  const end = node.position!.end.offset!
  const raw = state.source.slice(start, end)
  if (!raw.includes('[')) return
  const masks: Range[] = []
  collectMasks(node, masks)
  const masked = mask(raw, start, masks)
  scanBrackets(masked, start, state)
}

/**
 * Collect ranges of inline nodes to mask (everything but text).
 *
 * @param node
 *   Parent.
 * @param masks
 *   Ranges to add to.
 * @returns
 *   Nothing.
 */
function collectMasks(node: Nodes & {children: Nodes[]}, masks: Range[]): undefined {
  // A loop, not recursion: emphasis can nest thousands deep.
  const stack: Nodes[] = [...node.children].reverse()

  while (stack.length > 0) {
    const child = stack.pop()!

    if (transparent.has(child.type)) {
      if ('children' in child) {
        for (let index = child.children.length - 1; index >= 0; index--) stack.push(child.children[index])
      }
    } else if (child.position) {
      masks.push({start: child.position.start.offset!, end: child.position.end.offset!})
    }
  }
}

/**
 * Replace masked ranges with neutral characters, keeping offsets.
 *
 * @param raw
 *   Source of the block.
 * @param base
 *   Offset of `raw` in the source.
 * @param masks
 *   Ranges (source offsets), in order.
 * @returns
 *   Masked text, as long as `raw`.
 */
function mask(raw: string, base: number, masks: Range[]): string {
  if (masks.length === 0) return raw
  let result = ''
  let last = 0

  for (const range of masks) {
    const from = Math.max(range.start - base, last)
    const to = Math.min(range.end - base, raw.length)
    if (to <= from) continue
    result += raw.slice(last, from) + 'x'.repeat(to - from)
    last = to
  }

  return result + raw.slice(last)
}

/** A matched bracket pair in masked text. */
interface Pair {
  /** Offset of `[`. */
  open: number
  /** Offset of `]`. */
  close: number
  /** Whether brackets occur inside. */
  nested: boolean
}

/**
 * Match brackets in masked text and report what does not resolve.
 *
 * @param text
 *   Masked block source.
 * @param base
 *   Offset of `text` in the source.
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function scanBrackets(text: string, base: number, state: ScanState): undefined {
  const pairs: Pair[] = []
  const byClose = new Map<number, Pair>()
  const byOpen = new Map<number, Pair>()
  const stack: Pair[] = []

  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code === 92 /* `\` */ && isPunctuation(text.charCodeAt(index + 1))) {
      index++
    } else if (code === 91 /* `[` */) {
      if (stack.length > 0) stack[stack.length - 1].nested = true
      stack.push({open: index, close: -1, nested: false})
    } else if (code === 93 /* `]` */ && stack.length > 0) {
      const pair = stack.pop()!
      pair.close = index
      if (stack.length > 0) stack[stack.length - 1].nested = true
      pairs.push(pair)
      byClose.set(index, pair)
      byOpen.set(pair.open, pair)
    }
  }

  pairs.sort((a, b) => a.open - b.open)
  const skip = new Set<Pair>()

  for (const pair of pairs) {
    if (skip.has(pair)) continue

    if (pair.nested) {
      wikiLink(text, base, pair, byOpen, skip, state)
      continue
    }

    const content = state.source.slice(base + pair.open + 1, base + pair.close)
    const before = byClose.get(pair.open - 1)

    // Full `[text][label]` or collapsed `[label][]`.
    if (before) {
      if (pair.close === pair.open + 1) {
        if (before.nested) continue
        const label = state.source.slice(base + before.open + 1, base + before.close)
        check(label, base + before.open, base + pair.close + 1, state)
      } else {
        check(content, base + before.open, base + pair.close + 1, state)
      }

      continue
    }

    const after = text.charCodeAt(pair.close + 1)
    // `[text]` of a full reference, or `[text](url)` that is no link.
    if (after === 91 /* `[` */ || after === 40 /* `(` */) continue
    const lower = content.toLowerCase()
    if (state.prefixes.some((d) => lower.startsWith(d))) {
      check(content, base + pair.open, base + pair.close + 1, state)
    }
  }
}

/**
 * Report a wiki link `[[target | text]]` (and skip its inner brackets).
 *
 * @param text
 *   Masked text.
 * @param base
 *   Offset of `text`.
 * @param pair
 *   Outer pair.
 * @param byOpen
 *   Pairs by opening offset.
 * @param skip
 *   Pairs not to check again.
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function wikiLink(
  text: string,
  base: number,
  pair: Pair,
  byOpen: Map<number, Pair>,
  skip: Set<Pair>,
  state: ScanState
): undefined {
  const inner = byOpen.get(pair.open + 1)
  if (!inner || inner.close !== pair.close - 1 || inner.nested) return
  const after = text.charCodeAt(pair.close + 1)
  // `[[a]][b]`, `[[a]](b)`: brackets in link text, not a wiki link.
  if (after === 91 || after === 40) return
  const content = state.source.slice(base + inner.open + 1, base + inner.close)
  const bar = content.indexOf('|')
  const target = (bar === -1 ? content : content.slice(0, bar)).trim()
  if (!target) return
  skip.add(inner)
  const whole = state.source.slice(base + pair.open, base + pair.close + 1)
  state.problems.push({
    ruleId: 'wiki-link',
    label: target,
    reason:
      'Unexpected wiki link `' +
      whole +
      '`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)',
    start: base + pair.open,
    end: base + pair.close + 1
  })
}

/**
 * Report a label if it is not defined.
 *
 * @param label
 *   Label as written.
 * @param start
 *   Start of the reference.
 * @param end
 *   End of the reference.
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function check(label: string, start: number, end: number, state: ScanState): undefined {
  // Footnote calls (`[^1]`) and alerts (`[!NOTE]`) are no references; a
  // blank or too long label is no label.
  const head = label.charCodeAt(0)
  if (head === 94 /* `^` */ || head === 33 /* `!` */ || label.length > 999) return
  const identifier = normalizeLabel(label)
  if (identifier === '' || state.isDefined(identifier)) return
  const suggestion = suggest(label, identifier, state)
  state.problems.push({
    ruleId: 'undefined-reference',
    label,
    reason:
      suggestion === undefined
        ? 'Unexpected undefined reference `' + label + '`, expected a definition'
        : 'Cannot find definition for `' + label + '`; did you mean `' + suggestion + '`',
    start,
    end
  })
}

/** Candidate labels, prepared for suggestions. */
interface Suggestions {
  /** Labels as given. */
  labels: string[]
  /** Their identifiers. */
  identifiers: string[]
  /** Label by identifier. */
  byIdentifier: Map<string, string>
}

/**
 * Suggest a defined label close to an undefined one.
 *
 * The same crate label in the other style comes first (`c-tokio` for
 * `c~tokio~docs`), then the closest label by edit distance (at most a fifth
 * of the length, 1 to 4 edits).
 *
 * @param label
 *   Undefined label.
 * @param identifier
 *   Its identifier.
 * @param state
 *   State.
 * @returns
 *   Suggested label.
 */
function suggest(label: string, identifier: string, state: ScanState): string | undefined {
  if (!state.candidates) return undefined

  if (!state.suggestions) {
    const given = state.candidates
    const labels = [...(typeof given === 'function' ? given() : given)]
    const identifiers = labels.map((d) => candidateIdentifier(d))
    const byIdentifier = new Map<string, string>()
    for (let index = 0; index < labels.length; index++) {
      if (!byIdentifier.has(identifiers[index])) byIdentifier.set(identifiers[index], labels[index])
    }

    state.suggestions = {labels, identifiers, byIdentifier}
  }

  const {labels, identifiers, byIdentifier} = state.suggestions
  const parts = parseCrateLabel(label)

  if (parts) {
    for (const style of ['tilde', 'dash'] as const) {
      const other = formatCrateLabel(parts, style)
      for (const name of [other, other.replace(/_/g, '-'), other.replace(/(?<=^c-[^-]*)-/g, '_')]) {
        const found = byIdentifier.get(normalizeLabel(name))
        if (found !== undefined && normalizeLabel(found) !== identifier) return found
      }
    }
  }

  const budget = Math.min(4, Math.max(1, Math.floor(identifier.length / 5)))
  let best: string | undefined
  let bestDistance = budget + 1

  const counts = new Int32Array(128)
  for (let index = 0; index < identifier.length; index++) counts[identifier.charCodeAt(index) & 127]++

  for (let index = 0; index < identifiers.length; index++) {
    const other = identifiers[index]
    if (Math.abs(other.length - identifier.length) >= bestDistance) continue
    // Characters one has and the other lacks bound the distance from below:
    // most labels are far off and skip the full comparison.
    let extra = 0
    for (let at = 0; at < other.length; at++) if (--counts[other.charCodeAt(at) & 127] < 0) extra++
    for (let at = 0; at < other.length; at++) counts[other.charCodeAt(at) & 127]++
    if (Math.max(extra, identifier.length - (other.length - extra)) >= bestDistance) continue
    const distance = editDistance(identifier, other, bestDistance - 1)
    if (distance < bestDistance) {
      best = labels[index]
      bestDistance = distance
    }
  }

  return best
}

/**
 * Identifiers of candidate labels, kept across calls: each chapter of a book
 * offers the same thousands of labels.
 */
const candidateIdentifiers = new Map<string, string>()

/**
 * Identifier of a candidate label.
 *
 * @param label
 *   Label.
 * @returns
 *   Identifier.
 */
function candidateIdentifier(label: string): string {
  let identifier = candidateIdentifiers.get(label)

  if (identifier === undefined) {
    if (candidateIdentifiers.size >= 1e6) candidateIdentifiers.clear()
    identifier = normalizeLabel(label)
    candidateIdentifiers.set(label, identifier)
  }

  return identifier
}

/**
 * Find lines that look like definitions (`[label]: …`) but are text.
 *
 * Looks at each line of each paragraph: `[label]: url` after other text (a
 * definition cannot interrupt a paragraph), `[label]: a b` (a space in the
 * destination), `[label: url` / `[[label]]: url` (unbalanced brackets).
 * Prose such as `[Note]: see below` is left alone: a line is reported only
 * when what follows `]:` is nothing or starts like a URL (`https:`, `/`,
 * `./`, `#`, `<`).
 *
 * @param tree
 *   Tree parsed from `source`.
 * @param source
 *   Source.
 * @param options
 *   Configuration (`limit`).
 * @returns
 *   Lines, offsets relative to `source`.
 */
export function findMalformedDefinitions(
  tree: Root,
  source: string,
  options?: Readonly<RefOptions> | null | undefined
): FoundMalformed[] {
  const settings = options || emptyOptions
  const limit = typeof settings.limit === 'number' ? settings.limit : Number.POSITIVE_INFINITY
  const found: FoundMalformed[] = []
  visitParagraphs(tree)
  return found

  /**
   * Visit paragraphs.
   *
   * @param node
   *   Node.
   * @returns
   *   Nothing.
   */
  function visitParagraphs(node: Nodes): undefined {
    if (node.type === 'paragraph') {
      const position = node.position
      if (position && position.start.offset! < limit) {
        paragraph(position.start.offset!, position.end.offset!)
      }

      return
    }

    if ('children' in node) {
      for (const child of node.children) visitParagraphs(child)
    }
  }

  /**
   * Check the lines of one paragraph.
   *
   * @param start
   *   Start offset.
   * @param end
   *   End offset.
   * @returns
   *   Nothing.
   */
  function paragraph(start: number, end: number): undefined {
    const text = source.slice(start, end)
    if (!text.includes('[')) return
    const lineEnding = /\r\n?|\n/g
    let lineStart = 0
    let first = true

    while (lineStart <= text.length) {
      const match = lineEnding.exec(text)
      const lineEnd = match ? match.index : text.length
      let line = text.slice(lineStart, lineEnd)
      let offset = lineStart
      if (!first) {
        // Container prefixes of later lines: `> `, indentation.
        const prefix = /^[ \t]*(?:>[ \t]?)*[ \t]*/.exec(line)![0]
        line = line.slice(prefix.length)
        offset += prefix.length
      }

      const problem = malformedLine(line, first)
      if (problem) {
        found.push({...problem, start: start + offset, end: start + lineEnd})
      }

      if (!match) break
      lineStart = match.index + match[0].length
      first = false
    }
  }
}

/**
 * Check one line of a paragraph.
 *
 * @param line
 *   Line without container prefix.
 * @param first
 *   Whether it is the first line of the paragraph.
 * @returns
 *   Label and reason, or `undefined`.
 */
function malformedLine(line: string, first: boolean): {label: string; reason: string} | undefined {
  if (line.charCodeAt(0) !== 91 /* `[` */) return undefined

  // `[[label]]: url`, `[label]]: url`, `[[label]: url` (but not a wiki link
  // in prose: `[[cloud | Cloud]]: load balancers`).
  const doubled = /^\[(\[?)([^[\]\n]+)\](\]?):[ \t]*(?:<|[a-z][a-z\d+.-]*:|\.{0,2}\/|#)\S*$/i.exec(line)
  if (doubled && (doubled[1] || doubled[3])) {
    return {
      label: doubled[2],
      reason:
        'Unexpected brackets in `' +
        line.slice(0, line.indexOf(':') + 1) +
        '`, expected `[' +
        doubled[2] +
        ']:`'
    }
  }

  // `[label]: …`.
  const simple = /^\[((?:[^[\]\\\n]|\\.)+)\]:(.*)$/.exec(line)
  if (simple) {
    const label = simple[1]
    const rest = simple[2].trim()
    // A footnote definition (`[^1]: text`) is fine.
    if (label.charCodeAt(0) === 94) return undefined
    const urlLike = /^(?:<|[a-z][a-z\d+.-]*:|\.{0,2}\/|#)\S*(?:\s|$)/i.test(rest)

    if (!first) {
      return urlLike
        ? {
            label,
            reason:
              'Unexpected definition `[' +
              label +
              ']:` inside a paragraph, expected a blank line before it (a definition cannot interrupt a paragraph)'
          }
        : undefined
    }

    if (rest === '') {
      return {
        label,
        reason: 'Unexpected missing destination after `[' + label + ']:`, expected a URL'
      }
    }

    // Prose such as `[Note]: see below.`.
    if (!urlLike) return undefined

    const space = /^(\S+)[ \t]+(?!["'(])\S/.exec(rest)
    if (space && !rest.startsWith('<')) {
      return {
        label,
        reason:
          'Unexpected space in the destination of `[' +
          label +
          ']:`, expected `%20` or `<…>` around it (or a quoted title)'
      }
    }

    return {
      label,
      reason:
        'Unexpected text in definition-like line `[' +
        label +
        ']:`, expected a URL and an optional quoted title'
    }
  }

  // `[label: url` (no `]`).
  const open = /^\[([^[\]\s]+):[ \t]+(?:<|[a-z][a-z\d+.-]*:|\.{0,2}\/|#)/i.exec(line)
  if (open) {
    return {
      label: open[1],
      reason: 'Unexpected unclosed label `[' + open[1] + '`, expected `[' + open[1] + ']:`'
    }
  }

  return undefined
}

/**
 * Check one definition on its own: unsafe URLs, stray `~` in URLs, and the
 * crate and category URL conventions.
 *
 * @param label
 *   Label.
 * @param url
 *   Destination.
 * @param options
 *   Configuration (`conventions`).
 * @param crate
 *   Crate that the label’s crates.io or lib.rs definition names (see
 *   `registryCrate`); default: the crate in the label.
 * @returns
 *   Problems.
 */
export function checkDefinition(
  label: string,
  url: string,
  options?: Readonly<RefOptions> | null | undefined,
  crate?: string | null | undefined
): SiteProblem[] {
  const settings = options || emptyOptions
  const problems: SiteProblem[] = []
  // Browsers drop tabs and line feeds in schemes: `java\tscript:`.
  const scheme = /^[\s\0-\x1F]*([a-z][a-z\d+.-]*):/i.exec(url.replace(/[\t\n\r]/g, ''))
  const protocol = scheme ? scheme[1].toLowerCase() : ''

  if (
    protocol === 'javascript' ||
    protocol === 'vbscript' ||
    (protocol === 'data' && !/^data:image\/(?:png|gif|jpe?g|webp)[;,]/i.test(url.trim()))
  ) {
    problems.push({
      ruleId: 'unsafe-url',
      reason:
        'Unexpected `' + protocol + ':` URL for `' + label + '`, expected a `https:` or relative URL'
    })
    return problems
  }

  // `https://docs.rs/concat~string`: a `-` turned into `~` when labels were
  // converted; `~` only starts a user path (`https://hg.sr.ht/~icefox`).
  const stray = /[^/]~/.exec(url.replace(/^[a-z][a-z\d+.-]*:\/\/[^/]*/i, ''))
  if (stray && /^(?:https?:)?\/\//i.test(url)) {
    problems.push({
      ruleId: 'malformed-definition',
      reason:
        'Unexpected `~` in URL `' + url + '` of `' + label + '`, expected `-` (`~` only starts a user path such as `/~user`)'
    })
    return problems
  }

  if (settings.conventions !== false) {
    const problem = checkConvention(label, url, crate)
    if (problem) {
      problems.push({
        ruleId: 'convention',
        reason: problem.reason,
        ...(problem.expected === undefined ? {} : {expected: [problem.expected]})
      })
    }
  }

  return problems
}

/**
 * Check the definitions of chapters: duplicates and conflicts within each
 * chapter (the first definition wins), and each definition on its own
 * (`checkDefinition`) and each malformed line, once per place.
 *
 * The same label with different URLs in different chapters is fine.
 * Books include the same refs files in every chapter (the real book: 108
 * chapters × 11,000 definitions), so work is done once per place: a first
 * pass maps definitions to their places (*sites*), which are checked once;
 * only identifiers written at two or more places (or a place included twice
 * in one chapter) can clash, so only those go through a per-chapter map in
 * the second pass.
 *
 * @param chapters
 *   Definitions per chapter, after include expansion.
 * @param options
 *   Configuration (`conventions`).
 * @returns
 *   Problems, sorted by place, each with the chapters it affects.
 */
export function checkDefinitions(
  chapters: ReadonlyArray<ChapterDefinitions>,
  options?: Readonly<RefOptions> | null | undefined
): DefinitionProblem[] {
  const state: CheckState = {
    options,
    files: new Map(),
    lastFile: undefined,
    lastLines: [],
    sites: [],
    keyed: new Map(),
    problems: []
  }
  /** Chapters that include a place twice. */
  const repeated = new Set<number>()

  // Pass 1: find the sites (distinct places).
  for (let index = 0; index < chapters.length; index++) {
    for (const definition of chapters[index].definitions) {
      const site = siteOf(state, definition)
      if (site.last === index) repeated.add(index)
      site.last = index
    }
  }

  markSuspects(state)
  checkSites(state)

  // Pass 2: per chapter, the chapters of site problems, and clashes.
  for (let index = 0; index < chapters.length; index++) {
    const {chapter, definitions, malformed} = chapters[index]
    const all = repeated.has(index)
    /** First site of each identifier in this chapter. */
    const first = new Map<string, Site>()

    for (const definition of definitions) {
      const site = siteOf(state, definition)
      if (site.problems.length > 0) {
        for (const problem of site.problems) addChapter(problem, chapter)
      }

      if (!all && !site.suspect) continue
      const prior = first.get(site.identifier)
      if (prior === undefined) first.set(site.identifier, site)
      else addClash(state, prior, site, chapter)
    }

    if (malformed) for (const line of malformed) addMalformed(state, line, chapter)
  }

  return state.problems.sort(comparePlaces)
}

/** One place where a definition is written, with what is known about it. */
interface Site {
  /** Definition as first seen there. */
  definition: PlacedDefinition
  /** Its identifier. */
  identifier: string
  /** Problems of the definition on its own (shared by all chapters). */
  problems: DefinitionProblem[]
  /** Index of the last chapter seen including it (pass 1). */
  last: number
  /** Whether its identifier is defined at another place too (only those can clash). */
  suspect: boolean
  /** Another site on the same line (another column). */
  next: Site | undefined
}

/** State of `checkDefinitions`. */
interface CheckState {
  /** Configuration. */
  options: Readonly<RefOptions> | null | undefined
  /** Sites per file, by line. */
  files: Map<string, Array<Site | undefined>>
  /** File of the previous lookup (consecutive definitions share a file). */
  lastFile: string | undefined
  /** Lines of `lastFile`. */
  lastLines: Array<Site | undefined>
  /** All sites, in order of first sight. */
  sites: Site[]
  /** Duplicate, conflict and malformed problems by rule and place. */
  keyed: Map<string, DefinitionProblem>
  /** All problems. */
  problems: DefinitionProblem[]
}

/**
 * Find or create the site of a definition.
 *
 * @param state
 *   State.
 * @param definition
 *   Definition.
 * @returns
 *   Site.
 */
function siteOf(state: CheckState, definition: PlacedDefinition): Site {
  const {file, line, column} = definition.place
  let lines = state.lastLines

  if (file !== state.lastFile) {
    lines = state.files.get(file) || []
    state.files.set(file, lines)
    state.lastFile = file
    state.lastLines = lines
  }

  let site = lines[line]
  while (site && site.definition.place.column !== column) site = site.next
  if (site) return site

  site = {
    definition,
    identifier: definition.identifier ?? normalizeLabel(definition.label),
    problems: [],
    last: -1,
    suspect: false,
    next: lines[line]
  }
  // Fill gaps so the array stays a fast (non-dictionary) array.
  while (lines.length < line) lines.push(undefined)
  lines[line] = site
  state.sites.push(site)
  return site
}

/**
 * Mark sites whose identifier is written at two or more places: only those
 * can clash (besides a place included twice in one chapter).
 *
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function markSuspects(state: CheckState): undefined {
  const byIdentifier = new Map<string, Site>()

  for (const site of state.sites) {
    const prior = byIdentifier.get(site.identifier)
    if (prior) {
      prior.suspect = true
      site.suspect = true
    } else {
      byIdentifier.set(site.identifier, site)
    }
  }
}

/**
 * Check each site on its own, knowing the crate that each crate label
 * group’s registry definitions name.
 *
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function checkSites(state: CheckState): undefined {
  const crates = registryCrates(state.sites.map((d) => d.definition))

  for (const site of state.sites) {
    const {label, url} = site.definition
    let crate: string | undefined

    if (crates.size > 0) {
      const parts = parseCrateLabel(label)
      if (parts && parts.family === 'crate') crate = crates.get(foldCrate(parts.crate))
    }

    for (const found of checkDefinition(label, url, state.options, crate)) {
      const problem: DefinitionProblem = {
        ruleId: found.ruleId,
        reason: found.reason,
        label,
        place: site.definition.place,
        chapters: []
      }
      if (found.expected) problem.expected = found.expected
      site.problems.push(problem)
      state.problems.push(problem)
    }
  }
}

/**
 * The crate each crate label group really names, from its registry
 * definitions: `c-actix_web-crates.io` → `https://crates.io/crates/actix-web`
 * spells it `actix-web`; `c-cargo_flamegraph-crates.io` and
 * `c-cargo_flamegraph-lib.rs` both name `flamegraph`.
 * A name other than the label’s is trusted only when crates.io and lib.rs
 * agree on it; otherwise the label decides (and the odd registry definition
 * is the one reported).
 *
 * @param sites
 *   Sites.
 * @returns
 *   Crate by group (folded crate of the label).
 */
export function registryCrates(
  definitions: Iterable<{label: string; url: string}>
): Map<string, string> {
  const found = new Map<string, {'crates.io'?: string; 'lib.rs'?: string}>()

  for (const definition of definitions) {
    const registry = registryCrate(definition.label, definition.url)
    if (!registry) continue
    let entry = found.get(registry.group)
    if (!entry) {
      entry = {}
      found.set(registry.group, entry)
    }

    if (entry[registry.registry] === undefined) entry[registry.registry] = registry.crate
  }

  const crates = new Map<string, string>()

  for (const [group, entry] of found) {
    const primary = entry['crates.io']
    const secondary = entry['lib.rs']
    const crate = primary ?? secondary!
    const agree = primary !== undefined && secondary !== undefined && foldCrate(primary) === foldCrate(secondary)
    if (agree || foldCrate(crate) === group) crates.set(group, crate)
  }

  return crates
}

/**
 * Record a duplicate or conflicting definition in a chapter.
 *
 * @param state
 *   State.
 * @param prior
 *   First definition (wins).
 * @param site
 *   Later definition.
 * @param chapter
 *   Chapter.
 * @returns
 *   Nothing.
 */
function addClash(state: CheckState, prior: Site, site: Site, chapter: string): undefined {
  const first = prior.definition
  const later = site.definition
  const ruleId = first.url === later.url ? 'duplicate-definition' : 'conflicting-definition'
  const key = ruleId + '\0' + placeKey(later.place)
  let problem = state.keyed.get(key)

  if (!problem) {
    const same = first.label === later.label ? '' : ' as `' + first.label + '`'
    problem = {
      ruleId,
      reason:
        ruleId === 'duplicate-definition'
          ? 'Unexpected duplicate definition `' + later.label + '`, expected one definition per label'
          : 'Unexpected URL `' +
            later.url +
            '` for `' +
            later.label +
            '`, expected `' +
            first.url +
            '` (labels match without case; the first definition wins)',
      label: later.label,
      place: later.place,
      chapters: [],
      note:
        'First defined at `' +
        placeKey(first.place) +
        '`' +
        same +
        (site === prior ? ' (the same place, included twice)' : '') +
        ', which wins'
    }
    state.keyed.set(key, problem)
    state.problems.push(problem)
  }

  addChapter(problem, chapter)
}

/**
 * Record a malformed definition line in a chapter.
 *
 * @param state
 *   State.
 * @param line
 *   Malformed line.
 * @param chapter
 *   Chapter.
 * @returns
 *   Nothing.
 */
function addMalformed(state: CheckState, line: MalformedDefinition, chapter: string): undefined {
  const key = 'malformed\0' + placeKey(line.place)
  let problem = state.keyed.get(key)

  if (!problem) {
    problem = {
      ruleId: 'malformed-definition',
      reason: line.reason,
      label: line.label,
      place: line.place,
      chapters: []
    }
    state.keyed.set(key, problem)
    state.problems.push(problem)
  }

  addChapter(problem, chapter)
}

/**
 * Add a chapter to a problem once.
 *
 * @param problem
 *   Problem.
 * @param chapter
 *   Chapter.
 * @returns
 *   Nothing.
 */
function addChapter(problem: DefinitionProblem, chapter: string): undefined {
  const chapters = problem.chapters
  if (chapters[chapters.length - 1] !== chapter && !chapters.includes(chapter)) {
    chapters.push(chapter)
  }
}

/**
 * Serialise a place: `src/refs/crate-refs.md:12:1`.
 *
 * @param place
 *   Place.
 * @returns
 *   Text.
 */
function placeKey(place: SourcePlace): string {
  return place.file + ':' + place.line + ':' + place.column
}

/**
 * Order problems by file, line, column, rule.
 *
 * @param a
 *   One.
 * @param b
 *   Other.
 * @returns
 *   Order.
 */
function comparePlaces(a: DefinitionProblem, b: DefinitionProblem): number {
  return (
    (a.place.file < b.place.file ? -1 : a.place.file > b.place.file ? 1 : 0) ||
    a.place.line - b.place.line ||
    a.place.column - b.place.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  )
}

/**
 * Definitions that no reference uses.
 *
 * @param definitions
 *   Definitions (`identifier` or `label`).
 * @param used
 *   Identifiers that references use.
 * @returns
 *   Unused definitions, in order.
 */
export function findUnused<T extends {label: string; identifier?: string | undefined}>(
  definitions: Iterable<T>,
  used: ReadonlySet<string>
): T[] {
  const unused: T[] = []
  for (const definition of definitions) {
    if (!used.has(definition.identifier ?? normalizeLabel(definition.label))) unused.push(definition)
  }

  return unused
}

/**
 * Check link references and definitions of a whole document (the reference
 * path; the preprocessor calls the same functions on parts of chapters).
 *
 * @param options
 *   Configuration.
 * @returns
 *   Transform.
 */
export const remarkXrefRefs: Plugin<[(Readonly<RefOptions> | null | undefined)?], Root> = function (
  options
) {
  const settings = options || emptyOptions

  return function (tree: Root, file: VFile): undefined {
    const {value: source, place} = treeSource(file)
    const chapter = file.path || ''
    const definitions: Array<PlacedDefinition & {identifier: string}> = []
    const identifiers = new Set<string>()
    const used = new Set<string>()
    collect(tree)

    for (const problem of findReferenceProblems(tree, source, (d) => identifiers.has(d), {
      ...settings,
      candidates: settings.candidates || (() => definitions.map((d) => d.label))
    })) {
      const start = place.toPoint(problem.start)
      const end = place.toPoint(problem.end)
      report(
        file,
        {
          ruleId: problem.ruleId,
          reason: problem.reason,
          label: problem.label,
          place: start && end ? {start, end} : undefined
        },
        settings.levels
      )
    }

    const malformed: MalformedDefinition[] = []
    for (const line of findMalformedDefinitions(tree, source, settings)) {
      const point = place.toPoint(line.start)
      if (!point) continue
      malformed.push({
        label: line.label,
        reason: line.reason,
        place: {file: chapter, line: point.line, column: point.column}
      })
    }

    for (const problem of checkDefinitions([{chapter, definitions, malformed}], settings)) {
      report(
        file,
        {
          ruleId: problem.ruleId,
          reason: problem.reason,
          label: problem.label,
          place: {line: problem.place.line, column: problem.place.column},
          note: problem.note,
          expected: problem.expected
        },
        settings.levels
      )
    }

    for (const definition of findUnused(definitions, used)) {
      report(
        file,
        {
          ruleId: 'unused-definition',
          reason: 'Unexpected unused definition `' + definition.label + '`, expected a reference to it',
          label: definition.label,
          place: {line: definition.place.line, column: definition.place.column}
        },
        settings.levels
      )
    }

    /**
     * Collect definitions and used identifiers.
     *
     * @param node
     *   Node.
     * @returns
     *   Nothing.
     */
    function collect(node: Nodes): undefined {
      if (node.type === 'definition') {
        const position = node.position
        if (!position) return
        identifiers.add(node.identifier)
        definitions.push({
          label: node.label ?? node.identifier,
          url: node.url,
          identifier: node.identifier,
          place: {file: chapter, line: position.start.line, column: position.start.column}
        })
        return
      }

      if (node.type === 'linkReference' || node.type === 'imageReference') {
        used.add(node.identifier)
      }

      if ('children' in node) {
        for (const child of node.children) collect(child)
      }
    }
  }
}
