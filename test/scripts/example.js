#!/usr/bin/env node
/**
 * Build the example book with the real mdBook: `npm run example`.
 *
 * Runs `node_modules/.bin/mdbook build` on `fixtures/example-book` into
 * `fixtures/example-book/book` (gitignored), in the book root: mdBook 0.4.4
 * runs preprocessor commands in its own working directory, and the book's
 * `command = "node ../../dist/bin.js"` is relative to the book root. Prints
 * where the HTML is and what the preprocessor wrote on stderr; exits with
 * mdBook's exit code.
 *
 * Plain Node ESM; imports only node built-ins.
 */

import {spawnSync} from 'node:child_process'
import path from 'node:path'
import process from 'node:process'
import {fileURLToPath} from 'node:url'

const projectRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))
const mdbook = path.join(projectRoot, 'node_modules', '.bin', 'mdbook')
const book = path.join(projectRoot, 'fixtures', 'example-book')
const out = path.join(book, 'book')

const result = spawnSync(mdbook, ['build', book, '-d', out], {cwd: book, encoding: 'utf8'})

if (result.error) {
  console.error('example: cannot run `' + mdbook + '` (' + result.error.message + ')')
  process.exitCode = 1
} else {
  // mdBook's own log lines look like `2024-05-01 10:00:00 [INFO] (mdbook::book): …`.
  const log = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[A-Z]+\]/
  const lines = result.stderr.split('\n').filter((line) => line !== '')
  const preprocessor = lines.filter((line) => !log.test(line))
  const errors = lines.filter((line) => /\[(ERROR|WARN)\]/.test(line))

  console.log('mdbook build ' + path.relative(projectRoot, book) + ': exit ' + result.status)
  if (result.status === 0) console.log('HTML: ' + path.join(out, 'index.html'))
  for (const line of errors) console.log(line)
  console.log('')
  console.log('Preprocessor stderr:' + (preprocessor.length === 0 ? ' (none)' : ''))
  for (const line of preprocessor) console.log('  ' + line)
  process.exitCode = result.status ?? 1
}
