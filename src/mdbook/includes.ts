/**
 * Include expansion: mdBook's `links` preprocessor (`{{#include}}`,
 * `{{#rustdoc_include}}`, `{{#playground}}`, `{{#playpen}}`, `{{#title}}`
 * and `\{{#…}}` escapes), done the way mdBook 0.4/0.5 does it, with a source
 * map from the expanded text back to the file and line each piece was
 * written in.
 *
 * Behaviour follows `links.rs` and `take_lines.rs` of rust-lang/mdBook:
 *
 * * directives are found with mdBook's regular expression, in one pass;
 *   what an include brings in is expanded again, relative to the included
 *   file, up to a depth of `10` (deeper directives vanish, as in mdBook);
 * * included lines are Rust `str::lines()`: split on `\n`, a `\r` before it
 *   dropped, joined with `\n`, no final line ending;
 * * a directive that cannot be rendered (missing file, not UTF-8, …) stays
 *   as written.
 *
 * Two additions, both reported as problems: a target outside
 * `options.boundary` (after symlinks) is refused unless `allowOutsideRoot`,
 * and a run of more than `maxExpansions` includes is cut (mdBook would keep
 * going for a very long time on `a` including itself three times).
 *
 * The directive syntax is in `include-directives.ts`, the wording of
 * problems in `include-problems.ts`.
 */

import fs from 'node:fs'
import path from 'node:path'
import type {Point} from '../diagnostics/rules.js'
import {bomLength} from '../util/text.js'
import {createFileCache, readCached, readUtf8, type CacheEntry, type FileCache} from './file-cache.js'
import {findLinks, type Link} from './include-directives.js'
import {cannotRead, cycleNote, describeError, problem} from './include-problems.js'
import {
  Builder,
  createMap,
  pointAt,
  repoint,
  sliceMapped,
  type Mapped,
  type SourceMap
} from './source-map.js'
import {takeLines} from './take-lines.js'

/** mdBook's `MAX_LINK_NESTED_DEPTH`. */
export const maxDepth = 10

/** Most directives expanded for one chapter before we stop (not in mdBook). */
export const maxExpansions = 100_000

/** A directive that could not be expanded as written. */
export interface IncludeProblem {
  /** Rule (always `include-error`). */
  ruleId: 'include-error'
  /** “Unexpected …, expected …” / “Cannot …” sentence. */
  reason: string
  /** Absolute path of the file the directive is written in. */
  file: string
  /** Place of the directive in `file`. */
  place: {start: Point; end: Point}
  /** The directive, such as `{{#include refs.md}}`. */
  directive: string
}

/** Result of expanding one chapter. */
export interface Expanded {
  /** Text after expansion: what mdBook gives preprocessors after `links`. */
  text: string
  /**
   * `text` as the pieces it was put together from, in order (an included
   * file's text is the same string in every expansion of one run).
   */
  parts: string[]
  /** Source map of `text`. */
  map: SourceMap
  /** Directives that failed, in the order mdBook meets them. */
  problems: IncludeProblem[]
  /** Absolute paths of every file read, the chapter first. */
  files: string[]
  /** Title from a `{{#title …}}` directive, if any (mdBook ≥ 0.4.8). */
  title?: string
}

/** Options for `expandIncludes` and `expandText`. */
export interface IncludeOptions {
  /**
   * Directory no include may leave (after following symlinks), normally
   * `findBoundary(bookRoot)`; required.
   */
  boundary: string
  /** Allow includes outside `boundary` (default: `false`). */
  allowOutsideRoot?: boolean | null | undefined
  /**
   * Read a file as text (default: cached `fs.readFileSync`, strict UTF-8,
   * BOM kept as mdBook keeps it). Receives an absolute path; throws when the
   * file cannot be read.
   */
  read?: ((file: string) => string) | null | undefined
  /**
   * Resolve symlinks (default: `fs.realpathSync.native` when `read` is not
   * given, else `path.resolve`: an injected reader gets no file system).
   */
  realpath?: ((file: string) => string) | null | undefined
  /**
   * mdBook version to match (default: current, `0.5`): before `0.4.6` a
   * chapter's BOM stays in its content and a playground file always gets a
   * line ending added (mdBook PRs #1285, #1375); before `0.4.8`
   * `{{#title …}}` is not a directive (mdBook PR #1381).
   */
  mdbookVersion?: string | null | undefined
  /**
   * Files read through the default reader, kept between calls of one run
   * (`createFileCache()`; default: none, each call reads its files): the
   * chapters of a book include the same refs files, read once per run.
   */
  cache?: FileCache | null | undefined
}

/** A file as this run knows it. */
interface FileRecord {
  /** Display path (absolute, lexically resolved). */
  path: string
  /** Text as read (a BOM kept). */
  text: string
  /** Cached analysis of `text`. */
  entry: CacheEntry
}

/** State of one `expandIncludes` call. */
export interface State {
  boundaryReal: string
  allowOutsideRoot: boolean
  read: (file: string) => string
  realpath: (file: string) => string
  /** Cache of file contents for this call. */
  entries: Map<string, CacheEntry>
  /** Files read through the default reader, for this run. */
  cache: FileCache
  records: FileRecord[]
  byReal: Map<string, number>
  /** Results of `open` per raw path and path as written. */
  opened: Map<string, number | string>
  problems: IncludeProblem[]
  reported: Set<string>
  expansions: number
  /** Files being expanded, outermost first (record indices). */
  stack: number[]
  title: string | undefined
  /** Whether `{{#title …}}` is a directive (mdBook ≥ 0.4.8). */
  titles: boolean
  /** Whether a chapter BOM is dropped (mdBook ≥ 0.4.6). */
  dropBom: boolean
  /** Whether a playground file ending in `\n` gets no extra one (mdBook ≥ 0.4.6). */
  trimPlayground: boolean
}

/**
 * Find the include boundary of a book: the nearest ancestor (or itself)
 * with a `.git` (directory or file), else the book root.
 *
 * @param bookRoot
 *   Directory of `book.toml`.
 * @returns
 *   Absolute path.
 */
export function findBoundary(bookRoot: string): string {
  const root = path.resolve(bookRoot)
  let dir = root

  while (true) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return root
    dir = parent
  }
}

/**
 * Expand the include directives of a chapter file as mdBook's `links`
 * preprocessor does.
 *
 * @param file
 *   Chapter file (a UTF-8 BOM is dropped, as mdBook ≥ 0.4.6 does).
 * @param options
 *   Configuration; `boundary` is required.
 * @returns
 *   Expanded text, source map, problems and files read.
 * @throws {Error}
 *   When the chapter itself cannot be read.
 */
export function expandIncludes(file: string, options: Readonly<IncludeOptions>): Expanded {
  const state = createState(options)
  const display = path.resolve(file)
  let index: number

  try {
    index = load(state, display, state.realpath(display))
  } catch (error) {
    throw new Error(
      'Cannot read chapter `' + display + '`: ' + describeError(error)
    )
  }

  return expandRecord(state, index, display)
}

/**
 * Expand the include directives of chapter content already in memory.
 *
 * @param text
 *   Chapter content (a leading BOM is dropped).
 * @param file
 *   Path the content belongs to: includes resolve from its folder.
 * @param options
 *   Configuration; `boundary` is required.
 * @returns
 *   Expanded text, source map, problems and files read.
 */
export function expandText(
  text: string,
  file: string,
  options: Readonly<IncludeOptions>
): Expanded {
  const state = createState(options)
  const display = path.resolve(file)
  const entry: CacheEntry = {text, rendered: new Map()}
  state.records.push({path: display, text, entry})
  // Register the file so that an include of the chapter itself reads the
  // same text; a failing `realpath` means the file is only in memory.
  let real = display
  try {
    real = state.realpath(display)
  } catch {}
  state.byReal.set(real, 0)
  state.entries.set(real, entry)
  return expandRecord(state, 0, display)
}

/**
 * Expand a loaded chapter record.
 *
 * @param state
 *   State.
 * @param index
 *   Record of the chapter.
 * @param display
 *   Path of the chapter.
 * @returns
 *   Result.
 */
function expandRecord(state: State, index: number, display: string): Expanded {
  const record = state.records[index]
  const bom = state.dropBom ? bomLength(record.text) : 0
  const input: Mapped = {
    text: bom ? record.text.slice(1) : record.text,
    starts: [0],
    files: [index],
    offsets: [bom]
  }
  state.stack.push(index)
  const output = replaceAll(state, input, dirnameRaw(display), 0)
  state.stack.pop()
  const result: Expanded = {
    text: output.text,
    parts: output.parts ?? [output.text],
    map: createMap(output, state.records),
    problems: state.problems,
    files: state.records.map((d) => d.path)
  }
  if (state.title !== undefined) result.title = state.title
  return result
}

/**
 * Create the state of one expansion.
 *
 * @param options
 *   Options.
 * @returns
 *   State.
 */
function createState(options: Readonly<IncludeOptions>): State {
  const injected = typeof options.read === 'function'
  const realpath =
    options.realpath || (injected ? (file: string) => path.resolve(file) : fs.realpathSync.native)
  let boundaryReal = path.resolve(options.boundary)

  try {
    boundaryReal = realpath(boundaryReal)
  } catch {}

  return {
    boundaryReal,
    allowOutsideRoot: options.allowOutsideRoot === true,
    read: options.read || readUtf8,
    realpath,
    entries: new Map(),
    cache: options.cache || createFileCache(),
    records: [],
    byReal: new Map(),
    opened: new Map(),
    problems: [],
    reported: new Set(),
    expansions: 0,
    stack: [],
    title: undefined,
    titles: !before(options.mdbookVersion, [0, 4, 8]),
    dropBom: !before(options.mdbookVersion, [0, 4, 6]),
    trimPlayground: !before(options.mdbookVersion, [0, 4, 6])
  }
}

/**
 * Check whether a version is before another.
 *
 * @param version
 *   Version such as `0.4.4`, or nothing (latest).
 * @param than
 *   Version to compare with.
 * @returns
 *   Whether `version` is older than `than`.
 */
function before(version: string | null | undefined, than: [number, number, number]): boolean {
  const match = version ? /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version) : null
  if (!match) return false
  const parts = [Number(match[1]), Number(match[2]), Number(match[3] || 0)]

  for (let index = 0; index < 3; index++) {
    if (parts[index] !== than[index]) return parts[index] < than[index]
  }

  return false
}

/**
 * Load a file into the call (once per call, once per run for the default
 * reader with a cache while the file does not change).
 *
 * @param state
 *   State.
 * @param display
 *   Absolute, lexically resolved path.
 * @param real
 *   Path with symlinks resolved (identity of the file).
 * @returns
 *   Record index.
 * @throws
 *   When the file cannot be read.
 */
function load(state: State, display: string, real: string): number {
  const known = state.byReal.get(real)
  if (known !== undefined) return known
  let entry = state.entries.get(real)

  if (!entry) {
    entry = state.read === readUtf8 ? readCached(state.cache, real) : {text: state.read(real), rendered: new Map()}
    state.entries.set(real, entry)
  }

  const index = state.records.length
  state.records.push({path: display, text: entry.text, entry})
  state.byReal.set(real, index)
  return index
}

/**
 * mdBook's `replace_all`: expand the directives in `input`.
 *
 * @param state
 *   State.
 * @param input
 *   Text to expand.
 * @param base
 *   Folder that relative paths in `input` start from (not normalised, as
 *   Rust's `Path::join` does not normalise).
 * @param depth
 *   Nesting depth of `input` (the chapter is `0`).
 * @returns
 *   Expanded text.
 */
function replaceAll(state: State, input: Mapped, base: string, depth: number): Mapped {
  const links = findLinks(input.text, state.titles)
  if (links.length === 0) return input
  const out = new Builder()
  let previous = 0

  for (const link of links) {
    out.copy(input, previous, link.start)
    const rendered = render(state, link, input, base)

    if (!rendered.ok) {
      problem(state, input, link, 'read', () => rendered.reason)
      // Keep the raw directive, as mdBook does.
      previous = link.start
      continue
    }

    previous = link.end

    if (depth >= maxDepth) {
      problem(state, input, link, 'depth', () => depthReason(state, rendered.target))
      continue
    }

    if (rendered.target === undefined) {
      out.copy(rendered.content, 0, rendered.content.text.length)
      continue
    }

    if (state.expansions >= maxExpansions) {
      problem(
        state,
        input,
        link,
        'budget',
        () =>
          'Unexpected more than `' +
          maxExpansions +
          '` include expansions in one chapter, expected fewer' +
          cycleNote(state, rendered.target)
      )
      continue
    }

    state.expansions++
    state.stack.push(rendered.target)
    const content = state.records[rendered.target].entry.plain
      ? rendered.content
      : replaceAll(state, rendered.content, rendered.base, depth + 1)
    state.stack.pop()
    out.copy(content, 0, content.text.length)
  }

  out.copy(input, previous, input.text.length)
  return out.done()
}

/** Result of rendering one directive. */
type Rendered =
  | {ok: true; content: Mapped; target: number; base: string}
  | {ok: true; content: Mapped; target: undefined}
  | {ok: false; reason: string}

/**
 * mdBook's `render_with_path`: the text a directive stands for.
 *
 * @param state
 *   State.
 * @param link
 *   Directive.
 * @param input
 *   Text the directive is in.
 * @param base
 *   Folder of that text.
 * @returns
 *   Content, or why it failed.
 */
function render(state: State, link: Link, input: Mapped, base: string): Rendered {
  const type = link.type

  if (type.kind === 'escaped') {
    // Drop the `\`.
    return {ok: true, content: sliceMapped(input, link.start + 1, link.end), target: undefined}
  }

  if (type.kind === 'title') {
    state.title = type.title
    return {ok: true, content: {text: '', starts: [], files: [], offsets: []}, target: undefined}
  }

  const raw = joinRaw(base, type.file)
  const opened = open(state, raw, type.file)
  if (typeof opened === 'string') return {ok: false, reason: opened}
  const entry = state.records[opened].entry
  let content: Mapped

  if (type.kind === 'playground') {
    const at = pointAt(input, link.start)
    const head = '```' + (type.attrs.length > 0 ? 'rust,' : 'rust') + type.attrs.join(',') + '\n'
    const out = new Builder()
    out.add(head, ~at.file, at.offset)
    out.add(entry.text, opened, 0)
    if (!state.trimPlayground || !entry.text.endsWith('\n')) {
      out.add('\n', ~opened, entry.text.length)
    }

    out.add('```\n', ~at.file, at.offset)
    content = out.done()
  } else {
    const key = type.kind + '|' + JSON.stringify(type.select)
    const cached = entry.rendered.get(key)
    // Pieces carry record indices of this run: re-point them.
    content = cached ? repoint(cached, opened) : takeLines(entry, opened, type.kind, type.select)
    if (!cached) entry.rendered.set(key, content)
  }

  return {ok: true, content, target: opened, base: dirnameRaw(raw)}
}

/**
 * Resolve, check and read an include target.
 *
 * @param state
 *   State.
 * @param raw
 *   `base` joined with the path as written.
 * @param written
 *   Path as written in the directive.
 * @returns
 *   Record index, or a reason.
 */
function open(state: State, raw: string, written: string): number | string {
  // A runaway include tree opens the same path a hundred thousand times.
  const key = raw + '\u0000' + written
  let result = state.opened.get(key)

  if (result === undefined) {
    result = openUncached(state, raw, written)
    state.opened.set(key, result)
  }

  return result
}

/**
 * Resolve, check and read an include target (uncached).
 *
 * @param state
 *   State.
 * @param raw
 *   `base` joined with the path as written.
 * @param written
 *   Path as written in the directive.
 * @returns
 *   Record index, or a reason.
 */
function openUncached(state: State, raw: string, written: string): number | string {
  const display = path.resolve(raw)
  let real: string

  try {
    real = state.realpath(raw)
  } catch (error) {
    return cannotRead(written, display, error)
  }

  if (!state.allowOutsideRoot && !inside(real, state.boundaryReal)) {
    return (
      'Unexpected include of `' +
      written +
      '` (`' +
      real +
      '`) outside `' +
      state.boundaryReal +
      '`, expected a file inside the repository (pass `--allow-outside-root` to allow it)'
    )
  }

  try {
    const index = load(state, display, real)
    const entry = state.records[index].entry
    // Most included files (definitions) have no directive: skip expanding them.
    if (entry.plain === undefined) entry.plain = findLinks(entry.text, true).length === 0
    return index
  } catch (error) {
    return cannotRead(written, display, error)
  }
}

/**
 * Check that a path is inside a folder.
 *
 * @param file
 *   Real path.
 * @param folder
 *   Real path of the folder.
 * @returns
 *   Whether `file` is `folder` or below it.
 */
function inside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file)
  return (
    relative === '' ||
    (relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative))
  )
}

/**
 * Reason for a directive past the depth limit.
 *
 * @param state
 *   State.
 * @param target
 *   Record the directive would include, if any.
 * @returns
 *   Reason.
 */
function depthReason(state: State, target: number | undefined): string {
  const cycle = cycleNote(state, target)
  return (
    'Unexpected include nested deeper than `' +
    maxDepth +
    '` levels (dropped, as mdBook does), expected ' +
    (cycle ? 'no include cycle' + cycle : 'at most `' + maxDepth + '` levels')
  )
}

/**
 * Rust `Path::join` without normalisation: `..` stays for the OS to resolve.
 *
 * @param base
 *   Folder.
 * @param file
 *   Path as written.
 * @returns
 *   Joined path.
 */
function joinRaw(base: string, file: string): string {
  if (path.isAbsolute(file)) return file
  return base.endsWith('/') || base.endsWith(path.sep) ? base + file : base + path.sep + file
}

/**
 * Rust `Path::parent` without normalisation.
 *
 * @param file
 *   Path.
 * @returns
 *   Folder.
 */
function dirnameRaw(file: string): string {
  let end = file.length
  while (end > 1 && (file[end - 1] === '/' || file[end - 1] === path.sep)) end--
  const slash = Math.max(file.lastIndexOf('/', end - 1), file.lastIndexOf(path.sep, end - 1))
  if (slash === -1) return '.'
  return slash === 0 ? file.slice(0, 1) : file.slice(0, slash)
}
