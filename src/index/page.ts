/**
 * The index chapter: from the index entries of a whole book to an A–Z index
 * (as Markdown, built as an mdast tree and serialised with remark-stringify),
 * a JSON export for search tools, and checks for the author (dangling or
 * looping cross-references, near-duplicate terms).
 *
 * What a reader gets:
 *
 * ```markdown
 * # Index
 *
 * ## Symbols
 *
 * - !=, [Operators](../language/operators.md#xref-ne-1)
 *
 * ## A
 *
 * - async, [Async](../language/async.md#xref-async-1)
 *   - tokio, [Async](../language/async.md#xref-async-tokio-1)
 *
 * ## E
 *
 * - Enum, [Enums](../language/enums.md#xref-enum-1); *see also* [async](#a)
 * - Enums, *see* [Enum](#e)
 * ```
 *
 * Decisions (the contract is silent on these):
 *
 * * A term is identified by the displays of its levels (whitespace collapsed);
 *   its explicit sort key is the first one written in book order.
 * * Case merging (`mergeCase`) lowercases the first *letter* of each level
 *   (`.Gitignore` and `.gitignore` merge, `Result::Ok` and `Result::ok` do
 *   not). The spelling shown is the one with most occurrences; ties go to
 *   the one that sorts first by code point (`Regex` before `regex`).
 * * Terms that occur only in drafts (`chapter: null`) have no entry: there is
 *   no page to link to.
 * * Sorting and grouping use the sort text: the sort key or the display,
 *   code marks removed, escapes resolved, leading and trailing characters
 *   that are neither letter nor number dropped (`.gitignore` → `gitignore`,
 *   `&str` → `str`, `#[derive]` → `derive`).
 *   Nothing left (`!=`, `?`) → `Symbols`; a number first → `0–9`; else the
 *   letter without diacritics, upper case (`Über` → `U`). Known limit: in
 *   languages that file `Ö` after `Z` the letter still groups under `O`.
 * * *see* and *see also* targets that exist link to the target's letter
 *   heading (mdBook heading ids); *see* points at the end of a chain (`A → B →
 *   C` shows “*see* C” on A and B). A dangling *see* keeps its occurrences and
 *   shows the target as plain text; a loop is cut at the member that sorts
 *   first, which keeps its occurrences and gets those of the others.
 * * `nestUnder` rewrites a term path prefix (`tokio!x` → `async!tokio!x`);
 *   see keys and targets are written as in markers and go through the same
 *   nesting.
 */

import type {
  Emphasis,
  Heading,
  InlineCode,
  List,
  ListItem,
  PhrasingContent,
  Root,
  RootContent,
  Text
} from 'mdast'
import remarkStringify from 'remark-stringify'
import {unified} from 'unified'
import type {IndexEntry} from '../markdown/markers.js'
import {parseTerm, termPhrasing, termText} from '../markdown/terms.js'

/** Configuration of the index chapter. */
export interface IndexOptions {
  /** Title, rendered as the first heading (default: `'Index'`). */
  title?: string | null | undefined
  /** Render the title heading; off when the chapter has its own (default: `true`). */
  heading?: boolean | null | undefined
  /**
   * Path of the index chapter in `src/`, such as `indices/word_index.md`;
   * links are relative to its folder and keep `.md` so mdBook rewrites them
   * (default: `'index.md'`, links relative to `src/`).
   */
  indexPath?: string | null | undefined
  /** Locale for `Intl.Collator`, from `book.language` (default: `'en'`; unsupported → `'en'`). */
  language?: string | null | undefined
  /** Merge terms that differ only in the case of a level’s first letter (default: `true`). */
  mergeCase?: boolean | null | undefined
  /** Link label: chapter name or occurrence number `1`, `2`, … (default: `'name'`). */
  labels?: 'name' | 'number' | null | undefined
  /** Terms rendered as “*see* target”; their occurrences move to the target (default: none). */
  seeInstead?: Readonly<Record<string, string>> | null | undefined
  /** Terms that get “*see also* a, b” (default: none). */
  seeAlso?: Readonly<Record<string, ReadonlyArray<string>>> | null | undefined
  /** Terms filed under a parent term (default: none). */
  nestUnder?: Readonly<Record<string, string>> | null | undefined
}

/** A finding about `seeInstead` / `seeAlso`. */
export interface CrossReferenceProblem {
  ruleId: 'index-dangling-see'
  /** “Cannot find `x` …; did you mean `y`” or “Unexpected see loop …”. */
  reason: string
  /** Config key (term) the problem is about, as written. */
  term: string
  /** Target as written. */
  target: string
  /** Suggested targets (existing terms), if any. */
  expected: string[]
}

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
 * JSON export of the index (`buildIndexJson`). Stable shape: every field is
 * always present (`null` or `[]` when empty); `version` changes if the shape
 * does.
 */
export interface IndexJson {
  version: 1
  title: string
  language: string
  groups: IndexJsonGroup[]
}

/** A letter group (`Symbols`, `0–9`, `A`, …). */
export interface IndexJsonGroup {
  label: string
  /** Heading id in the index chapter (mdBook’s scheme). */
  id: string
  entries: IndexJsonEntry[]
}

/** An entry (any level). */
export interface IndexJsonEntry {
  /** Display as Markdown source, such as `` `tokio` ``. */
  term: string
  /** Plain text, such as `tokio`. */
  text: string
  /** Text it sorts by. */
  sortText: string
  /** Plain texts from the top level down to this entry. */
  path: string[]
  /** 0 for top-level entries. */
  depth: number
  italic: boolean
  links: IndexJsonLink[]
  see: IndexJsonTarget | null
  seeAlso: IndexJsonTarget[]
  children: IndexJsonEntry[]
}

/** A link to the first occurrence in one chapter. */
export interface IndexJsonLink {
  chapter: string
  chapterName: string
  id: string
  /** Relative to the index chapter, `.md` kept, such as `../a/b.md#xref-x-1`. */
  href: string
  label: string
  line: number
  column: number
}

/** A cross-reference target. */
export interface IndexJsonTarget {
  /** Plain texts of the target path. */
  path: string[]
  /** `#letter` heading of the target, or `null` when dangling. */
  href: string | null
}

/** Settings with defaults filled in. */
interface Settings {
  title: string
  indexPath: string
  language: string
  mergeCase: boolean
  labels: 'name' | 'number'
  seeInstead: Array<[string, string]>
  seeAlso: Array<[string, string[]]>
  nestUnder: Array<[string, string]>
  collator: Intl.Collator
}

/** One level of a term path, with its identity key. */
interface Level {
  display: string
  sortKey: string | undefined
  /** Identity: display, first letter lowercased when merging case. */
  key: string
  /** From configuration (`nestUnder`, see target) rather than from a marker. */
  synthetic: boolean
}

/** An entry with its place in book order. */
interface Occurrence {
  entry: IndexEntry
  chapterIndex: number
}

/** An occurrence on its way into the tree. */
interface Item {
  occurrence: Occurrence
  /** Path after nesting, before see moves. */
  nested: Level[]
  /** Final path. */
  levels: Level[]
}

/** A `seeInstead` rule. */
interface SeeRule extends NestRule {
  toKey: string
  state: 'active' | 'dangling' | 'loop'
}

/** A rewrite rule (`nestUnder`, or the base of a `seeInstead` rule). */
interface NestRule {
  /** Key as written in the configuration. */
  name: string
  /** Target as written in the configuration. */
  target: string
  from: Level[]
  fromKey: string
  to: Level[]
  /** Keep the matched prefix after `to` (`nestUnder`) or replace it (see). */
  insert: boolean
}

/** A cross-reference on a node. */
interface Target {
  /** Target path as configured (after nesting). */
  written: Level[]
  /** Final path key, when it exists. */
  final: string | undefined
}

/** A node of the index tree. */
interface Node {
  key: string
  pathKey: string
  depth: number
  parent: Node | undefined
  fallback: Level | undefined
  italic: boolean
  occurrences: Occurrence[]
  children: Map<string, Node>
  see: Target | undefined
  seeAlso: Target[]
  display: string
  sortText: string
  group: string
}

/** Everything computed from entries and options. */
interface Model {
  settings: Settings
  roots: Node[]
  nodes: Map<string, Node>
  groups: Array<{label: string; id: string; nodes: Node[]}>
  groupIds: Map<string, string>
  problems: CrossReferenceProblem[]
}

/** Separator of level keys in a path key (never in a term). */
const sep = '\u0000'

const emptyOptions: Readonly<IndexOptions> = {}

/** Label of the group for terms without letter or number. */
const symbolsLabel = 'Symbols'

/** Label of the group for terms that start with a number. */
const digitsLabel = '0–9'

/**
 * Build the Markdown of the index chapter.
 *
 * @param entries
 *   Index entries of the whole book, in book order.
 * @param options
 *   Configuration.
 * @returns
 *   Markdown, ending in a line ending.
 */
export function buildIndexPage(
  entries: ReadonlyArray<IndexEntry>,
  options?: Readonly<IndexOptions> | null | undefined
): string {
  return serialize(indexTree(entries, options))
}

/**
 * Build the index chapter as an mdast tree (what `buildIndexPage` serialises).
 *
 * @param entries
 *   Index entries of the whole book, in book order.
 * @param options
 *   Configuration.
 * @returns
 *   Tree.
 */
export function indexTree(
  entries: ReadonlyArray<IndexEntry>,
  options?: Readonly<IndexOptions> | null | undefined
): Root {
  const model = compile(entries, options)
  const children: RootContent[] =
    options && options.heading === false
      ? []
      : [{type: 'heading', depth: 1, children: [text(model.settings.title)]}]

  for (const group of model.groups) {
    const heading: Heading = {
      type: 'heading',
      depth: 2,
      children: [text(group.label)]
    }
    children.push(heading, list(group.nodes, model))
  }

  return {type: 'root', children}
}

/**
 * Export the index as JSON-able data (see `IndexJson` for the shape).
 *
 * @param entries
 *   Index entries of the whole book, in book order.
 * @param options
 *   Configuration.
 * @returns
 *   Data.
 */
export function buildIndexJson(
  entries: ReadonlyArray<IndexEntry>,
  options?: Readonly<IndexOptions> | null | undefined
): IndexJson {
  const model = compile(entries, options)

  return {
    version: 1,
    title: model.settings.title,
    language: model.settings.language,
    groups: model.groups.map((group) => ({
      label: group.label,
      id: group.id,
      entries: group.nodes.map((node) => jsonEntry(node, model))
    }))
  }
}

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
  return compile(entries, options).problems
}

/**
 * Find groups of terms that differ only by a plural ending (`s`, `es`,
 * `ies` → `y`, on the last level), case, `-`/`_`/whitespace, or leading
 * punctuation — and that are still separate entries after case merging and
 * `seeInstead` / `nestUnder` (so `Enum`/`enum` alone is no group, but
 * `Enum`/`Enums`/`enum` is, listing all three).
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
  const settings = configure(options)
  const occurrences = bookOrder(entries)
  const nestRules = nestRulesOf(settings, [])
  const seeRules = seeRulesOf(settings, nestRules)
  // Same loop cutting and dangling checks as the page, so “same entry”
  // means the same thing here.
  settleSeeRules(seeRules, occurrences, settings, nestRules, [])
  /** Spelling (display path) → data. */
  const terms = new Map<
    string,
    {
      term: string
      levels: Level[]
      final: string
      form: string
      occurrences: TermOccurrence[]
    }
  >()

  for (const occurrence of occurrences) {
    const levels = levelsOf(occurrence.entry.term, false, settings)
    if (!levels) continue
    const spelling = levels.map((level) => level.display).join(sep)
    let term = terms.get(spelling)

    if (!term) {
      const nested = rewrite(levels, nestRules, undefined)
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
    term.occurrences.push({chapter, chapterName, line, column, offset})
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

  const compare = (
    a: (typeof list)[number],
    b: (typeof list)[number]
  ): number => comparePaths(a.levels, b.levels, settings.collator)
  const groups: Array<typeof list> = []

  for (const cluster of clusters.values()) {
    if (new Set(cluster.map((term) => term.final)).size < 2) continue
    groups.push(cluster.sort(compare))
  }

  return groups
    .sort((a, b) => compare(a[0], b[0]))
    .map((group) => ({
      terms: group.map((term) => ({
        term: term.term,
        occurrences: term.occurrences
      }))
    }))
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

/**
 * Fill defaults and order configuration tables deterministically.
 *
 * @param options
 *   Options.
 * @returns
 *   Settings.
 */
function configure(
  options: Readonly<IndexOptions> | null | undefined
): Settings {
  const settings = options || emptyOptions
  const requested = settings.language || 'en'
  const language = validLocale(requested) ? requested : 'en'
  const byKey = (a: [string, unknown], b: [string, unknown]): number =>
    compareCodePoints(a[0], b[0])

  return {
    title: settings.title || 'Index',
    indexPath: settings.indexPath || 'index.md',
    language,
    mergeCase: settings.mergeCase ?? true,
    labels: settings.labels || 'name',
    seeInstead: Object.entries(settings.seeInstead || {}).sort(byKey),
    seeAlso: Object.entries(settings.seeAlso || {})
      .map(([key, value]): [string, string[]] => [
        key,
        // A lone string (`async = "tokio"`) is one target.
        typeof value === 'string' ? [value] : [...value]
      ])
      .sort(byKey),
    nestUnder: Object.entries(settings.nestUnder || {}).sort(byKey),
    collator: new Intl.Collator(language, {
      sensitivity: 'base',
      numeric: true
    })
  }
}

/**
 * Whether `Intl` supports a locale (an unsupported one would silently fall
 * back to the machine’s locale and make output differ between machines).
 *
 * @param value
 *   Locale, such as `en` or `zh-CN`.
 * @returns
 *   Whether it can be used.
 */
function validLocale(value: string): boolean {
  try {
    return Intl.Collator.supportedLocalesOf([value]).length > 0
  } catch {
    return false
  }
}

/**
 * Compute the index: nesting, see moves, case merging, sorting, grouping.
 *
 * @param entries
 *   Entries, in book order.
 * @param options
 *   Configuration.
 * @returns
 *   Model.
 */
function compile(
  entries: ReadonlyArray<IndexEntry>,
  options: Readonly<IndexOptions> | null | undefined
): Model {
  const settings = configure(options)
  const problems: CrossReferenceProblem[] = []
  const occurrences = bookOrder(entries).filter(
    (occurrence) => occurrence.entry.chapter !== null
  )
  const nestRules = nestRulesOf(settings, problems)
  const seeRules = seeRulesOf(settings, nestRules)
  const items = settleSeeRules(
    seeRules,
    occurrences,
    settings,
    nestRules,
    problems
  )
  const model: Model = {
    settings,
    roots: [],
    nodes: new Map(),
    groups: [],
    groupIds: new Map(),
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
 * Parse a term into levels with identity keys.
 *
 * @param term
 *   Term as written.
 * @param synthetic
 *   Whether it comes from configuration.
 * @param settings
 *   Settings.
 * @returns
 *   Levels, or `undefined` for a blank term or a blank level.
 */
function levelsOf(
  term: string,
  synthetic: boolean,
  settings: Settings
): Level[] | undefined {
  const levels: Level[] = []

  for (const level of parseTerm(term)) {
    const display = level.display.replace(/[ \t\r\n]+/g, ' ')
    if (display === '') return undefined
    levels.push({
      display,
      sortKey: level.sortKey || undefined,
      key: identity(display, settings.mergeCase),
      synthetic
    })
  }

  return levels
}

/**
 * Identity of a display: with case merging, the first letter lowercased
 * (`Regex` → `regex`, `.Gitignore` → `.gitignore`; `Result::Ok` keeps its
 * `O` because `R` is the first letter).
 *
 * @param display
 *   Display.
 * @param mergeCase
 *   Whether to merge case.
 * @returns
 *   Key.
 */
function identity(display: string, mergeCase: boolean): string {
  if (!mergeCase) return display
  const match = /\p{L}/u.exec(display)
  if (!match) return display
  return (
    display.slice(0, match.index) +
    match[0].toLowerCase() +
    display.slice(match.index + match[0].length)
  )
}

/**
 * Key of a path.
 *
 * @param levels
 *   Levels.
 * @returns
 *   Key.
 */
function pathKey(levels: ReadonlyArray<Level>): string {
  return levels.map((level) => level.key).join(sep)
}

/**
 * Make `nestUnder` rules.
 *
 * @param settings
 *   Settings.
 * @returns
 *   Rules (first spelling wins when two keys have the same identity).
 */
function nestRulesOf(
  settings: Settings,
  problems: CrossReferenceProblem[]
): NestRule[] {
  let rules: NestRule[] = []
  const seen = new Set<string>()

  for (const [name, target] of settings.nestUnder) {
    const from = levelsOf(name, true, settings)
    const to = levelsOf(target, true, settings)
    if (!from || !to) continue
    const fromKey = pathKey(from)
    if (seen.has(fromKey)) continue
    seen.add(fromKey)
    rules.push({name, target, from, fromKey, to, insert: true})
  }

  rules.sort((a, b) => comparePaths(a.from, b.from, settings.collator))

  // `{a = "b", b = "a"}`: `a` → `b!a` → `a!b!a` → … Find each cycle by
  // applying rules from each key; drop the member that sorts first.
  let cycle = findNestCycle(rules)

  while (cycle) {
    const cut = [...cycle].sort((a, b) =>
      comparePaths(a.from, b.from, settings.collator)
    )[0]
    const at = cycle.indexOf(cut)
    const ordered = [...cycle.slice(at), ...cycle.slice(0, at), cut]
    problems.push({
      ruleId: 'index-dangling-see',
      reason:
        'Unexpected nest loop ' +
        ordered.map((rule) => code(rule.name)).join(' → ') +
        ', expected a parent outside the chain (' +
        code(cut.name) +
        ' stays where it is)',
      term: cut.name,
      target: cut.target,
      expected: []
    })
    rules = rules.filter((rule) => rule !== cut)
    cycle = findNestCycle(rules)
  }

  return rules
}

/**
 * Find a cycle of nesting rules.
 *
 * @param rules
 *   Rules, sorted.
 * @returns
 *   Rules of the first cycle found, in application order, or `undefined`.
 */
function findNestCycle(rules: NestRule[]): NestRule[] | undefined {
  for (const start of rules) {
    const applied: NestRule[] = []
    const result = rewrite(start.from, rules, undefined, applied)
    const next = longestRule(result, rules)
    if (next && applied.includes(next)) {
      return applied.slice(applied.indexOf(next))
    }
  }

  return undefined
}

/**
 * The rule whose key is the longest prefix of a path.
 *
 * @param levels
 *   Path.
 * @param rules
 *   Rules.
 * @returns
 *   Rule, if any.
 */
function longestRule<Rule extends NestRule>(
  levels: Level[],
  rules: ReadonlyArray<Rule>
): Rule | undefined {
  for (let size = levels.length; size > 0; size--) {
    const key = pathKey(levels.slice(0, size))
    const rule = rules.find((rule) => rule.fromKey === key)
    if (rule) return rule
  }

  return undefined
}

/**
 * Make `seeInstead` rules, with keys and targets nested.
 *
 * @param settings
 *   Settings.
 * @param nestRules
 *   Nesting rules.
 * @returns
 *   Rules.
 */
function seeRulesOf(settings: Settings, nestRules: NestRule[]): SeeRule[] {
  const rules: SeeRule[] = []
  const seen = new Set<string>()

  for (const [name, target] of settings.seeInstead) {
    const fromLevels = levelsOf(name, true, settings)
    const toLevels = levelsOf(target, true, settings)
    if (!fromLevels || !toLevels) continue
    const from = rewrite(fromLevels, nestRules, undefined)
    const to = rewrite(toLevels, nestRules, undefined)
    const fromKey = pathKey(from)
    if (seen.has(fromKey)) continue
    seen.add(fromKey)
    rules.push({
      name,
      target,
      from,
      fromKey,
      to,
      toKey: pathKey(to),
      insert: false,
      state: 'active'
    })
  }

  return rules.sort((a, b) => comparePaths(a.from, b.from, settings.collator))
}

/**
 * Whether a see rule moves occurrences.
 *
 * @param rule
 *   Rule.
 * @returns
 *   Whether active.
 */
function activeRule(rule: NestRule | SeeRule): boolean {
  return !('state' in rule) || rule.state === 'active'
}

/**
 * Rewrite a path by the rule with the longest matching prefix, repeatedly;
 * each rule applies at most once (so `a → b`, `b → a` terminates).
 *
 * @param levels
 *   Path, such as `tokio!spawn`.
 * @param rules
 *   Rules.
 * @param active
 *   Filter on rules, if any.
 * @param applied
 *   Rules applied so far (filled in), if wanted.
 * @returns
 *   New path; rewritten prefixes are synthetic.
 */
function rewrite<Rule extends NestRule>(
  levels: Level[],
  rules: ReadonlyArray<Rule>,
  active: ((rule: Rule) => boolean) | undefined,
  applied: Rule[] = []
): Level[] {
  if (rules.length === 0) return levels
  const byKey = new Map<string, Rule>()
  for (const rule of rules) {
    if (!active || active(rule)) byKey.set(rule.fromKey, rule)
  }

  let current = levels

  while (true) {
    let rule: Rule | undefined

    for (let size = current.length; size > 0 && !rule; size--) {
      rule = byKey.get(pathKey(current.slice(0, size)))
    }

    if (!rule || applied.includes(rule)) return current
    applied.push(rule)
    current = rule.insert
      ? [...rule.to, ...current]
      : [...rule.to, ...current.slice(rule.from.length)]
  }
}

/**
 * Decide the state of every see rule and move occurrences.
 *
 * 1. A rule that sees into itself or its own sub-entry, or one rule per
 *    cycle (`A → B → A`: the member that sorts first), is a loop: dropped.
 * 2. A rule whose final target is not an entry (counting only occurrences
 *    that no active rule moves) is dangling: its occurrences stay. Repeat
 *    until nothing changes (a dangling rule keeps occurrences, which can make
 *    another target exist).
 *
 * @param rules
 *   See rules, sorted.
 * @param occurrences
 *   Occurrences.
 * @param settings
 *   Settings.
 * @param nestRules
 *   Nesting rules.
 * @param problems
 *   Problems to add to.
 * @returns
 *   Items with final paths.
 */
function settleSeeRules(
  rules: SeeRule[],
  occurrences: Occurrence[],
  settings: Settings,
  nestRules: NestRule[],
  problems: CrossReferenceProblem[]
): Item[] {
  const items: Item[] = []

  for (const occurrence of occurrences) {
    const levels = levelsOf(occurrence.entry.term, false, settings)
    if (!levels) continue
    const nested = rewrite(levels, nestRules, undefined)
    items.push({occurrence, nested, levels: nested})
  }

  cutLoops(rules, settings, problems)
  let changed = true

  while (changed) {
    changed = false
    const present = new Set<string>()

    for (const item of items) {
      if (rewrite(item.nested, rules, activeRule) === item.nested) {
        addPrefixes(present, item.nested)
      }
    }

    for (const rule of rules) {
      if (rule.state !== 'active') continue
      const applied: SeeRule[] = []
      const final = pathKey(rewrite(rule.to, rules, activeRule, applied))
      if (!present.has(final)) {
        // `B → A → X`, `X` missing: `A → X` is at fault, not `B → A`
        // (once `A` keeps its entries, `B → A` resolves).
        const culprit = applied.length > 0 ? applied[applied.length - 1] : rule
        culprit.state = 'dangling'
        changed = true
        // Recompute what is present before judging the next rule.
        break
      }
    }
  }

  for (const rule of rules) {
    if (rule.state === 'dangling') {
      problems.push(dangling(rule.name, rule.target, 'see', items, settings))
    }
  }

  for (const item of items) {
    item.levels = rewrite(item.nested, rules, activeRule)
  }

  return items
}

/**
 * Mark see rules that loop, with a problem per loop.
 *
 * @param rules
 *   See rules, sorted.
 * @param settings
 *   Settings.
 * @param problems
 *   Problems to add to.
 */
function cutLoops(
  rules: SeeRule[],
  settings: Settings,
  problems: CrossReferenceProblem[]
): void {
  for (const rule of rules) {
    // `{"a": "a"}`, `{"a": "a!b"}`: a rule into itself.
    if (rule.toKey === rule.fromKey || rule.toKey.startsWith(rule.fromKey + sep)) {
      rule.state = 'loop'
      problems.push({
        ruleId: 'index-dangling-see',
        reason:
          'Unexpected see loop ' +
          code(rule.name) +
          ' → ' +
          code(rule.target) +
          ', expected a target outside ' +
          code(rule.name),
        term: rule.name,
        target: rule.target,
        expected: []
      })
    }
  }

  const byKey = new Map(rules.map((rule) => [rule.fromKey, rule]))
  const done = new Set<SeeRule>()

  for (const start of rules) {
    const walk: SeeRule[] = []
    let rule: SeeRule | undefined = start

    while (rule && rule.state === 'active' && !done.has(rule)) {
      const index = walk.indexOf(rule)

      if (index !== -1) {
        const cycle = walk.slice(index)
        const cut = [...cycle].sort((a, b) =>
          comparePaths(a.from, b.from, settings.collator)
        )[0]
        const at = cycle.indexOf(cut)
        const ordered = [...cycle.slice(at), ...cycle.slice(0, at)]
        cut.state = 'loop'
        problems.push({
          ruleId: 'index-dangling-see',
          reason:
            'Unexpected see loop ' +
            [...ordered, cut].map((rule) => code(rule.name)).join(' → ') +
            ', expected a chain that ends at an index term (' +
            code(cut.name) +
            ' keeps its entries)',
          term: cut.name,
          target: cut.target,
          expected: []
        })
        break
      }

      walk.push(rule)
      rule = byKey.get(rule.toKey)
    }

    for (const rule of walk) done.add(rule)
  }
}

/**
 * Make a dangling-target problem, with a suggestion from near-duplicates.
 *
 * @param term
 *   Config key.
 * @param target
 *   Target as written.
 * @param kind
 *   `see` or `see also`.
 * @param items
 *   Items (for suggestions).
 * @param settings
 *   Settings.
 * @returns
 *   Problem.
 */
function dangling(
  term: string,
  target: string,
  kind: 'see' | 'see also',
  items: Item[],
  settings: Settings
): CrossReferenceProblem {
  const targetLevels = levelsOf(target, true, settings) || []
  const form = targetLevels.map((level) => nearForm(level.display)).join(sep)
  const forms = new Set([form, ...singulars(form)])
  const expected = new Set<string>()

  for (const item of items) {
    const own = item.nested.map((level) => nearForm(level.display))
    const last = own[own.length - 1]
    // `tokio` also finds `async!tokio`.
    if (
      [own.join(sep), last].some(
        (value) => forms.has(value) || singulars(value).includes(form)
      )
    ) {
      expected.add(item.nested.map((level) => level.display).join('!'))
    }
  }

  const suggestions = [...expected].sort(compareCodePoints)

  return {
    ruleId: 'index-dangling-see',
    reason:
      'Cannot find index term ' +
      code(target) +
      ' for ' +
      kind +
      ' from ' +
      code(term) +
      (suggestions.length > 0
        ? '; did you mean ' + suggestions.map((value) => code(value)).join(', ')
        : ''),
    term,
    target,
    expected: suggestions
  }
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
  model: Model,
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
 * Add every prefix of a path to a set.
 *
 * @param set
 *   Set of path keys.
 * @param levels
 *   Path.
 */
function addPrefixes(set: Set<string>, levels: Level[]): void {
  for (let size = 1; size <= levels.length; size++) {
    set.add(pathKey(levels.slice(0, size)))
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
function ensure(model: Model, levels: Level[]): Node {
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
 * Choose spellings, sort, group, and make heading ids.
 *
 * @param model
 *   Model.
 * @param spellings
 *   Counted spellings.
 */
function finish(
  model: Model,
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
  const used = new Map<string, number>()
  headingId(model.settings.title, used)

  model.groups = order.map((label) => {
    const id = headingId(label, used)
    model.groupIds.set(label, id)
    return {label, id, nodes: labels.get(label) || []}
  })
}

/**
 * Group label of a sort text (already stripped of leading punctuation).
 *
 * @param stripped
 *   Sort text, such as `gitignore`, `128-bit`, or `` (symbols).
 * @returns
 *   `Symbols`, `0–9`, or a letter such as `U` (for `über`).
 */
function groupOf(stripped: string): string {
  const first = [...stripped][0]
  if (first === undefined) return symbolsLabel
  if (/\p{N}/u.test(first)) return digitsLabel
  const base = first.normalize('NFD').replace(/\p{M}/gu, '') || first
  return [...base.toUpperCase()][0]
}

/**
 * Sort nodes and their children (recursively).
 *
 * @param nodes
 *   Nodes.
 * @param collator
 *   Collator.
 * @returns
 *   Sorted nodes.
 */
function sortNodes(nodes: Node[], collator: Intl.Collator): Node[] {
  for (const node of nodes) {
    node.children = new Map(
      sortNodes([...node.children.values()], collator).map((child) => [
        child.key,
        child
      ])
    )
  }

  return nodes.sort(
    (a, b) =>
      collator.compare(a.sortText, b.sortText) ||
      compareCodePoints(a.sortText, b.sortText) ||
      compareCodePoints(a.display, b.display) ||
      compareCodePoints(a.key, b.key)
  )
}

/**
 * Compare two paths like the index sorts them (used for problem order and
 * loop cuts, where nodes do not exist yet).
 *
 * @param a
 *   Path.
 * @param b
 *   Path.
 * @param collator
 *   Collator.
 * @returns
 *   Order.
 */
function comparePaths(
  a: ReadonlyArray<Level>,
  b: ReadonlyArray<Level>,
  collator: Intl.Collator
): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const left = sortTextOf(a[index])
    const right = sortTextOf(b[index])
    const result =
      collator.compare(left, right) ||
      compareCodePoints(left, right) ||
      compareCodePoints(a[index].display, b[index].display)
    if (result) return result
  }

  return a.length - b.length
}

/**
 * Sort text of a level.
 *
 * @param level
 *   Level.
 * @returns
 *   Sort text.
 */
function sortTextOf(level: Level): string {
  const basis = termText(level.sortKey ?? level.display)
  return trimPunctuation(basis) || basis
}

/**
 * Drop leading and trailing characters that are neither letter nor number:
 * they do not decide the order (`#[derive]` sorts as `derive`, before
 * `derive_more`; `.gitignore` as `gitignore`).
 *
 * @param value
 *   Plain text.
 * @returns
 *   Trimmed text (empty for `!=`).
 */
function trimPunctuation(value: string): string {
  return value.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
}

/**
 * Heading id as mdBook makes it (alphanumerics lowercased, `-`, `_`;
 * whitespace → `-`; others dropped; repeats get `-1`, `-2`, …).
 *
 * @param value
 *   Heading text.
 * @param used
 *   Ids so far and their counts.
 * @returns
 *   Id, such as `a`, `symbols`, `09`.
 */
function headingId(value: string, used: Map<string, number>): string {
  let id = ''

  for (const character of value) {
    if (/[\p{L}\p{N}_-]/u.test(character)) {
      id += /[A-Z]/.test(character) ? character.toLowerCase() : character
    } else if (/\s/.test(character)) {
      id += '-'
    }
  }

  const count = used.get(id) || 0
  used.set(id, count + 1)
  return count === 0 ? id : id + '-' + count
}

/**
 * Make a list of entries.
 *
 * @param nodes
 *   Nodes (sorted).
 * @param model
 *   Model.
 * @returns
 *   Tight list.
 */
function list(nodes: Node[], model: Model): List {
  return {
    type: 'list',
    ordered: false,
    spread: false,
    children: nodes.map((node) => item(node, model))
  }
}

/**
 * Make the list item of one entry.
 *
 * @param node
 *   Node.
 * @param model
 *   Model.
 * @returns
 *   Item: “term, [A](…), [B](…); *see also* x, y” and a nested list.
 */
function item(node: Node, model: Model): ListItem {
  const phrasing: PhrasingContent[] = [...termNodes(node)]
  const links = locators(node, model)

  for (const link of links) {
    phrasing.push(text(', '), {
      type: 'link',
      url: link.href,
      title: null,
      children: [text(link.label)]
    })
  }

  if (node.see) {
    phrasing.push(
      text(links.length > 0 ? '; ' : ', '),
      emphasis('see'),
      text(' '),
      ...targetNodes(node.see, model)
    )
  }

  if (node.seeAlso.length > 0) {
    phrasing.push(
      text(links.length > 0 || node.see ? '; ' : ', '),
      emphasis('see also'),
      text(' ')
    )

    for (const [index, target] of node.seeAlso.entries()) {
      if (index > 0) phrasing.push(text(', '))
      phrasing.push(...targetNodes(target, model))
    }
  }

  const children: ListItem['children'] = [
    {type: 'paragraph', children: mergeText(phrasing)}
  ]
  if (node.children.size > 0) {
    children.push(list([...node.children.values()], model))
  }

  return {type: 'listItem', spread: false, children}
}

/**
 * Nodes showing a term (in italics for `{{ii:…}}`).
 *
 * @param node
 *   Node.
 * @returns
 *   Phrasing.
 */
function termNodes(node: Node): PhrasingContent[] {
  const nodes: Array<InlineCode | Text> = termPhrasing(node.display)
  return node.italic ? [{type: 'emphasis', children: nodes}] : nodes
}

/**
 * Nodes of a cross-reference target: a link to the target’s letter heading,
 * or plain text when it does not exist.
 *
 * @param target
 *   Target.
 * @param model
 *   Model.
 * @returns
 *   Phrasing.
 */
function targetNodes(target: Target, model: Model): PhrasingContent[] {
  const children: Array<InlineCode | Text> = []

  for (const [index, display] of targetPath(target, model).entries()) {
    if (index > 0) children.push(text(': '))
    children.push(...termPhrasing(display))
  }

  const href = targetHref(target, model)
  return href === null
    ? children
    : [{type: 'link', url: href, title: null, children}]
}

/**
 * Displays of a target: the node’s spellings when it exists.
 *
 * @param target
 *   Target.
 * @param model
 *   Model.
 * @returns
 *   Displays, outermost first.
 */
function targetPath(target: Target, model: Model): string[] {
  const node = target.final === undefined ? undefined : model.nodes.get(target.final)
  if (!node) return target.written.map((level) => level.display)
  const path: string[] = []
  let current: Node | undefined = node

  while (current) {
    path.unshift(current.display)
    current = current.parent
  }

  return path
}

/**
 * Fragment link to the letter heading of a target.
 *
 * @param target
 *   Target.
 * @param model
 *   Model.
 * @returns
 *   `#a`, or `null` when dangling.
 */
function targetHref(target: Target, model: Model): string | null {
  let node = target.final === undefined ? undefined : model.nodes.get(target.final)
  if (!node) return null
  while (node.parent) node = node.parent
  const id = model.groupIds.get(node.group)
  return id === undefined ? null : '#' + id
}

/**
 * Links of an entry: one per chapter, to its first occurrence, chapters in
 * book order.
 *
 * @param node
 *   Node.
 * @param model
 *   Model.
 * @returns
 *   Links.
 */
function locators(node: Node, model: Model): IndexJsonLink[] {
  const links: IndexJsonLink[] = []
  const seen = new Set<number>()

  // Occurrences are in book order already (items were built in that order).
  for (const occurrence of node.occurrences) {
    const {entry} = occurrence
    if (entry.chapter === null || seen.has(occurrence.chapterIndex)) continue
    seen.add(occurrence.chapterIndex)
    links.push({
      chapter: entry.chapter,
      chapterName: entry.chapterName,
      id: entry.id,
      href: relativeHref(model.settings.indexPath, entry.chapter, entry.id),
      label:
        model.settings.labels === 'number'
          ? String(links.length + 1)
          : entry.chapterName || entry.chapter,
      line: entry.line,
      column: entry.column
    })
  }

  return links
}

/**
 * Link from the index chapter to an anchor in a chapter, relative, `.md`
 * kept (mdBook rewrites it to `.html`).
 *
 * @param from
 *   Index chapter path, such as `indices/word_index.md`.
 * @param to
 *   Chapter path, such as `language/closures.md`.
 * @param id
 *   Anchor id, such as `xref-closure-1`.
 * @returns
 *   Such as `../language/closures.md#xref-closure-1`.
 */
export function relativeHref(from: string, to: string, id: string): string {
  const base = segments(from).slice(0, -1)
  const target = segments(to)
  let common = 0

  while (
    common < base.length &&
    common < target.length - 1 &&
    base[common] === target[common]
  ) {
    common++
  }

  const parts = [
    ...base.slice(common).map(() => '..'),
    ...target.slice(common)
  ]
  return parts.map(encode).join('/') + (id ? '#' + encode(id) : '')
}

/**
 * Path segments (`\` as `/`, `.` dropped, `..` applied).
 *
 * @param value
 *   Path.
 * @returns
 *   Segments.
 */
function segments(value: string): string[] {
  const result: string[] = []

  for (const part of value.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') result.pop()
    else result.push(part)
  }

  return result
}

/**
 * Percent-encode what cannot stand in a Markdown link destination or would
 * change the URL (`a b.md` → `a%20b.md`); non-ASCII stays.
 *
 * @param value
 *   Segment or id.
 * @returns
 *   Encoded.
 */
function encode(value: string): string {
  // `encodeURIComponent` leaves `(` and `)` alone, so encode by hand.
  return value.replace(
    /[\s<>()#?%\\"'`{}|^[\]]/g,
    (character) =>
      '%' + character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')
  )
}

/**
 * An entry as JSON.
 *
 * @param node
 *   Node.
 * @param model
 *   Model.
 * @returns
 *   Data.
 */
function jsonEntry(node: Node, model: Model): IndexJsonEntry {
  const path: string[] = []
  let current: Node | undefined = node

  while (current) {
    path.unshift(termText(current.display))
    current = current.parent
  }

  const target = (value: Target): IndexJsonTarget => ({
    path: targetPath(value, model).map((display) => termText(display)),
    href: targetHref(value, model)
  })

  return {
    term: node.display,
    text: termText(node.display),
    sortText: node.sortText,
    path,
    depth: node.depth,
    italic: node.italic,
    links: locators(node, model),
    see: node.see ? target(node.see) : null,
    seeAlso: node.seeAlso.map((value) => target(value)),
    children: [...node.children.values()].map((child) => jsonEntry(child, model))
  }
}

/**
 * Serialise the index tree.
 *
 * Extra unsafe patterns keep text literal in mdBook: `{{` and `<<` would be
 * markers or `{{#include}}` again, `~` could be strikethrough.
 *
 * @param tree
 *   Tree.
 * @returns
 *   Markdown.
 */
function serialize(tree: Root): string {
  const phrasingSpans = [
    'autolink',
    'destinationLiteral',
    'destinationRaw',
    'reference',
    'titleQuote',
    'titleApostrophe'
  ] as const
  return unified()
    .use(remarkStringify, {
      bullet: '-',
      emphasis: '*',
      listItemIndent: 'one',
      unsafe: [
        {
          character: '{',
          after: '\\{',
          inConstruct: 'phrasing',
          notInConstruct: [...phrasingSpans]
        },
        {
          character: '<',
          after: '<',
          inConstruct: 'phrasing',
          notInConstruct: [...phrasingSpans]
        },
        {
          character: '~',
          inConstruct: 'phrasing',
          notInConstruct: [...phrasingSpans]
        }
      ]
    })
    .stringify(tree)
}

/**
 * Text node.
 *
 * @param value
 *   Value.
 * @returns
 *   Node.
 */
function text(value: string): Text {
  return {type: 'text', value}
}

/**
 * Emphasis with text.
 *
 * @param value
 *   Value.
 * @returns
 *   Node.
 */
function emphasis(value: string): Emphasis {
  return {type: 'emphasis', children: [text(value)]}
}

/**
 * Merge adjacent text nodes (one node per run of text reads and escapes
 * the same as the reader sees it).
 *
 * @param nodes
 *   Phrasing.
 * @returns
 *   Phrasing.
 */
function mergeText(nodes: PhrasingContent[]): PhrasingContent[] {
  const result: PhrasingContent[] = []

  for (const node of nodes) {
    const previous = result[result.length - 1]
    if (node.type === 'text' && previous && previous.type === 'text') {
      result[result.length - 1] = text(previous.value + node.value)
    } else {
      result.push(node)
    }
  }

  return result
}

/**
 * Form of a display for near-duplicate checks: plain text, leading
 * punctuation dropped, lowercase, without `-`, `_`, whitespace.
 *
 * @param display
 *   Display, such as `.Git-Ignore`.
 * @returns
 *   Form, such as `gitignore`.
 */
function nearForm(display: string): string {
  const value = termText(display)
  const stripped = value.replace(/^[^\p{L}\p{N}]+/u, '') || value
  // In code, case is meaning: `Result::Ok` (variant) is not `Result::ok`
  // (method).
  return (looksLikeCode(display)
    ? identity(stripped, true)
    : stripped.toLowerCase()
  ).replace(
    /[-_\s]+/g,
    ''
  )
}

/**
 * Whether a display is code (a code span, or a path such as `std::fs`),
 * where case differences are meaningful.
 *
 * @param display
 *   Display.
 * @returns
 *   Whether it looks like code.
 */
function looksLikeCode(display: string): boolean {
  return display.includes('::') || termPhrasing(display).some((node) => node.type === 'inlineCode')
}

/**
 * Singular candidates of a form (`ies` → `y`, `-es`, `-s`; not `-ss`),
 * each at least two characters long.
 *
 * @param form
 *   Form, such as `paths` or `libraries`.
 * @returns
 *   Candidates, such as `path` or `library`.
 */
function singulars(form: string): string[] {
  const result: string[] = []
  if (form.endsWith('ies')) result.push(form.slice(0, -3) + 'y')
  if (form.endsWith('es')) result.push(form.slice(0, -2))
  if (form.endsWith('s') && !form.endsWith('ss')) result.push(form.slice(0, -1))
  return result.filter((value) => value.length - value.lastIndexOf(sep) > 2)
}

/**
 * Compare by code points (not UTF-16 units: `\u{1F600}` after `\uFFFD`).
 *
 * @param a
 *   Value.
 * @param b
 *   Value.
 * @returns
 *   Order.
 */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0
  let index = 0

  while (index < a.length && index < b.length) {
    const left = a.codePointAt(index) as number
    const right = b.codePointAt(index) as number
    if (left !== right) return left - right
    index += left > 0xffff ? 2 : 1
  }

  return a.length - b.length
}

/**
 * Show a value as a code span in a message, with a longer fence when the
 * value has backticks (`` `tokio` ``).
 *
 * @param value
 *   Value.
 * @returns
 *   Code span source.
 */
function code(value: string): string {
  let size = 1
  for (const run of value.match(/`+/g) || []) {
    size = Math.max(size, run.length + 1)
  }

  const fence = '`'.repeat(size)
  const pad = size > 1 ? ' ' : ''
  return fence + pad + value + pad + fence
}
