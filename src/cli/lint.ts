/**
 * `mdbook-xref lint [book-dir]`: check a book without mdBook (see
 * `book/lint.ts`) and print the findings.
 *
 * Exit codes: 0 clean (warnings allowed), 1 findings at error level,
 * 2 usage or I/O errors.
 */

import fs from 'node:fs/promises'
import path from 'node:path'
import {BookError} from '../mdbook/book-error.js'
import {lintBook, type LintOptions, type LintResult} from '../book/lint.js'
import {createFileCache} from '../mdbook/file-cache.js'
import type {Parsed} from './argv.js'
import {bookDir, type Io, type Outcome} from './io.js'
import {formatGithub, formatHuman, formatJson} from '../diagnostics/report.js'

/**
 * Run `lint` from the command line.
 *
 * @param parsed
 *   Command line.
 * @param io
 *   Environment.
 * @returns
 *   Outcome.
 */
export async function lintCommand(parsed: Parsed, io: Io): Promise<Outcome> {
  const dir = bookDir(parsed, io)
  const fixFile = parsed.flags['fix-file']
  const options: LintOptions = {
    all: parsed.flags.all === true,
    allowOutsideRoot: parsed.flags['allow-outside-root'] === true,
    unused: parsed.flags.unused === true,
    crates: parsed.flags.crates === true,
    collectCrates: typeof parsed.flags['crates-json'] === 'string',
    cwd: io.cwd,
    env: io.env,
    // `--fix` lints twice: the second run reads only the files it changed.
    cache: createFileCache()
  }
  let result: LintResult
  let fixed = ''
  let fixProblems = ''

  if (typeof fixFile === 'string' && parsed.flags.fix !== true) {
    return {code: 2, stderr: 'mdbook-xref: Unexpected `--fix-file` without `--fix`, expected both\n'}
  }

  try {
    result = await lintBook(dir, options)

    // `--fix`: add the definitions the convention can generate, then lint
    // again so that the report describes the fixed book.
    if (parsed.flags.fix === true) {
      const {fixBook, stillUndefined} = await import('../book/fix.js')
      const report = await fixBook(result, {fixFile: typeof fixFile === 'string' ? fixFile : undefined, cwd: io.cwd})
      const problems = report.problems

      if (report.added.length > 0) {
        result = await lintBook(dir, options)
        problems.push(...stillUndefined(result.files, report.added))
      }

      fixed = report.lines.map((d) => d + '\n').join('')
      fixProblems = problems.map((d) => 'mdbook-xref: ' + d + '\n').join('')
    }
  } catch (error) {
    if (error instanceof BookError) return {code: 2, stderr: 'mdbook-xref: ' + error.message + '\n'}
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return {code: 2, stderr: 'mdbook-xref: Cannot read book at `' + dir + '`: ' + (error as Error).message + '\n'}
    }

    throw error
  }

  const cratesFile = parsed.flags['crates-json']

  if (typeof cratesFile === 'string' && result.crates) {
    const {cratesJson} = await import('../crates/json.js')
    const file = path.resolve(io.cwd, cratesFile)

    try {
      await fs.writeFile(file, JSON.stringify(cratesJson(result.crates), null, 2) + '\n')
    } catch (error) {
      return {code: 2, stderr: 'mdbook-xref: Cannot write `' + cratesFile + '`: ' + (error as Error).message + '\n'}
    }
  }

  let files = result.files

  if (parsed.flags.quiet) {
    for (const file of files) file.messages = file.messages.filter((d) => d.fatal === true)
    files = files.filter((d) => d.messages.length > 0)
  }

  const failed = files.some((file) => file.messages.some((d) => d.fatal === true))
  const format = parsed.flags.format || 'human'
  const text =
    format === 'json'
      ? formatJson(files)
      : format === 'github'
        ? formatGithub(files)
        : formatHuman(files, {color: false})

  const report = text.endsWith('\n') || text === '' ? text : text + '\n'

  // `added …` lines go before the report, on stderr with `--format json` so
  // that stdout stays one JSON document.
  return format === 'json'
    ? {code: failed ? 1 : 0, stdout: report, stderr: fixed + fixProblems}
    : {code: failed ? 1 : 0, stdout: fixed + report, stderr: fixProblems}
}
