/**
 * `mdbook-xref init [book-dir]`: add `[preprocessor.xref]` to `book.toml`
 * (see `mdbook/init-toml.ts` for the edits), and copy our stylesheet next to
 * it, listed in `[output.html] additional-css` (`mdbook/init-css.ts`), as
 * mdbook-admonish and mdbook-mermaid install theirs.
 */

import fs from 'node:fs/promises'
import path from 'node:path'
import {BookError} from '../mdbook/book-error.js'
import {parseConfig} from '../mdbook/book-toml.js'
import {addAdditionalCss, type CssResult} from '../mdbook/init-css.js'
import {InitError, initToml, type InitResult} from '../mdbook/init-toml.js'
import {stripBom} from '../util/text.js'
import type {Parsed} from './argv.js'
import {bookDir, type Io, type Outcome} from './io.js'

/** Name of the stylesheet, in the package root and next to `book.toml`. */
const stylesheet = 'mdbook-xref.css'

/** The stylesheet in the package (`dist/cli/` or `src/cli/` → package root). */
const packaged = new URL('../../' + stylesheet, import.meta.url)

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
  let css: CssResult

  try {
    parseConfig(stripBom(text), shownPath)
    result = initToml(text, {fromIndexing: parsed.flags['from-indexing'] === true})
    css = addAdditionalCss(result.text, stylesheet)
  } catch (error) {
    if (error instanceof BookError) return {code: 2, stderr: 'mdbook-xref: ' + error.message + '\n'}
    if (error instanceof InitError) return {code: 1, stderr: 'mdbook-xref: ' + shownPath + ': ' + error.message + '\n'}
    throw error
  }

  const lines = [...result.changes]
  // A book that renders no HTML gets a note instead of a stylesheet.
  if (css.notes.length === 0) lines.push(...(await copyStylesheet(path.join(path.dirname(file), stylesheet), io)))
  lines.push(...css.changes)

  if (css.text === text) {
    lines.push('nothing to change in ' + shownPath + ': [preprocessor.' + result.table + '] has after = ["links"]')
  } else {
    await fs.writeFile(file, css.text)
  }

  return {code: 0, stdout: [...lines, ...result.notes, ...css.notes].map((d) => d + '\n').join('')}
}

/**
 * Copy the packaged stylesheet to the book, unless the copy there is the
 * same (an outdated copy is replaced: the file says to put changes
 * elsewhere).
 *
 * @param target
 *   Path of the copy.
 * @param io
 *   Environment.
 * @returns
 *   Change lines (`wrote mdbook-xref.css`), none when up to date.
 */
async function copyStylesheet(target: string, io: Io): Promise<string[]> {
  const content = await fs.readFile(packaged)
  let existing: Buffer | undefined

  try {
    existing = await fs.readFile(target)
  } catch {}

  if (existing && existing.equals(content)) return []
  await fs.writeFile(target, content)
  return [(existing ? 'updated ' : 'wrote ') + path.relative(io.cwd, target)]
}
