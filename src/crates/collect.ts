/**
 * Collect the crates a book references (see `model.ts`): read each chapter
 * (`read-chapter.ts`), then group references by crate, pair crates with
 * categories, and sort as the word index does.
 */

import type {DefinitionCache} from '../fast/analyse-chapter.js'
import {configure} from '../index/options.js'
import {compareCodePoints, trimPunctuation} from '../index/sort.js'
import {foldCrate} from '../markdown/crate-labels.js'
import {sectionAt, type Section} from '../markdown/sections.js'
import type {CategoryEntry, CrateDefinition, CrateEntry, CrateIndex, CrateReference} from './model.js'
import {crateOfUrl, standardCrates} from './names.js'
import {createReadState, readChapter, type BlockCrates} from './read-chapter.js'
import type {FoundReference} from './judge.js'

/** A chapter as the collector reads it. */
export interface CrateChapter {
  /** Chapter path (`path` of the mdBook chapter), `null` for drafts (skipped). */
  path: string | null
  /** Chapter name. */
  name: string
  /** Content with includes expanded, before markers are rewritten (a BOM is stripped by the caller). */
  content: string
}

/** Configuration. */
export interface CrateOptions {
  /**
   * Whether crates of the standard library (`std`, `core`, `alloc`,
   * `proc_macro`) are kept (default: `true`: a book that points readers at
   * `std::sync::Mutex` next to `parking_lot` wants both on its crate page,
   * and the reader can tell them apart by `standard`).
   */
  standard?: boolean | null | undefined
  /**
   * Label prefixes the book configures; only labels that start with one of
   * them and parse as a crate or category label count (default:
   * `['c-', 'c~', 'cat-', 'cat~']`).
   */
  prefixes?: ReadonlyArray<string> | null | undefined
  /** Places of chapters whose references do not count (crate and index pages), in book order (default: none). */
  skip?: ReadonlyArray<number> | null | undefined
  /** Book language, for sorting (default: `en`). */
  language?: string | null | undefined
  /**
   * Definition cache of the run (`createCache()` of `fast/analyse-chapter.ts`),
   * to share with the pass so that blocks of definitions parse once per book
   * (default: a new cache).
   */
  cache?: DefinitionCache | null | undefined
}

/** A crate being collected. */
interface Building {
  entry: CrateEntry
  /** Spellings of labels, then of URLs, with counts (insertion order: first seen). */
  labelNames: Map<string, number>
  urlNames: Map<string, number>
}

/** Book-wide facts from definitions. */
interface Defined {
  /** Docs label of each crate (first definition). */
  docs: Map<string, CrateDefinition>
  /** Badge label of each crate. */
  badges: Map<string, string>
  /** Link label of each category. */
  categoryLinks: Map<string, string>
  /** Badge label of each category. */
  categoryBadges: Map<string, string>
  /** Blocks read already. */
  seen: Set<BlockCrates>
  /** Crate-level docs and badge definitions of the dash style, settled once all are known (`c-tokio`, `c-tokio-badge`). */
  dash: Array<{definition: CrateDefinition; url: string; badge: boolean}>
}

const emptyOptions: Readonly<CrateOptions> = {}

/**
 * Collect every crate the chapters reference, with its places and categories.
 *
 * @param chapters
 *   Chapters in book order.
 * @param options
 *   Configuration.
 * @returns
 *   The crates of the book.
 */
export function collectCrates(
  chapters: ReadonlyArray<CrateChapter>,
  options?: Readonly<CrateOptions> | null | undefined
): CrateIndex {
  const settings = options || emptyOptions
  const keepStandard = settings.standard ?? true
  const skip = new Set(settings.skip || [])
  const {collator} = configure({language: settings.language})
  const state = createReadState(settings.cache, settings.prefixes)
  const defined: Defined = {
    docs: new Map(),
    badges: new Map(),
    categoryLinks: new Map(),
    categoryBadges: new Map(),
    seen: new Set(),
    dash: []
  }
  const crates = new Map<string, Building>()
  const categories = new Map<string, CategoryEntry>()
  const kept = (key: string): boolean => keepStandard || !standardCrates.has(key)

  /** References of each counted chapter, judged once every definition is known. */
  const reads: Array<{index: number; references: FoundReference[]; sections: Section[]}> = []

  for (const [index, chapter] of chapters.entries()) {
    // Drafts have no page and no content to link to.
    if (chapter.path === null) continue
    const read = readChapter(chapter.content, state, !skip.has(index))
    for (const {crates: facts, base} of read.blocks) readDefinitions(defined, facts, index, base)
    if (read.references.length > 0) reads.push({index, references: read.references, sections: read.sections})
  }

  const resolve = dashResolver(defined)
  settleDefinitions(defined, resolve)

  for (const {index, references, sections} of reads) {
    /** Crates and categories per paragraph or table row. */
    const groups = new Map<number, {crates: Set<string>; categories: Set<string>}>()

    for (const found of references) {
      if (found.family === 'crate') found.name = resolve(found)
      const key = found.family === 'crate' ? foldCrate(found.name) : found.name
      if (found.family === 'crate' && !kept(key)) continue

      if (found.group !== undefined) {
        let group = groups.get(found.group)
        if (!group) groups.set(found.group, (group = {crates: new Set(), categories: new Set()}))
        group[found.family === 'crate' ? 'crates' : 'categories'].add(key)
      }

      if (found.family === 'crate') addReference(crates, key, chapters[index], index, found, sections)
    }

    for (const group of groups.values()) {
      for (const crate of group.crates) {
        for (const category of group.categories) pair(crates, categories, crate, category)
      }
    }
  }

  const entries = [...crates.values()].map((d) => finish(d, defined))
  entries.sort((a, b) => compareNames(collator, a.name, b.name) || compareCodePoints(a.key, b.key))
  const order = new Map(entries.map((d, index) => [d.key, index]))
  const categoryList = [...categories.values()].sort((a, b) => compareNames(collator, a.key, b.key))

  for (const category of categoryList) {
    category.link = defined.categoryLinks.get(category.key)
    category.badge = defined.categoryBadges.get(category.key)
    category.crates.sort((a, b) => order.get(a)! - order.get(b)!)
  }

  const definitions = [...defined.docs.values()].filter((d) => kept(d.key))

  return {
    crates: entries,
    categories: categoryList,
    unreferenced: definitions
      .filter((d) => !crates.has(d.key))
      .sort((a, b) => compareNames(collator, a.name, b.name) || compareCodePoints(a.key, b.key))
      .map((d) => d.key),
    undefined: entries.filter((d) => d.link === undefined).map((d) => d.key),
    definitions
  }
}

/**
 * Record the crate and category labels of a definition block (once per
 * block: books repeat the same block in every chapter).
 *
 * @param defined
 *   Book-wide facts.
 * @param facts
 *   Block.
 * @param chapterIndex
 *   Chapter it is first seen in.
 * @param base
 *   Offset of the block in that chapter.
 * @returns
 *   Nothing.
 */
function readDefinitions(defined: Defined, facts: BlockCrates, chapterIndex: number, base: number): undefined {
  if (defined.seen.has(facts)) return
  defined.seen.add(facts)

  for (const {definition, target} of facts.family) {
    const parts = target.parts

    if (target.family === 'category') {
      const map = parts.badge ? defined.categoryBadges : defined.categoryLinks
      if (!map.has(target.name)) map.set(target.name, definition.label)
      continue
    }

    // Crate level only: `c~tokio::sync~docs` is an item's page.
    if (parts.path || parts.variant !== 'docs') continue
    const key = foldCrate(target.name)

    if (parts.style === 'dash') {
      const place = {key, name: target.name, label: definition.label, chapterIndex, offset: base + definition.start}
      defined.dash.push({definition: place, url: definition.url, badge: parts.badge})
    } else if (parts.badge) {
      if (!defined.badges.has(key)) defined.badges.set(key, definition.label)
    } else if (!defined.docs.has(key)) {
      defined.docs.set(key, {key, name: target.name, label: definition.label, chapterIndex, offset: base + definition.start})
    }
  }
}

/**
 * Make the resolver of crate names: tilde labels name their crate exactly;
 * dash labels are ambiguous (`c-pingora-quick-start-github` is a page of
 * `pingora`, `c-aho-corasick` is the crate `aho-corasick`).
 *
 * A dash name with a `-` is a crate of its own when the label's URL, or the
 * URL of the docs label of that name, is a crate page of that very crate
 * (`https://docs.rs/aho-corasick`); otherwise it belongs to the longest
 * prefix at a `-` that the book defines a docs label for (`pingora`); else
 * it stays as written.
 *
 * @param defined
 *   Book-wide facts, every definition read.
 * @returns
 *   Resolver: the crate name of a reference (or definition) as written.
 */
function dashResolver(defined: Defined): (found: {name: string; target?: FoundReference['target']; url?: string | undefined}) => string {
  /** Docs URLs of dash names. */
  const docs = new Map<string, string>()
  for (const {definition, url, badge} of defined.dash) {
    if (!badge && !docs.has(definition.key)) docs.set(definition.key, url)
  }

  const known = (key: string): boolean => defined.docs.has(key) || docs.has(key)
  const names = (url: string | undefined, key: string): boolean => {
    const crate = url === undefined ? undefined : crateOfUrl(url)
    return crate !== undefined && foldCrate(crate) === key
  }

  return function (found) {
    const name = found.name
    if (found.target?.parts.style !== 'dash' && found.url === undefined) return name
    if (!name.includes('-')) return name
    const key = foldCrate(name)
    if (names(found.url, key) || names(docs.get(key), key)) return name
    let index = name.lastIndexOf('-')

    while (index > 0) {
      const prefix = name.slice(0, index)
      if (known(foldCrate(prefix))) return prefix
      index = name.lastIndexOf('-', index - 1)
    }

    return name
  }
}

/**
 * Settle the dash definitions: those that name their own crate become docs
 * and badge labels; pages of another crate (`c-axum-examples`) do not.
 *
 * @param defined
 *   Book-wide facts.
 * @param resolve
 *   Resolver.
 * @returns
 *   Nothing.
 */
function settleDefinitions(defined: Defined, resolve: ReturnType<typeof dashResolver>): undefined {
  for (const {definition, url, badge} of defined.dash) {
    if (resolve({name: definition.name, url}) !== definition.name) continue
    if (badge) {
      if (!defined.badges.has(definition.key)) defined.badges.set(definition.key, definition.label)
    } else if (!defined.docs.has(definition.key)) {
      defined.docs.set(definition.key, definition)
    }
  }

  // Book order, whichever style came first.
  defined.docs = new Map([...defined.docs].sort((a, b) => a[1].chapterIndex - b[1].chapterIndex || a[1].offset - b[1].offset))
}

/**
 * Add a reference to its crate.
 *
 * @param crates
 *   Crates so far.
 * @param key
 *   Crate key.
 * @param chapter
 *   Chapter.
 * @param chapterIndex
 *   Its place in book order.
 * @param found
 *   Reference.
 * @param sections
 *   Sections of the chapter.
 * @returns
 *   Nothing.
 */
function addReference(
  crates: Map<string, Building>,
  key: string,
  chapter: CrateChapter,
  chapterIndex: number,
  found: FoundReference,
  sections: ReadonlyArray<Section>
): undefined {
  let crate = crates.get(key)

  if (!crate) {
    crate = {
      entry: {
        name: found.name,
        key,
        badge: undefined,
        link: undefined,
        standard: standardCrates.has(key),
        references: [],
        categories: []
      },
      labelNames: new Map(),
      urlNames: new Map()
    }
    crates.set(key, crate)
  }

  const names = found.via === 'label' ? crate.labelNames : crate.urlNames
  names.set(found.name, (names.get(found.name) || 0) + 1)
  const section = sectionAt(sections, found.start)
  const reference: CrateReference = {
    chapter: chapter.path!,
    chapterName: chapter.name,
    chapterIndex,
    section: section?.text,
    sectionId: section?.id,
    offset: found.start,
    via: found.via,
    written: found.written
  }
  crate.entry.references.push(reference)
}

/**
 * Pair a crate and a category met in one paragraph or table row.
 *
 * @param crates
 *   Crates.
 * @param categories
 *   Categories so far.
 * @param crate
 *   Crate key.
 * @param key
 *   Category key.
 * @returns
 *   Nothing.
 */
function pair(crates: Map<string, Building>, categories: Map<string, CategoryEntry>, crate: string, key: string): undefined {
  const entry = crates.get(crate)!.entry
  let category = categories.get(key)
  if (!category) categories.set(key, (category = {key, link: undefined, badge: undefined, crates: []}))
  if (!entry.categories.includes(key)) entry.categories.push(key)
  if (!category.crates.includes(crate)) category.crates.push(crate)
}

/**
 * Finish a crate: the name written most, labels the book defines.
 *
 * @param crate
 *   Crate being built.
 * @param defined
 *   Book-wide facts.
 * @returns
 *   Entry.
 */
function finish(crate: Building, defined: Defined): CrateEntry {
  const entry = crate.entry
  // Labels spell the name as the author does; URLs (`docs.rs/rustquant`)
  // often in lower case: they decide only when no label names the crate.
  entry.name = mostWritten(crate.labelNames.size > 0 ? crate.labelNames : crate.urlNames)
  entry.link = defined.docs.get(entry.key)?.label
  entry.badge = defined.badges.get(entry.key)
  return entry
}

/**
 * The spelling written most; ties go to the first seen.
 *
 * @param names
 *   Spellings and counts, in first-seen order.
 * @returns
 *   Spelling.
 */
function mostWritten(names: Map<string, number>): string {
  let best = ''
  let most = 0

  for (const [name, count] of names) {
    if (count > most) {
      best = name
      most = count
    }
  }

  return best
}

/**
 * Compare names as the word index compares terms (`sortTextOf`: leading and
 * trailing punctuation do not count, then the collator, then code points).
 *
 * @param collator
 *   Collator of the book's language.
 * @param a
 *   Name.
 * @param b
 *   Name.
 * @returns
 *   Order.
 */
function compareNames(collator: Intl.Collator, a: string, b: string): number {
  const left = trimPunctuation(a) || a
  const right = trimPunctuation(b) || b
  return collator.compare(left, right) || compareCodePoints(left, right) || compareCodePoints(a, b)
}
