/**
 * Lint a book without mdBook.
 *
 * Reads `book.toml` and `SUMMARY.md`, expands includes the way mdBook's
 * `links` preprocessor does (with a source map, so every finding points at
 * the file and line where the text was written), then runs the same pass
 * as the preprocessor.
 */

import fs from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import {VFile} from 'vfile'
import {loadBook, type LoadedBook} from './load.js'
import {findTable, readConfig} from '../mdbook/config.js'
import {levelOf, report as addMessage} from '../diagnostics/rules.js'
import {createFileCache, type FileCache} from '../mdbook/file-cache.js'
import {expandIncludes, findBoundary} from '../mdbook/includes.js'
import type {SourceMap} from '../mdbook/source-map.js'
import {processBook, type ChapterInput, type Locate} from './pass.js'
import {configWarningPlace} from './config-place.js'
import type {CrateIndex} from '../crates/model.js'

/** Result of linting a book. */
export interface LintResult {
  /** Files with messages, sorted by path. */
  files: VFile[]
  /** Number of chapters checked. */
  chapters: number
  /** The book. */
  book: LoadedBook
  /** Each checked chapter as expanded, before the pass, with its source map (for `--fix`). */
  sources: Array<{text: string; map: SourceMap}>
  /** The crates the book references, when `crates` or `collectCrates` is set or a crate rule is on. */
  crates?: CrateIndex | undefined
}

/** Options of `lintBook`. */
export interface LintOptions {
  /** Also check Markdown files under `src/` that no chapter lists or includes (default: `false`). */
  all?: boolean | null | undefined
  /** Allow includes outside the repository root (default: `false`). */
  allowOutsideRoot?: boolean | null | undefined
  /** Files read so far, to share with another lint of the same book (default: a new `createFileCache()`). */
  cache?: FileCache | null | undefined
  /** Show paths relative to this folder (default: the current directory). */
  cwd?: string | null | undefined
  /** Environment, for `MDBOOK_XREF_DENY` (default: none). */
  env?: Record<string, string | undefined> | null | undefined
  /** Also report definitions that no chapter uses (default: `false`). */
  unused?: boolean | null | undefined
  /**
   * Also report crates referenced without a docs label and crate docs labels
   * no chapter references (`crate-undefined`, `crate-unreferenced`; default:
   * `false`, as their rules are off unless `book.toml` turns them on).
   */
  crates?: boolean | null | undefined
  /** Collect the crates the book references into `LintResult.crates` (default: `false`). */
  collectCrates?: boolean | null | undefined
}

/**
 * Lint a book.
 *
 * @param dir
 *   Book root.
 * @param options
 *   Options.
 * @returns
 *   Findings.
 * @throws {BookError}
 *   When the book cannot be loaded.
 */
export async function lintBook(
  dir: string,
  options?: Readonly<LintOptions> | null | undefined
): Promise<LintResult> {
  const settings = options || {}
  const cwd = settings.cwd || process.cwd()
  const book = await loadBook(dir)
  const {options: config, warnings} = readConfig(book.config, settings.env || {})
  if (settings.unused && (config.rules['unused-definition'] ?? 'off') === 'off') {
    config.rules = {...config.rules, 'unused-definition': 'warn'}
  }
  if (settings.crates) {
    // Turned on as `--unused` does, unless the book already sets a level.
    const on = {...config.rules}
    on['crate-undefined'] ??= 'warn'
    on['crate-unreferenced'] ??= 'warn'
    config.rules = on
  }
  const boundary = findBoundary(book.root)
  const cache = settings.cache || createFileCache()
  const chapters: ChapterInput[] = []
  const maps: SourceMap[] = []
  const extra = new VFile({path: path.relative(cwd, path.join(book.root, 'book.toml'))})
  const extraFiles = new Map<string, VFile>()
  const seen = new Set<string>()
  const included = new Set<string>()

  const configFile = {file: extra.path, absolute: path.join(book.root, 'book.toml'), table: findTable(book.config)?.name ?? 'xref'}

  for (const warning of warnings) {
    const place = configWarningPlace(configFile, warning)
    addMessage(extra, {ruleId: 'config', reason: warning, place: place ? {line: place.line, column: place.column} : undefined})
  }

  const sources: Array<{name: string; path: string | null; file: string | null}> = book.chapters.map((d) => ({
    name: d.name,
    path: d.path,
    file: d.file
  }))

  for (const chapter of sources) {
    if (chapter.file) seen.add(path.resolve(chapter.file))
  }

  if (settings.all) {
    for (const file of markdownUnder(book.src)) {
      if (seen.has(file) || path.basename(file) === 'SUMMARY.md') continue
      sources.push({name: path.basename(file, '.md'), path: path.relative(book.src, file), file})
    }
  }

  for (const chapter of sources) {
    if (!chapter.file) continue
    let expanded

    try {
      expanded = expandIncludes(chapter.file, {boundary, allowOutsideRoot: settings.allowOutsideRoot === true, cache})
    } catch (error) {
      // A chapter listed in SUMMARY.md that is missing: mdBook creates it or
      // fails; we report it.
      addMessage(extra, {
        ruleId: 'include-error',
        reason: String((error as Error).message).replace(/\.$/, '')
      })
      continue
    }

    for (const file of expanded.files.slice(1)) included.add(file)

    for (const problem of expanded.problems) {
      const file = path.relative(cwd, problem.file)
      let vfile = extraFiles.get(file)
      if (!vfile) {
        vfile = new VFile({path: file})
        extraFiles.set(file, vfile)
      }

      addMessage(vfile, {ruleId: problem.ruleId, reason: problem.reason, place: problem.place, chapters: [chapter.path ?? chapter.name]}, config.rules)
    }

    chapters.push({name: chapter.name, path: chapter.path, content: expanded.text})
    maps.push(expanded.map)
  }

  // With `--all`, a fragment that some chapter includes is checked there.
  const checked = settings.all
    ? chapters.filter((d, index) => {
        const file = path.join(book.src, d.path ?? '')
        const keep = index < book.chapters.length || !included.has(path.resolve(file))
        return keep
      })
    : chapters
  const checkedMaps = maps.filter((_, index) => checked.includes(chapters[index]))

  const locate: Locate = function (chapter, offset) {
    const span = checkedMaps[chapter].lookup(offset)
    return {file: path.relative(cwd, span.file), absolute: span.file, line: span.line, column: span.column}
  }

  // The pass rewrites `content`: keep the text the source maps describe.
  const expanded = checked.map((d, index) => ({text: d.content, map: checkedMaps[index]}))
  const result = processBook(
    checked,
    config,
    locate,
    book.language,
    path.relative(cwd, path.join(book.src, 'SUMMARY.md')),
    configFile
  )
  let crates: CrateIndex | undefined
  const crateFiles: VFile[] = []

  // Only when asked: it parses every unit that can reference a crate.
  if (
    settings.collectCrates ||
    levelOf('crate-undefined', config.rules) !== 'off' ||
    levelOf('crate-unreferenced', config.rules) !== 'off'
  ) {
    const {lintCrates} = await import('./lint-crates.js')
    const found = lintCrates(
      checked.map((d, index) => ({name: d.name, path: d.path, content: expanded[index].text})),
      locate,
      {prefixes: config.prefixes, language: book.language, indexChapter: result.indexChapter, rules: config.rules}
    )
    crates = found.crates
    crateFiles.push(...found.files)
  }

  // Include problems and the pass's findings may name the same file: one
  // file each, so reports group them together.
  const byPath = new Map<string, VFile>()

  for (const file of [extra, ...result.files, ...extraFiles.values(), ...crateFiles]) {
    if (file.messages.length === 0) continue
    const known = byPath.get(file.path)
    if (known) known.messages.push(...file.messages)
    else byPath.set(file.path, file)
  }

  return {
    files: [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    chapters: checked.length,
    book,
    sources: expanded,
    ...(crates ? {crates} : {})
  }
}

/**
 * Markdown files under a folder.
 *
 * @param folder
 *   Folder.
 * @returns
 *   Absolute paths, sorted.
 */
function markdownUnder(folder: string): string[] {
  const files: string[] = []
  walk(folder)
  return files.sort()

  function walk(dir: string): undefined {
    for (const entry of fs.readdirSync(dir, {withFileTypes: true})) {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(file)
      else if (entry.name.endsWith('.md')) files.push(path.resolve(file))
    }
  }
}
