/**
 * Transform a book as the preprocessor: rewrite index markers, build the
 * index, check references, and map findings back to the files the text was
 * written in.
 */

import fs from 'node:fs'
import path from 'node:path'
import {findTable, type ResolvedOptions} from '../mdbook/config.js'
import {createFileCache} from '../mdbook/file-cache.js'
import {expandIncludes, findBoundary} from '../mdbook/includes.js'
import type {SourceMap} from '../mdbook/source-map.js'
import {cratesJson} from '../crates/json.js'
import {locateInContent, processBook, type ChapterInput, type Locate} from './pass.js'
import {allChapters, chapterSourcePath, type PreprocessorInput} from '../mdbook/protocol.js'
import {partsOf, type ContentChange} from '../mdbook/wire.js'
import {applyEdits, type Edit} from '../markdown/marker-rewrite.js'
import {bomLength} from '../util/text.js'
// The report is text in the human format; the formatter lives with the CLI
// for now.
import type {VFile} from 'vfile'
import {formatHuman, formatSummary} from '../diagnostics/report.js'

/** Result of transforming a book. */
export interface PreprocessResult {
  /** Findings, as text for stderr (human format). */
  report: string
  /** Whether any finding is at error level. */
  failed: boolean
  /** Chapters whose content changed (also set on the chapters). */
  changes: ContentChange[]
}

/**
 * Transform a book in place.
 *
 * @param input
 *   Context and book.
 * @param options
 *   Options.
 * @returns
 *   Report.
 */
export function preprocessBook(
  input: PreprocessorInput,
  options: ResolvedOptions
): PreprocessResult {
  const chapters = allChapters(input.book)
  const root = input.context.root
  const src = path.resolve(root, input.context.config.book?.src || 'src')
  // Contents are read when needed, not held: a chapter read from bytes makes
  // its content anew on each read (see `readInput`).
  const getters = chapters.map((chapter) => Object.getOwnPropertyDescriptor(chapter, 'content')?.get)
  const reads = chapters.map(function (chapter, index) {
    const get = getters[index]
    return get ? () => get.call(chapter) as string : () => chapter.content
  })
  const originals = chapters.map((chapter, index) => ({
    path: chapter.path,
    name: chapter.name,
    parts: partsOf(chapter),
    get content() {
      return reads[index]()
    }
  }))
  const inputs: ChapterInput[] = chapters.map(function (chapter, index) {
    let changed: string | undefined
    let edits: Edit[] | undefined
    return {
      name: chapter.name,
      path: chapter.path,
      // Once its edits are known, a changed content is not held (a rope of
      // slices holds the whole flat original): it is made again when read.
      get content() {
        if (changed !== undefined) return changed
        return edits ? applyEdits(reads[index](), edits) : reads[index]()
      },
      set content(value: string) {
        changed = value
      },
      get edits() {
        return edits
      },
      set edits(value: Edit[] | undefined) {
        edits = value
        changed = undefined
      }
    }
  })
  const result = processBook(
    inputs,
    options,
    locateFromDisk(
      originals,
      chapters.map((d) => chapterSourcePath(d)),
      root,
      src,
      input.context.mdbook_version
    ),
    input.context.config.book?.language ?? undefined,
    path.relative(root, path.join(src, 'SUMMARY.md')),
    {
      file: 'book.toml',
      absolute: path.join(root, 'book.toml'),
      table: findTable(input.context.config)?.name ?? 'xref'
    }
  )

  if (options.indexJson && result.indexJson) {
    fs.writeFileSync(path.resolve(root, options.indexJson), JSON.stringify(result.indexJson, null, 2) + '\n')
  }

  if (options.cratesJson && result.crates) {
    fs.writeFileSync(path.resolve(root, options.cratesJson), JSON.stringify(cratesJson(result.crates), null, 2) + '\n')
  }

  const changes: ContentChange[] = []

  for (const [index, chapter] of chapters.entries()) {
    const {edits} = inputs[index]
    if (!edits) continue
    const read = () => inputs[index].content

    if (getters[index]) {
      // Read from bytes: the new content is made when read.
      Object.defineProperty(chapter, 'content', {configurable: true, enumerable: true, get: read})
    } else {
      chapter.content = read()
    }

    changes.push({
      chapter,
      edits,
      get content() {
        return read()
      }
    })
  }

  const failed = result.files.some((file) => file.messages.some((d) => d.fatal === true))
  const text = result.files.length > 0 ? formatReport(result.files, options.warnings) : ''
  return {report: text, failed, changes}
}

/**
 * The build log: every finding with `warnings = "all"`; else errors in full and
 * the rest one line per rule, so that errors are not lost among warnings.
 *
 * @param files
 *   Files with messages.
 * @param warnings
 *   `'all'` or `'summary'`.
 * @returns
 *   Text for stderr (ends in a line ending).
 */
function formatReport(files: VFile[], warnings: 'summary' | 'all'): string {
  if (warnings === 'all') return formatHuman(files, {excerpts: false}) + '\n'
  const summarised = files.some((file) => file.messages.some((d) => d.fatal !== true))
  let text = formatSummary(files, {excerpts: false}) + '\n'
  if (summarised) {
    text +=
      'Run `mdbook-xref lint` to list every warning, or set `warnings = "all"` (or `MDBOOK_XREF_WARNINGS=all`) to show them here\n'
  }

  return text
}

/**
 * Map chapter offsets to the files the text was written in: expand the
 * chapter's source file again, with a source map, for the chapters that
 * have findings; when the result is not what mdBook sent (another
 * preprocessor changed it), fall back to lines of the chapter itself.
 *
 * @param originals
 *   Chapters as mdBook sent them.
 * @param sourcePaths
 *   Their source paths (relative to `src`).
 * @param root
 *   Book root.
 * @param src
 *   Source folder.
 * @param mdbookVersion
 *   Version of mdBook, whose include details we follow.
 * @returns
 *   Locate function.
 */
function locateFromDisk(
  originals: Array<{path: string | null; name: string; content: string; parts: string[]}>,
  sourcePaths: Array<string | null>,
  root: string,
  src: string,
  mdbookVersion: string | undefined
): Locate {
  const fallback = locateInContent(originals, path.relative(root, src) || '.')
  const maps = new Map<number, {map: SourceMap; bom: number} | undefined>()
  let boundary: string | undefined
  const cache = createFileCache()
  // Every chapter of a book includes the same files: resolve each once a run.
  const real = new Map<string, string>()
  const realpath = function (file: string): string {
    let found = real.get(file)
    if (found === undefined) real.set(file, (found = fs.realpathSync.native(file)))
    return found
  }

  return function (chapter, offset) {
    if (!maps.has(chapter)) {
      let found: {map: SourceMap; bom: number} | undefined
      const sourcePath = sourcePaths[chapter]

      if (sourcePath) {
        try {
          boundary ??= findBoundary(root)
          let file = path.join(src, sourcePath)
          // mdBook before 0.4.5 sends no `source_path`, and `README.md` comes
          // as `index.md`.
          if (!fs.existsSync(file) && path.basename(file) === 'index.md') {
            file = path.join(path.dirname(file), 'README.md')
          }

          const expanded = expandIncludes(file, {
            boundary,
            realpath,
            cache,
            ...(mdbookVersion ? {mdbookVersion} : {})
          })
          const parts = originals[chapter].parts
          const bom = parts.length > 0 ? bomLength(parts[0]) : 0
          if (sameText(expanded.parts, bom ? [parts[0].slice(1), ...parts.slice(1)] : parts)) {
            found = {map: expanded.map, bom}
          }
        } catch {
          // Not on disk (a generated chapter): lines of the chapter it is.
        }
      }

      maps.set(chapter, found)
    }

    const found = maps.get(chapter)
    if (!found) return fallback(chapter, offset)
    const span = found.map.lookup(offset - found.bom)
    return {
      file: path.relative(root, span.file) || span.file,
      absolute: span.file,
      line: span.line,
      column: span.column
    }
  }
}

/**
 * Check whether two lists of strings join to the same text, comparing them
 * piece by piece (joining would copy every chapter).
 *
 * @param a
 *   Strings.
 * @param b
 *   Other strings.
 * @returns
 *   Whether `a.join('')` equals `b.join('')`.
 */
function sameText(a: string[], b: string[]): boolean {
  let total = 0
  for (const part of a) total += part.length
  for (const part of b) total -= part.length
  if (total !== 0) return false
  let index = 0
  let offset = 0
  let other = 0
  let otherOffset = 0

  while (index < a.length && other < b.length) {
    const left = a[index]
    const right = b[other]
    const size = Math.min(left.length - offset, right.length - otherOffset)

    if (size > 0 && left.slice(offset, offset + size) !== right.slice(otherOffset, otherOffset + size)) {
      return false
    }

    offset += size
    otherOffset += size

    if (offset === left.length) {
      index++
      offset = 0
    }

    if (otherOffset === right.length) {
      other++
      otherOffset = 0
    }
  }

  return true
}

