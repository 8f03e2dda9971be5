#!/usr/bin/env node
/**
 * Capture the exact stdin that real mdBook gives a preprocessor for a book.
 *
 * Usage: `node test/scripts/capture.js [book-dir] [out.json] [--fresh]`
 *
 * Without `out.json`, prints the path of the cached capture on stdout.
 *
 * The book is copied to a temporary directory (the corpus is read-only and
 * a build must not touch the original), a capture preprocessor is put in the
 * place of `[preprocessor.xref]` (or added, with `after = ["links"]`), and
 * `node_modules/.bin/mdbook build` runs on the copy. The capture preprocessor
 * answers `supports` with exit 0, writes its stdin to the capture file byte
 * for byte, and echoes the book back so that the build finishes.
 *
 * Captures are cached under `.bench/` (gitignored), keyed by the book's
 * absolute path; a fingerprint of the book's files (path, size, mtime) makes
 * an edited book recapture. `--fresh` ignores the cache.
 *
 * Default book: `../shared/corpus/rust_howto` (relative to the project root).
 * Plain Node ESM; imports only node built-ins.
 */

import {spawnSync} from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import process from 'node:process'
import {fileURLToPath} from 'node:url'

/** Project root (two levels up from `test/scripts/`). */
export const projectRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))

/** The real mdBook binary of the project. */
export const mdbookBin = path.join(projectRoot, 'node_modules', '.bin', 'mdbook')

/** Default book: the corpus copy of The Rust How-to Book. */
export const defaultBook = path.resolve(projectRoot, '..', 'shared', 'corpus', 'rust_howto')

/** Cache directory (gitignored). */
export const cacheDir = path.join(projectRoot, '.bench')

/** Source of the capture preprocessor, written next to the copied book. */
const capturePreprocessor = `
import fs from 'node:fs'
// mdBook appends \`supports <renderer>\` to the command: run for every renderer.
if (process.argv.includes('supports')) process.exit(0)
const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const bytes = Buffer.concat(chunks)
fs.writeFileSync(process.env.XREF_CAPTURE_FILE, bytes)
// Echo the book (second item of \`[context, book]\`) back unchanged.
process.stdout.write(JSON.stringify(JSON.parse(bytes.toString('utf8'))[1]))
`

/**
 * Capture the preprocessor input of a book, reusing the cache when fresh.
 *
 * @param {string} [bookDir] Book root (directory of `book.toml`).
 * @param {{fresh?: boolean}} [options] `fresh`: ignore the cache.
 * @returns {string} Path of the cached capture (a JSON file).
 */
export function capture(bookDir = defaultBook, options = {}) {
  const book = path.resolve(bookDir)
  if (!fs.existsSync(path.join(book, 'book.toml'))) {
    throw new Error('Cannot find `book.toml` in `' + book + '`')
  }

  const key = path.basename(book).replace(/[^\w.-]/g, '_') + '-' + hash(book).slice(0, 10)
  const file = path.join(cacheDir, 'capture-' + key + '.json')
  const stamp = file + '.fingerprint'
  const fingerprint = fingerprintOf(book)

  if (
    !options.fresh &&
    fs.existsSync(file) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8') === fingerprint &&
    fs.statSync(file).size > 0
  ) {
    return file
  }

  fs.mkdirSync(cacheDir, {recursive: true})
  const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'mdbook-xref-capture-'))

  try {
    const copy = path.join(temporary, 'book')
    const script = path.join(temporary, 'capture-preprocessor.mjs')
    const output = path.join(temporary, 'input.json')
    copyTree(book, copy, true)
    fs.writeFileSync(script, capturePreprocessor)
    const toml = fs.readFileSync(path.join(copy, 'book.toml'), 'utf8')
    fs.writeFileSync(
      path.join(copy, 'book.toml'),
      withCaptureCommand(toml, 'node ' + quote(script))
    )

    // mdBook 0.4.4 runs preprocessor commands in its own working directory,
    // not the book root: run it in the book root, as authors do.
    const result = spawnSync(mdbookBin, ['build', copy, '-d', path.join(temporary, 'html')], {
      cwd: copy,
      // Not `MDBOOK_*`: mdBook merges those variables into the config it sends.
      env: {...process.env, XREF_CAPTURE_FILE: output},
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024
    })

    // mdBook 0.4.4 goes on building when a preprocessor fails: check the
    // capture itself, not only the exit code.
    if (result.status !== 0 || !isCapture(output)) {
      throw new Error(
        'Unexpected failing `mdbook build` of `' + book + '` (exit ' + result.status + '):\n' +
          (result.error ? String(result.error) : result.stderr)
      )
    }

    fs.copyFileSync(output, file)
    fs.writeFileSync(stamp, fingerprint)
    return file
  } finally {
    fs.rmSync(temporary, {recursive: true, force: true})
  }
}

/**
 * Check that a file holds a whole `[context, book]` array.
 *
 * @param {string} file Capture file.
 * @returns {boolean} Whether it exists and starts with `[` and ends with `]`.
 */
function isCapture(file) {
  if (!fs.existsSync(file)) return false
  const text = fs.readFileSync(file, 'utf8')
  return text.startsWith('[') && text.trimEnd().endsWith(']')
}

/**
 * Set the command of our preprocessor table in `book.toml` text, or add a table.
 *
 * Line based (no TOML parser: this script imports node built-ins only). Handles
 * `[preprocessor.xref]` and any `[preprocessor.*]` whose `command` runs
 * `mdbook-xref` or a `bin.js`, such as `command = "node ../../dist/bin.js"`.
 *
 * @param {string} toml `book.toml` text.
 * @param {string} command Capture command.
 * @returns {string} New text.
 */
export function withCaptureCommand(toml, command) {
  const lines = toml.split('\n')
  const value = 'command = ' + JSON.stringify(command)
  let table = ''
  let tableStart = -1
  let ours = -1
  let commandLine = -1

  for (const [index, line] of lines.entries()) {
    const header = /^\s*\[([^\]]+)\]\s*(#.*)?$/.exec(line)
    if (header) {
      if (ours !== -1) break
      table = header[1].trim()
      tableStart = index
      commandLine = -1
      if (table === 'preprocessor.xref') ours = index
      continue
    }

    if (table.startsWith('preprocessor.') && /^\s*command\s*=/.test(line)) {
      commandLine = index
      if (/mdbook-xref|bin\.js/.test(line)) {
        ours = tableStart
        break
      }
    }
  }

  if (ours === -1) {
    return toml.replace(/\n*$/, '\n\n') + '[preprocessor.xref]\n' + value + '\nafter = ["links"]\n'
  }

  if (commandLine !== -1 && commandLine > ours) {
    lines[commandLine] = value
  } else {
    lines.splice(ours + 1, 0, value)
  }

  return lines.join('\n')
}

/**
 * Copy a directory tree with fresh (writable) modes.
 *
 * `fs.cpSync` keeps modes, and the corpus is read-only: the copy could then not
 * be edited or removed without root.
 *
 * @param {string} from Source directory.
 * @param {string} to Target directory.
 * @param {boolean} top Whether `from` is the book root (skips its `book/` output).
 * @returns {undefined}
 */
function copyTree(from, to, top) {
  fs.mkdirSync(to, {recursive: true})
  for (const entry of fs.readdirSync(from, {withFileTypes: true})) {
    if (entry.name === '.git' || (top && entry.name === 'book')) continue
    const source = path.join(from, entry.name)
    const target = path.join(to, entry.name)
    if (entry.isDirectory()) copyTree(source, target, false)
    else if (entry.isFile()) fs.writeFileSync(target, fs.readFileSync(source))
  }
}

/**
 * Fingerprint of a book's files: relative path, size and mtime of each.
 *
 * @param {string} dir Book root.
 * @returns {string} Hex digest.
 */
function fingerprintOf(dir) {
  const digest = crypto.createHash('sha1')
  digest.update(fs.realpathSync(mdbookBin))
  walk(dir, '')
  return digest.digest('hex')

  /**
   * Add a directory to the digest.
   *
   * @param {string} absolute Directory.
   * @param {string} relative Its path from the book root.
   * @returns {undefined}
   */
  function walk(absolute, relative) {
    const entries = fs.readdirSync(absolute, {withFileTypes: true})
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      if (entry.name === '.git' || (relative === '' && entry.name === 'book')) continue
      const name = relative + '/' + entry.name
      const full = path.join(absolute, entry.name)
      if (entry.isDirectory()) walk(full, name)
      else {
        const stat = fs.statSync(full)
        digest.update(name + '\0' + stat.size + '\0' + stat.mtimeMs + '\n')
      }
    }
  }
}

/**
 * SHA-1 of a string.
 *
 * @param {string} value Text.
 * @returns {string} Hex digest.
 */
function hash(value) {
  return crypto.createHash('sha1').update(value).digest('hex')
}

/**
 * Quote a path for the shell-like word splitting mdBook applies to `command`.
 *
 * @param {string} value Path.
 * @returns {string} Quoted path.
 */
function quote(value) {
  return '"' + value.replace(/(["\\])/g, '\\$1') + '"'
}

/**
 * Command line entry point.
 *
 * @returns {undefined}
 */
function main() {
  const args = process.argv.slice(2)
  const fresh = args.includes('--fresh')
  const [bookDir, out] = args.filter((d) => d !== '--fresh')
  const started = performance.now()
  const file = capture(bookDir ? path.resolve(bookDir) : defaultBook, {fresh})
  // Without `out.json`, the path of the cached capture goes to stdout (for bench.js).
  if (out) fs.copyFileSync(file, path.resolve(out))
  else process.stdout.write(file + '\n')
  const size = fs.statSync(file).size
  process.stderr.write(
    'capture: ' + (out ? path.resolve(out) : file) + ' (' + (size / 1e6).toFixed(2) + ' MB, ' +
      Math.round(performance.now() - started) + ' ms)\n'
  )
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main()
  } catch (error) {
    process.stderr.write('capture: ' + String(error instanceof Error ? error.message : error) + '\n')
    process.exitCode = 1
  }
}
