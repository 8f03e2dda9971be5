/**
 * End to end through the real mdBook 0.4.4: the section ids computed for
 * chapters and index entries are the ids mdBook gives the headings.
 *
 * `fixtures/sections-book` has headings of many kinds: plain, code,
 * emphasis, repeated names, setext, in a list and a block quote, with
 * markers, with links (inline, to a chapter, by reference), strikethrough,
 * inline HTML, non-ASCII, an escaped marker, one over two lines (no id), and
 * heading-like lines in code.
 */

import path from 'node:path'
import {beforeAll, describe, expect, it, vi} from 'vitest'
import {locateInContent, processBook, type ChapterInput} from '../../src/book/pass.js'
import {chapterSections, createCache} from '../../src/fast/analyse-chapter.js'
import {resolveOptions} from '../../src/mdbook/config.js'
import {allChapters, type Book} from '../../src/mdbook/protocol.js'
import {buildBook, captureInput, ensureBuilt, fixtures, type BuiltBook} from '../helpers.js'

vi.setConfig({testTimeout: 120_000})

/**
 * Ids mdBook 0.4.4 gave the headings of a page, in order.
 *
 * @param html
 *   Page.
 * @returns
 *   Ids.
 */
function headerIds(html: string): string[] {
  return [...html.matchAll(/<h\d><a class="header" href="#[^"]*" id="([^"]*)">/g)].map((d) => d[1])
}

describe('sections-book: section ids as mdBook gives them', () => {
  const book = path.join(fixtures, 'sections-book')
  let built: BuiltBook
  let chapters: ChapterInput[]

  beforeAll(async () => {
    await ensureBuilt()
    built = await buildBook(book)
    const [, input] = JSON.parse(await captureInput(book)) as [unknown, Book]
    chapters = allChapters(input).map((d) => ({name: d.name, path: d.path ?? null, content: d.content}))
  }, 120_000)

  it('should build', () => {
    expect([built.code, built.preprocessorStderr]).toEqual([0, ''])
  })

  it('should compute, for every chapter, the ids mdBook gives its headings, in order', () => {
    const cache = createCache()

    for (const chapter of chapters) {
      if (chapter.path === null || chapter.path === 'index-page.md') continue
      const page = built.read(chapter.path.replace(/\.md$/, '.html'))
      const ids = chapterSections(chapter.content, cache)
        .map((d) => d.id)
        .filter((d) => d !== undefined)
      expect({chapter: chapter.path, ids}).toEqual({chapter: chapter.path, ids: headerIds(page)})
    }
  })

  it('should give every index entry in a section an id that is in its page', () => {
    const {options} = resolveOptions({})
    const copies = chapters.map((d) => ({...d}))
    const {entries} = processBook(copies, options, locateInContent(copies, 'src'), 'en')
    const rows = entries.map((d) => [d.chapter, d.term, d.section, d.sectionId])

    for (const entry of entries) {
      if (entry.sectionId === undefined) continue
      const page = built.read(entry.chapter!.replace(/\.md$/, '.html'))
      expect({term: entry.term, found: headerIds(page).includes(entry.sectionId)}).toEqual({
        term: entry.term,
        found: true
      })
    }

    expect(rows).toEqual([
      ['gardening.md', 'soil', undefined, undefined],
      ['gardening.md', 'gardening', 'Gardening', 'gardening'],
      ['gardening.md', 'water', 'Gardening', 'gardening'],
      ['gardening.md', 'spade', 'The Spade<T> and fork', 'the-spadet-and-fork'],
      ['gardening.md', 'water!morning', 'Watering', 'watering'],
      ['gardening.md', 'water!evening', 'Watering', 'watering-1'],
      ['gardening.md', 'mulch', 'Compost & mulch', 'compost--mulch'],
      ['gardening.md', 'seeds', 'Seeds in a list', 'seeds-in-a-list'],
      ['gardening.md', 'pruning', 'Quoted advice', 'quoted-advice'],
      ['gardening.md', '`Pot`', 'Pots Pot and trays', 'pots-pot-and-trays'],
      ['gardening.md', 'trays', 'Pots Pot and trays', 'pots-pot-and-trays'],
      [
        'gardening.md',
        'weeds',
        'See the tools and weeds',
        'see-a-hreftoolshtmlthe-toolsa-and-a-hrefhttpsexamplecomweedsa1bx272x27-titleweeds--moreweedsa'
      ],
      ['gardening.md', 'raised beds', 'Old New bed layout', 'delolddel-new-spanbedspan-layout'],
      ['gardening.md', 'roses', 'Über Blumen — & «Rosen»', 'Über-blumen---rosen'],
      ['gardening.md', 'bees', 'A heading over\ntwo lines', undefined],
      ['gardening.md', 'ladybirds', 'Escaped {{hi:marker}} in a heading', 'escaped-himarker-in-a-heading'],
      ['tools.md', 'watering can', 'Watering', 'watering'],
      ['tools.md', 'hose', 'Watering', 'watering-1'],
      ['tools.md', 'shears', 'Deep heading', 'deep-heading']
    ])
  })
})
