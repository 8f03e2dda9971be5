/**
 * Sections of a chapter on the fast path: a unit that is one plain ATX
 * heading line (`## Getting started`) is read without a parse; the other
 * units that may hold a heading are parsed, joined into one small document, with stand-in
 * definitions for the labels they use (a reference in a heading is a link,
 * whose tags are in mdBook’s id) and the chapter’s footnote labels. Markers
 * in those headings are rewritten in the tree as `remarkXrefMarkers` does,
 * and `treeSections` (the one judge) reads the headings.
 */

import type {Heading} from 'mdast'
import {location} from 'vfile-location'
import type {Definition} from '../markdown/definitions.js'
import {normalizeLabel} from '../markdown/labels.js'
import {createIdState, rewriteMarkers} from '../markdown/marker-rewrite.js'
import {markersToTree} from '../markdown/marker-tree.js'
import {findMarkers} from '../markdown/markers.js'
import {parseMarkdownWithLabels} from '../markdown/parse-markdown.js'
import {definitionTargets, headingSections, treeHeadings, type PlacedHeading, type Section} from '../markdown/sections.js'
import {pieceAt} from '../mdbook/source-map.js'
import {joinUnits, mayHoldHeading, type Unit} from './units.js'

/** What the chapter defines, for references in headings. */
export interface SectionContext {
  /** Whether the chapter defines an identifier. */
  isDefined: (identifier: string) => boolean
  /** Definitions of the chapter: each block’s definitions have offsets relative to `base`. */
  blocks: ReadonlyArray<{block: {definitions: Definition[]}; base: number}>
  /** Labels of the chapter’s footnote definitions. */
  footnotes: string[]
}

/**
 * One ATX heading line at column 0 whose content has nothing inline
 * CommonMark or our markers read (code, emphasis, links, HTML, references,
 * escapes, strikethrough, `{{`): its text is its content. Conservative: any
 * other line goes to the parse.
 */
const plainHeading = /^(#{1,6})(?:[ \t]+((?:[^\x00-\x08\x0A-\x1F\x7F`*_[\]<>&\\!~{]|\{(?!\{))*))?\r?\n?$/

/** A bracketed label (no nested brackets; CommonMark caps labels at 999). */
const bracket = /\[((?:[^\[\]\\]|\\[\s\S]){0,999})\]/g

/**
 * Sections of a chapter from its prose units.
 *
 * @param value
 *   Chapter content (no BOM).
 * @param prose
 *   Units that are not blocks of definitions, in order (`heading` says
 *   whether one may hold a heading; unknown: read the text).
 * @param context
 *   What the chapter defines.
 * @returns
 *   Sections, in order, and the characters given to micromark.
 */
export function unitSections(
  value: string,
  prose: ReadonlyArray<Unit>,
  context: SectionContext
): {sections: Section[]; parsed: number} {
  const plain: PlacedHeading[] = []
  const units: Unit[] = []

  for (const unit of prose) {
    const text = value.slice(unit.start, unit.end)
    if (!(unit.heading ?? mayHoldHeading(text))) continue
    const heading = readPlainHeading(text)
    if (heading) plain.push({start: unit.start, heading})
    else units.push(unit)
  }

  if (units.length === 0) return {sections: headingSections(plain), parsed: 0}
  const {source, starts} = joinUnits(value, units, standIns(value, units, context))
  const tree = parseMarkdownWithLabels(source, [], context.footnotes)
  const found = findMarkers(tree, source)

  if (found.markers.length > 0) {
    const {ids} = rewriteMarkers(found.markers, source, createIdState())
    markersToTree(tree, source, location(source), found.markers, ids, [])
  }

  const parsed = treeHeadings(tree, {
    map(offset) {
      if (offset < starts[0]) return -1
      const index = pieceAt(starts, offset)
      return units[index].start + offset - starts[index]
    }
  })
  // Ids are counted in document order over every heading of the chapter.
  const headings = [...plain, ...parsed].sort((a, b) => a.start - b.start)
  return {sections: headingSections(headings, definitionTargets(tree)), parsed: source.length}
}

/**
 * Read a unit that is one plain ATX heading line, as micromark would:
 * content trimmed, a closing run of `#` after a space or tab dropped.
 *
 * @param text
 *   Unit.
 * @returns
 *   Heading (without position), or `undefined` when the unit needs a parse.
 */
function readPlainHeading(text: string): Heading | undefined {
  const match = plainHeading.exec(text)
  if (!match) return undefined
  const content = (match[2] || '')
    .replace(/[ \t]+$/, '')
    .replace(/(?:^|[ \t]+)#+$/, '')
    .replace(/^[ \t]+|[ \t]+$/g, '')
  return {
    type: 'heading',
    depth: match[1].length as Heading['depth'],
    // A copy: a slice would keep the whole chapter alive as long as the section.
    children: content ? [{type: 'text', value: (' ' + content).slice(1)}] : []
  }
}

/**
 * Stand-in definitions for the defined labels that units use, each from the
 * chapter’s first definition of its identifier, as a whole parse resolves
 * it: `[tokio]: <https://tokio.rs> "Tokio"`.
 *
 * @param value
 *   Chapter content.
 * @param units
 *   Units.
 * @param context
 *   What the chapter defines.
 * @returns
 *   Definitions, each on its line, and a blank line; or `''`.
 */
function standIns(value: string, units: ReadonlyArray<Unit>, context: SectionContext): string {
  const wanted = new Set<string>()

  for (const unit of units) {
    const text = value.slice(unit.start, unit.end)
    if (!text.includes('[')) continue
    bracket.lastIndex = 0
    let match: RegExpExecArray | null

    while ((match = bracket.exec(text))) {
      const identifier = normalizeLabel(match[1])
      if (identifier !== '' && context.isDefined(identifier)) wanted.add(identifier)
    }
  }

  if (wanted.size === 0) return ''
  const first = new Map<string, {definition: Definition; at: number}>()

  for (const {block, base} of context.blocks) {
    for (const definition of block.definitions) {
      if (!wanted.has(definition.identifier)) continue
      const at = base + definition.start
      const known = first.get(definition.identifier)
      if (!known || at < known.at) first.set(definition.identifier, {definition, at})
    }
  }

  let result = ''

  for (const {definition} of first.values()) {
    result +=
      '[' +
      definition.label +
      ']: <' +
      definition.url.replace(/[\\<>&]/g, '\\$&') +
      '>' +
      (definition.title === null ? '' : ' "' + definition.title.replace(/[\\"&]/g, '\\$&') + '"') +
      '\n'
  }

  return result === '' ? '' : result + '\n'
}
