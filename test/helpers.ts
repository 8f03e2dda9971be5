/**
 * Shared test helpers: build `dist/` once, run the built binary, build a book
 * with the real mdBook into a temporary directory, and capture the exact
 * preprocessor input mdBook gives for a book.
 */

import {spawn, spawnSync} from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import process from 'node:process'
import {fileURLToPath} from 'node:url'
import {afterAll} from 'vitest'

/** Project root. */
export const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)))

/** The built binary. */
export const bin = path.join(root, 'dist', 'bin.js')

/** The real mdBook (0.4.4) of `cargo-mdbook`. */
export const mdbook = path.join(root, 'node_modules', '.bin', 'mdbook')

/** Fixtures folder. */
export const fixtures = path.join(root, 'fixtures')

/** What a run of the binary gives: `[exitCode, stdout, stderr]`. */
export type Result = [exitCode: number | null, stdout: string, stderr: string]

/** Options of `runBin`. */
export interface RunOptions {
  /** Text or bytes for stdin (default: empty stdin). */
  input?: string | Buffer | undefined
  /** Working directory (default: an empty temporary directory). */
  cwd?: string | undefined
  /** Extra environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined> | undefined
  /** Destroy our end of the child's stdout before it writes (a closed pipe). */
  closeStdout?: boolean | undefined
}

/**
 * Build `dist/` with `tsc -p .` unless it is newer than every source file.
 *
 * Test files run in parallel workers: a lock directory keeps two workers from
 * writing `dist/` at once. tsc emits even when a file that another developer
 * is still writing has type errors; type checking is `npx tsc --noEmit`'s job.
 *
 * @returns
 *   Promise that settles when `dist/` is fresh.
 */
export async function ensureBuilt(): Promise<undefined> {
  if (isBuilt()) return
  const lock = path.join(
    os.tmpdir(),
    'mdbook-xref-build-' + crypto.createHash('sha1').update(root).digest('hex').slice(0, 10)
  )
  const deadline = Date.now() + 120_000

  while (true) {
    try {
      fs.mkdirSync(lock)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      // A lock left by a killed run: older than a build can take.
      if (Date.now() - fs.statSync(lock, {throwIfNoEntry: false})!.mtimeMs > 120_000) {
        fs.rmSync(lock, {recursive: true, force: true})
      }

      if (Date.now() > deadline) throw new Error('Cannot build: lock `' + lock + '` is held')
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  try {
    if (!isBuilt()) {
      const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
      const result = spawnSync(process.execPath, [tsc, '-p', root], {cwd: root, encoding: 'utf8'})
      if (!fs.existsSync(bin)) {
        throw new Error('Cannot build `dist/`:\n' + result.stdout + result.stderr)
      }
    }
  } finally {
    fs.rmSync(lock, {recursive: true, force: true})
  }

  return undefined
}

/**
 * Whether every `src/*.ts` has a `dist/*.js` at least as new.
 *
 * @returns
 *   Whether `dist/` is fresh.
 */
function isBuilt(): boolean {
  const src = path.join(root, 'src')
  return fs
    .readdirSync(src, {recursive: true, encoding: 'utf8'})
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .every((name) => {
      const built = fs.statSync(path.join(root, 'dist', name.replace(/\.ts$/, '.js')), {
        throwIfNoEntry: false
      })
      return built !== undefined && built.mtimeMs >= fs.statSync(path.join(src, name)).mtimeMs
    })
}

/** Default working directory of `runBin`: empty, so no `book.toml` is found. */
let emptyDirectory: string | undefined

/**
 * Run `node dist/bin.js …` and collect what it writes.
 *
 * `MDBOOK_XREF_*` variables of the calling environment are dropped so that a
 * developer's shell does not change results.
 *
 * @param args
 *   Arguments after the program name.
 * @param options
 *   Stdin, working directory, environment.
 * @returns
 *   `[exitCode, stdout, stderr]`.
 */
export async function runBin(args: string[], options: RunOptions = {}): Promise<Result> {
  emptyDirectory ??= temporaryDirectory()
  const cwd = options.cwd ?? emptyDirectory
  const env: Record<string, string | undefined> = {}

  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('MDBOOK_XREF_')) env[key] = value
  }

  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }

  const child = spawn(process.execPath, [bin, ...args], {cwd, env, stdio: 'pipe'})
  if (options.closeStdout) child.stdout.destroy()
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
  // The child may exit before reading all of stdin (`--help` with input).
  child.stdin.on('error', () => {})
  child.stdin.end(options.input ?? '')

  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (exitCode) => resolve(exitCode))
  })

  return [code, Buffer.concat(out).toString('utf8'), Buffer.concat(err).toString('utf8')]
}

/** One run of our binary during a book build. */
export interface PreprocessorRun {
  /** Arguments after `dist/bin.js`, such as `['supports', 'html']` or `[]`. */
  args: string[]
  /** Exit code. */
  code: number
}

/** A book built by the real mdBook. */
export interface BuiltBook {
  /** Exit code of `mdbook build`. */
  code: number | null
  /** Whole stderr of `mdbook build` (its log and the preprocessor's stderr). */
  stderr: string
  /** Stderr without mdBook's own log lines: what preprocessors wrote. */
  preprocessorStderr: string
  /** Runs of `dist/bin.js` during the build, in order. */
  runs: PreprocessorRun[]
  /** Output directory (temporary, removed after the test file). */
  outDir: string
  /** HTML files of the output, relative, `/`-separated, sorted. */
  pages: string[]
  /**
   * Read an output file.
   *
   * @param file
   *   Path relative to the output directory.
   * @returns
   *   Its text.
   */
  read(file: string): string
}

/**
 * Build a book with the real mdBook into a fresh temporary directory.
 *
 * Runs `node_modules/.bin/mdbook build <dir> -d <tmpdir>` *in the book root*:
 * mdBook 0.4.4 runs preprocessor commands in its own working directory, so
 * a relative `command = "node ../../dist/bin.js"` resolves from there.
 *
 * Every Node process of the build loads a small `--require` hook (through
 * `NODE_OPTIONS`) that logs the arguments and exit code of runs of
 * `dist/bin.js`: mdBook skips a preprocessor whose `supports` fails, so a
 * green build alone does not prove that ours ran.
 *
 * @param bookDir
 *   Book root.
 * @param env
 *   Extra environment for mdBook and the preprocessor.
 * @returns
 *   Result of the build.
 */
export async function buildBook(
  bookDir: string,
  env: Record<string, string> = {}
): Promise<BuiltBook> {
  const work = temporaryDirectory()
  const outDir = path.join(work, 'html')
  const log = path.join(work, 'runs.jsonl')
  const hook = path.join(work, 'trace.cjs')
  fs.writeFileSync(
    hook,
    [
      "'use strict'",
      "const fs = require('node:fs')",
      "const path = require('node:path')",
      'const bin = ' + JSON.stringify(bin),
      'if (process.argv[1] && path.resolve(process.argv[1]) === bin) {',
      "  process.on('exit', (code) => {",
      '    fs.appendFileSync(' +
        JSON.stringify(log) +
        ", JSON.stringify({args: process.argv.slice(2), code}) + '\\n')",
      '  })',
      '}',
      ''
    ].join('\n')
  )

  const child = spawn(mdbook, ['build', path.resolve(bookDir), '-d', outDir], {
    cwd: path.resolve(bookDir),
    env: {
      ...process.env,
      ...env,
      NODE_OPTIONS: ((process.env.NODE_OPTIONS ?? '') + ' --require ' + JSON.stringify(hook)).trim()
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const err: Buffer[] = []
  child.stdout.resume()
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (exitCode) => resolve(exitCode))
  })
  const stderr = Buffer.concat(err).toString('utf8')
  const runs: PreprocessorRun[] = fs.existsSync(log)
    ? fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as PreprocessorRun)
    : []

  return {
    code,
    stderr,
    preprocessorStderr: withoutMdbookLog(stderr),
    runs,
    outDir,
    pages: fs.existsSync(outDir)
      ? fs
          .readdirSync(outDir, {recursive: true, encoding: 'utf8'})
          .filter((name) => name.endsWith('.html'))
          .map((name) => name.split(path.sep).join('/'))
          .sort()
      : [],
    read(file) {
      return fs.readFileSync(path.join(outDir, file), 'utf8')
    }
  }
}

/**
 * Drop mdBook's own log lines from stderr.
 *
 * mdBook 0.4.4 logs as `2024-05-01 10:00:00 [INFO] (mdbook::book): …`; a
 * preprocessor's stderr is passed through as it is.
 *
 * @param stderr
 *   Stderr of `mdbook build`.
 * @returns
 *   The other lines, each ending in a line feed.
 */
export function withoutMdbookLog(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => line !== '' && !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[A-Z]+\]/.test(line))
    .map((line) => line + '\n')
    .join('')
}

/**
 * The exact stdin that real mdBook gives a preprocessor for a book.
 *
 * Runs `test/scripts/capture.js` (cached under `.bench/`, keyed by the book
 * path, refreshed when the book's files change).
 *
 * @param bookDir
 *   Book root.
 * @returns
 *   The `[context, book]` JSON text.
 */
export async function captureInput(bookDir: string): Promise<string> {
  const out = path.join(temporaryDirectory(), 'input.json')
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'test', 'scripts', 'capture.js'), path.resolve(bookDir), out],
    {cwd: root, encoding: 'utf8'}
  )
  if (result.status !== 0) throw new Error('Cannot capture `' + bookDir + '`:\n' + result.stderr)
  const text = fs.readFileSync(out, 'utf8')
  fs.rmSync(path.dirname(out), {recursive: true, force: true})
  return text
}

/**
 * Split compact `[context, book]` text into the exact text of each half.
 *
 * mdBook writes compact JSON; the book text is what a pass-through
 * preprocessor must write back, byte for byte.
 *
 * @param text
 *   Compact `[context, book]` JSON.
 * @returns
 *   Context text and book text.
 */
export function splitInput(text: string): {context: string; book: string} {
  const [context] = JSON.parse(text) as [unknown, unknown]
  const head = '[' + JSON.stringify(context) + ','
  if (!text.startsWith(head) || !text.endsWith(']')) {
    throw new Error('Unexpected non-compact input, expected `[context,book]` as mdBook writes it')
  }

  return {context: head.slice(1, -1), book: text.slice(head.length, -1)}
}

/**
 * Read a fixture file as text.
 *
 * @param name
 *   Path relative to `fixtures/`.
 * @returns
 *   Its text.
 */
export function readFixture(name: string): string {
  return fs.readFileSync(path.join(fixtures, name), 'utf8')
}

/** Temporary directories made by this test file. */
const made: string[] = []

// Registered on the root suite of each test file that imports these helpers
// (vitest evaluates the module once per file).
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, {recursive: true, force: true})
  emptyDirectory = undefined
})

/**
 * Make a temporary directory, removed after the test file.
 *
 * @param files
 *   Files to write in it (relative path to text).
 * @returns
 *   Its path.
 */
export function temporaryDirectory(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdbook-xref-test-'))
  made.push(dir)
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), {recursive: true})
    fs.writeFileSync(path.join(dir, name), text)
  }

  return dir
}

/**
 * Text of the `<main>` element of an mdBook page, without tags.
 *
 * @param html
 *   Page.
 * @returns
 *   Text, with `&lt;`, `&gt;`, `&quot;`, `&#39;` and `&amp;` decoded.
 */
export function mainText(html: string): string {
  const start = html.indexOf('<main>')
  const end = html.indexOf('</main>')
  return html
    .slice(start === -1 ? 0 : start, end === -1 ? undefined : end)
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

/**
 * Pack this package and install the tarball, with other packages from the
 * registry (as cached by this project's own install), in a new folder: what a
 * user gets.
 *
 * @param packages
 *   Other packages to install beside it, such as `['remark-cli@12']`.
 * @returns
 *   The folder (with `node_modules/mdbook-xref`) and the packed file names.
 */
export async function installPacked(packages: string[] = []): Promise<{folder: string; files: string[]}> {
  await ensureBuilt()
  const out = temporaryDirectory()
  // `dist/` is built: no `prepare`, which would rebuild it under other tests.
  const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
    cwd: root,
    encoding: 'utf8'
  })
  if (pack.status !== 0) throw new Error('Cannot pack:\n' + pack.stderr)
  const [info] = JSON.parse(pack.stdout) as Array<{filename: string; files: Array<{path: string}>}>
  const folder = temporaryDirectory({'package.json': '{"name": "consumer", "private": true, "type": "module"}\n'})
  const install = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(out, info.filename), ...packages],
    {cwd: folder, encoding: 'utf8'}
  )
  if (install.status !== 0) throw new Error('Cannot install:\n' + install.stderr)
  return {folder, files: info.files.map((d) => d.path).sort()}
}
