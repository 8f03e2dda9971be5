/**
 * Sections of a chapter: which headings count, their text, the ids mdBook
 * 0.4.4 gives them, the section of an offset, and the same answers on the
 * fast path (`chapterSections`, the book pass) and in `remarkXrefMarkers`.
 */

import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {processBook, locateInContent, type ChapterInput} from '../../src/book/pass.js'
import {analyseChapter, chapterSections, createCache} from '../../src/fast/analyse-chapter.js'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {headingId, mdbookId, sectionAt, treeSections, type Section} from '../../src/markdown/sections.js'
import {resolveOptions} from '../../src/mdbook/config.js'
import {remarkMdbook} from '../../src/plugins/remark-mdbook.js'
import {remarkXrefMarkers} from '../../src/plugins/remark-xref-markers.js'

/**
 * Sections as `[text, id]` on both paths; fails when they differ.
 *
 * @param value
 *   Chapter.
 * @returns
 *   Sections of the fast path, as `[start, text, id]`.
 */
function sections(value: string): Array<[number, string, string | undefined]> {
  const processor = unified().use(remarkParse).use(remarkMdbook).use(remarkXrefMarkers)
  const file = new VFile({value})
  const tree = processor.runSync(processor.parse(file), file)
  const fast = chapterSections(value, createCache())
  expect(fast).toEqual(treeSections(tree))
  return fast.map((d) => [d.start, d.text, d.id])
}

/**
 * Entries as `[term, section, sectionId]` on both paths; fails when they differ.
 *
 * @param value
 *   Chapter.
 * @returns
 *   Entries of the book pass.
 */
function entries(value: string): Array<[string, string | undefined, string | undefined]> {
  const processor = unified().use(remarkParse).use(remarkMdbook).use(remarkXrefMarkers)
  const file = new VFile({value})
  processor.runSync(processor.parse(file), file)
  const chapters: ChapterInput[] = [{name: 'a', path: 'a.md', content: value}]
  const result = processBook(chapters, resolveOptions({}).options, locateInContent(chapters, 'src'), 'en')
  const fast = result.entries.map((d) => [d.term, d.section, d.sectionId])
  expect(fast).toEqual(file.data.xref!.entries.map((d) => [d.term, d.section, d.sectionId]))
  return fast as Array<[string, string | undefined, string | undefined]>
}

describe('treeSections', () => {
  it('should see ATX and setext headings at any depth, not in code or HTML', () => {
    expect(
      sections(
        '# One\n\nTwo\n===\n\n- ## Three\n\n> ### Four\n\n```\n# no\n```\n\n    # no\n\n<div>\n# no\n</div>\n\n[^1]: # Five\n'
      )
    ).toEqual([
      [0, 'One', 'one'],
      [7, 'Two', 'two'],
      [18, 'Three', 'three'],
      [30, 'Four', 'four'],
      [89, 'Five', 'five']
    ])
  })

  it('should leave a trailing block of heading attributes out of the text, not out of the 0.4.4 id', () => {
    expect(sections('# Paths {#paths}\n\n## Walk {#walk .x}\n\n## A {x}\n\n## {#only}\n')).toEqual([
      [0, 'Paths', 'paths-paths'],
      [18, 'Walk', 'walk-walk-x'],
      [38, 'A {x}', 'a-x'],
      [48, '{#only}', 'only']
    ])
  })

  it('should number repeated ids as mdBook does, per chapter', () => {
    // mdBook counts by the id before numbering: `Usage 1` is `usage-1` again.
    expect(sections('# Usage\n\n## Usage\n\n## Usage 1\n\n## usage\n').map((d) => d[2])).toEqual([
      'usage',
      'usage-1',
      'usage-1',
      'usage-2'
    ])
  })

  it('should drop the tags mdBook drops and keep the others (links, strikethrough, HTML)', () => {
    expect(
      sections(
        '# The `Vec<T>` *and* **Box** & co\n\n## See [tokio](tokio.md#top) and [serde]\n\n## ~~Old~~ <span>new</span>\n\n[serde]: https://serde.rs?a=1&b=\'2\' "Serde & co"\n'
      )
    ).toEqual([
      [0, 'The Vec<T> and Box & co', 'the-vect-and-box--co'],
      [35, 'See tokio and serde', 'see-a-hreftokiohtmltoptokioa-and-a-hrefhttpsserdersa1bx272x27-titleserde--coserdea'],
      // `mdast-util-to-string` keeps the value of inline HTML.
      [77, 'Old new', 'delolddel-spannewspan']
    ])
  })

  it('should give no id to a heading whose HTML spans lines (mdBook’s regex does not see it)', () => {
    expect(sections('Over\ntwo lines\n===\n\n# Next\n')).toEqual([
      [0, 'Over\ntwo lines', undefined],
      [20, 'Next', 'next']
    ])
  })

  it('should show headings as the reader sees them after markers are rewritten', () => {
    expect(sections('# Tokio {{hi:tokio}}\n\n## The {{i:`Vec`}} type {{i:async!await}}\n\n## \\{{hi:x}}\n')).toEqual([
      [0, 'Tokio', 'tokio'],
      [22, 'The Vec type await', 'the-vec-type-await'],
      [65, '{{hi:x}}', 'hix']
    ])
  })

  it('should skip headings at and after `limit`', () => {
    const tree = parseMarkdown('# A\n\n# B\n')
    expect(treeSections(tree, {limit: 5}).map((d) => d.text)).toEqual(['A'])
  })
})

describe('sectionAt', () => {
  const list: Section[] = [
    {start: 10, depth: 1, text: 'A', id: 'a'},
    {start: 20, depth: 2, text: 'B', id: 'b'}
  ]

  it('should find the last section starting at or before an offset', () => {
    expect([0, 9, 10, 15, 20, 99].map((d) => sectionAt(list, d)?.text)).toEqual([
      undefined,
      undefined,
      'A',
      'A',
      'B',
      'B'
    ])
  })
})

describe('mdbookId', () => {
  it('should remove mdBook’s list of tags and references, then trim `#`', () => {
    const used = new Map<string, number>()
    expect([
      mdbookId('<code>a&lt;b&gt;</code> <em>c</em>', used),
      mdbookId('  ## Hash', used),
      mdbookId('&quot;q&quot; &#39;s&#39; &amp;', used),
      mdbookId('<del>d</del>', used),
      mdbookId('Hash', used)
    ]).toEqual(['ab-c', 'hash', 'q-s', 'delddel', 'hash-1'])
  })

  it('should keep non-ASCII letters as written (mdBook lowercases ASCII only)', () => {
    expect(headingId('Über Straße 2', new Map())).toBe('Über-straße-2')
  })
})

describe('fast path', () => {
  it('should resolve a reference in a heading from the chapter’s first definition, cached blocks too', () => {
    const shared = '[tokio]: https://tokio.rs\n[tokio]: https://other.example\n'
    const cache = createCache()
    // The first chapter puts the block in the cache; the second finds it there.
    chapterSections('# A\n\n' + shared, cache)
    expect(chapterSections('# Use [tokio]\n\n' + shared, cache).map((d) => d.id)).toEqual([
      'use-a-hrefhttpstokiorstokioa'
    ])
  })

  it('should parse only units that may hold a heading, and read plain heading lines without a parse', () => {
    const prose = 'Some text.\n\n'.repeat(100)
    const code = '```sh\n# comment\n```\n\n'.repeat(100)
    const value = '# Title #\n\n' + prose + code + '## The `Vec`\n\n### Title {#id}\n\n## #\n'
    const analysis = analyseChapter(value, createCache(), {
      markers: false,
      htmlMarkers: false,
      refs: false,
      prefixes: [],
      sections: true
    })
    expect(analysis.sections.map((d) => [d.text, d.id])).toEqual([
      ['Title', 'title'],
      ['The Vec', 'the-vec'],
      ['Title', 'title-id'],
      ['', '']
    ])
    // Only `## The \`Vec\`` is parsed (with the line ending that joins units).
    expect(analysis.parsed).toBe('## The `Vec`\n\n'.length)
  })

  it('should read plain heading lines as the parse does (closing runs, tabs, quotes)', () => {
    const lines = ['# a #', '#', '# #', '## a ## b', '# a\t#\t', '#\ta', '# C#', '# {#x}', '# a {b} c', '# 100% "q" it\'s', '#  a  b  ', '# a\u00A0b #', '# Über', '###### six', '####### seven']
    expect(sections(lines.join('\n\n') + '\n').map((d) => [d[1], d[2]])).toEqual([
      ['a', 'a'],
      ['', ''],
      ['', '-1'],
      ['a ## b', 'a--b'],
      ['a', 'a-1'],
      ['a', 'a-2'],
      ['C#', 'c'],
      ['{#x}', 'x'],
      ['a {b} c', 'a-b-c'],
      ['100% "q" it\'s', '100-q-its'],
      ['a  b', 'a--b-1'],
      ['a\u00A0b', 'a-b'],
      ['Über', 'Über'],
      ['six', 'six']
    ])
  })

  it('should find sections only for chapters with markers when asked so (`markers`)', () => {
    const options = {markers: true, htmlMarkers: false, refs: false, prefixes: [], sections: 'markers' as const}
    expect(analyseChapter('# A\n\ntext\n', createCache(), options).sections).toEqual([])
    expect(analyseChapter('# A\n\n{{hi:x}}\n', createCache(), options).sections.length).toBe(1)
  })
})

describe('index entries', () => {
  it('should give each entry the section it is in, or none before the first heading', () => {
    expect(
      entries(
        '{{hi:early}}\n\n# Gardening {{hi:gardening}}\n\nText {{i:water}}.\n\n## Watering\n\n- Morning{{hi:morning}}\n\n## Watering\n\nEvening\n---\n\n{{hi:evening}}\n'
      )
    ).toEqual([
      ['early', undefined, undefined],
      ['gardening', 'Gardening', 'gardening'],
      ['water', 'Gardening', 'gardening'],
      ['morning', 'Watering', 'watering'],
      ['evening', 'Evening', 'evening']
    ])
  })

  it('should give an entry in a heading over two lines a section without an id', () => {
    // The hidden marker leaves its line empty, the line ending stays.
    expect(entries('A\n{{hi:b}}\n===\n')).toEqual([['b', 'A\n', undefined]])
  })
})
