/**
 * Fidelity, book-wide: the preprocessor changes the bytes of index markers
 * and nothing else.
 *
 * For the real book (`../shared/corpus/rust_howto`, exact mdBook input from
 * `captureInput`) and the fixture books, every chapter of the output is
 * walked against its input: the text between markers must be identical, and
 * each marker range (found by `analyseChapter` on the input) must hold what
 * it is rewritten to. The index chapter changes only by the generated block.
 * A second pass changes nothing; two runs, and a run with the top-level
 * items reversed, give the same chapters.
 */

import fs from 'node:fs'
import path from 'node:path'
import type {Root} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {beforeAll, describe, expect, it} from 'vitest'
import {analyseChapter, createCache} from '../../src/fast/analyse-chapter.js'
import {resolveOptions, type ResolvedOptions} from '../../src/mdbook/config.js'
import type {FoundMarker} from '../../src/markdown/markers.js'
import {bomLength, stripBom} from '../../src/util/text.js'
import {preprocessBook} from '../../src/book/preprocess.js'
import {allChapters, bookItems, parseInput, serializeBook, type PreprocessorInput} from '../../src/mdbook/protocol.js'
import {visibleText} from '../../src/markdown/terms.js'
import {corpus, rustHowto} from '../corpus.js'
import {captureInput, ensureBuilt, fixtures, runBin} from '../helpers.js'

/** Start and end of the generated index block. */
const indexStart = '<!-- mdbook-xref index: start -->'
const indexEnd = '<!-- mdbook-xref index: end -->'

/** What replaces a marker and never occurs in author text around it: see `markers.ts`. */
const separator = '<em></em>'

/** A place where the output differs from what the input allows. */
interface Mismatch {
  /** Chapter path. */
  chapter: string
  /** Offset in the input. */
  offset: number
  /** What was expected there (start of it). */
  expected: string
  /** What the output has (start of it). */
  actual: string
}

/** Result of walking one chapter. */
interface Walk {
  /** First mismatch, if any. */
  mismatch: Mismatch | undefined
  /** Output offset where the input ends (the index block follows in the index chapter). */
  end: number
  /** Anchor ids, in order. */
  ids: string[]
}

/**
 * Escape text for a regular expression.
 *
 * @param value
 *   Text.
 * @returns
 *   Pattern.
 */
function escape(value: string): string {
  return value.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&')
}

/**
 * Visible text that an `i`/`ii` marker leaves, as the reference for what a
 * rewrite may write (a trailing odd run of backslashes gets a space so that
 * it escapes nothing after it).
 *
 * @param term
 *   Term as written.
 * @returns
 *   Text.
 */
function visible(term: string): string {
  const value = visibleText(term)
  const backslashes = /\\*$/.exec(value)![0].length
  return backslashes % 2 === 1 ? value + ' ' : value
}

/**
 * Walk a chapter's output against its input: every byte outside the marker
 * ranges must be the same; each marker range must hold its rewrite.
 *
 * Allowed per marker (see `rewriteMarkers`): text `<span id="xref-…"></span>`
 * plus the visible text for `i`/`ii`; heading: the visible text (or nothing),
 * with `<a id="xref-…"></a>` and a line ending inserted where the heading
 * starts, the line's container prefix repeated (list markers as spaces);
 * escaped `\{{`/`\<<`: `&#123;{`/`&lt;<` (the rest of the marker is kept);
 * `<em></em>` separators on either side.
 *
 * @param chapter
 *   Chapter path, for messages.
 * @param input
 *   Content as mdBook sent it (no BOM).
 * @param output
 *   Content as we returned it (no BOM).
 * @param markers
 *   Markers of `input`, in order.
 * @returns
 *   Walk.
 */
function walk(chapter: string, input: string, output: string, markers: FoundMarker[]): Walk {
  /** Expected edits: inserts at heading starts, then marker ranges, in input order. */
  const items: Array<{start: number; end: number; marker: FoundMarker; insert: boolean}> = []

  for (const marker of markers) {
    if (!marker.escaped && marker.context === 'heading' && marker.headingStart !== undefined) {
      items.push({start: marker.headingStart, end: marker.headingStart, marker, insert: true})
    }

    items.push({start: marker.start, end: marker.escaped ? marker.start + 3 : marker.end, marker, insert: false})
  }

  // Stable: inserts of one heading keep marker order and precede its text.
  items.sort((a, b) => a.start - b.start || Number(b.insert) - Number(a.insert))
  const ids: string[] = []
  const headingIds = new Map<FoundMarker, string>()
  let from = 0
  let to = 0

  for (const [index, item] of items.entries()) {
    const kept = input.slice(from, item.start)
    if (output.slice(to, to + kept.length) !== kept) return fail(from + firstDifference(kept, output.slice(to)), kept)
    to += kept.length
    from = item.start
    const nextStart = index + 1 < items.length ? items[index + 1].start : input.length
    // What follows in the output: keeps the optional separators from eating author text.
    const lookahead = escape(input.slice(item.end, Math.min(nextStart, item.end + 32)))
    const {marker} = item
    let pattern: string

    if (item.insert) {
      const lineStart = Math.max(input.lastIndexOf('\n', item.start - 1), input.lastIndexOf('\r', item.start - 1)) + 1
      const prefix = input.slice(lineStart, item.start).replace(/[^ \t>]/g, ' ')
      const eol = /\r\n?|\n/.exec(input.slice(item.start))?.[0] ?? '\n'
      const anchor = '<a id="(xref-[a-z\\d-]+-\\d+)"></a>' + escape(eol)
      // ATX: anchor, then the prefix; setext: a blank line between.
      pattern = anchor + '(?:' + escape(prefix) + '|' + escape(prefix.trimEnd() + eol + prefix) + ')'
    } else if (marker.escaped) {
      if (input.slice(item.start, item.end) !== '\\' + input.slice(item.start + 1, item.start + 3)) {
        return fail(item.start, '\\{{')
      }

      pattern = escape(marker.form === 'brace' ? '&#123;{' : '&lt;<')
    } else {
      const text = marker.kind === 'hi' ? '' : visible(marker.term)
      const core = marker.context === 'heading' ? escape(text) : '<span id="(xref-[a-z\\d-]+-\\d+)"></span>' + escape(text)
      pattern = '(?:' + separator + ')*' + core + '(?:' + separator + ')*'
    }

    const match = new RegExp(pattern + '(?=' + lookahead + ')', 'y')
    match.lastIndex = to
    const found = match.exec(output)
    if (!found) return fail(item.start, input.slice(item.start, item.end))

    if (item.insert) headingIds.set(marker, found[1])
    else if (!marker.escaped) ids.push(marker.context === 'heading' ? headingIds.get(marker)! : found[1])
    to += found[0].length
    from = item.end
  }

  const rest = input.slice(from)
  if (output.slice(to, to + rest.length) !== rest) return fail(from + firstDifference(rest, output.slice(to)), rest)
  return {mismatch: undefined, end: to + rest.length, ids}

  /**
   * Report a mismatch at an input offset.
   *
   * @param offset
   *   Offset in the input.
   * @param expected
   *   What was expected.
   * @returns
   *   Walk with the mismatch.
   */
  function fail(offset: number, expected: string): Walk {
    return {
      mismatch: {chapter, offset, expected: expected.slice(0, 60), actual: output.slice(to, to + 60)},
      end: to,
      ids
    }
  }
}

/**
 * Offset of the first character where two strings differ.
 *
 * @param a
 *   One.
 * @param b
 *   Other.
 * @returns
 *   Offset (the shorter length when one is a prefix of the other).
 */
function firstDifference(a: string, b: string): number {
  let index = 0
  while (index < a.length && index < b.length && a.charCodeAt(index) === b.charCodeAt(index)) index++
  return index
}

/** Summary of checking a whole book. */
interface BookCheck {
  /** Mismatches (first per chapter). */
  mismatches: Mismatch[]
  /** Paths of chapters that changed. */
  changed: string[]
  /** Path of the chapter that got the index block. */
  index: string | undefined
  /** Markers rewritten into anchors. */
  anchors: number
  /** Anchor ids as `path#id`. */
  targets: string[]
  /** Links (`path#id`) in the index block. */
  links: string[]
  /** Problems with the index block. */
  indexProblems: string[]
}

/**
 * Check a whole book: input and output chapters, in the same order.
 *
 * @param before
 *   Chapters as mdBook sent them.
 * @param after
 *   Chapters as we returned them.
 * @param options
 *   Options the pass ran with.
 * @returns
 *   Summary.
 */
function checkBook(
  before: Array<{path: string | null; content: string}>,
  after: Array<{path: string | null; content: string}>,
  options: ResolvedOptions
): BookCheck {
  const cache = createCache()
  const result: BookCheck = {mismatches: [], changed: [], index: undefined, anchors: 0, targets: [], links: [], indexProblems: []}
  expect(after.map((d) => d.path)).toEqual(before.map((d) => d.path))

  for (const [index, chapter] of before.entries()) {
    const name = chapter.path ?? '(draft)'
    const bom = bomLength(chapter.content) === 1
    const input = stripBom(chapter.content)
    const outputWithBom = after[index].content
    if ((bomLength(outputWithBom) === 1) !== bom) result.mismatches.push({chapter: name, offset: 0, expected: 'BOM kept', actual: ''})
    const output = bom ? outputWithBom.slice(1) : outputWithBom
    if (output !== input) result.changed.push(name)
    const {markers} = analyseChapter(input, cache, {
      markers: options.markers,
      htmlMarkers: options.htmlMarkers,
      refs: false,
      prefixes: options.prefixes
    })
    const walked = walk(name, input, output, markers)
    if (walked.mismatch) {
      result.mismatches.push(walked.mismatch)
      continue
    }

    result.anchors += walked.ids.length
    for (const id of walked.ids) result.targets.push(name + '#' + id)
    const rest = output.slice(walked.end)

    if (rest !== '') {
      // Only the index chapter may have more: one generated block at its end.
      const block = /^\n*(<!-- mdbook-xref index: start -->\n[\s\S]*\n<!-- mdbook-xref index: end -->)\n$/.exec(rest)

      if (!block || result.index !== undefined || block[1].indexOf(indexStart, 1) !== -1 || block[1].indexOf(indexEnd) !== block[1].length - indexEnd.length) {
        result.mismatches.push({chapter: name, offset: input.length, expected: '', actual: rest.slice(0, 60)})
        continue
      }

      result.index = name
      const dir = path.posix.dirname(name)

      for (const link of block[1].matchAll(/\]\(([^)#\s]+)#(xref-[^)\s]+)\)/g)) {
        result.links.push(path.posix.normalize(path.posix.join(dir, link[1])) + '#' + link[2])
      }

      result.indexProblems.push(...rawHtml(block[1]))
    }
  }

  return result
}

/**
 * Raw HTML in generated Markdown other than the block's own comments.
 *
 * @param markdown
 *   Index block.
 * @returns
 *   HTML node values.
 */
function rawHtml(markdown: string): string[] {
  const found: string[] = []
  visit(fromMarkdown(markdown))
  // Entry anchors (`<span id="xref-entry-…"></span>`) are the index's own HTML.
  return found.filter((d) => d !== indexStart && d !== indexEnd && !/^<span id="xref-entry-[^"<>]+">$|^<\/span>$/.test(d))

  /**
   * Collect HTML nodes, depth first.
   *
   * @param node
   *   Node.
   * @returns
   *   Nothing.
   */
  function visit(node: Root | Root['children'][number]): undefined {
    if (node.type === 'html') found.push(node.value)
    if ('children' in node) for (const child of node.children) visit(child as Root['children'][number])
  }
}

/**
 * Chapters of a book as plain records, for comparison.
 *
 * @param input
 *   Parsed input.
 * @returns
 *   Paths and contents in book order.
 */
function chaptersOf(input: PreprocessorInput): Array<{path: string | null; content: string}> {
  return allChapters(input.book).map((d) => ({path: d.path, content: d.content}))
}

/**
 * Run the pass on a fresh parse of captured input.
 *
 * @param text
 *   Captured `[context, book]` JSON.
 * @param options
 *   Options.
 * @param change
 *   Change the parsed input first (optional).
 * @returns
 *   Input and output chapters, and the output book as JSON.
 */
function run(text: string, options: ResolvedOptions, change?: (input: PreprocessorInput) => undefined) {
  const input = parseInput(text)
  change?.(input)
  const before = chaptersOf(input)
  const result = preprocessBook(input, options)
  return {before, after: chaptersOf(input), book: serializeBook(input.book), report: result.report}
}

/**
 * Put the book of `[context, book]` JSON back with a new book.
 *
 * @param text
 *   Captured input.
 * @param book
 *   Book JSON.
 * @returns
 *   New input text.
 */
function withBook(text: string, book: string): string {
  const [context] = JSON.parse(text) as [unknown, unknown]
  return '[' + JSON.stringify(context) + ',' + book + ']'
}

/**
 * Sorted lines of the index block with the links of each line sorted: the
 * same index whatever order the chapters came in.
 *
 * @param content
 *   Index chapter.
 * @returns
 *   Lines.
 */
function indexLines(content: string): string[] {
  // Chapters come in book order (and a chapter's name may lead its group of
  // sections), so compare each line's text up to its first `, ` and the set
  // of its links (label and target).
  const link = /\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)/g
  return content
    .split('\n')
    .map((line) => {
      const links = [...line.matchAll(link)].map((d) => d[1] + ' → ' + d[2])
      const comma = line.indexOf(', ')
      return [comma === -1 ? line : line.slice(0, comma), ...links.sort()].join(' | ')
    })
    .sort()
}

/**
 * Check the fidelity properties of one book.
 *
 * @param title
 *   Name of the suite.
 * @param bookDir
 *   Book root.
 * @param table
 *   Our `book.toml` table (`index-chapter` and the like).
 * @param expected
 *   Figures the book must show (at least).
 * @returns
 *   Nothing.
 */
function fidelitySuite(
  title: string,
  bookDir: string,
  table: Record<string, unknown>,
  expected: {index: string; minAnchors: number; headings: boolean}
): undefined {
  describe(title, () => {
    const {options, warnings} = resolveOptions(table)
    let text: string
    let first: ReturnType<typeof run>

    beforeAll(async () => {
      expect(warnings).toEqual([])
      text = await captureInput(bookDir)
      first = run(text, options)
    }, 300_000)

    it('should change only marker ranges, and the index chapter only by its block', () => {
      const check = checkBook(first.before, first.after, options)
      expect(check.mismatches).toEqual([])
      expect(check.index).toBe(expected.index)
      expect(check.anchors).toBeGreaterThanOrEqual(expected.minAnchors)
      // Every changed chapter has an anchor or is the index.
      const withAnchors = new Set(check.targets.map((d) => d.slice(0, d.indexOf('#'))))
      expect(check.changed.filter((d) => !withAnchors.has(d) && d !== expected.index)).toEqual([])
      // Ids are unique per chapter; the index links every anchor exactly once.
      const targets = new Set(check.targets)
      expect(targets.size).toBe(check.targets.length)
      expect(check.links.filter((d) => !targets.has(d))).toEqual([])
      expect([...check.links].sort()).toEqual([...check.targets].sort())
      expect(check.indexProblems).toEqual([])
      if (expected.headings) expect(first.book).toContain('<a id=\\"xref-')
    }, 120_000)

    it('should change nothing on a second pass (idempotent, no new anchors)', () => {
      const second = run(withBook(text, first.book), options)
      expect(second.book === first.book).toBe(true)
      const cache = createCache()
      const again = second.after.map((d) =>
        analyseChapter(stripBom(d.content), cache, {markers: true, htmlMarkers: options.htmlMarkers, refs: false, prefixes: []})
      )
      expect(again.flatMap((d) => d.markers.filter((m) => !m.escaped))).toEqual([])
    }, 120_000)

    it('should give byte-identical output on a second run and through the built binary', async () => {
      const again = run(text, options)
      expect(again.book === first.book).toBe(true)
      await ensureBuilt()
      const [context, book] = JSON.parse(text) as [{config: {preprocessor?: Record<string, unknown>}}, unknown]
      context.config.preprocessor = {...context.config.preprocessor, xref: {command: 'mdbook-xref', ...table}}
      const [code, stdout, stderr] = await runBin([], {input: JSON.stringify([context, book])})
      expect([code, stderr.split('\n').filter((d) => d.startsWith('mdbook-xref:'))]).toEqual([0, []])
      expect(stdout.length).toBe(first.book.length)
      expect(stdout === first.book).toBe(true)
    }, 120_000)

    it('should give the same chapters when the top-level items come in reverse order', () => {
      const reversed = run(text, options, (input) => {
        bookItems(input.book).reverse()
      })
      const byPath = new Map(first.after.map((d) => [d.path, d.content]))
      expect(reversed.after.length).toBe(first.after.length)

      for (const chapter of reversed.after) {
        if (chapter.path === expected.index) {
          // Entries arrive in another order: the same lines, the same links.
          expect(indexLines(chapter.content)).toEqual(indexLines(byPath.get(chapter.path)!))
        } else {
          expect({path: chapter.path, same: chapter.content === byPath.get(chapter.path)}).toEqual({path: chapter.path, same: true})
        }
      }
    }, 120_000)
  })
}

describe('fidelity', () => {
  describe('walk (the checker itself)', () => {
    const options = resolveOptions({}).options

    it('should accept a correct rewrite and reject a lost or changed byte', () => {
      const input = '# A {{i:b}}\n\nText {{hi:c}} and \\{{hi:d}}.\n'
      const before = [{path: 'a.md', content: input}]
      const good = [{path: 'a.md', content: '<a id="xref-b-1"></a>\n# A b\n\nText <span id="xref-c-1"></span> and &#123;{hi:d}}.\n'}]
      expect(checkBook(before, good, options).mismatches).toEqual([])
      const lost = [{path: 'a.md', content: good[0].content.replace(' and', 'and')}]
      expect(checkBook(before, lost, options).mismatches.map((d) => d.chapter + '@' + d.offset)).toEqual(['a.md@18'])
      const extra = [{path: 'a.md', content: good[0].content + 'x'}]
      expect(checkBook(before, extra, options).mismatches.map((d) => d.actual)).toEqual(['x'])
    })

    it('should accept separators and a setext anchor with a blank line', () => {
      const input = '> - A {{hi:b}}\n>   ---\n'
      const before = [{path: 'a.md', content: input}]
      // The anchor goes where the heading starts (after `> - `); the lines
      // after it repeat the containers, the list marker as spaces.
      const good = [{path: 'a.md', content: '> - <a id="xref-b-1"></a>\n>\n>   A \n>   ---\n'}]
      expect(checkBook(before, good, options).mismatches).toEqual([])
      const separated = [{path: 'a.md', content: '> - <a id="xref-b-1"></a>\n>\n>   A <em></em>\n>   ---\n'}]
      expect(checkBook(before, separated, options).mismatches).toEqual([])
      const newItem = [{path: 'a.md', content: '> - <a id="xref-b-1"></a>\n>\n> - A \n>   ---\n'}]
      expect(checkBook(before, newItem, options).mismatches.length).toBe(1)
    })
  })

  if (corpus) {
    fidelitySuite(
      'rust_howto (real book, exact mdBook input)',
      rustHowto,
      {'index-chapter': 'word_index.md'},
      {index: 'word_index.md', minAnchors: 1000, headings: false}
    )
  } else {
    it.skip('rust_howto: skipped, `../shared/corpus` is missing', () => {})
  }

  fidelitySuite('example-book (fixture)', path.join(fixtures, 'example-book'), {}, {index: 'index-page.md', minAnchors: 10, headings: true})

  it('should have the fixture book on disk', () => {
    expect(fs.existsSync(path.join(fixtures, 'example-book', 'book.toml'))).toBe(true)
  })
})
