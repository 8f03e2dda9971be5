/**
 * The mdBook preprocessor protocol: the `[context, book]` JSON that mdBook
 * writes to a preprocessor's stdin and the book it expects back on stdout.
 *
 * Two shapes exist:
 *
 * * mdBook 0.4.x: `{"sections": [...], "__non_exhaustive": null}`; chapters
 *   carry `path` and, from 0.4.5 on, `source_path`.
 * * mdBook 0.5.x: `{"items": [...]}`; chapters carry `path` and `source_path`.
 *
 * Items are `{"Chapter": {...}}`, `"Separator"` or `{"PartTitle": "..."}`.
 * Everything we do not know is kept as it came, so that it round-trips.
 *
 * This file holds the types and the checks of the parsed value; reading the
 * bytes of stdin and writing the book back is in `wire.ts`.
 */

import {isRecord} from '../util/record.js'
import {stripBom} from '../util/text.js'

/** Context that mdBook passes to a preprocessor. */
export interface PreprocessorContext {
  /** Book root (directory of `book.toml`). */
  root: string
  /** Whole `book.toml`, as JSON. */
  config: BookConfig
  /** Renderer this run is for (`html`, `markdown`, …). */
  renderer: string
  /** Version of mdBook that runs us, such as `0.4.4`. */
  mdbook_version: string
  [key: string]: unknown
}

/** `book.toml` as JSON; only the fields we read are typed. */
export interface BookConfig {
  book?: {
    title?: string | null
    language?: string | null
    src?: string
    [key: string]: unknown
  }
  preprocessor?: Record<string, Record<string, unknown>>
  [key: string]: unknown
}

/** A chapter, as mdBook serialises it. */
export interface Chapter {
  name: string
  content: string
  number: number[] | null
  sub_items: BookItem[]
  /** Path relative to the source directory; `null` for a draft chapter. */
  path: string | null
  /** Path of the source file (0.4.5+); `null` for a draft chapter. */
  source_path?: string | null
  parent_names: string[]
  [key: string]: unknown
}

/** One item of a book. */
export type BookItem =
  | {Chapter: Chapter}
  | 'Separator'
  | {PartTitle: string}
  | Record<string, unknown>

/** The book in mdBook 0.4 shape. */
export interface BookV04 {
  sections: BookItem[]
  __non_exhaustive?: null
  [key: string]: unknown
}

/** The book in mdBook 0.5 shape. */
export interface BookV05 {
  items: BookItem[]
  [key: string]: unknown
}

/** A book in either shape. */
export type Book = BookV04 | BookV05

/** Parsed preprocessor input. */
export interface PreprocessorInput {
  context: PreprocessorContext
  book: Book
}

/** Error raised for input that is not a preprocessor request. */
export class ProtocolError extends Error {
  override name = 'ProtocolError'
}

/** mdBook versions (`major.minor`) this release is tested with. */
export const testedVersions = ['0.4', '0.5'] as const

/**
 * Parse the text mdBook writes on stdin.
 *
 * @param text
 *   Whole stdin, as a string.
 * @returns
 *   Context and book.
 * @throws {ProtocolError}
 *   When the text is empty, not JSON, or not `[context, book]`.
 */
export function parseInput(text: string): PreprocessorInput {
  text = stripBom(text)

  if (text.trim() === '') {
    throw new ProtocolError(
      'Unexpected empty input, expected `[context, book]` JSON on stdin from mdBook'
    )
  }

  let value: unknown

  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new ProtocolError(
      'Unexpected invalid JSON on stdin (' +
        String((error as Error).message) +
        '), expected `[context, book]` from mdBook'
    )
  }

  return checkInput(value)
}

/**
 * Check that a parsed value is `[context, book]`.
 *
 * @param value
 *   Parsed JSON.
 * @returns
 *   Context and book.
 * @throws {ProtocolError}
 *   When the value is not `[context, book]`.
 */
export function checkInput(value: unknown): PreprocessorInput {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new ProtocolError(
      'Unexpected ' +
        describe(value) +
        ' on stdin, expected a `[context, book]` array'
    )
  }

  const [context, book] = value as [unknown, unknown]

  if (!isRecord(context) || typeof context.root !== 'string' || !isRecord(context.config)) {
    throw new ProtocolError(
      'Unexpected context ' +
        describe(context) +
        ', expected an object with `root` and `config`'
    )
  }

  if (!isRecord(book)) {
    throw new ProtocolError(
      'Unexpected book ' + describe(book) + ', expected an object'
    )
  }

  // 0.5: `items`; 0.4: `sections`. Named in messages: `items[2].sub_items[0]`.
  const key = Array.isArray(book.items)
    ? 'items'
    : Array.isArray(book.sections)
      ? 'sections'
      : undefined

  if (!key) {
    throw new ProtocolError(
      'Unexpected book without `items` or `sections`, expected an mdBook 0.4 or 0.5 book'
    )
  }

  checkItems(book[key] as unknown[], key)

  return {
    context: context as PreprocessorContext,
    book: book as Book
  }
}

/**
 * Get the top-level items of a book in either shape.
 *
 * @param book
 *   Book.
 * @returns
 *   Its items (the same array, not a copy).
 */
export function bookItems(book: Book): BookItem[] {
  return 'items' in book && Array.isArray(book.items)
    ? book.items
    : (book as BookV04).sections
}

/**
 * Every chapter of a book, depth first, in reading order.
 *
 * @param book
 *   Book.
 * @returns
 *   Chapters (the objects themselves: editing `content` edits the book).
 */
export function allChapters(book: Book): Chapter[] {
  const result: Chapter[] = []
  walk(bookItems(book))
  return result

  function walk(items: BookItem[]): undefined {
    for (const item of items) {
      if (isChapterItem(item)) {
        result.push(item.Chapter)
        walk(item.Chapter.sub_items)
      }
    }
  }
}

/**
 * Check whether an item is a chapter.
 *
 * @param item
 *   Item.
 * @returns
 *   Whether `item` is `{Chapter: {...}}`.
 */
export function isChapterItem(item: BookItem): item is {Chapter: Chapter} {
  return typeof item === 'object' && item !== null && 'Chapter' in item
}

/**
 * Path of a chapter's source file, relative to the source directory.
 *
 * @param chapter
 *   Chapter.
 * @returns
 *   `source_path` (0.5, 0.4.5+), else `path`, else `null` for a draft.
 */
export function chapterSourcePath(chapter: Chapter): string | null {
  return chapter.source_path ?? chapter.path ?? null
}

/**
 * Serialise a book for stdout, in the shape it came in.
 *
 * @param book
 *   Book.
 * @returns
 *   JSON text.
 */
export function serializeBook(book: Book): string {
  return JSON.stringify(book)
}

/**
 * Check an `mdbook_version` against the tested range.
 *
 * @param version
 *   Version string from the context, such as `0.4.4`.
 * @returns
 *   A warning when the version is untested, else `undefined`.
 */
export function checkVersion(version: unknown): string | undefined {
  const expected =
    ', expected `' + testedVersions.map((d) => d + '.x').join('` or `') + '`; continuing'

  if (typeof version !== 'string') {
    return 'Unexpected missing `mdbook_version`' + expected
  }

  const match = /^(\d+)\.(\d+)/.exec(version)
  const minor = match ? match[1] + '.' + match[2] : version

  if (!(testedVersions as readonly string[]).includes(minor)) {
    return 'Unexpected mdBook version `' + version + '`' + expected
  }

  return undefined
}

/**
 * Check that items have the shape mdBook writes.
 *
 * @param items
 *   Items.
 * @param where
 *   Path to the items, for messages.
 * @throws {ProtocolError}
 *   On a chapter without string `content` or without `sub_items`.
 */
function checkItems(items: unknown[], where: string): undefined {
  for (const [index, item] of items.entries()) {
    if (isRecord(item) && 'Chapter' in item) {
      const chapter = item.Chapter
      const place = where + '[' + index + ']'

      if (!isRecord(chapter)) {
        throw new ProtocolError(
          'Unexpected chapter ' + describe(chapter) + ' at `' + place + '`, expected an object'
        )
      }

      if (typeof chapter.content !== 'string') {
        throw new ProtocolError(
          'Unexpected ' +
            describe(chapter.content) +
            ' as `content` of chapter `' +
            String(chapter.name) +
            '` at `' +
            place +
            '`, expected a string'
        )
      }

      if (!Array.isArray(chapter.sub_items)) {
        throw new ProtocolError(
          'Unexpected ' +
            describe(chapter.sub_items) +
            ' as `sub_items` of chapter `' +
            String(chapter.name) +
            '` at `' +
            place +
            '`, expected an array'
        )
      }

      checkItems(chapter.sub_items, place + '.sub_items')
    }
    // `"Separator"`, `{"PartTitle": …}` and item kinds from future versions
    // pass through untouched.
  }
}

/**
 * Describe a JSON value in a few words, for messages.
 *
 * @param value
 *   Value.
 * @returns
 *   Description such as `` `null` `` or `an array of 3 items`.
 */
function describe(value: unknown): string {
  if (value === null) return '`null`'
  if (Array.isArray(value)) return 'array of ' + value.length + (value.length === 1 ? ' item' : ' items')
  if (typeof value === 'object') return 'object'
  if (typeof value === 'string') return 'string'
  return '`' + String(value) + '`'
}
