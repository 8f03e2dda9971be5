/**
 * The preprocessor run: read `[context, book]`, transform the book, write it
 * back in the shape it came in, report findings on stderr.
 */

import {constants, isUtf8} from 'node:buffer'
import fs from 'node:fs'
import path from 'node:path'
import type {Io, Outcome} from './cli.js'
import {readConfig, supportsRenderer, type ResolvedOptions} from './config.js'
import {expandIncludes, findBoundary, type SourceMap} from './includes.js'
import {locateInContent, processBook, type ChapterInput, type Locate} from './process.js'
import {
  allChapters,
  chapterSourcePath,
  checkVersion,
  parseInput,
  ProtocolError,
  serializeBook,
  type PreprocessorInput
} from './protocol.js'
import {formatHuman} from './report.js'

/** Result of transforming a book. */
export interface PreprocessResult {
  /** Findings, as text for stderr (human format). */
  report: string
  /** Whether any finding is at error level. */
  failed: boolean
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
  const originals = chapters.map((d) => ({path: d.path, name: d.name, content: d.content}))
  const inputs: ChapterInput[] = chapters.map((d) => ({name: d.name, path: d.path, content: d.content}))
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
    path.relative(root, path.join(src, 'SUMMARY.md'))
  )

  if (options.indexJson && result.indexJson) {
    fs.writeFileSync(path.resolve(root, options.indexJson), JSON.stringify(result.indexJson, null, 2) + '\n')
  }

  for (const [index, chapter] of chapters.entries()) {
    chapter.content = inputs[index].content
  }

  const failed = result.files.some((file) => file.messages.some((d) => d.fatal === true))
  const text = result.files.length > 0 ? formatHuman(result.files, {excerpts: false}) + '\n' : ''
  return {report: text, failed}
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
  originals: Array<{path: string | null; name: string; content: string}>,
  sourcePaths: Array<string | null>,
  root: string,
  src: string,
  mdbookVersion: string | undefined
): Locate {
  const fallback = locateInContent(originals, path.relative(root, src) || '.')
  const maps = new Map<number, SourceMap | undefined>()
  let boundary: string | undefined

  return function (chapter, offset) {
    if (!maps.has(chapter)) {
      let map: SourceMap | undefined
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
            ...(mdbookVersion ? {mdbookVersion} : {})
          })
          const content = originals[chapter].content.replace(/^\uFEFF/, '')
          if (expanded.text === content) map = expanded.map
        } catch {
          // Not on disk (a generated chapter): lines of the chapter it is.
        }
      }

      maps.set(chapter, map)
    }

    const map = maps.get(chapter)
    if (!map) return fallback(chapter, offset)
    const bom = originals[chapter].content.charCodeAt(0) === 0xfe_ff ? 1 : 0
    const span = map.lookup(offset - bom)
    return {
      file: path.relative(root, span.file) || span.file,
      absolute: span.file,
      line: span.line,
      column: span.column
    }
  }
}

/**
 * Run as a preprocessor: stdin to stdout.
 *
 * @param io
 *   Environment.
 * @returns
 *   Outcome (stdout only when everything succeeded).
 */
export async function preprocessCommand(io: Io): Promise<Outcome> {
  const bytes = await io.readStdin()
  let text: string

  // `isUtf8` is a native check; `toString` is much faster than a fatal
  // `TextDecoder` on a large book.
  if (!isUtf8(bytes)) {
    return {
      code: 1,
      stderr:
        'mdbook-xref: Unexpected invalid UTF-8 on stdin, expected `[context, book]` JSON from mdBook\n'
    }
  }

  try {
    text = bytes.toString('utf8')
  } catch (error) {
    const code = (error as {code?: unknown}).code

    // More text than V8's longest string (about 512 MiB): a book ten times
    // the size of a large real one.
    if (code === 'ERR_STRING_TOO_LONG') {
      return {
        code: 1,
        stderr:
          'mdbook-xref: Unexpected `' +
          bytes.length +
          '` bytes on stdin, expected at most `' +
          constants.MAX_STRING_LENGTH +
          '` (the longest string Node can hold)\n'
      }
    }

    throw error
  }

  let input: PreprocessorInput

  try {
    input = parseInput(text)
  } catch (error) {
    if (error instanceof ProtocolError) {
      return {code: 1, stderr: 'mdbook-xref: ' + error.message + '\n'}
    }

    throw error
  }

  let stderr = ''
  const versionWarning = checkVersion(input.context.mdbook_version)
  if (versionWarning) stderr += 'mdbook-xref: warning: ' + versionWarning + '\n'

  const {options, warnings} = readConfig(input.context.config, io.env)
  for (const warning of warnings) stderr += 'mdbook-xref: warning: ' + warning + '\n'

  if (!supportsRenderer(input.context.renderer, options)) {
    // mdBook asked `supports` first; if we are run anyway, pass through.
    return {code: 0, stdout: serializeBook(input.book), stderr}
  }

  const result = preprocessBook(input, options)
  stderr += result.report

  if (result.failed && options.deny) {
    return {
      code: 1,
      stderr: stderr + 'mdbook-xref: Unexpected findings at error level, expected none with `deny = true`\n'
    }
  }

  return {code: 0, stdout: serializeBook(input.book), stderr}
}
