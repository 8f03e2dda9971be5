/**
 * Near-duplicate index terms: spellings that differ only by a plural
 * ending, case, separators or leading punctuation.
 */

import type {IndexEntry} from '../markdown/markers.js'
import {compileIndex} from './compile.js'
import {nearForm, pathKey, singulars} from './levels.js'
import {sep, type IndexModel, type Level} from './model.js'
import type {IndexOptions} from './options.js'
import {activeRule, code, rewrite, seeRulesOf, settleSeeRules} from './see.js'
import {comparePaths} from './sort.js'

/** A place where a term was written. */
export interface TermOccurrence {
  chapter: string | null
  chapterName: string
  line: number
  column: number
  /** Offset in the chapter content (the entry's `offset`). */
  offset: number
}

/** One spelling in a near-duplicate group. */
export interface NearDuplicateTerm {
  /** Term as first written (trimmed), such as `Paths`. */
  term: string
  /** Every occurrence, in book order. */
  occurrences: TermOccurrence[]
}

/** Terms that differ only by plural ending, case, `-`/`_`/space or leading punctuation. */
export interface NearDuplicateGroup {
  terms: NearDuplicateTerm[]
}

/** A near-duplicate group as problem data, for the caller to turn into a message. */
export interface NearDuplicateProblem {
  ruleId: 'index-near-duplicate'
  reason: string
  /** Where each spelling occurs, one line per spelling. */
  note: string
  terms: NearDuplicateTerm[]
}

/**
 * Find groups of terms that differ only by a plural ending (`s`, `es`,
 * `ies` → `y`, on the last level), case, `-`/`_`/whitespace, or leading
 * punctuation — and that are still separate entries after case merging and
 * `seeInstead` / `nestUnder`: the entries the index shows apart, each named
 * as the index shows it (`Enum`/`enum` alone is no group; `Enum`/`Enums`/`enum`
 * is, listing `Enum` with the places of `Enum` and `enum`, and `Enums`).
 *
 * @param entries
 *   Index entries of the whole book (drafts included), in book order.
 * @param options
 *   Configuration (`mergeCase`, `seeInstead`, `nestUnder`, `language` apply).
 * @returns
 *   Groups, sorted like the index by their first term; terms sorted the same.
 */
export function findNearDuplicates(
  entries: ReadonlyArray<IndexEntry>,
  options?: Readonly<IndexOptions> | null | undefined
): NearDuplicateGroup[] {
  return nearDuplicateGroups(compileIndex(entries, options))
}

/**
 * Find near-duplicate groups in a compiled index (see `findNearDuplicates`).
 *
 * @param model
 *   Compiled index.
 * @returns
 *   Groups, sorted like the index by their first term; terms sorted the same.
 */
export function nearDuplicateGroups(model: IndexModel): NearDuplicateGroup[] {
  const {parsed, settings} = model
  const drafts = parsed.some((item) => item.occurrence.entry.chapter === null)
  // Same loop cutting and dangling checks as the page, so “same entry”
  // means the same thing here; but drafts count, so the rules are settled
  // again when there are any.
  let seeRules = model.seeRules

  if (drafts) {
    seeRules = seeRulesOf(settings, model.nestRules)
    settleSeeRules(seeRules, parsed, settings, [])
  }

  /** Spelling (display path) → data. */
  const terms = new Map<
    string,
    {
      term: string
      levels: Level[]
      final: string
      form: string
      occurrences: Array<{order: number; place: TermOccurrence}>
    }
  >()

  for (const [order, {occurrence, written: levels, nested}] of parsed.entries()) {
    const spelling = levels.map((level) => level.display).join(sep)
    let term = terms.get(spelling)

    if (!term) {
      term = {
        term: occurrence.entry.term.trim(),
        levels,
        final: pathKey(rewrite(nested, seeRules, activeRule)),
        form: levels.map((level) => nearForm(level.display)).join(sep),
        occurrences: []
      }
      terms.set(spelling, term)
    }

    const {chapter, chapterName, line, column, offset} = occurrence.entry
    term.occurrences.push({order, place: {chapter, chapterName, line, column, offset}})
  }

  // Union-find over spellings: same form, or one is a singular of the other.
  const list = [...terms.values()]
  const byForm = new Map<string, number[]>()
  const parent = list.map((_, index) => index)
  const find = (index: number): number => {
    while (parent[index] !== index) {
      parent[index] = parent[parent[index]]
      index = parent[index]
    }

    return index
  }

  const union = (a: number, b: number): void => {
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb)
  }

  for (const [index, term] of list.entries()) {
    const same = byForm.get(term.form)
    if (same) same.push(index)
    else byForm.set(term.form, [index])
  }

  for (const [index, term] of list.entries()) {
    for (const form of [term.form, ...singulars(term.form)]) {
      for (const other of byForm.get(form) || []) union(index, other)
    }
  }

  const clusters = new Map<number, typeof list>()

  for (const [index, term] of list.entries()) {
    const root = find(index)
    const cluster = clusters.get(root)
    if (cluster) cluster.push(term)
    else clusters.set(root, [term])
  }

  const compare = (a: Shown, b: Shown): number => comparePaths(a.levels, b.levels, settings.collator)
  const groups: Shown[][] = []

  for (const cluster of clusters.values()) {
    // Spellings the index merges (`Enum`, `enum`) are one entry: compare entries.
    const entries = new Map<string, typeof list>()

    for (const term of cluster) {
      const same = entries.get(term.final)
      if (same) same.push(term)
      else entries.set(term.final, [term])
    }

    if (entries.size < 2) continue
    groups.push([...entries.entries()].map(([final, spellings]) => shown(model, final, spellings)).sort(compare))
  }

  return groups
    .sort((a, b) => compare(a[0], b[0]))
    .map((group) => ({terms: group.map(({term, occurrences}) => ({term, occurrences}))}))
}

/** An entry of the index as a near-duplicate group shows it. */
interface Shown {
  /** Spelling the index shows (`Enum` for `Enum` and `enum`). */
  term: string
  /** Levels of that spelling (for sorting). */
  levels: Level[]
  /** Occurrences of all its spellings, in book order. */
  occurrences: TermOccurrence[]
}

/**
 * One entry of the index: the spelling its node shows (levels joined with
 * `!`), and every place one of its spellings is marked.
 *
 * @param model
 *   Compiled index.
 * @param final
 *   Path key of the entry.
 * @param spellings
 *   Spellings that end there, first written first.
 * @returns
 *   Entry.
 */
function shown(
  model: IndexModel,
  final: string,
  spellings: ReadonlyArray<{term: string; levels: Level[]; occurrences: Array<{order: number; place: TermOccurrence}>}>
): Shown {
  const names: string[] = []

  for (let node = model.nodes.get(final); node; node = node.parent) names.unshift(node.display)
  // A term marked only in drafts has no node: its first spelling stands.
  const display = names.length > 0 ? names.join('!') : undefined
  const own = spellings.find((d) => d.levels.map((level) => level.display).join('!') === display) || spellings[0]
  return {
    term: display ?? own.term,
    levels: own.levels,
    occurrences: spellings
      .flatMap((d) => d.occurrences)
      .sort((a, b) => a.order - b.order)
      .map((d) => d.place)
  }
}

/**
 * Turn near-duplicate groups into problem data.
 *
 * @param groups
 *   Groups from `findNearDuplicates`.
 * @returns
 *   One problem per group (rule `index-near-duplicate`).
 */
export function nearDuplicateProblems(
  groups: ReadonlyArray<NearDuplicateGroup>
): NearDuplicateProblem[] {
  return groups.map((group) => {
    const names = group.terms.map((term) => code(term.term))
    const note = group.terms
      .map(
        (term) =>
          code(term.term) +
          ': ' +
          term.occurrences
            .map(
              (place) =>
                (place.chapter ?? place.chapterName + ' (draft)') +
                ':' +
                place.line +
                ':' +
                place.column
            )
            .join(', ')
      )
      .join('\n')

    return {
      ruleId: 'index-near-duplicate',
      reason:
        'Unexpected near-duplicate index terms ' +
        names.join(', ') +
        ', expected one spelling',
      note,
      terms: group.terms
    }
  })
}
