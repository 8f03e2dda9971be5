/**
 * Definitions checked book-wide by the pass: each block’s definitions on
 * their own, duplicates and conflicts within a chapter, and definitions no
 * chapter uses, with the wording of `remarkXrefRefs`.
 */

import {
  conflictingDefinitionReason,
  duplicateDefinitionReason,
  unusedDefinitionReason
} from '../diagnostics/messages.js'
import type {ChapterAnalysis, DefinitionBlock} from '../fast/analyse-chapter.js'
import {foldCrate, parseCrateLabel} from '../markdown/crate-labels.js'
import {checkDefinition, judgeConflict, registryCrates} from '../markdown/definition-checks.js'
import type {Definition} from '../markdown/definitions.js'
import type {Finding} from './finding.js'

/**
 * Check definitions book-wide: duplicates and conflicts within a chapter,
 * conventions once per definition block.
 *
 * The real book includes the same 11,000 definitions in every chapter, so
 * nothing here walks every definition of every chapter: a block's own
 * problems and duplicates are computed once per block, and the labels
 * defined twice in the blocks a chapter ends with once per such run.
 *
 * @param analyses
 *   Chapter analyses.
 * @param unused
 *   Whether to report definitions no chapter uses.
 * @returns
 *   Findings.
 */
export function checkBook(analyses: Array<ChapterAnalysis | undefined>, unused: boolean): Finding[] {
  const findings: Finding[] = []
  const crates = bookCrates(analyses)
  /** Findings of each block, placed in the first chapter that has it. */
  const placed = new Map<DefinitionBlock, Finding[]>()
  /** Identifiers any chapter uses (only read when `unused`). */
  const used = new Set<string>()
  if (unused) for (const analysis of analyses) for (const id of analysis ? analysis.used : []) used.add(id)

  for (const [chapter, analysis] of analyses.entries()) {
    if (!analysis) continue

    for (const {block, base} of analysis.blocks) {
      const known = placed.get(block)

      if (known) {
        for (const finding of known) finding.also!.push(chapter)
        continue
      }

      const list = blockProblems(block, crates).map(
        (problem): Finding => ({...problem, chapter, start: problem.start + base, end: problem.end + base, also: []})
      )

      if (unused) {
        for (const definition of block.definitions) {
          if (used.has(definition.identifier)) continue
          list.push({
            ruleId: 'unused-definition',
            reason: unusedDefinitionReason(definition.label),
            chapter,
            start: definition.start + base,
            end: definition.start + base + definition.label.length + 2,
            label: definition.label,
            also: []
          })
        }
      }

      placed.set(block, list)
      findings.push(...list)
    }

    for (const group of duplicateGroups(analysis)) {
      const [first, ...rest] = group
      const firstPlace = {chapter, offset: first.start, label: first.label}

      for (const definition of rest) {
        const same = definition.url === first.url
        findings.push({
          ruleId: same ? 'duplicate-definition' : 'conflicting-definition',
          reason: same
            ? duplicateDefinitionReason(definition.label)
            : conflictingDefinitionReason(judgeConflict(first, definition, {}, crates)),
          chapter,
          start: definition.start,
          end: definition.start + definition.label.length + 2,
          label: definition.label,
          related: firstPlace
        })
      }
    }
  }

  return findings
}

/**
 * Crate names that crates.io and lib.rs definitions give, by folded name,
 * with the same rule as `remarkXrefRefs` (each distinct block read once).
 *
 * @param analyses
 *   Chapter analyses.
 * @returns
 *   Map of folded crate group to crate name.
 */
function bookCrates(analyses: Array<ChapterAnalysis | undefined>): Map<string, string> {
  const blocks = new Set<DefinitionBlock>()
  for (const analysis of analyses) for (const {block} of analysis ? analysis.blocks : []) blocks.add(block)
  return registryCrates([...blocks].flatMap((d) => d.definitions))
}

const blockCache = new WeakMap<DefinitionBlock, Finding[]>()

/**
 * Problems of a block's definitions on their own (unsafe URLs, conventions,
 * stray `~`), computed once per block.
 *
 * @param block
 *   Block.
 * @param crates
 *   Crate names from registry definitions.
 * @returns
 *   Findings, offsets relative to the block (`chapter` unset).
 */
function blockProblems(block: DefinitionBlock, crates: Map<string, string>): Finding[] {
  let cached = blockCache.get(block)

  if (!cached) {
    cached = []

    for (const definition of block.definitions) {
      const parts = parseCrateLabel(definition.label)
      const crate = parts ? crates.get(foldCrate(parts.crate)) : undefined

      for (const problem of checkDefinition(definition.label, definition.url, {}, crate)) {
        cached.push({
          ruleId: problem.ruleId,
          reason: problem.reason,
          chapter: -1,
          start: definition.start,
          end: definition.start + definition.label.length + 2,
          label: definition.label
        })
      }
    }

    blockCache.set(block, cached)
  }

  return cached
}

/** Per block: definitions by identifier, and identifiers defined twice in it. */
const indexCache = new WeakMap<DefinitionBlock, {byId: Map<string, Definition[]>; twice: string[]}>()

/**
 * Index a block by identifier, once.
 *
 * @param block
 *   Block.
 * @returns
 *   Index.
 */
function indexOf(block: DefinitionBlock): {byId: Map<string, Definition[]>; twice: string[]} {
  let index = indexCache.get(block)

  if (!index) {
    const byId = new Map<string, Definition[]>()
    const twice: string[] = []

    for (const definition of block.definitions) {
      const list = byId.get(definition.identifier)
      if (list) {
        if (list.length === 1) twice.push(definition.identifier)
        list.push(definition)
      } else {
        byId.set(definition.identifier, [definition])
      }
    }

    index = {byId, twice}
    indexCache.set(block, index)
  }

  return index
}

/**
 * A chapter's blocks from one block to the last, with the identifiers
 * defined more than once in them. Chapters that end with the same blocks
 * (the included definitions) share these, so each is made once per book.
 */
interface Run {
  block: DefinitionBlock
  next: Run | undefined
  /** Identifiers defined twice or more from `block` on. */
  twice: Set<string>
}

/** Runs by their first block, by the run after it (`undefined` at the end). */
const runCache = new WeakMap<DefinitionBlock, Map<Run | undefined, Run>>()

/**
 * The run of a block followed by a run.
 *
 * @param block
 *   First block.
 * @param next
 *   Rest.
 * @returns
 *   Run.
 */
function runOf(block: DefinitionBlock, next: Run | undefined): Run {
  let byNext = runCache.get(block)
  if (!byNext) runCache.set(block, (byNext = new Map()))
  let run = byNext.get(next)

  if (!run) {
    const twice = new Set(next ? next.twice : [])
    for (const identifier of indexOf(block).twice) twice.add(identifier)

    for (const identifier of block.identifiers) {
      if (twice.has(identifier)) continue

      for (let other = next; other; other = other.next) {
        if (other.block.identifiers.has(identifier)) {
          twice.add(identifier)
          break
        }
      }
    }

    run = {block, next, twice}
    byNext.set(next, run)
  }

  return run
}

/**
 * Groups of definitions of one identifier in a chapter, two or more each.
 *
 * @param analysis
 *   Chapter analysis.
 * @returns
 *   Groups, definitions with chapter offsets, in document order.
 */
function duplicateGroups(analysis: ChapterAnalysis): Definition[][] {
  const blocks = analysis.blocks
  let run: Run | undefined
  for (let index = blocks.length - 1; index >= 0; index--) run = runOf(blocks[index].block, run)
  const identifiers = run ? run.twice : new Set<string>()
  const groups: Definition[][] = []

  for (const identifier of identifiers) {
    const group: Definition[] = []
    for (const {block, base} of blocks) {
      for (const definition of indexOf(block).byId.get(identifier) || []) {
        group.push({...definition, start: definition.start + base, end: definition.end + base})
      }
    }

    group.sort((a, b) => a.start - b.start)
    groups.push(group)
  }

  return groups.sort((a, b) => a[0].start - b[0].start)
}

