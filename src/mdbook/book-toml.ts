/**
 * `book.toml` read as mdBook reads it: TOML, with `book.src`,
 * `book.language` and `preprocessor` checked for the types mdBook expects.
 * Which `[preprocessor.*]` table is ours, and its options, is `config.ts`.
 */

import {parse, TomlError} from 'smol-toml'
import {BookError} from './book-error.js'
import type {BookConfig} from './protocol.js'

/**
 * Parse `book.toml`.
 *
 * @param text
 *   TOML.
 * @param file
 *   Path, for errors.
 * @returns
 *   Configuration.
 * @throws {BookError}
 *   On invalid TOML or a wrongly typed `book.src` / `book.language`.
 */
export function parseConfig(text: string, file: string): BookConfig {
  let config: BookConfig

  try {
    config = parse(text) as BookConfig
  } catch (error) {
    if (error instanceof TomlError) {
      // `Invalid TOML document: <what>\n\n<code block>`: keep `<what>`.
      const what = error.message.split('\n')[0].replace(/^Invalid TOML document: /, '')
      throw new BookError(file, error.line, error.column, 'Unexpected invalid TOML (' + what + '), expected a valid `book.toml`')
    }

    throw error
  }

  const book = config.book

  if (book !== undefined && (typeof book !== 'object' || book === null || Array.isArray(book))) {
    throw configError(text, file, 'book', book, 'a table')
  }

  for (const key of ['src', 'language'] as const) {
    const value = book?.[key]
    if (value !== undefined && typeof value !== 'string') {
      throw configError(text, file, 'book.' + key, value, 'a string')
    }
  }

  if (config.preprocessor !== undefined && (typeof config.preprocessor !== 'object' || Array.isArray(config.preprocessor))) {
    throw configError(text, file, 'preprocessor', config.preprocessor, 'a table')
  }

  return config
}

/**
 * Error for a wrongly typed configuration value, placed at its key.
 *
 * @param text
 *   TOML.
 * @param file
 *   Path.
 * @param key
 *   Dotted key.
 * @param value
 *   Value found.
 * @param expected
 *   What was expected.
 * @returns
 *   Error.
 */
function configError(text: string, file: string, key: string, value: unknown, expected: string): BookError {
  const last = key.split('.').pop() as string
  // Best effort: the line that assigns the key (`src = 1`).
  const match = new RegExp('^[ \\t]*"?' + last + '"?[ \\t]*=', 'm').exec(text)
  const at = match ? match.index + match[0].search(/\S/) : 0
  const before = text.slice(0, at)
  const line = match ? before.split('\n').length : 1
  const column = match ? at - before.lastIndexOf('\n') : 1
  const type = Array.isArray(value) ? 'array' : typeof value
  return new BookError(file, line, column, 'Unexpected ' + type + ' for `' + key + '`, expected ' + expected)
}
