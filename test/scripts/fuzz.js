#!/usr/bin/env node
/**
 * Fuzz the fast path against the reference path, longer than CI does.
 *
 * Usage:
 *
 * * `node test/scripts/fuzz.js [--runs N] [--seed N]`: generate books of
 *   Markdown (markers, references, definition blocks shared by chapters,
 *   code, lists, quotes, tables, HTML, CRLF) and check that `analyseChapter`
 *   (fast, one definition cache per book) and the public remark plugins on
 *   the whole chapter (`remarkMdbook`, `remarkXrefMarkers`, `remarkXrefRefs`)
 *   find the same markers, marker problems, reference problems,
 *   malformed-definition lines and definitions. Prints the first
 *   counterexample, shrunk, and exits 1.
 * * `node test/scripts/fuzz.js --markers [--scale N]`: time 1×, 10×, 100×
 *   markers in one paragraph through `processBook` and print the ratios
 *   (linear growth gives ~10 and ~100). It reports; it does not judge.
 *
 * Needs `dist/` (`npx tsc -p .`). The generators are exported too:
 * `test/corpus/fast-path.test.ts` runs the same property with a fixed seed and a
 * bounded number of runs.
 */

import process from 'node:process'
import {pathToFileURL} from 'node:url'
import {isDeepStrictEqual} from 'node:util'
import fc from 'fast-check'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {location} from 'vfile-location'

/** Labels that the shared block (and so every chapter of a book) defines. */
export const sharedLabels = ['c~tokio~docs', 'c~tokio~crates.io', 'c-serde', 'cat~asynchronous', 'book~rust', 'Foo  Bar', 'ẞ']

/** Labels no chapter defines. */
export const undefinedLabels = ['c~nope~docs', 'c-nope', 'cat~nope', 'zz', 'foo bar baz']

/** Labels that only some chapters define, locally. */
export const localLabels = ['local', 'c~local~repo', 'l2']

/**
 * A block of definitions as the real book includes it in every chapter:
 * one-line definitions, titles, angle destinations, a duplicate, a
 * conflicting one, a continuation line and a case-folded twin.
 */
export const sharedBlock = [
  '[c~tokio~docs]: https://docs.rs/tokio',
  '[c~tokio~crates.io]: https://crates.io/crates/tokio "crates.io"',
  '[c-serde]: <https://serde.rs> \'serde\'',
  '[cat~asynchronous]: https://crates.io/categories/asynchronous',
  '[book~rust]:',
  '  https://doc.rust-lang.org/book/',
  '[Foo  Bar]: /foo (title)',
  '[ẞ]: /sharp-s',
  '[c~tokio~docs]: https://docs.rs/tokio/latest',
  '[c-js]: javascript:alert(1)'
].join('\n')

/** Raw labels as references write them (case and spacing vary). */
const label = fc.oneof(
  {weight: 4, arbitrary: fc.constantFrom(...sharedLabels, 'C~Tokio~Docs', 'foo bar', 'ss')},
  {weight: 2, arbitrary: fc.constantFrom(...undefinedLabels)},
  {weight: 2, arbitrary: fc.constantFrom(...localLabels)},
  {weight: 1, arbitrary: fc.constantFrom('^1', '', ' ', 'a\\]b', '{{hi:x}}', 'x\ny')}
)

/** Terms, well-formed and not. */
const term = fc.constantFrom('x', 'async!tokio', '`Vec`', '*a*', 'a b', '', ' ', 'Rust Book@The Rust Book', 'a\\!b', '{', '<', 'c-serde', '[x]')

/** Index markers: every form, broken ones, escapes. */
const marker = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom('{{hi:', '{{i:', '{{ii:', '<<hi:', '<<i:', '<<ii:'), term)
      .map(([open, value]) => open + value + (open.startsWith('{') ? '}}' : '>>'))
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('{{hi:', '{{hi:x', '<<ii:y', '}}', '>>', '{{hi:{{i:x}}}}', '<<hi:a>b>>', '\\{{hi:x}}', '\\<<hi:y>>', '\\\\{{hi:z}}', '{{#include a.md}}', '{{foo}}')
  }
)

/** References of every kind, to defined and undefined labels. */
const reference = fc.oneof(
  label.map((d) => '[text][' + d + ']'),
  label.map((d) => '[' + d + '][]'),
  label.map((d) => '[' + d + ']'),
  label.map((d) => '![alt][' + d + ']'),
  label.map((d) => '[[' + d + ']]'),
  label.map((d) => '[' + d + '](https://x)'),
  fc.tuple(label, label).map(([a, b]) => '[' + a + '][' + b + ']'),
  fc.tuple(label, marker).map(([a, b]) => '[' + b + '][' + a + ']'),
  fc.constantFrom('[^1]', '[x]:', ']', '[', '[a]: not a def')
)

/** Other inline text. */
const word = fc.constantFrom('a', 'tokio', ' ', '⮳', '😀', '{', '}', '<', '>', '\\', '*', '_', '|', '`', '`{{hi:c}}`', '`[c-nope]`', '<b>', '<span a="{{hi:h}}">', '<https://a/{{hi:f}}>', '&amp;', '\n', '\r\n')

/** Inline content, some of it wrapped in emphasis, strong, strikethrough or a link. */
const inline = fc
  .array(
    fc.oneof(
      {weight: 3, arbitrary: marker},
      {weight: 3, arbitrary: reference},
      {weight: 4, arbitrary: word},
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(['*', '*'], ['**', '**'], ['~~', '~~'], ['[', '](u)'], ['[', '][c-serde]']), fc.array(fc.oneof(marker, word, reference), {maxLength: 3}))
          .map(([[open, close], parts]) => open + parts.join('') + close)
      }
    ),
    {minLength: 1, maxLength: 7}
  )
  .map((parts) => parts.join(''))

/** Local definitions: in a list, a quote, after paragraph text, indented. */
const localDefinition = fc.oneof(
  fc.constantFrom(...localLabels).map((d) => '[' + d + ']: /' + d.replace(/\W/g, '')),
  fc.constantFrom(...localLabels).map((d) => '- [' + d + ']: /in-list'),
  fc.constantFrom(...localLabels).map((d) => '> [' + d + ']: /in-quote'),
  fc.constantFrom(...localLabels).map((d) => 'text\n[' + d + ']: /not-a-definition'),
  fc.constantFrom(...localLabels).map((d) => '   [' + d + ']: /indented "t"'),
  fc.constantFrom('[c-serde]: /override', '[broken]: <a b>', '[x]: "no url"')
)

/** Blocks of every kind, containers nesting inline content and each other (one level). */
const leafBlock = fc.oneof(
  {weight: 6, arbitrary: inline},
  {weight: 1, arbitrary: inline.map((d) => '# ' + d)},
  {weight: 1, arbitrary: inline.map((d) => '## ' + d + ' ##')},
  {weight: 1, arbitrary: inline.map((d) => d + '\n===')},
  {weight: 1, arbitrary: inline.map((d) => d + '\n---')},
  {weight: 1, arbitrary: fc.tuple(inline, inline, inline).map(([a, b, c]) => '| ' + a + ' | b |\n|---|:-:|\n| ' + b + ' | ' + c + ' | ' + a + ' |')},
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom('```', '~~~', '````rust'), inline, fc.boolean()).map(([f, d, closed]) => f + '\n' + d + (closed ? '\n' + f.replace(/[a-z]+$/, '') : ''))},
  {weight: 1, arbitrary: inline.map((d) => '    ' + d)},
  {weight: 1, arbitrary: inline.map((d) => '<div>\n' + d + '\n</div>')},
  {weight: 1, arbitrary: inline.map((d) => '<!--\n' + d + '\n-->')},
  {weight: 1, arbitrary: inline.map((d) => '<script>\n' + d + '\n</script>')},
  {weight: 1, arbitrary: inline.map((d) => '<span>' + d)},
  {weight: 1, arbitrary: inline.map((d) => '[^n]: ' + d)},
  {weight: 1, arbitrary: inline.map((d) => '[^1]: ' + d)},
  {weight: 1, arbitrary: fc.constantFrom('***', '---', '- - -', '<hr>')},
  // Blocks that span blank lines, tabs, a kind-7 HTML block.
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom('```', '<pre>', '<!--', '<script>'), inline, inline).map(([open, a, b]) => open + '\n' + a + '\n\n' + b + '\n' + {'```': '```', '<pre>': '</pre>', '<!--': '-->', '<script>': '</script>'}[open])},
  {weight: 1, arbitrary: fc.tuple(fc.constantFrom('\t', '-\t', '>\t', ' \t'), inline).map(([open, d]) => open + d)},
  {weight: 1, arbitrary: inline.map((d) => '<custom-tag>\n' + d)},
  {weight: 2, arbitrary: localDefinition}
)

/** Container blocks around leaves. */
const block = fc.oneof(
  {weight: 5, arbitrary: leafBlock},
  {weight: 1, arbitrary: leafBlock.map((d) => prefixLines(d, '> ', '> '))},
  {weight: 1, arbitrary: leafBlock.map((d) => prefixLines(d, '- ', '  '))},
  {weight: 1, arbitrary: leafBlock.map((d) => prefixLines(d, '1. ', '   '))},
  {weight: 1, arbitrary: leafBlock.map((d) => prefixLines(d, '- ', ''))},
  {weight: 1, arbitrary: fc.tuple(leafBlock, leafBlock).map(([a, b]) => prefixLines(a, '- ', '  ') + '\n\n' + prefixLines(b, '  ', '  '))},
  {weight: 1, arbitrary: fc.tuple(leafBlock, leafBlock).map(([a, b]) => prefixLines(a + '\n\n' + b, '> - ', '>   '))}
)

/**
 * Prefix the first line of a block with `first` and the others with `rest`.
 *
 * @param {string} value Block.
 * @param {string} first Prefix of the first line, such as `- `.
 * @param {string} rest Prefix of the other lines, such as `  ` (`''`: lazy lines).
 * @returns {string} Prefixed block.
 */
function prefixLines(value, first, rest) {
  return value
    .split('\n')
    .map((line, index) => (index === 0 ? first : rest) + line)
    .join('\n')
}

/** Where the shared block goes in a chapter. */
const placement = fc.constantFrom('end', 'end', 'middle', 'twice', 'none', 'trailing-text')

/** One chapter: blocks, the shared block, separators, line endings. */
export const chapter = fc
  .record({
    blocks: fc.array(block, {maxLength: 7}),
    separators: fc.array(fc.constantFrom('\n\n', '\n\n', '\n', '\n\n\n', '\n \n'), {minLength: 8, maxLength: 8}),
    placement,
    crlf: fc.constantFrom('no', 'no', 'all', 'some')
  })
  .map(function ({blocks, separators, placement, crlf}) {
    const parts = blocks.map((d, index) => d + separators[index])
    const shared = sharedBlock + '\n'
    if (placement === 'end') parts.push('\n' + shared)
    if (placement === 'middle') parts.splice(parts.length >> 1, 0, shared + '\n')
    if (placement === 'twice') parts.push('\n' + shared + '\n' + shared)
    if (placement === 'trailing-text') parts.push('\n' + shared + 'after the block\n')
    let value = parts.join('')
    if (crlf === 'all') value = value.replace(/\r?\n/g, '\r\n')
    if (crlf === 'some') value = value.replace(/\n\n/g, '\r\n\r\n')
    return value
  })

/** A book: chapters that share one definition cache, as in one run. */
export const book = fc.array(chapter, {minLength: 1, maxLength: 3})

/** Rules of marker problems. */
const markerRules = new Set(['marker-empty', 'marker-unterminated', 'marker-nested', 'marker-dropped'])

/** Rules of reference problems. */
const referenceRules = new Set(['undefined-reference', 'wiki-link'])

/**
 * What the fast path must agree on, in comparable form: markers; marker
 * problems, reference problems and malformed-definition lines as the public
 * plugins report them (rule, reason, label, place with line and column);
 * definitions flattened to chapter offsets.
 *
 * @param {import('../../src/fast/analyse-chapter.js').ChapterAnalysis} analysis Analysis.
 * @param {string} value Chapter content it was made from.
 * @returns {Comparable} Comparable result.
 */
export function comparable(analysis, value) {
  const place = location(value)
  /** @param {{start: number, end: number}} d Range. */
  const span = (d) => ({start: place.toPoint(d.start), end: place.toPoint(d.end)})
  const definitions = []

  for (const {block, base} of analysis.blocks) {
    for (const d of block.definitions) {
      definitions.push({label: d.label, identifier: d.identifier, url: d.url, title: d.title, start: d.start + base, end: d.end + base})
    }
  }

  definitions.sort((a, b) => a.start - b.start)
  /** @type {Map<string, unknown>} */
  const malformed = new Map()

  // One finding per place, as `checkDefinitions` keeps them.
  for (const d of analysis.malformed) {
    const point = place.toPoint(d.start)
    if (!point) continue
    const key = point.line + ':' + point.column
    if (!malformed.has(key)) {
      malformed.set(key, {ruleId: 'malformed-definition', label: d.label, reason: d.reason, place: {line: point.line, column: point.column}})
    }
  }

  return {
    markers: analysis.markers,
    markerProblems: analysis.markerProblems.map((d) => ({ruleId: d.ruleId, reason: d.reason, place: span(d)})),
    refProblems: analysis.refProblems.map((d) => ({ruleId: d.ruleId, label: d.label, reason: d.reason, place: span(d)})),
    malformed: sortByPlace([...malformed.values()]),
    definitions
  }
}

/**
 * Analyse a whole chapter with the public remark plugins (the reference
 * path): `remark-parse`, `remarkMdbook`, `remarkXrefMarkers`,
 * `remarkXrefRefs`, in comparable form.
 *
 * @param {string} value Chapter content.
 * @param {Plugins} plugins The plugins, from `src/` or `dist/`.
 * @param {{markers: boolean, htmlMarkers: boolean, refs: boolean, prefixes: string[]}} [options] What to look for.
 * @returns {Comparable} Comparable result.
 */
export function analyseWithPlugins(value, plugins, options = analyseOptions) {
  /** @type {import('unified').Processor<any, any, any, any, any>} */
  let processor = unified().use(remarkParse).use(plugins.remarkMdbook)
  if (options.markers) processor = processor.use(plugins.remarkXrefMarkers, {html: options.htmlMarkers})
  if (options.refs) processor = processor.use(plugins.remarkXrefRefs, {prefixes: options.prefixes})
  const file = new VFile({value})
  const tree = processor.runSync(processor.parse(file), file)
  const definitions = []
  /** @type {any[]} */
  const stack = [tree]

  while (stack.length > 0) {
    const node = stack.pop()

    if (node.type === 'definition') {
      const {start, end} = node.position
      definitions.push({label: node.label ?? node.identifier, identifier: node.identifier, url: node.url, title: node.title ?? null, start: start.offset, end: end.offset})
    } else if (node.children) {
      for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index])
    }
  }

  definitions.sort((a, b) => a.start - b.start)
  // Malformed lines are paragraph lines; other malformed-definition findings
  // are about a definition's URL and stand at the definition.
  const at = new Set(
    definitions.map((d) => {
      const point = location(value).toPoint(d.start)
      return point ? point.line + ':' + point.column : ''
    })
  )
  /** @type {any[]} */
  const messages = file.messages

  return {
    markers: options.markers ? /** @type {any} */ (file.data).xref.markers : [],
    markerProblems: messages
      .filter((d) => markerRules.has(d.ruleId))
      .map((d) => ({ruleId: d.ruleId, reason: d.reason, place: d.place})),
    refProblems: messages
      .filter((d) => referenceRules.has(d.ruleId))
      .map((d) => ({ruleId: d.ruleId, label: d.label, reason: d.reason, place: d.place})),
    malformed: sortByPlace(
      messages
        .filter((d) => d.ruleId === 'malformed-definition' && !at.has(d.place.line + ':' + d.place.column))
        .map((d) => ({ruleId: d.ruleId, label: d.label, reason: d.reason, place: {line: d.place.line, column: d.place.column}}))
    ),
    definitions
  }
}

/**
 * Sort findings with a point place by line, then column.
 *
 * @template {{place: {line: number, column: number}}} T
 * @param {T[]} list Findings.
 * @returns {T[]} The same list, sorted.
 */
function sortByPlace(list) {
  return list.sort((a, b) => a.place.line - b.place.line || a.place.column - b.place.column)
}

/** Options of both paths in the property. */
export const analyseOptions = {markers: true, htmlMarkers: false, refs: true, prefixes: ['c-', 'c~', 'cat-', 'cat~']}

/**
 * Compare the fast path with the public plugins on a book; return the first
 * difference.
 *
 * @param {string[]} chapters Chapter contents, in order.
 * @param {{analyseChapter: Function, createCache: Function} & Plugins} api Chapter module and plugins.
 * @param {{markers: boolean, htmlMarkers: boolean, refs: boolean, prefixes: string[]}} [options] What to look for.
 * @returns {undefined | {chapter: number, field: string, fast: unknown, full: unknown}} Difference, if any.
 */
export function firstDifference(chapters, api, options = analyseOptions) {
  const cache = api.createCache()

  for (const [index, value] of chapters.entries()) {
    const fast = comparable(api.analyseChapter(value, cache, options), value)
    const full = analyseWithPlugins(value, api, options)

    for (const field of /** @type {const} */ (['markers', 'markerProblems', 'refProblems', 'malformed', 'definitions'])) {
      if (!isDeepStrictEqual(fast[field], full[field])) {
        return {chapter: index, field, fast: fast[field], full: full[field]}
      }
    }
  }

  return undefined
}

/**
 * @typedef {{remarkMdbook: any, remarkXrefMarkers: any, remarkXrefRefs: any}} Plugins
 *   The public plugins.
 * @typedef {{markers: unknown[], markerProblems: unknown[], refProblems: unknown[], malformed: unknown[], definitions: Array<{label: string, start: number}>}} Comparable
 *   What both paths must agree on.
 */

/**
 * Read `--name value` flags.
 *
 * @param {string[]} argv Arguments.
 * @returns {{runs: number, seed: number, markers: boolean, scale: number}} Flags.
 */
function parseFlags(argv) {
  const flags = {runs: 10_000, seed: Date.now() % 1_000_000, markers: false, scale: 1000}

  for (let index = 0; index < argv.length; index++) {
    const name = argv[index]
    if (name === '--markers') flags.markers = true
    else if (name === '--runs' || name === '--seed' || name === '--scale') {
      const value = Number(argv[++index])
      if (!Number.isInteger(value) || value < 0) throw new Error('Unexpected `' + argv[index] + '` for `' + name + '`, expected a whole number')
      flags[/** @type {'runs' | 'seed' | 'scale'} */ (name.slice(2))] = value
    } else {
      throw new Error('Unexpected argument `' + name + '`, expected `--runs N`, `--seed N`, `--markers` or `--scale N`')
    }
  }

  return flags
}

/**
 * Run the property for many books.
 *
 * @param {{runs: number, seed: number}} flags Flags.
 * @returns {Promise<number>} Exit code.
 */
async function fuzz(flags) {
  const api = {
    ...(await import('../../dist/fast/analyse-chapter.js')),
    ...(await import('../../dist/plugins/remark-mdbook.js')),
    ...(await import('../../dist/plugins/remark-xref-markers.js')),
    ...(await import('../../dist/plugins/remark-xref-refs.js'))
  }
  const started = Date.now()
  console.log('fuzz: %d runs, seed %d', flags.runs, flags.seed)
  const result = fc.check(
    fc.property(book, (chapters) => firstDifference(chapters, api) === undefined),
    {numRuns: flags.runs, seed: flags.seed}
  )
  const seconds = ((Date.now() - started) / 1000).toFixed(1)

  if (!result.failed) {
    console.log('fuzz: ok, %d runs in %ss', result.numRuns, seconds)
    return 0
  }

  const chapters = /** @type {string[]} */ (result.counterexample?.[0] ?? [])
  console.log('fuzz: FAILED after %d runs in %ss (seed %d, path %s)', result.numRuns, seconds, flags.seed, result.counterexamplePath)
  console.log('chapters: %s', JSON.stringify(chapters))
  console.log('difference: %s', JSON.stringify(firstDifference(chapters, api), null, 2))
  if (result.errorInstance) console.log(String(result.errorInstance))
  return 1
}

/**
 * Time 1×, 10×, 100× markers in one paragraph and print the ratios.
 *
 * @param {{scale: number}} flags Flags (`scale`: markers in the 1× run).
 * @returns {Promise<number>} Exit code.
 */
async function timeMarkers(flags) {
  const {processBook} = await import('../../dist/book/pass.js')
  const {defaults} = await import('../../dist/mdbook/config.js')
  const options = {...structuredClone(defaults), indexChapter: 'index.md'}
  const locate = () => ({file: 'x.md', line: 1, column: 1})
  /** @type {number[]} */
  const times = []

  for (const factor of [1, 10, 100]) {
    const count = flags.scale * factor
    const paragraph = Array.from({length: count}, (_, index) => 'word {{hi:term ' + (index % 97) + '}}' + (index % 3 ? '' : ' {{i:seen}}')).join(' ') + '\n'
    /** @type {number[]} */
    const samples = []

    // Median of 3: the first run also warms the JIT.
    for (let round = 0; round < 3; round++) {
      const chapters = [
        {name: 'Markers', path: 'markers.md', content: paragraph},
        {name: 'Index', path: 'index.md', content: ''}
      ]
      const start = process.hrtime.bigint()
      const result = processBook(chapters, options, locate, 'en')
      samples.push(Number(process.hrtime.bigint() - start) / 1e6)
      if (result.entries.length < count) throw new Error('Unexpected `' + result.entries.length + '` entries, expected at least `' + count + '`')
    }

    samples.sort((a, b) => a - b)
    times.push(samples[1])
    console.log('markers: %d× (%d markers, %d KB): %s ms', factor, count, Math.round(paragraph.length / 1024), samples[1].toFixed(1))
  }

  console.log(
    'markers: ratio 10×/1× = %s, 100×/10× = %s (linear: 10 each; fixed costs lower the first), 100×/1× = %s (linear: 100)',
    (times[1] / times[0]).toFixed(1),
    (times[2] / times[1]).toFixed(1),
    (times[2] / times[0]).toFixed(1)
  )
  return 0
}

/**
 * Entry point.
 *
 * @returns {Promise<undefined>} Nothing; sets `process.exitCode`.
 */
async function main() {
  let flags

  try {
    flags = parseFlags(process.argv.slice(2))
  } catch (error) {
    console.error('fuzz: ' + String(/** @type {Error} */ (error).message))
    process.exitCode = 2
    return
  }

  process.exitCode = flags.markers ? await timeMarkers(flags) : await fuzz(flags)
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  await main()
}

