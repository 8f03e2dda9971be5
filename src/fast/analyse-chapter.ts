/**
 * Analyse one chapter: its index markers, link-reference definitions and
 * reference problems.
 *
 * `analyseChapter` (used by the preprocessor and `lint`) splits the chapter
 * into units (`units.ts`), takes definitions from blocks seen before (cached
 * by content, parsed once per book), reads plain units that can hold a
 * marker or a broken reference without a parse (`plain-readers.ts`), and parses with
 * micromark only the others.
 *
 * It finds what the public remark plugins find on the whole chapter
 * (`remarkMdbook`, `remarkXrefMarkers`, `remarkXrefRefs`): tests compare the
 * two on fixture books, the real corpus and generated Markdown.
 */

import type {Nodes, Root} from 'mdast'
import {hasDefinitionLine, startsDefinition} from '../markdown/block-start.js'
import {parseMarkdown, parseMarkdownWithLabels} from '../markdown/parse-markdown.js'
import {pieceAt} from '../mdbook/source-map.js'
import {findMarkers, type FoundMarker, type MarkerProblem} from '../markdown/markers.js'
import {findPlainMarkers, findPlainReferenceProblems} from './plain-readers.js'
import {parseDefinitions, type Definition} from '../markdown/definitions.js'
import {allowMatcher, normalizeLabel} from '../markdown/labels.js'
import {findMalformedDefinitions, type FoundMalformed} from '../markdown/malformed-definitions.js'
import {findReferenceProblems, type RefProblem} from '../markdown/reference-scan.js'
import type {Section} from '../markdown/sections.js'
import {unitSections} from './sections.js'
import {joinUnits, mayHoldHeading, splitUnits, type Unit} from './units.js'

/** What to look for. */
export interface AnalyseOptions {
  /** Find index markers. */
  markers: boolean
  /** Find markers in raw HTML blocks too. */
  htmlMarkers: boolean
  /** Check references. */
  refs: boolean
  /** Label families whose shortcut references must be defined. */
  prefixes: string[]
  /** Labels resolved elsewhere, never reported as undefined (default: `[]`). */
  allow?: ReadonlyArray<string | RegExp> | undefined
  /**
   * Find the sections (headings) of the chapter: `true` always, `'markers'`
   * only when it holds a marker (default: `false`).
   */
  sections?: boolean | 'markers' | undefined
}

/** Analysis of one chapter; offsets are in the chapter content. */
export interface ChapterAnalysis {
  markers: FoundMarker[]
  markerProblems: MarkerProblem[]
  refProblems: RefProblem[]
  /**
   * Definitions, as blocks: each block's definitions have offsets relative to
   * `base`. Blocks repeated in every chapter are the same objects, so checks
   * on a block run once per book.
   */
  blocks: Array<{block: DefinitionBlock; base: number}>
  /** Normalized labels used by references that resolved (for unused checks). */
  used: Set<string>
  /** Definition-looking lines that are not definitions. */
  malformed: FoundMalformed[]
  /** Sections, in order (empty unless asked for). */
  sections: Section[]
  /** Characters given to micromark (for the benchmark). */
  parsed: number
  /** Units of prose (everything but known definitions), in order: for readers that parse only some (`parseUnits`). */
  prose: Unit[]
  /** Labels of the chapter's footnote definitions (as written, without `^`). */
  footnotes: string[]
}

/** Definitions parsed once, with their identifiers. */
export interface DefinitionBlock {
  /** Definitions, offsets relative to the block. */
  definitions: Definition[]
  /** Their identifiers. */
  identifiers: Set<string>
}

/** A block of definitions seen before, with its definitions parsed once. */
interface CachedBlock extends DefinitionBlock {
  text: string
  other: Array<{start: number; end: number}>
  /** Whether a line of it may be a heading (`mayHoldHeading`), once known. */
  heading?: boolean | undefined
}

/** Cache of definition blocks, shared by all chapters of one run. */
export interface DefinitionCache {
  /** Blocks by their first line. */
  blocks: Map<string, CachedBlock[]>
}

/**
 * Create a cache.
 *
 * @returns
 *   Empty cache.
 */
export function createCache(): DefinitionCache {
  return {blocks: new Map()}
}

/** Start of an index marker. */
const markerStart = /(?:\{\{|<<)(?:hi|ii|i):/

/** A bracketed label (no nested brackets; CommonMark caps labels at 999). */
const bracket = /\[((?:[^\[\]\\]|\\[\s\S]){0,999})\]/g

/**
 * A label with brackets inside, which the reference check reads with the
 * inner node masked: full `[text][a [b](u)]`, collapsed `[a `[` b][]`.
 */
const nestedFull = /\]\[(?:[^\[\]\\]|\\[\s\S])*\[/
const nestedLabel = /\[(?:[^\[\]\\]|\\[\s\S])*\[/
const nestedLabelStart = /^\[(?:[^\[\]\\]|\\[\s\S])*\[/

/**
 * Analyse a chapter, parsing only what can matter.
 *
 * @param value
 *   Chapter content (no BOM).
 * @param cache
 *   Definition cache shared across chapters.
 * @param options
 *   What to look for.
 * @returns
 *   Analysis.
 */
export function analyseChapter(
  value: string,
  cache: DefinitionCache,
  options: AnalyseOptions
): ChapterAnalysis {
  const result: ChapterAnalysis = {
    markers: [],
    markerProblems: [],
    refProblems: [],
    blocks: [],
    used: new Set(),
    malformed: [],
    sections: [],
    parsed: 0,
    prose: [],
    footnotes: []
  }
  /** Known blocks, with where they start in this chapter. */
  const known: Array<{block: CachedBlock; start: number}> = []

  const {units} = splitUnits(value, function (start) {
    if (value.charCodeAt(start) !== 91 /* `[` */) return undefined
    let lineEnd = value.indexOf('\n', start)
    if (lineEnd === -1) lineEnd = value.length
    const candidates = cache.blocks.get(value.slice(start, lineEnd))
    if (!candidates) return undefined

    for (const block of candidates) {
      const end = start + block.text.length
      // Slice equality compares flat strings with memcmp: faster than `startsWith`.
      if (end <= value.length && value.slice(start, end) === block.text && (end === value.length || blankLineAt(value, end))) {
        known.push({block, start})
        // Every chapter repeats the same blocks: look for heading lines once.
        block.heading ??= mayHoldHeading(block.text)
        return {end, heading: block.heading}
      }
    }

    return undefined
  })

  const knownStarts = new Set(known.map((d) => d.start))
  const blocks: Array<{block: CachedBlock; start: number}> = [...known]
  /** Prose: units and the non-definition parts of definition blocks. */
  const prose: Unit[] = []

  for (const unit of units) {
    if (knownStarts.has(unit.start)) continue
    const text = value.slice(unit.start, unit.end)

    if (startsDefinition(text)) {
      const block = remember(cache, text)
      blocks.push({block, start: unit.start})
      continue
    }

    prose.push(unit)
  }

  blocks.sort((a, b) => a.start - b.start)

  for (const {block, start} of blocks) {
    result.blocks.push({block, base: start})

    let floor = start
    let previous: Unit | undefined

    for (const other of block.other) {
      // Parts with only blank lines between them parse together: what one
      // leaves open reaches the next (`    a\n\n> - x`: after indented code,
      // micromark still treats `- ` as interrupting).
      if (previous && /^\s*$/.test(value.slice(previous.end, start + other.start))) {
        previous.end = start + other.end
      } else {
        previous = {start: continuedFrom(value, floor, start + other.start), end: start + other.end}
        prose.push(previous)
      }

      floor = start + other.end
    }
  }

  prose.sort((a, b) => a.start - b.start)
  result.prose = prose

  // Definitions inside prose (in a list, a quote, after a paragraph's first
  // definitions): parse those units first so that the set is complete.
  const local = new Set<string>()
  /** Labels of footnote definitions: a call to one is no text (`[^1][c~x]`). */
  const footnotes: string[] = result.footnotes
  /** Parsed units checked for malformed definitions once every label is known. */
  const parsedUnits: Array<{tree: Root; text: string; start: number}> = []

  for (const unit of prose) {
    const text = value.slice(unit.start, unit.end)
    if (!hasDefinitionLine(text)) continue
    const tree = parseMarkdown(text)
    result.parsed += text.length

    if (options.refs) parsedUnits.push({tree, text, start: unit.start})

    // The non-definition part of a block can start with the block's own
    // definitions (`[a]: /a\ntext\n===`: the setext heading starts at `[a]`):
    // keep each definition once.
    const definitions = [...walkNodes(tree, 'definition')]
      .map((d) => toDefinition(d, 0))
      .filter((d) => !hasDefinitionAt(blocks, unit.start + d.start))
    const identifiers = new Set(definitions.map((d) => d.identifier))
    for (const identifier of identifiers) local.add(identifier)
    for (const node of walkNodes(tree, 'footnoteDefinition')) footnotes.push(node.label || node.identifier)
    if (definitions.length > 0) result.blocks.push({block: {definitions, identifiers}, base: unit.start})
  }

  result.blocks.sort((a, b) => a.base - b.base)

  const isAllowed = allowMatcher(options.allow)
  const isDefined = function (identifier: string): boolean {
    if (local.has(identifier)) return true
    for (const {block} of blocks) if (block.identifiers.has(identifier)) return true
    return false
  }

  // `[Items]:` is a reference when `items` is defined in any part of the chapter.
  for (const {tree, text, start} of parsedUnits) {
    result.malformed.push(...shift(findMalformedDefinitions(tree, text, {defined: isDefined}), start))
  }

  // Suggestions for an undefined label, read only when one is found: every
  // definition of the chapter in order, as the whole parse has them.
  const candidates = () => result.blocks.flatMap((d) => d.block.definitions.map((definition) => definition.label))
  const flagged: Unit[] = []
  const labels = new Set<string>()
  let anyMarkers = false
  let anyRefs = false
  let plainUnits = false

  for (const unit of prose) {
    const text = value.slice(unit.start, unit.end)
    const wantMarkers = options.markers && markerStart.test(text)
    const found = options.refs || wantMarkers ? scanLabels(text, isDefined, isAllowed, options.prefixes) : undefined
    const wantRefs = options.refs && found !== undefined && found.suspicious
    if (found) for (const id of found.defined.values()) result.used.add(id)
    if (!wantMarkers && !wantRefs) continue

    // Most units are plain prose, one-line lists or tables: read them
    // without a parse when they are. Terms and labels are slices of what
    // they are read from: a copy of the unit, so that they do not keep the
    // whole chapter in memory until the index is built.
    const own = (text + '\n').slice(0, -1)
    const plain = wantMarkers ? findPlainMarkers(own) : {markers: [], problems: []}
    const plainProblems =
      plain && wantRefs
        ? findPlainReferenceProblems(own, isDefined, {prefixes: options.prefixes, allow: options.allow, candidates})
        : []

    if (plain && plainProblems) {
      result.markers.push(...shift(plain.markers, unit.start))
      result.markerProblems.push(...shift(plain.problems, unit.start))
      result.refProblems.push(...shift(plainProblems, unit.start))

      plainUnits = true
      continue
    }

    anyMarkers ||= wantMarkers
    anyRefs ||= wantRefs
    flagged.push(unit)
    if (found) for (const raw of found.defined.keys()) labels.add(raw)
  }

  if (flagged.length > 0) {
    analyseUnits(value, flagged, [...labels], footnotes, isDefined, candidates, options, result, anyMarkers, anyRefs)
  }

  if (options.sections === true || (options.sections === 'markers' && result.markers.length > 0)) {
    const found = unitSections(value, prose, {isDefined, blocks: result.blocks, footnotes})
    result.sections = found.sections
    result.parsed += found.parsed
  }

  if (plainUnits) {
    // Document order, as one parse gives them (ids are counted in order).
    result.markers.sort((a, b) => a.start - b.start)
    result.markerProblems.sort((a, b) => a.start - b.start)
    // References: unit by unit (each starts in its unit), each unit's in the
    // order the scan gives.
    const starts = prose.map((d) => d.start)
    result.refProblems.sort((a, b) => pieceAt(starts, a.start) - pieceAt(starts, b.start))
  }

  return result
}

/**
 * Sections of a chapter, parsing only units that may hold a heading (see
 * `unitSections`): what `analyseChapter` gives with `sections: true`, for a
 * caller that needs nothing else of the chapter.
 *
 * @param value
 *   Chapter content (no BOM).
 * @param cache
 *   Definition cache shared across chapters.
 * @returns
 *   Sections, in order.
 */
export function chapterSections(value: string, cache: DefinitionCache): Section[] {
  return analyseChapter(value, cache, {markers: false, htmlMarkers: false, refs: false, prefixes: [], sections: true})
    .sections
}

/**
 * Parse the flagged units of a chapter as one document, told which labels
 * they use that the chapter defines (`parseUnits`), and collect.
 *
 * @param value
 *   Chapter content.
 * @param units
 *   Units to parse, in order.
 * @param labels
 *   Raw labels the units use that the chapter defines.
 * @param footnotes
 *   Labels of the chapter's footnote definitions.
 * @param isDefined
 *   Whether the chapter defines an identifier.
 * @param candidates
 *   Labels to suggest for an undefined reference.
 * @param options
 *   Options.
 * @param result
 *   Result to add to.
 * @param wantMarkers
 *   Whether to find markers.
 * @param wantRefs
 *   Whether to check references.
 * @returns
 *   Nothing.
 */
function analyseUnits(
  value: string,
  units: Unit[],
  labels: string[],
  footnotes: string[],
  isDefined: (identifier: string) => boolean,
  candidates: () => Iterable<string>,
  options: AnalyseOptions,
  result: ChapterAnalysis,
  wantMarkers: boolean,
  wantRefs: boolean
): undefined {
  const {tree, source, map} = parseUnits(value, units, labels, footnotes)
  result.parsed += source.length

  if (wantMarkers) {
    const found = findMarkers(tree, source, {html: options.htmlMarkers})

    for (const marker of found.markers) {
      const start = map(marker.start)
      if (start === -1) continue
      const shift = start - marker.start
      result.markers.push({
        ...marker,
        start,
        end: marker.end + shift,
        ...(marker.headingStart === undefined ? {} : {headingStart: marker.headingStart + shift})
      })
    }

    for (const problem of found.problems) {
      const start = map(problem.start)
      if (start === -1) continue
      result.markerProblems.push({...problem, start, end: problem.end + start - problem.start})
    }
  }

  if (wantRefs) {
    for (const problem of findReferenceProblems(tree, source, isDefined, {
      prefixes: options.prefixes,
      allow: options.allow,
      candidates
    })) {
      const start = map(problem.start)
      if (start === -1) continue
      result.refProblems.push({...problem, start, end: problem.end + start - problem.start})
    }
  }
}

/**
 * Parse some units of a chapter as one document, told which labels they use
 * that the chapter defines (and its footnotes), so that references resolve
 * as in the whole chapter.
 *
 * Each unit starts where CommonMark has closed every block, so the units
 * joined by blank lines parse as they do in the chapter; one parse per
 * chapter saves micromark's set-up for each unit.
 *
 * @param value
 *   Chapter content.
 * @param units
 *   Units to parse, in order.
 * @param labels
 *   Raw labels the units use that the chapter defines.
 * @param footnotes
 *   Labels of the chapter's footnote definitions.
 * @returns
 *   Tree of the joined units, the joined text, and a map from its offsets
 *   to the chapter's (`-1` before the first unit).
 */
export function parseUnits(
  value: string,
  units: ReadonlyArray<Unit>,
  labels: Iterable<string>,
  footnotes: Iterable<string>
): {tree: Root; source: string; map: (offset: number) => number} {
  // References resolve against definitions anywhere in the document: the
  // parse is told which labels the rest of the chapter defines.
  const {source, starts} = joinUnits(value, units)
  const tree: Root = parseMarkdownWithLabels(source, labels, footnotes)

  return {tree, source, map}

  /**
   * Map an offset in `source` to the chapter; `-1` before the first unit.
   *
   * @param offset
   *   Offset in `source`.
   * @returns
   *   Offset in the chapter.
   */
  function map(offset: number): number {
    if (starts.length === 0 || offset < starts[0]) return -1
    const index = pieceAt(starts, offset)
    return units[index].start + offset - starts[index]
  }
}

/**
 * Find bracketed labels in a unit: which defined ones it uses (for stand-in
 * definitions), and whether any could be a broken reference.
 *
 * Over-approximates: `[a][b]`, `[b][]` and family shortcuts `[c~x]` whose
 * label is not defined, and `[[wiki]]` links, make a unit suspicious; the
 * parse then decides.
 *
 * @param text
 *   Unit.
 * @param isDefined
 *   Whether an identifier is defined.
 * @param isAllowed
 *   Whether a label, as written, is allowed (`allow`).
 * @param prefixes
 *   Label families.
 * @returns
 *   Defined labels (raw → identifier) and whether the unit is suspicious.
 */
export function scanLabels(
  text: string,
  isDefined: (identifier: string) => boolean,
  isAllowed: (label: string) => boolean,
  prefixes: string[]
): {defined: Map<string, string>; suspicious: boolean} {
  const defined = new Map<string, string>()
  let suspicious = text.includes('[[')
  if (!text.includes('[')) return {defined, suspicious}
  const lowerPrefixes = prefixes.map((d) => d.toLowerCase())
  bracket.lastIndex = 0
  let match: RegExpExecArray | null

  while ((match = bracket.exec(text))) {
    const raw = match[1]
    // Footnote calls (`[^1]`) are not link references.
    if (raw.charCodeAt(0) === 94 /* `^` */) continue
    const identifier = normalizeLabel(raw)
    if (identifier === '') continue

    if (isDefined(identifier)) {
      defined.set(raw, identifier)
      continue
    }

    // The reference check skips an allowed label as it skips a defined one.
    if (suspicious || isAllowed(raw)) continue
    const end = match.index + match[0].length
    const full = match.index > 0 && text.charCodeAt(match.index - 1) === 93 /* `]` */
    const collapsed = text.startsWith('[]', end)
    const lower = raw.trimStart().toLowerCase()
    const family = lowerPrefixes.some((d) => lower.startsWith(d))
    if (full || collapsed || family) suspicious = true
    // `[a][b]`: the regex resumes after `[a]`, so `[b]` is seen next.
  }

  // Brackets inside a label hide it from the regex above, but the reference
  // check masks inline nodes and sees `[text][a [b](u)]`, `[a [b](u)][]`,
  // `[c~x [b](u)]`: let the parse decide.
  if (!suspicious && (nestedFull.test(text) || (text.includes('][]') && nestedLabel.test(text)))) {
    suspicious = true
  }

  if (!suspicious && lowerPrefixes.length > 0 && nestedLabel.test(text)) {
    suspicious = nestedFamily(text, lowerPrefixes)
  }

  return {defined, suspicious}
}

/**
 * Whether a bracket group that starts with a label family holds another
 * bracket before it closes (`[c~x [b](u)]`).
 *
 * @param text
 *   Unit.
 * @param lowerPrefixes
 *   Label families, lowercase.
 * @returns
 *   Whether such a group exists.
 */
function nestedFamily(text: string, lowerPrefixes: string[]): boolean {
  const lower = text.toLowerCase()
  let index = lower.indexOf('[')

  while (index !== -1) {
    let start = index + 1
    while (lower.charCodeAt(start) === 32 || lower.charCodeAt(start) === 9) start++

    if (lowerPrefixes.some((d) => lower.startsWith(d, start))) {
      if (nestedLabelStart.test(lower.slice(index, index + 1000))) return true
    }

    index = lower.indexOf('[', index + 1)
  }

  return false
}

/**
 * Where the paragraph holding a non-definition part of a block starts: a
 * part right after definitions continues their paragraph
 * (`[a]: /a\n<span>\n{{hi:x}}`: `<span>` is inline HTML there, but alone it
 * would open an HTML block), so it is parsed with them.
 *
 * @param value
 *   Chapter content.
 * @param floor
 *   Offset not to go before (block start, or end of the previous part).
 * @param offset
 *   Start of the part.
 * @returns
 *   Start of its first line, moved back over non-blank lines down to `floor`.
 */
function continuedFrom(value: string, floor: number, offset: number): number {
  let from = lineStart(value, offset)
  if (from < floor) return offset

  while (from > floor) {
    const previous = lineStart(value, from - 1)
    if (previous < floor || blankLineAt(value, previous)) break
    from = previous
  }

  return from
}

/**
 * Start of the line that holds an offset.
 *
 * @param value
 *   Text.
 * @param offset
 *   Offset.
 * @returns
 *   Offset after the previous line ending, or `0`.
 */
function lineStart(value: string, offset: number): number {
  let index = offset

  while (index > 0) {
    const code = value.charCodeAt(index - 1)
    // A `\r` of a `\r\n` ending also ends the line before it.
    if (code === 10 || (code === 13 && value.charCodeAt(index) !== 10)) break
    index--
  }

  return index
}

/**
 * Whether a known block has a definition at a chapter offset.
 *
 * @param blocks
 *   Blocks, with where they start.
 * @param offset
 *   Offset in the chapter.
 * @returns
 *   Whether one of them defines something there.
 */
function hasDefinitionAt(blocks: Array<{block: DefinitionBlock; start: number}>, offset: number): boolean {
  for (const {block, start} of blocks) {
    const definitions = block.definitions
    const target = offset - start
    let low = 0
    let high = definitions.length - 1

    while (low <= high) {
      const middle = (low + high) >> 1
      const at = definitions[middle].start
      if (at === target) return true
      if (at < target) low = middle + 1
      else high = middle - 1
    }
  }

  return false
}

/**
 * Parse a new block of definitions and remember it.
 *
 * @param cache
 *   Cache.
 * @param text
 *   Block (a unit starting with a definition).
 * @returns
 *   Cached block.
 */
function remember(cache: DefinitionCache, text: string): CachedBlock {
  const firstLineEnd = text.indexOf('\n')
  const key = firstLineEnd === -1 ? text : text.slice(0, firstLineEnd)
  let list = cache.blocks.get(key)

  if (list) {
    for (const block of list) if (block.text === text) return block
  } else {
    list = []
    cache.blocks.set(key, list)
  }

  const parsed = parseDefinitions(text)
  const block: CachedBlock = {
    // Flatten: a slice of a chapter would keep the whole chapter alive.
    text: (' ' + text).slice(1),
    definitions: parsed.definitions,
    other: parsed.other,
    identifiers: new Set(parsed.definitions.map((d) => d.identifier))
  }
  list.push(block)
  return block
}

/**
 * Copies of findings with their offsets moved from a unit to the chapter.
 *
 * @param items
 *   Findings with offsets in the unit.
 * @param by
 *   Offset of the unit in the chapter.
 * @returns
 *   Findings with chapter offsets.
 */
function shift<Item extends {start: number; end: number}>(items: Item[], by: number): Item[] {
  return items.map((d) => ({...d, start: d.start + by, end: d.end + by}))
}

/**
 * Nodes of a type anywhere in a tree (not inside one another).
 *
 * @param tree
 *   Tree.
 * @param type
 *   Type, such as `definition`.
 * @returns
 *   Nodes, in order.
 */
function* walkNodes<Type extends Nodes['type']>(
  tree: Root,
  type: Type
): Generator<Extract<Nodes, {type: Type}>> {
  const stack: Array<{children?: unknown[]; type: string}> = [tree]

  while (stack.length > 0) {
    const node = stack.pop()!
    if (node.type === type) {
      yield node as unknown as Extract<Nodes, {type: Type}>
      continue
    }

    if (node.children) {
      for (let index = node.children.length - 1; index >= 0; index--) {
        stack.push(node.children[index] as {type: string})
      }
    }
  }
}

/**
 * Turn a definition node into a `Definition`.
 *
 * @param node
 *   Node.
 * @param base
 *   Offset of the parsed text in the chapter.
 * @returns
 *   Definition.
 */
function toDefinition(node: import('mdast').Definition, base: number): Definition {
  const start = node.position!.start
  const end = node.position!.end
  return {
    label: node.label ?? node.identifier,
    identifier: node.identifier,
    url: node.url,
    title: node.title ?? null,
    start: start.offset! + base,
    end: end.offset! + base,
    line: start.line,
    column: start.column
  }
}

/**
 * Whether a blank line starts at an offset (the text there is a line end or
 * a whitespace-only line).
 *
 * @param value
 *   Text.
 * @param index
 *   Offset of a line start.
 * @returns
 *   Whether that line is blank.
 */
function blankLineAt(value: string, index: number): boolean {
  for (; index < value.length; index++) {
    const code = value.charCodeAt(index)
    if (code === 10) return true
    if (code !== 32 && code !== 9 && code !== 13) return false
  }

  return true
}
