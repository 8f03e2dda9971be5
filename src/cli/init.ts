/**
 * `mdbook-xref init [book-dir]`: add `[preprocessor.xref]` to `book.toml`
 * (see `mdbook/init-toml.ts` for the edits).
 */

import fs from 'node:fs/promises'
import path from 'node:path'
import {BookError} from '../mdbook/book-error.js'
import {parseConfig} from '../mdbook/book-toml.js'
import {InitError, initToml, type InitResult} from '../mdbook/init-toml.js'
import {stripBom} from '../util/text.js'
import type {Parsed} from './argv.js'
import {bookDir, type Io, type Outcome} from './io.js'

/**
 * Run `init`.
 *
 * @param parsed
 *   Command line.
 * @param io
 *   Environment.
 * @returns
 *   Outcome: change lines on stdout, exit 0; a missing or invalid
 *   `book.toml` is one `file:line:column: reason` line on stderr, exit 2;
 *   a table we cannot edit as text, exit 1.
 */
export async function initCommand(parsed: Parsed, io: Io): Promise<Outcome> {
  const file = path.join(bookDir(parsed, io), 'book.toml')
  const shownPath = path.relative(io.cwd, file) || 'book.toml'
  let text: string

  try {
    text = await fs.readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {
      code: 2,
      stderr:
        'mdbook-xref: ' +
        shownPath +
        ':1:1: Cannot read `book.toml`: ' +
        (code === 'ENOENT' ? 'no such file' : String((error as Error).message)) +
        '\n'
    }
  }

  let result: InitResult

  try {
    parseConfig(stripBom(text), shownPath)
    result = initToml(text, {fromIndexing: parsed.flags['from-indexing'] === true})
  } catch (error) {
    if (error instanceof BookError) return {code: 2, stderr: 'mdbook-xref: ' + error.message + '\n'}
    if (error instanceof InitError) return {code: 1, stderr: 'mdbook-xref: ' + shownPath + ': ' + error.message + '\n'}
    throw error
  }

  const lines = [...result.changes]

  if (result.text === text) {
    lines.push('nothing to change in ' + shownPath + ': [preprocessor.' + result.table + '] has after = ["links"]')
  } else {
    await fs.writeFile(file, result.text)
  }

  return {code: 0, stdout: [...lines, ...result.notes].map((d) => d + '\n').join('')}
}
