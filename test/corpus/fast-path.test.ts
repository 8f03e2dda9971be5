/**
 * The fast path equals the reference path: `analyseChapter` (split into
 * units, cached definition blocks, parse only what can matter) and the
 * public remark plugins run on the whole chapter (`remarkMdbook`,
 * `remarkXrefMarkers`, `remarkXrefRefs`) find the same markers, marker
 * problems, reference problems, malformed-definition lines and definitions.
 *
 * Checked on the fixture books, on a deterministic sample of real corpus
 * chapters, and on generated Markdown (the generators are shared with
 * `test/scripts/fuzz.js`, which runs them longer).
 */

import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {analyseChapter, createCache, type AnalyseOptions} from '../../src/fast/analyse-chapter.js'
import {remarkXrefRefs} from '../../src/plugins/remark-xref-refs.js'
import {remarkMdbook} from '../../src/plugins/remark-mdbook.js'
import {remarkXrefMarkers} from '../../src/plugins/remark-xref-markers.js'
import {expand, summaryChapters, trimmedChapter} from '../support/corpus-chapters.js'
import {corpus, rustHowto, rustHowtoOld} from '../corpus.js'
import {fixtures} from '../helpers.js'
// @ts-expect-error: plain JS script, shared generators.
import {analyseOptions, analyseWithPlugins, book, comparable} from '../scripts/fuzz.js'

/** What both paths look for. */
const options: AnalyseOptions = analyseOptions as AnalyseOptions

/** What both paths must agree on. */
interface Comparable {
  markers: unknown[]
  markerProblems: unknown[]
  refProblems: unknown[]
  malformed: unknown[]
  definitions: Array<{label: string; start: number}>
}

/** The public plugins, the reference path. */
const plugins = {remarkMdbook, remarkXrefMarkers, remarkXrefRefs}

/**
 * Analyse chapters both ways (the fast path with one cache for all, as in one
 * run; the plugins on each whole chapter) and return both results per
 * chapter.
 *
 * @param chapters
 *   Chapter contents, in book order.
 * @returns
 *   Pairs.
 */
function both(chapters: string[]): Array<{fast: Comparable; full: Comparable}> {
  const cache = createCache()
  return chapters.map((value) => ({
    fast: comparable(analyseChapter(value, cache, options), value) as Comparable,
    full: analyseWithPlugins(value, plugins, options) as Comparable
  }))
}

/** Facts about a corpus chapter used to pick the sample. */
interface Candidate {
  file: string
  book: string
  text: string
  prose: number
  tables: number
  fences: number
}

/**
 * A deterministic sample of corpus chapters: the four largest by prose, the
 * four with the most table rows, the four with the most fenced code lines,
 * the two largest of the old book, and every 20th of the rest by path.
 *
 * @returns
 *   Chapters (trimmed text), sorted by path.
 */
function corpusSample(): Candidate[] {
  const candidates: Candidate[] = []

  for (const bookDir of [rustHowto, rustHowtoOld]) {
    for (const file of summaryChapters(bookDir)) {
      const text = trimmedChapter(file, bookDir, {every: 64})
      // Prose: before the first line of the shared block.
      const cut = text.search(/^\[c[~-][^\]]*\]: https:\/\/crates\.io/m)
      const prose = cut === -1 ? text : text.slice(0, cut)
      candidates.push({
        file,
        book: bookDir,
        text,
        prose: prose.length,
        tables: (prose.match(/^ {0,3}\|/gm) || []).length,
        fences: (prose.match(/^ {0,3}(?:```|~~~)/gm) || []).length
      })
    }
  }

  candidates.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  const current = candidates.filter((d) => d.book === rustHowto)
  const old = candidates.filter((d) => d.book === rustHowtoOld)
  const picked = new Set<Candidate>()
  const top = (list: Candidate[], key: 'prose' | 'tables' | 'fences', count: number) =>
    [...list].sort((a, b) => b[key] - a[key]).slice(0, count).forEach((d) => picked.add(d))
  top(current, 'prose', 4)
  top(current, 'tables', 4)
  top(current, 'fences', 4)
  top(old, 'prose', 2)
  for (const [index, candidate] of current.entries()) if (index % 20 === 0) picked.add(candidate)
  return [...picked].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

describe('fast path', () => {
  describe('regressions (each failed before its fix)', () => {
    it('should see a broken reference whose label holds a link (`[t][a [x](u)]`)', () => {
      // Masked, the label is `a [x](u)`: a full reference that does not resolve.
      for (const value of ['[t][a [x](u)]\n', '[a [x](u)][]\n', '[c~a [x](u)]\n', '[l][a[t][c~b]](u)\n\n[c~b]: /b\n']) {
        const [{fast, full}] = both([value])
        expect(full.refProblems.length).toBe(1)
        expect(fast).toEqual(full)
      }
    })

    it('should know the footnotes the chapter defines (`[^1][c~x]` is a call, then a shortcut)', () => {
      for (const value of ['[^1][c~nope]\n\n[^1]: note\n', '- a [^1][c~nope] b\n\n[^1]: note\n', '[^1][c~nope]\n']) {
        const [{fast, full}] = both([value])
        expect(full.refProblems.length).toBe(1)
        expect(fast).toEqual(full)
      }
    })

    it('should keep a definition once when its paragraph goes on to a setext heading', () => {
      const [{fast, full}] = both(['[a]: /a\ntext\n===\n\n[a]\n'])
      expect(fast.definitions.map((d) => d.label)).toEqual(['a'])
      expect(fast).toEqual(full)
    })

    it('should parse text right after definitions as part of their paragraph', () => {
      // `<span>` alone would open an HTML block; after `[a]: /a` it is inline.
      for (const value of ['[a]: /a\n<span>\n{{hi:x}}\n', '[c-a]: /a\n- \r\n  {{hi:x}}\n  ---\n']) {
        const [{fast, full}] = both([value])
        expect(full.markers.length).toBe(1)
        expect(fast).toEqual(full)
      }
    })

    it('should suggest the same close label on both paths, local definitions included', () => {
      const results = both([
        '# [c~tokio~docs][[c~tokio~docs]]a\n\n[c~tokio~docs]: /t\n',
        '- [c~tokio~doc]\n\n[local]: /l\n[c~tokio~docs]: /t\n',
        '- [x] [c~lcal][]\n\n  [c~local]: /l\n\n[c~tokio~docs]: /t\n'
      ])
      expect(results.map((d) => (d.full.refProblems as Array<{reason: string}>).map((p) => p.reason))).toEqual([
        ['Cannot find definition for `[c~tokio~docs]`; did you mean `c~tokio~docs`'],
        ['Cannot find definition for `c~tokio~doc`; did you mean `c~tokio~docs`'],
        ['Cannot find definition for `c~lcal`; did you mean `c~local`']
      ])
      for (const {fast, full} of results) expect(fast).toEqual(full)
    })

    it('should parse the parts of a definitions block that only blank lines separate together', () => {
      // After indented code, micromark still treats `- ` as interrupting.
      const [{fast, full}] = both(['[l]: /l\n\n    a\n\n> - \n>   {{hi:x}}\n>   ===\n'])
      expect(full.markers.length).toBe(1)
      expect(fast).toEqual(full)
    })

    it('should keep a list item with the paragraph it interrupts when its line holds another list marker', () => {
      // After `p`, `- *` is an item with the text `*`; alone, `*` is an empty item.
      for (const value of ['p\n- *\n  {{hi:m}}\n  ===\n', '[x]: /u\n1. 2. a\n  {{hi:m}}\n  ===\n', '{{hi:x}}\n- > *\r\n  *{{hi:x}}a\n  ===\n']) {
        const [{fast, full}] = both([value])
        expect(full.markers.length).toBeGreaterThan(0)
        expect(fast).toEqual(full)
      }
    })

    it('should not let an indented line join an earlier unit (`    [c~x][]` after definitions)', () => {
      const [{fast, full}] = both(['- # {{hi:x}}\n\n  <span>a\n\n[x]: /x\n\n    [c~nope~docs][]\n'])
      expect(full.refProblems).toEqual([])
      expect(fast).toEqual(full)
    })
  })

  describe('fixture books', () => {
    const books = fs
      .readdirSync(fixtures)
      .map((d) => path.join(fixtures, d))
      .filter((d) => fs.existsSync(path.join(d, 'src', 'SUMMARY.md')))
      // Books with chapter files (`includes-summary` tests SUMMARY.md alone).
      .filter((d) => fs.readdirSync(path.join(d, 'src'), {recursive: true, encoding: 'utf8'}).some((f) => f.endsWith('.md') && f !== 'SUMMARY.md'))

    it('should have fixture books with chapters', () => {
      expect(books.length).toBeGreaterThanOrEqual(3)
    })

    for (const bookDir of books) {
      it('should agree on every chapter of `' + path.basename(bookDir) + '`', () => {
        const src = path.join(bookDir, 'src')
        const files = fs
          .readdirSync(src, {recursive: true, encoding: 'utf8'})
          .filter((d) => d.endsWith('.md') && d !== 'SUMMARY.md')
          .sort()
          .map((d) => path.join(src, d))
        const texts = files.map((d) => expand(d, bookDir))
        const results = both(texts)

        for (const [index, {fast, full}] of results.entries()) {
          expect({file: path.relative(fixtures, files[index]), ...fast}).toEqual({file: path.relative(fixtures, files[index]), ...full})
        }

        expect(results.length).toBeGreaterThan(0)
      })
    }
  })

  if (corpus) {
    describe('real corpus chapters', () => {
      const sample = corpusSample()

      it('should pick at least 12 chapters, with tables and code among them', () => {
        expect(sample.length).toBeGreaterThanOrEqual(12)
        expect(sample.filter((d) => d.tables > 0).length).toBeGreaterThanOrEqual(4)
        expect(sample.filter((d) => d.fences > 0).length).toBeGreaterThanOrEqual(4)
        expect(sample.filter((d) => d.book === rustHowtoOld).length).toBe(2)
      })

      it('should agree on every sampled chapter (definitions trimmed to those used)', () => {
        const results = both(sample.map((d) => d.text))
        let markers = 0
        let refProblems = 0

        for (const [index, {fast, full}] of results.entries()) {
          const file = path.relative(corpus!, sample[index].file)
          expect({file, ...fast}).toEqual({file, ...full})
          markers += full.markers.length
          refProblems += full.refProblems.length
        }

        // The sample is not trivial.
        expect(markers).toBeGreaterThan(50)
        expect(refProblems).toBeGreaterThan(0)
      }, 60_000)

      it('should agree on the largest sampled chapter untrimmed (~800 KB of definitions)', () => {
        const largest = [...sample].filter((d) => d.book === rustHowto).sort((a, b) => b.prose - a.prose)[0]
        const text = expand(largest.file, largest.book)
        expect(text.length).toBeGreaterThan(800_000)
        const [{fast, full}] = both([text])
        expect(fast.definitions.length).toBeGreaterThan(10_000)
        expect(fast).toEqual(full)
      }, 60_000)
    })
  } else {
    it.skip('real corpus chapters: skipped, `../shared/corpus` is missing', () => {})
  }

  describe('generated Markdown (property)', () => {
    it('should agree on generated books (markers, references, shared definition blocks, containers, CRLF)', () => {
      fc.assert(
        fc.property(book, (chapters: string[]) => {
          for (const [index, {fast, full}] of both(chapters).entries()) {
            expect({chapter: index, ...fast}).toEqual({chapter: index, ...full})
          }
        }),
        {seed: 20_251_125, numRuns: 400}
      )
    }, 60_000)
  })
})
