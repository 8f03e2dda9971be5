/**
 * From entries to the index model: nesting, see moves, case merging,
 * spellings, sorting, grouping.
 */

import type {IndexEntry} from '../markdown/markers.js'
import {termText} from '../markdown/terms.js'
import {levelsOf, pathKey} from './levels.js'
import {
  sep,
  type CrossReferenceProblem,
  type Item,
  type Level,
  type IndexModel,
  type NestRule,
  type Node,
  type Occurrence,
  type SeeRule,
  type Settings
} from './model.js'
import {configure, type IndexOptions} from './options.js'
import {activeRule, code, dangling, nestRulesOf, rewrite, seeRulesOf, settleSeeRules} from './see.js'
import {compareCodePoints, digitsLabel, groupOf, sortNodes, symbolsLabel, trimPunctuation} from './sort.js'

/**
 * Check `seeInstead` and `seeAlso`: targets that are not entries, see loops.
 *
 * @param entries
 *   Index entries of the whole book, in book order.
 * @param options
 *   Configuration.
 * @returns
 *   Problems (rule `index-dangling-see`), in a stable order.
 */
export function checkCrossReferences(
  entries: ReadonlyArray<IndexEntry>,
  options?: Readonly<IndexOptions> | null | undefined
): CrossReferenceProblem[] {
  return compileIndex(entries, options).problems
}

/**
 * Compute the index once for everything that reads it (page, JSON export,
 * cross-reference and near-duplicate checks): nesting, see moves, case
 * merging, sorting, grouping.
 *
 * @param entries
 *   Index entries of the whole book (drafts included), in book order.
 * @param options
 *   Configuration (`title` and `indexPath` are defaults of each rendering).
 * @returns
 *   Model.
 */
export function compileIndex(
  entries: ReadonlyArray<IndexEntry>,
  options?: Readonly<IndexOptions> | null | undefined
): IndexModel {
  const settings = configure(options)
  const problems: CrossReferenceProblem[] = []
  const nestRules = nestRulesOf(settings, problems)
  const parsed = parse(bookOrder(entries), settings, nestRules)
  // Drafts have no page to link to: they count for near-duplicates only.
  const items = parsed.filter((item) => item.occurrence.entry.chapter !== null)
  const seeRules = seeRulesOf(settings, nestRules)
  settleSeeRules(seeRules, items, settings, problems)

  for (const item of items) {
    item.levels = rewrite(item.nested, seeRules, activeRule)
  }

  const model: IndexModel = {
    settings,
    parsed,
    nestRules,
    seeRules,
    roots: [],
    nodes: new Map(),
    groups: [],
    problems
  }
  const spellings = countSpellings(items)

  for (const item of items) {
    const node = ensure(model, item.levels)
    node.occurrences.push(item.occurrence)
    const leaf = item.levels[item.levels.length - 1]
    if (item.occurrence.entry.kind === 'ii' && !leaf.synthetic) {
      node.italic = true
    }
  }

  // Every present path (entries and their parents) before config-only nodes.
  const present = new Set(model.nodes.keys())

  for (const rule of seeRules) {
    if (rule.state === 'loop') continue
    const node = ensure(model, rule.from)
    const final =
      rule.state === 'active'
        ? pathKey(rewrite(rule.to, seeRules, activeRule))
        : undefined
    node.see = {written: rule.to, final}
  }

  addSeeAlso(model, items, seeRules, nestRules, present)
  finish(model, spellings)
  return model
}

/**
 * Cross-reference problems of a compiled index.
 *
 * @param model
 *   Compiled index.
 * @returns
 *   Problems (rule `index-dangling-see`), in a stable order.
 */
export function crossReferenceProblems(
  model: IndexModel
): CrossReferenceProblem[] {
  return model.problems
}

/**
 * Parse the term of each occurrence and apply `nestUnder`; blank terms
 * drop out.
 *
 * @param occurrences
 *   Occurrences, in book order.
 * @param settings
 *   Settings.
 * @param nestRules
 *   Nesting rules.
 * @returns
 *   Items, final path still the nested one.
 */
function parse(
  occurrences: Occurrence[],
  settings: Settings,
  nestRules: NestRule[]
): Item[] {
  const items: Item[] = []

  for (const occurrence of occurrences) {
    const written = levelsOf(occurrence.entry.term, false, settings)
    if (!written) continue
    const nested = rewrite(written, nestRules, undefined)
    items.push({occurrence, written, nested, levels: nested})
  }

  return items
}

/**
 * Give entries a total book order: chapters by first appearance, then
 * offset, then id (so the order of entries inside a chapter does not matter).
 *
 * @param entries
 *   Entries, in book order.
 * @returns
 *   Occurrences, sorted.
 */
function bookOrder(entries: ReadonlyArray<IndexEntry>): Occurrence[] {
  const chapters = new Map<string, number>()
  const occurrences: Occurrence[] = []

  for (const entry of entries) {
    const key =
      entry.chapter === null ? sep + 'draft:' + entry.chapterName : entry.chapter
    let chapterIndex = chapters.get(key)

    if (chapterIndex === undefined) {
      chapterIndex = chapters.size
      chapters.set(key, chapterIndex)
    }

    occurrences.push({entry, chapterIndex})
  }

  return occurrences.sort(
    (a, b) =>
      a.chapterIndex - b.chapterIndex ||
      a.entry.offset - b.entry.offset ||
      compareCodePoints(a.entry.id, b.entry.id) ||
      compareCodePoints(a.entry.term, b.entry.term) ||
      compareCodePoints(a.entry.kind, b.entry.kind)
  )
}

/**
 * Add `seeAlso` references.
 *
 * @param model
 *   Model.
 * @param items
 *   Items (for suggestions).
 * @param seeRules
 *   See rules.
 * @param nestRules
 *   Nesting rules.
 * @param present
 *   Paths that have entries.
 */
function addSeeAlso(
  model: IndexModel,
  items: Item[],
  seeRules: SeeRule[],
  nestRules: NestRule[],
  present: Set<string>
): void {
  const {settings} = model
  const resolve = (levels: Level[]): Level[] =>
    rewrite(rewrite(levels, nestRules, undefined), seeRules, activeRule)

  for (const [name, targets] of settings.seeAlso) {
    const from = levelsOf(name, true, settings)
    if (!from) continue
    const node = ensure(model, resolve(from))
    const seen = new Set<string>()

    for (const target of targets) {
      const levels = levelsOf(target, true, settings)
      if (!levels) continue
      const final = resolve(levels)
      const key = pathKey(final)
      if (seen.has(key)) continue
      seen.add(key)

      if (key === node.pathKey) {
        model.problems.push({
          ruleId: 'index-dangling-see',
          reason:
            'Unexpected see also from ' +
            code(name) +
            ' to itself (' +
            code(target) +
            '), expected another term',
          term: name,
          target,
          expected: []
        })
        continue
      }

      const exists = present.has(key)
      if (!exists) {
        model.problems.push(
          dangling(name, target, 'see also', items, settings)
        )
      }

      node.seeAlso.push({
        written: rewrite(levels, nestRules, undefined),
        final: exists ? key : undefined
      })
    }
  }
}

/**
 * Count spellings (displays) and find the first explicit sort key per path,
 * from where occurrences were written (before see moves) and where they
 * ended up; configuration spellings do not count.
 *
 * @param items
 *   Items.
 * @returns
 *   Per path key: spelling counts and sort key.
 */
function countSpellings(
  items: Item[]
): Map<string, {counts: Map<string, number>; sortKey: string | undefined}> {
  const result = new Map<
    string,
    {counts: Map<string, number>; sortKey: string | undefined}
  >()

  for (const item of items) {
    const seen = new Set<string>()

    for (const levels of [item.nested, item.levels]) {
      for (let size = 1; size <= levels.length; size++) {
        const level = levels[size - 1]
        if (level.synthetic) continue
        const key = pathKey(levels.slice(0, size))
        if (seen.has(key)) continue
        seen.add(key)
        let spelling = result.get(key)

        if (!spelling) {
          spelling = {counts: new Map(), sortKey: undefined}
          result.set(key, spelling)
        }

        spelling.counts.set(
          level.display,
          (spelling.counts.get(level.display) || 0) + 1
        )
        if (spelling.sortKey === undefined) spelling.sortKey = level.sortKey
      }
    }
  }

  return result
}

/**
 * Get or create the node for a path.
 *
 * @param model
 *   Model.
 * @param levels
 *   Path.
 * @returns
 *   Node.
 */
function ensure(model: IndexModel, levels: Level[]): Node {
  let parent: Node | undefined
  let node: Node | undefined

  for (let size = 1; size <= levels.length; size++) {
    const level = levels[size - 1]
    const key = pathKey(levels.slice(0, size))
    node = model.nodes.get(key)

    if (!node) {
      node = {
        key: level.key,
        pathKey: key,
        depth: size - 1,
        parent,
        fallback: level,
        italic: false,
        occurrences: [],
        children: new Map(),
        see: undefined,
        seeAlso: [],
        display: '',
        sortText: '',
        group: ''
      }
      model.nodes.set(key, node)
      if (parent) parent.children.set(level.key, node)
      else model.roots.push(node)
    }

    parent = node
  }

  return node as Node
}

/**
 * Choose spellings, sort, and group.
 *
 * @param model
 *   Model.
 * @param spellings
 *   Counted spellings.
 */
function finish(
  model: IndexModel,
  spellings: ReturnType<typeof countSpellings>
): void {
  const {collator} = model.settings

  for (const node of model.nodes.values()) {
    const spelling = spellings.get(node.pathKey)
    let display = node.fallback?.display || node.key
    let sortKey = node.fallback?.sortKey

    if (spelling) {
      let best = -1

      for (const [value, count] of spelling.counts) {
        if (
          count > best ||
          (count === best && compareCodePoints(value, display) < 0)
        ) {
          best = count
          display = value
        }
      }

      sortKey = spelling.sortKey ?? sortKey
    }

    node.display = display
    const basis = termText(sortKey ?? display)
    const stripped = trimPunctuation(basis)
    node.sortText = stripped === '' ? basis : stripped
    node.group = groupOf(stripped)
  }

  model.roots = sortNodes(model.roots, collator)
  const labels = new Map<string, Node[]>()

  for (const node of model.roots) {
    const list = labels.get(node.group)
    if (list) list.push(node)
    else labels.set(node.group, [node])
  }

  const order = [...labels.keys()].sort((a, b) => {
    const rank = (label: string): number =>
      label === symbolsLabel ? 0 : label === digitsLabel ? 1 : 2
    return (
      rank(a) - rank(b) ||
      collator.compare(a, b) ||
      compareCodePoints(a, b)
    )
  })
  model.groups = order.map((label) => ({label, nodes: labels.get(label) || []}))
}
