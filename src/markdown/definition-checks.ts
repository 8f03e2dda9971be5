/**
 * Definitions checked across the chapters that include them: each one on
 * its own (unsafe URLs, stray `~`, crate and category URL conventions),
 * duplicates and conflicts within a chapter, malformed lines, and
 * definitions no reference uses.
 *
 * Used by the remark plugin on one document and by the book pass on whole
 * books, so both say the same thing.
 */

import {
  type Conflict,
  conflictingDefinitionReason,
  duplicateDefinitionReason,
  firstDefinitionNote,
  strayTildeReason,
  unsafeUrlReason
} from '../diagnostics/messages.js'
import {checkConvention, foldCrate, parseCrateLabel, registryCrate} from './crate-labels.js'
import {normalizeLabel, type RefOptions} from './labels.js'

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
  /** The related definition (the first one of a duplicate or conflict, which wins). */
  related?: RelatedDefinition
  /** Expected values (such as the conventional URL), for fixes. */
  expected?: string[]
}

/** A definition a problem points to, such as the first of a duplicate. */
export interface RelatedDefinition {
  /** Label as written there. */
  label: string
  /** Where it is written. */
  place: SourcePlace
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

const emptyOptions: Readonly<RefOptions> = {}


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
      reason: unsafeUrlReason(protocol, label)
    })
    return problems
  }

  // `https://docs.rs/concat~string`: a `-` turned into `~` when labels were
  // converted; `~` only starts a user path (`https://hg.sr.ht/~icefox`).
  const stray = /[^/]~/.exec(url.replace(/^[a-z][a-z\d+.-]*:\/\/[^/]*/i, ''))
  if (stray && /^(?:https?:)?\/\//i.test(url)) {
    problems.push({
      ruleId: 'malformed-definition',
      reason: strayTildeReason(url, label)
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
    crates: new Map(),
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
  /** Crate by crate label group (see `registryCrates`). */
  crates: Map<string, string>
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
  state.crates = crates

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
 * @param definitions
 *   Definitions (label and URL).
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
    const conflict = ruleId === 'duplicate-definition' ? undefined : judgeConflict(first, later, state.options, state.crates)
    problem = {
      ruleId,
      reason: conflict ? conflictingDefinitionReason(conflict) : duplicateDefinitionReason(later.label),
      label: later.label,
      place: later.place,
      chapters: [],
      note: firstDefinitionNote(first.place, first.label, later.label, site === prior),
      related: {label: first.label, place: first.place}
    }
    const expected = conflict ? expectedOf(conflict) : undefined
    if (expected !== undefined) problem.expected = [expected]
    state.keyed.set(key, problem)
    state.problems.push(problem)
  }

  addChapter(problem, chapter)
}

/**
 * Judge a conflict: which URL, if either, the crate-label convention agrees
 * with (`c~data-encoding::HEXUPPER~docs` first defined with the
 * `…/data-encoding/constant.HEXUPPER.html` that the convention rejects, then
 * with `…/data_encoding/…`: the later one fits).
 *
 * @param first
 *   First definition (wins).
 * @param later
 *   Later definition with another URL.
 * @param options
 *   Configuration (`conventions`).
 * @param crates
 *   Crate by crate label group (see `registryCrates`).
 * @returns
 *   Conflict, for `conflictingDefinitionReason`.
 */
export function judgeConflict(
  first: {label: string; url: string},
  later: {label: string; url: string},
  options: Readonly<RefOptions> | null | undefined,
  crates: ReadonlyMap<string, string>
): Conflict {
  const conflict: Conflict = {label: later.label, url: later.url, firstLabel: first.label, firstUrl: first.url}
  const settings = options || emptyOptions

  if (differentThings(first.label, later.label)) {
    conflict.rename = true
    return conflict
  }

  if (settings.conventions !== false && parseCrateLabel(later.label)) {
    const firstFits = fitsConvention(first, crates)
    const laterFits = fitsConvention(later, crates)
    if (firstFits !== laterFits) conflict.fits = firstFits ? 'first' : 'later'
  }

  return conflict
}

/**
 * Whether two labels that CommonMark matches differ in case and name
 * different things: `c~std::result::Result::Err~docs` (a variant) and
 * `c~std::result::Result::err~docs` (a method), or `Foo` and `foo`; not
 * `C~Tokio~docs` and `c~tokio~docs`, since crate names ignore case but item
 * paths do not.
 *
 * @param first
 *   Label of the first definition.
 * @param later
 *   Label of the later definition.
 * @returns
 *   Whether to rename one of them.
 */
function differentThings(first: string, later: string): boolean {
  if (collapse(first) === collapse(later)) return false
  const a = parseAnyCase(first)
  const b = parseAnyCase(later)
  if (!a || !b) return true
  return !(
    a.family === b.family &&
    foldCrate(a.crate) === foldCrate(b.crate) &&
    a.path === b.path &&
    a.variant === b.variant &&
    a.badge === b.badge
  )
}

/**
 * Parse a crate label whose family prefix may be upper case (`C~Tokio~docs`).
 *
 * @param label
 *   Label.
 * @returns
 *   Parts, or `undefined` for other labels.
 */
function parseAnyCase(label: string): ReturnType<typeof parseCrateLabel> {
  return parseCrateLabel(label) || parseCrateLabel(label.replace(/^[a-z]+(?=[~-])/i, (prefix) => prefix.toLowerCase()))
}

/**
 * Collapse whitespace as CommonMark does when it matches labels (case kept).
 *
 * @param label
 *   Label.
 * @returns
 *   Label with each run of whitespace as one space, trimmed.
 */
function collapse(label: string): string {
  return label.replace(/[\t\n\r ]+/g, ' ').trim()
}

/**
 * The URL a conflict expects: the one the convention agrees with, if any.
 *
 * @param conflict
 *   Conflict.
 * @returns
 *   URL or `undefined`.
 */
export function expectedOf(conflict: Readonly<Conflict>): string | undefined {
  return conflict.fits === 'first' ? conflict.firstUrl : conflict.fits === 'later' ? conflict.url : undefined
}

/**
 * Whether a definition has no problem on its own (see `checkDefinition`).
 *
 * @param definition
 *   Label and URL.
 * @param crates
 *   Crate by crate label group.
 * @returns
 *   Whether it fits.
 */
function fitsConvention(definition: {label: string; url: string}, crates: ReadonlyMap<string, string>): boolean {
  const parts = parseCrateLabel(definition.label)
  const crate = parts && parts.family === 'crate' ? crates.get(foldCrate(parts.crate)) : undefined
  return checkDefinition(definition.label, definition.url, undefined, crate).length === 0
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
