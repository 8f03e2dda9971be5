/**
 * The section of each index entry is the same on both paths: the book pass
 * (`processBook`, the fast path, parsing only units that may hold a heading)
 * and `remarkXrefMarkers` on the whole chapter (the reference). Checked on
 * every chapter of the fixture books, every chapter of the real book, and
 * generated Markdown; `chapterSections` is checked against the reference's
 * headings too.
 */

import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {location} from 'vfile-location'
import {describe, expect, it} from 'vitest'
import {processBook, locateInContent, type ChapterInput} from '../../src/book/pass.js'
import {chapterSections, createCache} from '../../src/fast/analyse-chapter.js'
import {treeSections, type Section} from '../../src/markdown/sections.js'
import {resolveOptions} from '../../src/mdbook/config.js'
import {remarkMdbook} from '../../src/plugins/remark-mdbook.js'
import {remarkXrefMarkers} from '../../src/plugins/remark-xref-markers.js'
import {stripBom} from '../../src/util/text.js'
import {expand, summaryChapters, trimmedChapter} from '../support/corpus-chapters.js'
import {corpus, rustHowto} from '../corpus.js'
import {fixtures} from '../helpers.js'
// @ts-expect-error: plain JS script, shared generators.
import {book} from '../scripts/fuzz.js'

/**
 * What both paths must agree on, per entry; the place is the offset, or
 * line and column when the reference reads a trimmed chapter (which keeps
 * lines, not offsets).
 */
type Row = [place: string, term: string, section: string | undefined, sectionId: string | undefined]

/** A section with its place. */
type PlacedSection = [place: string, depth: number, text: string, id: string | undefined]

/**
 * Entries of chapters on the fast path (one pass over the book, as the
 * preprocessor runs it).
 *
 * @param texts
 *   Chapter contents.
 * @returns
 *   Rows per chapter.
 */
function fast(texts: string[], byLine: boolean): Row[][] {
  const chapters: ChapterInput[] = texts.map((content, index) => ({name: 'c' + index, path: 'c' + index + '.md', content}))
  const {options} = resolveOptions({})
  const result = processBook(chapters, options, locateInContent(chapters, 'src'), 'en')
  return texts.map((_, index) =>
    result.entries
      .filter((d) => d.chapter === 'c' + index + '.md')
      .map((d): Row => [byLine ? d.line + ':' + d.column : String(d.offset), d.term, d.section, d.sectionId])
  )
}

/**
 * Entries and headings of one chapter on the reference path.
 *
 * @param value
 *   Chapter content.
 * @returns
 *   Rows, and the sections of the chapter.
 */
function full(value: string, byLine: boolean): {rows: Row[]; sections: PlacedSection[]} {
  const processor = unified().use(remarkParse).use(remarkMdbook).use(remarkXrefMarkers)
  const file = new VFile({value: stripBom(value)})
  const tree = processor.runSync(processor.parse(file), file)
  const rows = file.data.xref!.entries.map((d): Row => [
    byLine ? d.line + ':' + d.column : String(d.offset),
    d.term,
    d.section,
    d.sectionId
  ])
  return {rows, sections: placed(treeSections(tree), stripBom(value), byLine)}
}

/**
 * Sections with line and column instead of offsets.
 *
 * @param sections
 *   Sections.
 * @param value
 *   Text they are in.
 * @param byLine
 *   Whether to place by line and column.
 * @returns
 *   Placed sections.
 */
function placed(sections: Section[], value: string, byLine: boolean): PlacedSection[] {
  const place = location(value)
  return sections.map(function (d): PlacedSection {
    const point = place.toPoint(d.start)!
    return [byLine ? point.line + ':' + point.column : String(d.start), d.depth, d.text, d.id]
  })
}

/**
 * Compare both paths on chapters.
 *
 * @param texts
 *   Chapter contents (no BOM).
 * @param names
 *   Names, for failures.
 * @param references
 *   Contents for the reference path, when not `texts` (trimmed definitions).
 * @returns
 *   Number of entries and of entries in a section.
 */
function compare(texts: string[], names: string[], references?: string[]): {entries: number; inSection: number} {
  const byLine = references !== undefined
  const rows = fast(texts, byLine)
  const cache = createCache()
  let entries = 0
  let inSection = 0

  for (const [index, text] of texts.entries()) {
    const reference = full(references ? references[index] : text, byLine)
    expect({chapter: names[index], rows: rows[index]}).toEqual({chapter: names[index], rows: reference.rows})
    expect({chapter: names[index], sections: placed(chapterSections(text, cache), text, byLine)}).toEqual({
      chapter: names[index],
      sections: reference.sections
    })
    entries += reference.rows.length
    inSection += reference.rows.filter((d) => d[2] !== undefined).length
  }

  return {entries, inSection}
}

describe('sections of index entries: fast path and remarkXrefMarkers', () => {
  describe('fixture books', () => {
    const books = fs
      .readdirSync(fixtures)
      .map((d) => path.join(fixtures, d))
      .filter((d) => fs.existsSync(path.join(d, 'src', 'SUMMARY.md')))

    for (const bookDir of books) {
      const src = path.join(bookDir, 'src')
      const files = fs
        .readdirSync(src, {recursive: true, encoding: 'utf8'})
        .filter((d) => d.endsWith('.md') && d !== 'SUMMARY.md')
        .sort()
        .map((d) => path.join(src, d))
      if (files.length === 0) continue

      it('should agree on every entry of `' + path.basename(bookDir) + '`', () => {
        compare(
          files.map((d) => expand(d, bookDir)),
          files.map((d) => path.relative(fixtures, d))
        )
      })
    }

    it('should find entries in sections in `sections-book`', () => {
      const bookDir = path.join(fixtures, 'sections-book')
      const files = summaryChapters(bookDir)
      const counts = compare(
        files.map((d) => expand(d, bookDir)),
        files.map((d) => path.relative(fixtures, d))
      )
      expect(counts).toEqual({entries: 19, inSection: 18})
    })
  })

  if (corpus) {
    describe('real book', () => {
      it('should agree on every entry of rust_howto (whole chapters on the fast path)', () => {
        const files = summaryChapters(rustHowto)
        const counts = compare(
          files.map((d) => expand(d, rustHowto)),
          files.map((d) => path.relative(corpus!, d)),
          files.map((d) => trimmedChapter(d, rustHowto, {keepLines: true}))
        )
        // Not trivial: most entries are in a section.
        expect(counts.entries).toBeGreaterThan(1000)
        expect(counts.inSection).toBeGreaterThan(counts.entries * 0.9)
      }, 300_000)
    })
  } else {
    it.skip('real book: skipped, `../shared/corpus` is missing', () => {})
  }

  describe('generated Markdown (property)', () => {
    it('should agree on generated books (headings in containers, setext, markers in headings)', () => {
      fc.assert(
        fc.property(book, (chapters: string[]) => {
          compare(
            chapters.map((d) => stripBom(d)),
            chapters.map((_, index) => 'chapter ' + index)
          )
        }),
        {seed: 20_251_203, numRuns: 300}
      )
    }, 120_000)
  })
})
