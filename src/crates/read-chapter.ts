/**
 * Read the crate references of one chapter cheaply: split it into units
 * (`fast/units.ts`, definition blocks parsed once per book), and parse only
 * the units that can hold a crate reference, told which labels the rest of
 * the chapter defines (`parseUnits`), then judge that tree (`judge.ts`).
 *
 * Why: chapters of large books carry ~800 KB of definitions each and
 * micromark parses ~0.3 MB/s; the units that can reference a crate are a
 * small part of the prose.
 */

import {
  analyseChapter,
  createCache,
  parseUnits,
  scanLabels,
  type DefinitionBlock,
  type DefinitionCache
} from '../fast/analyse-chapter.js'
import type {Unit} from '../fast/units.js'
import type {Definition} from '../markdown/definitions.js'
import type {Section} from '../markdown/sections.js'
import {judgeTree, type FoundReference, type JudgedDefinition} from './judge.js'
import {defaultPrefixes} from '../markdown/labels.js'
import {crateOfUrl, labelJudge, type LabelTarget} from './names.js'

/** What a definition block holds for crates, worked out once per block. */
export interface BlockCrates {
  /** First definition of each identifier in the block. */
  byIdentifier: Map<string, Definition>
  /** Definitions whose label is a crate or category label, with what it names. */
  family: Array<{definition: Definition; target: LabelTarget}>
  /** Their identifiers. */
  familyIdentifiers: Set<string>
  /** Identifiers of other definitions whose destination is a crate page. */
  registry: Set<string>
}

/** State shared by the chapters of one collection. */
export interface ReadState {
  /** Definition blocks seen before. */
  cache: DefinitionCache
  /** Crate facts of each block. */
  blocks: WeakMap<DefinitionBlock, BlockCrates>
  /** Label judge. */
  label: (label: string) => LabelTarget | undefined
  /** Start of a crate or category label: `[c~`, `[ cat-`. */
  familyStart: RegExp
  /** Characters handed to micromark. */
  parsed: number
}

/**
 * State for reading the chapters of one run.
 *
 * @param cache
 *   Definition cache to share with other readers of the run (default: a new one).
 * @param prefixes
 *   Label families of the book (default: the conventions’ own).
 * @returns
 *   State.
 */
export function createReadState(
  cache?: DefinitionCache | null | undefined,
  prefixes?: ReadonlyArray<string> | null | undefined
): ReadState {
  return {
    cache: cache || createCache(),
    blocks: new WeakMap(),
    label: labelJudge(prefixes),
    familyStart: familyStart(prefixes || defaultPrefixes),
    parsed: 0
  }
}

/**
 * A regex for the start of a label of the book's families (`[c~`, `[ cat-`).
 *
 * @param prefixes
 *   Label families.
 * @returns
 *   Regex.
 */
function familyStart(prefixes: ReadonlyArray<string>): RegExp {
  if (prefixes.length === 0) return /(?!)/
  const escaped = prefixes.map((d) => d.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))
  return new RegExp('\\[\\s*(?:' + escaped.join('|') + ')', 'i')
}

/** A chapter read. */
export interface ChapterRead {
  /** References, offsets in the chapter. */
  references: FoundReference[]
  /** Definition blocks of the chapter, with where they start. */
  blocks: Array<{block: DefinitionBlock; base: number; crates: BlockCrates}>
  /** Sections of a counted chapter, in order (empty when not counted). */
  sections: Section[]
}

/** A crate page URL somewhere in a unit. */
const registryUrl = /(?:docs\.rs|crates\.io|lib\.rs)\//i

/**
 * Read one chapter.
 *
 * @param value
 *   Chapter content (no BOM).
 * @param state
 *   Shared state.
 * @param count
 *   Whether its references count (`false`: only its definitions are read).
 * @returns
 *   References and definition blocks.
 */
export function readChapter(value: string, state: ReadState, count: boolean): ChapterRead {
  // The sections come from the same split of the chapter into units.
  const analysis = analyseChapter(value, state.cache, {
    markers: false,
    htmlMarkers: false,
    refs: false,
    prefixes: [],
    sections: count
  })
  state.parsed += analysis.parsed
  const blocks = analysis.blocks.map((d) => ({...d, crates: blockCrates(d.block, state)}))
  const result: ChapterRead = {references: [], blocks, sections: analysis.sections}
  if (!count) return result

  const registry = blocks.some((d) => d.crates.registry.size > 0)
  /** Whether the chapter defines an identifier. */
  const isDefined = (identifier: string): boolean => blocks.some((d) => d.block.identifiers.has(identifier))
  /** Whether a reference to an identifier can reference a crate or category. */
  const isCrate = (identifier: string): boolean =>
    blocks.some((d) => d.crates.familyIdentifiers.has(identifier) || d.crates.registry.has(identifier))
  const isAllowed = (): boolean => true
  const units: Unit[] = []
  const labels = new Set<string>()

  for (const unit of analysis.prose) {
    const text = value.slice(unit.start, unit.end)
    const url = registryUrl.test(text)
    // `[Tokio][tokio]` with `[tokio]: https://docs.rs/tokio`: only the
    // labels say so, so every unit is read then.
    if (!url && !registry && !state.familyStart.test(text)) continue
    const found = scanLabels(text, isDefined, isAllowed, []).defined
    // Undefined labels (`[c~nope~docs]`) are text: no parse for them.
    if (!url && ![...found.values()].some(isCrate)) continue
    units.push(unit)
    for (const raw of found.keys()) labels.add(raw)
  }

  if (units.length === 0) return result

  const {tree, source, map} = parseUnits(value, units, labels, analysis.footnotes)
  state.parsed += source.length
  const definition = function (identifier: string): JudgedDefinition | undefined {
    for (const d of blocks) {
      const found = d.crates.byIdentifier.get(identifier)
      if (found) return found
    }

    return undefined
  }

  for (const reference of judgeTree(tree, {definition, label: state.label})) {
    const start = map(reference.start)
    if (start === -1) continue
    result.references.push({...reference, start, end: reference.end + start - reference.start})
  }

  return result
}

/**
 * The crate facts of a definition block, worked out once per block.
 *
 * @param block
 *   Block.
 * @param state
 *   Shared state.
 * @returns
 *   Facts.
 */
function blockCrates(block: DefinitionBlock, state: ReadState): BlockCrates {
  let facts = state.blocks.get(block)
  if (facts) return facts
  facts = {byIdentifier: new Map(), family: [], familyIdentifiers: new Set(), registry: new Set()}

  for (const definition of block.definitions) {
    // CommonMark: the first definition of a label wins.
    if (facts.byIdentifier.has(definition.identifier)) continue
    facts.byIdentifier.set(definition.identifier, definition)
    const target = state.label(definition.label)
    if (target) {
      facts.family.push({definition, target})
      facts.familyIdentifiers.add(definition.identifier)
    } else if (crateOfUrl(definition.url)) facts.registry.add(definition.identifier)
  }

  state.blocks.set(block, facts)
  return facts
}
