/**
 * Load an mdBook book from disk: `book.toml` and `SUMMARY.md`, the way mdBook
 * reads them, for the `lint` command (which runs without mdBook).
 */

import fs from 'node:fs/promises'
import path from 'node:path'
import {BookError} from '../mdbook/book-error.js'
import {parseConfig} from '../mdbook/book-toml.js'
import type {BookConfig} from '../mdbook/protocol.js'
import {stripBom} from '../util/text.js'
import {flattenSummary, parseSummary, type BookChapter, type Summary} from './summary.js'

/** A loaded book. */
export interface LoadedBook {
  /** Book root (folder of `book.toml`), absolute. */
  root: string
  /** Source folder (`book.src`, default `src`), absolute. */
  src: string
  /** `book.toml` as an object (`{}` when given none). */
  config: BookConfig
  /** `book.language`, if set. */
  language: string | undefined
  /** Parsed `SUMMARY.md`. */
  summary: Summary
  /** Chapters in book order (depth first), drafts included. */
  chapters: BookChapter[]
}

/** Options for `loadBook`. */
export interface LoadOptions {
  /** Configuration to use instead of reading `book.toml` (default: read it). */
  config?: BookConfig | null | undefined
}

const emptyOptions: LoadOptions = {}

/**
 * Load a book: its configuration, `SUMMARY.md` and chapter list.
 *
 * @param dir
 *   Book root (folder of `book.toml`).
 * @param options
 *   Configuration.
 * @returns
 *   Book.
 * @throws {BookError}
 *   When `book.toml` or `SUMMARY.md` is missing or malformed.
 */
export async function loadBook(
  dir: string,
  options?: Readonly<LoadOptions> | null | undefined
): Promise<LoadedBook> {
  const settings = options || emptyOptions
  const root = path.resolve(dir)
  const tomlFile = path.join(root, 'book.toml')
  let config: BookConfig

  if (settings.config) {
    config = settings.config
  } else {
    config = parseConfig(await readText(tomlFile), tomlFile)
  }

  const book = config.book || {}
  const src = path.resolve(root, typeof book.src === 'string' ? book.src : 'src')
  const summaryFile = path.join(src, 'SUMMARY.md')
  const summary = parseSummary(await readText(summaryFile), summaryFile)

  return {
    root,
    src,
    config,
    language: typeof book.language === 'string' ? book.language : undefined,
    summary,
    chapters: flattenSummary(summary, src)
  }
}

/**
 * Read a text file, as a `BookError` when it cannot be read.
 *
 * @param file
 *   Path.
 * @returns
 *   Text without a BOM.
 */
async function readText(file: string): Promise<string> {
  let text: string

  try {
    text = await fs.readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new BookError(
      file,
      1,
      1,
      'Cannot read `' +
        path.basename(file) +
        '`: ' +
        (code === 'ENOENT' ? 'no such file' : (error as Error).message)
    )
  }

  return stripBom(text)
}
