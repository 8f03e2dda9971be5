#!/usr/bin/env node
/**
 * Benchmark of the preprocessor against the floor: `npm run bench`.
 *
 * Usage: `node test/scripts/bench.js [--rounds N] [--scale N] [--book DIR]`
 *
 * Captures (or reuses, see capture.js) the exact stdin that mdBook gives a
 * preprocessor for the book (default `../shared/corpus/rust_howto`), then runs
 * interleaved rounds of:
 *
 * * (a) the floor: `node -e` that reads stdin, `JSON.parse`, `JSON.stringify`
 *   of the book, and writes stdout — what any Node preprocessor must pay;
 * * (b) `node dist/bin.js` as mdBook runs it (stdout to `/dev/null`), with the
 *   capture's `root` pointed at the book so that findings are mapped to their
 *   source files as in a real build;
 * * (c) `node dist/bin.js lint <book>` (skipped with a note while `lint` says
 *   it is for a later release).
 *
 * Every command gets its stdin through a pipe, as from mdBook. Wall time is
 * measured here; peak RSS comes from `/usr/bin/time -f '%M'`, or,
 * without it, from `process.resourceUsage()` written by a `--require` hook in
 * the child. Prints medians, peak RSS, the ratios b/a and c/a, the median of
 * 10 `supports html` runs, the import time of each plugin subpath beside
 * `remark-parse`'s (median of 10 `node -e "import(…)"` runs minus the median
 * of `node -e 0`; target: at most 1.5× `remark-parse`), and the core count.
 * `--scale N` also builds an N×
 * input (the chapters repeated with renamed paths) and prints the N×/1× ratio.
 *
 * Exit code 0 always: it reports, it does not judge. Plain Node ESM; imports
 * only node built-ins.
 */

import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import process from 'node:process'
import {fileURLToPath} from 'node:url'

const projectRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))
const bin = path.join(projectRoot, 'dist', 'bin.js')
const captureScript = path.join(projectRoot, 'test', 'scripts', 'capture.js')
const cacheDir = path.join(projectRoot, '.bench')
const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

/** The floor: what every Node preprocessor pays to read and write the book. */
const floorSource =
  "const c=[];process.stdin.on('data',(d)=>c.push(d)).on('end',()=>{" +
  "process.stdout.write(JSON.stringify(JSON.parse(Buffer.concat(c).toString('utf8'))[1]))})"

/** `--require` hook for peak RSS when `/usr/bin/time` is missing. */
const rssHook =
  "process.on('exit',()=>{require('node:fs').writeFileSync(process.env.XREF_BENCH_RSS," +
  'String(process.resourceUsage().maxRSS))})\n'

/**
 * @typedef {{ms: number, rssKb: number | undefined, code: number | null, stderr: string}} Sample
 */

/**
 * Run one command and measure it.
 *
 * @param {string[]} argv Command and arguments (a `node` command).
 * @param {{stdin?: string, cwd?: string}} options Stdin file and working directory.
 * @returns {Sample} Wall time, peak RSS, exit code, stderr.
 */
function measure(argv, options = {}) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mdbook-xref-bench-'))
  const rssFile = path.join(work, 'rss')
  // Through a pipe, as mdBook gives it.
  const input = options.stdin ? stdinBytes(options.stdin) : undefined
  let command = argv
  const env = {...process.env}

  if (gnuTime) {
    command = [gnuTime, '-f', '%e %M', '-o', rssFile, ...argv]
  } else {
    const hook = path.join(work, 'rss.cjs')
    fs.writeFileSync(hook, rssHook)
    env.XREF_BENCH_RSS = rssFile
    env.NODE_OPTIONS = ((env.NODE_OPTIONS ?? '') + ' --require ' + hook).trim()
  }

  try {
    const started = process.hrtime.bigint()
    const result = spawnSync(command[0], command.slice(1), {
      cwd: options.cwd ?? projectRoot,
      env,
      stdio: [input ? 'pipe' : 'ignore', 'ignore', 'pipe'],
      ...(input ? {input} : {}),
      maxBuffer: 256 * 1024 * 1024
    })
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    let rssKb
    if (fs.existsSync(rssFile)) {
      const text = fs.readFileSync(rssFile, 'utf8').trim()
      // GNU time puts `Command exited with non-zero status N` on a line first.
      const last = text.split('\n').pop() ?? ''
      const value = Number(last.split(' ').pop())
      if (Number.isFinite(value) && value > 0) rssKb = value
    }

    return {ms, rssKb, code: result.status, stderr: result.stderr ? result.stderr.toString('utf8') : ''}
  } finally {
    fs.rmSync(work, {recursive: true, force: true})
  }
}

/** Stdin files read so far. */
const stdinCache = new Map()

/**
 * Read a stdin file once.
 *
 * @param {string} file File.
 * @returns {Buffer} Bytes.
 */
function stdinBytes(file) {
  let bytes = stdinCache.get(file)
  if (!bytes) {
    stdinCache.clear()
    bytes = fs.readFileSync(file)
    stdinCache.set(file, bytes)
  }

  return bytes
}

/**
 * Point a capture at the book itself (mdBook captured a temporary copy), so
 * that findings are mapped to source files as in a real build.
 *
 * @param {string} input Captured input file.
 * @param {string} book Book root.
 * @returns {string} Path of the rooted input.
 */
function rootedInput(input, book) {
  const out = input.replace(/\.json$/, '') + '-rooted.json'
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(input).mtimeMs) return out
  const bytes = fs.readFileSync(input)
  const head = bytes.subarray(0, 4096).toString('latin1')
  const match = /^\[\{"root":("(?:[^"\\]|\\.)*")/.exec(head)
  if (!match) return input
  const start = match[0].length - match[1].length
  fs.writeFileSync(out, Buffer.concat([
    bytes.subarray(0, start),
    Buffer.from(JSON.stringify(book)),
    bytes.subarray(match[0].length)
  ]))
  return out
}

/**
 * Median of numbers.
 *
 * @param {number[]} values Values.
 * @returns {number} Median (`NaN` for none).
 */
function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Format milliseconds.
 *
 * @param {number} ms Time.
 * @returns {string} Such as `412 ms` or `1.93 s`.
 */
function time(ms) {
  if (!Number.isFinite(ms)) return '-'
  return ms >= 1000 ? (ms / 1000).toFixed(2) + ' s' : Math.round(ms) + ' ms'
}

/**
 * Format kilobytes.
 *
 * @param {number | undefined} kb Size.
 * @returns {string} Such as `512 MB`.
 */
function memory(kb) {
  return kb === undefined ? '-' : Math.round(kb / 1024) + ' MB'
}

/**
 * Summarise samples of one command.
 *
 * @param {Sample[]} samples Samples.
 * @param {number[]} [ok] Exit codes that count as a run (default `[0]`; `lint` exits 1 on findings).
 * @returns {{median: number, min: number, max: number, rssKb: number | undefined, failed: Sample | undefined}} Summary.
 */
function summary(samples, ok = [0]) {
  const good = samples.filter((d) => ok.includes(d.code))
  const rss = good.map((d) => d.rssKb).filter((d) => d !== undefined)
  return {
    median: median(good.map((d) => d.ms)),
    min: Math.min(...good.map((d) => d.ms)),
    max: Math.max(...good.map((d) => d.ms)),
    rssKb: rss.length > 0 ? Math.max(...rss) : undefined,
    failed: samples.find((d) => !ok.includes(d.code))
  }
}

/**
 * Print one row of the table.
 *
 * @param {string} label Row label.
 * @param {ReturnType<typeof summary>} row Summary.
 * @returns {undefined}
 */
function printRow(label, row) {
  if (Number.isNaN(row.median)) {
    const stderr = row.failed ? row.failed.stderr : ''
    const reason = row.failed
      ? 'exit ' + row.failed.code + ': ' +
        (/ERR_STRING_TOO_LONG|Cannot create a string longer/.test(stderr)
          ? 'stdin is longer than the longest string Node can hold'
          : firstLine(stderr))
      : 'not run'
    console.log('  ' + label.padEnd(30) + 'failed (' + reason + ')')
    return
  }

  console.log(
    '  ' +
      label.padEnd(30) +
      time(row.median).padStart(9) +
      time(row.min).padStart(10) +
      time(row.max).padStart(10) +
      memory(row.rssKb).padStart(10) +
      (row.failed ? '   (some runs failed: exit ' + row.failed.code + ')' : '')
  )
}

/**
 * First non-empty line of a text.
 *
 * @param {string} text Text.
 * @returns {string} Line.
 */
function firstLine(text) {
  return text.split('\n').find((line) => line.trim() !== '') ?? ''
}

/**
 * Write an N× input: every top-level item repeated, paths renamed `xK/…`.
 *
 * Streamed item by item: the whole text can be longer than V8's longest
 * string (about 512 MiB).
 *
 * @param {string} input Captured input file.
 * @param {number} factor Repeat count.
 * @returns {string} Path of the scaled input.
 */
function scaleInput(input, factor) {
  const out = input.replace(/\.json$/, '') + '-x' + factor + '.json'
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= fs.statSync(input).mtimeMs) return out
  const [context, book] = JSON.parse(fs.readFileSync(input, 'utf8'))
  const key = Array.isArray(book.items) ? 'items' : 'sections'
  const rest = {...book}
  delete rest[key]
  const fd = fs.openSync(out, 'w')

  try {
    fs.writeSync(fd, '[' + JSON.stringify(context) + ',{"' + key + '":[')
    let first = true
    for (let copy = 0; copy < factor; copy++) {
      for (const item of book[key]) {
        fs.writeSync(fd, (first ? '' : ',') + JSON.stringify(renamed(item, copy)))
        first = false
      }
    }

    const tail = JSON.stringify(rest)
    fs.writeSync(fd, ']' + (tail === '{}' ? '}' : ',' + tail.slice(1)) + ']')
  } finally {
    fs.closeSync(fd)
  }

  return out
}

/**
 * Copy an item for copy `copy` of the book, with renamed chapter paths.
 *
 * @param {unknown} item Book item.
 * @param {number} copy Copy index (0 keeps the item as it is).
 * @returns {unknown} Item.
 */
function renamed(item, copy) {
  if (copy === 0 || typeof item !== 'object' || item === null || !('Chapter' in item)) return item
  const chapter = /** @type {Record<string, any>} */ (item.Chapter)
  const prefix = 'x' + copy + '/'
  return {
    Chapter: {
      ...chapter,
      sub_items: chapter.sub_items.map((/** @type {unknown} */ d) => renamed(d, copy)),
      path: chapter.path === null ? null : prefix + chapter.path,
      ...('source_path' in chapter
        ? {source_path: chapter.source_path === null ? null : prefix + chapter.source_path}
        : {})
    }
  }
}

/**
 * Read the command line.
 *
 * @returns {{rounds: number, scale: number | undefined, book: string}} Options.
 */
function options() {
  const args = process.argv.slice(2)
  const value = (/** @type {string} */ name) => {
    const index = args.indexOf(name)
    return index === -1 ? undefined : args[index + 1]
  }

  const rounds = Number(value('--rounds') ?? 5)
  const scale = value('--scale')
  return {
    rounds: Number.isInteger(rounds) && rounds > 0 ? rounds : 5,
    scale: scale === undefined ? undefined : Math.max(2, Math.floor(Number(scale)) || 10),
    book: path.resolve(value('--book') ?? path.join(projectRoot, '..', 'shared', 'corpus', 'rust_howto'))
  }
}

/**
 * Run the benchmark.
 *
 * @returns {undefined}
 */
function main() {
  const {rounds, scale, book} = options()

  if (!fs.existsSync(bin)) {
    console.log('bench: `dist/bin.js` is missing; run `npm run build` (or `npm run bench`)')
    return
  }

  const captured = spawnSync(process.execPath, [captureScript, book], {cwd: projectRoot, encoding: 'utf8'})
  if (captured.status !== 0) {
    console.log('bench: cannot capture `' + book + '`:\n' + captured.stderr)
    return
  }

  const input = rootedInput(captured.stdout.trim(), book)
  const size = fs.statSync(input).size
  const chapters = (fs.readFileSync(input, 'utf8').match(/\{"Chapter":\{/g) ?? []).length
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length

  console.log('mdbook-xref bench')
  console.log('  book:   ' + path.relative(projectRoot, book) + ' (' + chapters + ' chapters)')
  console.log('  input:  ' + path.relative(projectRoot, input) + ' (' + (size / 1e6).toFixed(1) + ' MB, through a pipe)')
  console.log('  node ' + process.version + ', ' + cores + ' cores, ' + rounds + ' rounds, peak RSS from ' +
    (gnuTime ? '/usr/bin/time' : 'process.resourceUsage()'))

  const floor = [process.execPath, '-e', floorSource]
  const preprocess = [process.execPath, bin]
  const lint = [process.execPath, bin, 'lint', book]

  // Warm the page cache and the compile cache once, untimed.
  measure(floor, {stdin: input})
  measure(preprocess, {stdin: input})
  let lintNote = ''
  const lintProbe = measure(lint)
  if (lintProbe.code === 2 && /later release/.test(lintProbe.stderr)) {
    lintNote = 'skipped: `lint` exits 2 (' + firstLine(lintProbe.stderr).replace(/^mdbook-xref: /, '') + ')'
  }

  /** @type {Sample[]} */ const a = []
  /** @type {Sample[]} */ const b = []
  /** @type {Sample[]} */ const c = []
  let preprocessStderr = ''

  for (let round = 0; round < rounds; round++) {
    a.push(measure(floor, {stdin: input}))
    const sample = measure(preprocess, {stdin: input})
    preprocessStderr = sample.stderr
    b.push(sample)
    if (!lintNote) c.push(measure(lint))
  }

  console.log('')
  console.log('  ' + ''.padEnd(30) + 'median'.padStart(9) + 'min'.padStart(10) + 'max'.padStart(10) + 'peak RSS'.padStart(10))
  const sa = summary(a)
  const sb = summary(b)
  printRow('(a) floor: parse+stringify', sa)
  printRow('(b) preprocessor', sb)
  if (lintNote) console.log('  ' + '(c) lint'.padEnd(30) + lintNote)
  else printRow('(c) lint', summary(c, [0, 1]))
  console.log('')
  console.log('  b/a: ' + ratio(sb.median, sa.median))
  if (!lintNote) console.log('  c/a: ' + ratio(summary(c, [0, 1]).median, sa.median))
  const lines = preprocessStderr.split('\n').filter(Boolean)
  console.log('  preprocessor stderr: ' + lines.length + ' lines' + (lines.length > 0 ? ' (first: ' + lines[0] + ')' : ''))

  /** @type {number[]} */ const supports = []
  for (let run = 0; run < 10; run++) supports.push(measure([process.execPath, bin, 'supports', 'html'], {cwd: book}).ms)
  /** @type {number[]} */ const startup = []
  for (let run = 0; run < 10; run++) startup.push(measure([process.execPath, '-e', '0']).ms)
  console.log('  supports html: ' + time(median(supports)) + ' (median of 10; `node -e 0`: ' + time(median(startup)) + ')')
  importTimes(median(startup))

  if (scale) {
    const scaled = scaleInput(input, scale)
    const scaledSize = fs.statSync(scaled).size
    console.log('')
    console.log('  ' + scale + '× input: ' + path.relative(projectRoot, scaled) + ' (' + (scaledSize / 1e6).toFixed(1) + ' MB)')
    if (scaledSize > 0x1f_ff_ff_e8) {
      console.log('  note: longer than V8\'s longest string (512 MiB): reading stdin into one string fails')
    }

    /** @type {Sample[]} */ const a10 = []
    /** @type {Sample[]} */ const b10 = []
    for (let round = 0; round < rounds; round++) {
      a10.push(measure(floor, {stdin: scaled}))
      b10.push(measure(preprocess, {stdin: scaled}))
    }

    const sa10 = summary(a10)
    const sb10 = summary(b10)
    printRow('(a) floor ' + scale + '×', sa10)
    printRow('(b) preprocessor ' + scale + '×', sb10)
    console.log('  ' + scale + '×/1× floor: ' + ratio(sa10.median, sa.median) +
      ', preprocessor: ' + ratio(sb10.median, sb.median) + ', b/a at ' + scale + '×: ' + ratio(sb10.median, sa10.median))
  }
}

/** Subpaths a remark user imports, each timed beside `remark-parse`. */
const subpaths = [
  'mdbook-xref/remark-mdbook',
  'mdbook-xref/remark-xref-markers',
  'mdbook-xref/remark-xref-refs',
  'mdbook-xref/remark-preset'
]

/**
 * Print the import time of each plugin subpath beside `remark-parse`'s: alone,
 * and added to a remark pipeline (`remark-parse` and `unified` loaded first),
 * which is what a remark user pays for it; the 1.5× target is on the latter.
 *
 * Runs are interleaved so that a busy machine slows all alike; the package
 * imports itself by name (its `exports`), from the project root.
 *
 * @param {number} startup Median of `node -e 0`, subtracted from each median.
 * @returns {undefined}
 */
function importTimes(startup) {
  const pipeline = ['remark-parse', 'unified']
  /** @type {Array<[string, string[]]>} */
  const sources = [
    ['remark-parse', ['remark-parse']],
    ['pipeline', pipeline],
    ...subpaths.flatMap((d) => /** @type {Array<[string, string[]]>} */ ([[d, [d]], [d + ' +', [...pipeline, d]]]))
  ]
  /** @type {Map<string, number[]>} */
  const times = new Map(sources.map(([name]) => [name, []]))
  for (const [, specifiers] of sources) measure([process.execPath, '-e', importSource(specifiers)])
  for (let run = 0; run < 10; run++) {
    for (const [name, specifiers] of sources) {
      const sample = measure([process.execPath, '-e', importSource(specifiers)])
      if (sample.code === 0) times.get(name)?.push(sample.ms)
    }
  }

  const at = (/** @type {string} */ name) => median(times.get(name) ?? []) - startup
  const base = at('remark-parse')
  const loaded = at('pipeline')
  console.log('  import (median of 10 minus `node -e 0`): remark-parse ' + time(base) + ', with unified ' + time(loaded))
  console.log('    ' + ''.padEnd(34) + '  alone' + '  added to remark-parse and unified')
  for (const specifier of subpaths) {
    const own = at(specifier)
    const added = at(specifier + ' +') - loaded
    const value = ratio(added, base)
    console.log('    ' + specifier.padEnd(34) + time(own).padStart(7) + '  ' + time(added).padStart(7) + '  ' +
      value + '× remark-parse' + (Number(value) > 1.5 ? ' (above the 1.5× target)' : ''))
  }
}

/**
 * Source for `node -e` that imports modules in order.
 *
 * @param {string[]} specifiers Specifiers.
 * @returns {string} Source.
 */
function importSource(specifiers) {
  return '(async () => {' + specifiers.map((d) => 'await import(' + JSON.stringify(d) + ');').join('') +
    '})().catch((error) => {console.error(error);process.exitCode = 1})'
}

/**
 * Format a ratio.
 *
 * @param {number} top Numerator.
 * @param {number} bottom Denominator.
 * @returns {string} Such as `1.07` or `-`.
 */
function ratio(top, bottom) {
  return Number.isFinite(top) && Number.isFinite(bottom) && bottom > 0 ? (top / bottom).toFixed(2) : '-'
}

try {
  main()
} catch (error) {
  console.log('bench: ' + String(error instanceof Error ? error.stack : error))
}

process.exitCode = 0
