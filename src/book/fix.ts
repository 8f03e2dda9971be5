/**
 * `mdbook-xref lint --fix`: add the definitions of undefined crate and
 * category labels that the naming convention can generate
 * (`[c~tokio~docs]: https://docs.rs/tokio`, crates.io, lib.rs, their badges,
 * `cat~…`; see `expectedUrl`) to a refs file.
 *
 * Which file: `--fix-file`, else `fix-file` in our `book.toml` table
 * (relative to the book root), else the file that holds most definitions of
 * the label's family (`c~`, `cat~`, `c-`, `cat-`), found through the source
 * map of those definitions. A file whose definition lines are sorted (by
 * code unit, as `LC_ALL=C sort` sorts them) gets each new line at its sorted
 * place; another file gets them at its end. Nothing else in the file
 * changes: its line endings, a final newline or its absence, a BOM.
 */

import fs from 'node:fs/promises'
import path from 'node:path'
import type {VFile} from 'vfile'
import type {LoadedBook} from './load.js'
import {analyseChapter, createCache, type DefinitionBlock} from '../fast/analyse-chapter.js'
import {findTable} from '../mdbook/config.js'
import {expectedUrl, foldCrate, parseCrateLabel, registryCrate} from '../markdown/crate-labels.js'
import type {SourceMap} from '../mdbook/source-map.js'
import {parseDefinitions} from '../markdown/definitions.js'
import {normalizeLabel} from '../markdown/labels.js'
import {bom as bomMark, bomLength, stripBom} from '../util/text.js'

/** A definition to add. */
export interface NewDefinition {
  /** Label as the reference writes it (`c~tokio~docs`). */
  label: string
  /** Destination (`https://docs.rs/tokio`). */
  url: string
}

/** A finding, as far as fixing looks at it (a `VFileMessage` fits). */
export interface FixFinding {
  /** Rule; only `undefined-reference` is fixed. */
  ruleId?: string | null | undefined
  /** Label of the reference. */
  label?: unknown
}

/** Options of `planFixes`. */
export interface PlanOptions {
  /** Real crate names by folded crate name, for labels that spell the crate differently (default: none; see `definitionStats`). */
  crates?: ReadonlyMap<string, string> | null | undefined
}

/** Result of `planFixes`. */
export interface FixPlan {
  /** Definitions to add, one per label, sorted by their line. */
  definitions: NewDefinition[]
  /** Undefined labels without a conventional URL (`c~tokio::spawn~docs`, `c~x~repo`), in order. */
  unfixable: string[]
}

/** Result of `applyFixes`. */
export interface ApplyResult {
  /** New text (the input itself when nothing was added). */
  text: string
  /** Definitions added (those the text did not define yet), in line order. */
  added: NewDefinition[]
}

/** Expanded text of a chapter and where each part was written. */
export interface ChapterSource {
  /** Content after include expansion, before the pass. */
  text: string
  /** Source map of `text`. */
  map: SourceMap
}

/** Definitions of a book, counted where they are written. */
export interface DefinitionStats {
  /** Per label family (`c~`, `cat~`, `c-`, `cat-`): number of definitions per file (absolute path). */
  files: Map<string, Map<string, number>>
  /** Real crate names by folded crate name, from crates.io (then lib.rs) definitions. */
  crates: Map<string, string>
}

/** Options of `fixBook`. */
export interface FixBookOptions {
  /** Refs file to add to (absolute), before the configured one (default: none). */
  fixFile?: string | null | undefined
  /** Show paths relative to this folder (default: the current directory). */
  cwd?: string | null | undefined
}

/** What `fixBook` did. */
export interface FixReport {
  /** Lines `added [label]: url to file`, per file in line order. */
  lines: string[]
  /** Problems, one line each (“Cannot …”, “Unexpected …”). */
  problems: string[]
  /** Definitions added, with the file (as shown) they went to. */
  added: Array<NewDefinition & {file: string}>
}

/** What `fixBook` reads of a lint result. */
export interface FixInput {
  /** Files with findings. */
  files: readonly VFile[]
  /** The book. */
  book: LoadedBook
  /** Checked chapters before the pass. */
  sources: readonly ChapterSource[]
}

const emptyOptions: PlanOptions = {}

/** Labels that can go into a URL as they are: no escapes, spaces or brackets. */
const plainLabel = /^[\w.:~-]+$/

/**
 * Plan the definitions to add for undefined references.
 *
 * @param findings
 *   Findings (`undefined-reference` ones are read; labels compare as
 *   CommonMark labels, the first spelling wins).
 * @param options
 *   Options.
 * @returns
 *   Definitions to add and labels without a convention.
 */
export function planFixes(
  findings: Iterable<Readonly<FixFinding>>,
  options?: Readonly<PlanOptions> | null | undefined
): FixPlan {
  const crates = (options || emptyOptions).crates
  const seen = new Set<string>()
  const definitions: NewDefinition[] = []
  const unfixable: string[] = []

  for (const finding of findings) {
    const label = finding.label
    if (finding.ruleId !== 'undefined-reference' || typeof label !== 'string') continue
    const identifier = normalizeLabel(label)
    if (seen.has(identifier)) continue
    seen.add(identifier)
    const parts = parseCrateLabel(label)
    const crate = parts && crates ? crates.get(foldCrate(parts.crate)) : undefined
    // `c~a\_b~docs` would put the backslash into the URL.
    const url = plainLabel.test(label) ? expectedUrl(label, crate) : undefined
    if (url === undefined) unfixable.push(label)
    else definitions.push({label, url})
  }

  definitions.sort((a, b) => compare(line(a), line(b)))
  return {definitions, unfixable}
}

/**
 * Add definitions to the text of a refs file.
 *
 * Labels the text defines already are skipped (so a second run adds
 * nothing). When the text's definition lines are in code-unit order, each
 * new line goes before the first line that sorts after it (or after the
 * last definition); otherwise the new lines go at the end.
 *
 * @param text
 *   Refs file.
 * @param definitions
 *   Definitions to add.
 * @returns
 *   New text and what was added.
 */
export function applyFixes(text: string, definitions: ReadonlyArray<NewDefinition>): ApplyResult {
  const bom = bomLength(text) ? bomMark : ''
  const body = stripBom(text)
  const existing = parseDefinitions(body).definitions
  const defined = new Set(existing.map((d) => d.identifier))
  const added: NewDefinition[] = []

  for (const definition of [...definitions].sort((a, b) => compare(line(a), line(b)))) {
    const identifier = normalizeLabel(definition.label)
    if (defined.has(identifier)) continue
    defined.add(identifier)
    added.push(definition)
  }

  if (added.length === 0) return {text, added}

  const eol = /\r?\n/.exec(body)?.[0] ?? '\n'
  const lines = existing.map((d) => {
    const start = body.lastIndexOf('\n', d.start - 1) + 1
    let end = body.indexOf('\n', d.start)
    if (end === -1) end = body.length
    return {start, label: d.label, text: body.slice(d.start, end).replace(/\r$/, ''), after: afterLine(body, Math.max(d.start, d.end - 1))}
  })
  const order = orders.find((sort) => lines.every((d, index) => index === 0 || sort(lines[index - 1], d) <= 0))

  if (!order || lines.length === 0) {
    const block = added.map((d) => line(d)).join(eol)
    // Keep the file's final newline, or its absence.
    const value =
      body === '' ? block + eol : body.endsWith('\n') ? body + block + eol : body + eol + block
    return {text: bom + value, added}
  }

  let result = ''
  let position = 0
  let index = 0
  added.sort((a, b) => order(sortKey(a), sortKey(b)))

  for (const definition of added) {
    const value = line(definition)
    while (index < lines.length && order(lines[index], sortKey(definition)) <= 0) index++

    if (index < lines.length) {
      const at = lines[index].start
      result += body.slice(position, at) + value + eol
      position = at
    } else {
      const at = lines[lines.length - 1].after
      result += body.slice(position, at)
      position = at
      // After a last line without a line ending: `…⏎[new]: url`.
      result += at === body.length && !body.endsWith('\n') ? eol + value : value + eol
    }
  }

  return {text: bom + result + body.slice(position), added}
}

/**
 * Count definitions of each label family per file where they are written,
 * and collect the crate names that registry definitions give.
 *
 * Blocks of definitions included in many chapters are read once.
 *
 * @param sources
 *   Checked chapters.
 * @returns
 *   Counts and crate names.
 */
export function definitionStats(sources: ReadonlyArray<ChapterSource>): DefinitionStats {
  const cache = createCache()
  const seenBlocks = new Set<DefinitionBlock>()
  const seenPlaces = new Set<string>()
  const files = new Map<string, Map<string, number>>()
  const crates = new Map<string, string>()
  const fallback = new Map<string, string>()

  for (const source of sources) {
    const bom = bomLength(source.text)
    const analysis = analyseChapter(stripBom(source.text), cache, {
      markers: false,
      htmlMarkers: false,
      refs: false,
      prefixes: []
    })

    for (const {block, base} of analysis.blocks) {
      if (seenBlocks.has(block)) continue
      seenBlocks.add(block)

      for (const definition of block.definitions) {
        const family = labelFamily(definition.label)
        if (!family) continue
        const span = source.map.lookup(bom + base + definition.start)
        const key = span.file + ':' + span.offset
        if (seenPlaces.has(key)) continue
        seenPlaces.add(key)
        let counts = files.get(family)
        if (!counts) {
          counts = new Map()
          files.set(family, counts)
        }

        counts.set(span.file, (counts.get(span.file) || 0) + 1)
        const registry = registryCrate(definition.label, definition.url)
        if (!registry) continue
        const map = registry.registry === 'crates.io' ? crates : fallback
        if (!map.has(registry.group)) map.set(registry.group, registry.crate)
      }
    }
  }

  for (const [group, crate] of fallback) if (!crates.has(group)) crates.set(group, crate)
  return {files, crates}
}

/**
 * The family of a crate or category label: `c~`, `cat~`, `c-` or `cat-`.
 *
 * @param label
 *   Label.
 * @returns
 *   Family, or `undefined` for other labels.
 */
export function labelFamily(label: string): string | undefined {
  const parts = parseCrateLabel(label)
  if (!parts) return undefined
  return (parts.family === 'category' ? 'cat' : 'c') + (parts.style === 'tilde' ? '~' : '-')
}

/**
 * The file with most definitions of a family (ties: the first path).
 *
 * @param stats
 *   Counts.
 * @param family
 *   Family.
 * @returns
 *   Absolute path, or `undefined` when the book has none.
 */
export function familyFile(stats: DefinitionStats, family: string): string | undefined {
  let best: string | undefined
  let bestCount = 0

  for (const [file, count] of stats.files.get(family) || []) {
    if (count > bestCount || (count === bestCount && best !== undefined && file < best)) {
      best = file
      bestCount = count
    }
  }

  return best
}

/**
 * Fix a linted book: plan, pick files, edit them.
 *
 * @param input
 *   Lint result.
 * @param options
 *   Options.
 * @returns
 *   What was added, and problems.
 */
export async function fixBook(
  input: Readonly<FixInput>,
  options?: Readonly<FixBookOptions> | null | undefined
): Promise<FixReport> {
  const settings = options || {}
  const cwd = settings.cwd || process.cwd()
  const report: FixReport = {lines: [], problems: [], added: []}
  const findings = input.files.flatMap((d) => d.messages) as unknown as FixFinding[]
  if (!findings.some((d) => d.ruleId === 'undefined-reference')) return report

  const stats = definitionStats(input.sources)
  const plan = planFixes(findings, {crates: stats.crates})
  if (plan.definitions.length === 0) return report

  const configured = settings.fixFile ? path.resolve(cwd, settings.fixFile) : configuredFile(input.book, report)
  const byFile = new Map<string, NewDefinition[]>()

  for (const definition of plan.definitions) {
    const family = labelFamily(definition.label)!
    const file = configured ?? familyFile(stats, family)

    if (file === undefined) {
      report.problems.push(
        'Cannot add `' +
          line(definition) +
          '`: no refs file has `' +
          family +
          '` definitions, expected `--fix-file <path>` or `fix-file` in `[preprocessor.xref]`'
      )
      continue
    }

    const list = byFile.get(file) || []
    list.push(definition)
    byFile.set(file, list)
  }

  for (const [file, definitions] of [...byFile].sort((a, b) => compare(a[0], b[0]))) {
    const shown = path.relative(cwd, file) || file
    let text: string

    try {
      text = await fs.readFile(file, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      report.problems.push(
        'Cannot read refs file `' + shown + '`: ' + (code === 'ENOENT' ? 'no such file' : String((error as Error).message))
      )
      continue
    }

    const result = applyFixes(text, definitions)
    if (result.added.length === 0) continue
    await fs.writeFile(file, result.text)

    for (const definition of result.added) {
      report.lines.push('added ' + line(definition) + ' to ' + shown)
      report.added.push({...definition, file: shown})
    }
  }

  return report
}

/**
 * Definitions that were added but are still undefined where they are used:
 * the chapter does not include the refs file.
 *
 * @param files
 *   Findings after fixing.
 * @param added
 *   Definitions added.
 * @returns
 *   Problems, one line each.
 */
export function stillUndefined(
  files: readonly VFile[],
  added: ReadonlyArray<NewDefinition & {file: string}>
): string[] {
  const byIdentifier = new Map(added.map((d) => [normalizeLabel(d.label), d]))
  const problems: string[] = []

  for (const file of files) {
    for (const message of file.messages as unknown as FixFinding[]) {
      if (message.ruleId !== 'undefined-reference' || typeof message.label !== 'string') continue
      const definition = byIdentifier.get(normalizeLabel(message.label))
      if (!definition) continue
      byIdentifier.delete(normalizeLabel(message.label))
      problems.push(
        'Unexpected undefined reference `' +
          message.label +
          '` after adding it to `' +
          definition.file +
          '`, expected every chapter that uses it to include that file'
      )
    }
  }

  return problems
}

/**
 * The refs file of `fix-file` in our table, resolved against the book root.
 *
 * @param book
 *   Book.
 * @param report
 *   Report, for a value that is no string.
 * @returns
 *   Absolute path, or `undefined`.
 */
function configuredFile(book: LoadedBook, report: FixReport): string | undefined {
  const found = findTable(book.config)
  if (!found) return undefined
  const key = 'fix-file' in found.table ? 'fix-file' : 'fix_file'
  const value = found.table[key]
  if (value === undefined) return undefined

  if (typeof value !== 'string' || value === '') {
    report.problems.push(
      'Unexpected `' + JSON.stringify(value) + '` for `' + key + '` in `[preprocessor.' + found.name + ']`, expected a path'
    )
    return undefined
  }

  return path.resolve(book.root, value)
}

/** A definition line, as orders compare it. */
interface SortKey {
  /** Label. */
  label: string
  /** Line from `[` to its end. */
  text: string
}

/**
 * Orders that refs files are kept in, tried in turn: lines by code unit (as
 * `LC_ALL=C sort` gives: `[c~serde_json~docs]` before `[c~serde~docs]`),
 * then labels by `~`-separated part (`[c~serde~docs]` before
 * `[c~serde_json~docs]`).
 */
const orders: ReadonlyArray<(a: SortKey, b: SortKey) => number> = [
  (a, b) => compare(a.text, b.text),
  (a, b) => {
    const left = a.label.split('~')
    const right = b.label.split('~')
    for (let index = 0; index < Math.min(left.length, right.length); index++) {
      const result = compare(left[index], right[index])
      if (result !== 0) return result
    }

    return left.length - right.length || compare(a.text, b.text)
  }
]

/**
 * Sort key of a new definition.
 *
 * @param definition
 *   Definition.
 * @returns
 *   Key.
 */
function sortKey(definition: NewDefinition): SortKey {
  return {label: definition.label, text: line(definition)}
}

/**
 * The line of a definition.
 *
 * @param definition
 *   Definition.
 * @returns
 *   `[label]: url`.
 */
function line(definition: NewDefinition): string {
  return '[' + definition.label + ']: ' + definition.url
}

/**
 * Compare strings by code unit (`[c~Z…` before `[c~a…`, `-` before `~`).
 *
 * @param a
 *   One.
 * @param b
 *   Other.
 * @returns
 *   Order.
 */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Offset after the line ending of the line at an offset.
 *
 * @param text
 *   Text.
 * @param position
 *   Offset.
 * @returns
 *   Start of the next line (or the end of the text).
 */
function afterLine(text: string, position: number): number {
  const index = text.indexOf('\n', position)
  return index === -1 ? text.length : index + 1
}
