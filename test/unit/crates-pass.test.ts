/**
 * The crate directives in the book pass: found before markers are
 * rewritten, the collector called once with the chapters as written, the
 * pages put in place (between comments, so a second pass replaces them).
 *
 * The collector is replaced by one that returns a fixed crate index: these
 * tests are about the pass, `collect` has its own.
 */

import path from 'node:path'
import {beforeEach, describe, expect, it, vi} from 'vitest'
import type {CrateChapter, CrateOptions} from '../../src/crates/collect.js'
import type {CrateIndex} from '../../src/crates/model.js'
import {locateInContent, processBook, type ChapterInput} from '../../src/book/pass.js'
import {lintBook} from '../../src/book/lint.js'
import {defaults, type ResolvedOptions} from '../../src/mdbook/config.js'
import {applyEdits, createIdState, rewriteMarkers} from '../../src/markdown/marker-rewrite.js'
import {findMarkers} from '../../src/markdown/markers.js'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {findCrateDirectives, undoEdits} from '../../src/book/crates-page.js'
import {fixtures} from '../helpers.js'

/** What the collector was called with. */
const calls: Array<{chapters: Array<{path: string | null; name: string; content: string}>; options: CrateOptions}> = []

/** The index the collector gives. */
let collected: CrateIndex

vi.mock('../../src/crates/collect.js', () => ({
  collectCrates(chapters: ReadonlyArray<CrateChapter>, options: CrateOptions): CrateIndex {
    calls.push({chapters: chapters.map((d) => ({path: d.path, name: d.name, content: d.content})), options})
    return collected
  }
}))

/** Definitions every chapter includes. */
const refs = [
  '[c~anyhow~docs]: https://docs.rs/anyhow',
  '[c~tokio~docs]: https://docs.rs/tokio',
  '[c~tokio~docs~badge]: https://img.shields.io/badge/tokio-eee',
  ''
].join('\n')

/**
 * A crate index: `tokio` (badge, two sections of `async.md`) and `anyhow`.
 *
 * @returns
 *   Index.
 */
function crateIndex(): CrateIndex {
  const reference = (chapter: string, chapterIndex: number, section: string | undefined) => ({
    chapter,
    chapterName: chapter === 'async.md' ? 'Async' : 'Errors',
    chapterIndex,
    section,
    sectionId: section && section.toLowerCase().replace(/ /g, '-'),
    offset: 0,
    via: 'label' as const,
    written: 'c~x~docs'
  })
  return {
    crates: [
      {
        name: 'anyhow',
        key: 'anyhow',
        badge: undefined,
        link: 'c~anyhow~docs',
        standard: false,
        references: [reference('errors.md', 2, undefined)],
        categories: []
      },
      {
        name: 'tokio',
        key: 'tokio',
        badge: 'c~tokio~docs~badge',
        link: 'c~tokio~docs',
        standard: false,
        references: [reference('async.md', 1, 'Tasks'), reference('async.md', 1, 'Channels')],
        categories: ['asynchronous']
      }
    ],
    categories: [{key: 'asynchronous', link: undefined, badge: undefined, crates: ['tokio']}],
    unreferenced: [],
    undefined: []
  }
}

/**
 * Chapters of a small book: an introduction, two chapters with references
 * (one with index markers), the crate page, the index.
 *
 * @param page
 *   Content of the crate page chapter.
 * @returns
 *   Chapters.
 */
function book(page: string): ChapterInput[] {
  return [
    {name: 'Introduction', path: 'intro.md', content: '# Introduction\n\nA book.\n'},
    {
      name: 'Async',
      path: 'async.md',
      content: '# Async\n\n## Tasks\n\nSpawn {{hi:task}} with [tokio][c~tokio~docs].\n\n## Channels\n\nSend with [tokio][c~tokio~docs].\n\n' + refs
    },
    {name: 'Errors', path: 'errors.md', content: '# Errors\n\nReport with [anyhow][c~anyhow~docs].\n\n' + refs},
    {name: 'Crates', path: 'indices/crates.md', content: page},
    {name: 'Index', path: 'indices/index.md', content: '# Index\n\n{{#xref-index}}\n'}
  ]
}

/**
 * Run the pass.
 *
 * @param chapters
 *   Chapters (changed in place).
 * @param options
 *   Options to change.
 * @returns
 *   Messages as strings.
 */
function run(chapters: ChapterInput[], options: Partial<ResolvedOptions> = {}): string[] {
  const originals = chapters.map((d) => ({...d}))
  const result = processBook(chapters, {...defaults, ...options}, locateInContent(originals, 'src'), 'en')
  return result.files.flatMap((file) => file.messages.map((d) => file.path + ':' + String(d)))
}

beforeEach(() => {
  calls.length = 0
  collected = crateIndex()
})

describe('crate pages in the book pass', () => {
  it('should put the A–Z page in place of the directive', () => {
    const chapters = book('# Crates\n\nEvery crate.\n\n{{#xref-crates}}\n\nMore.\n\n' + refs)
    expect(run(chapters)).toEqual([])
    expect(chapters[3].content).toBe(
      [
        '# Crates',
        '',
        'Every crate.',
        '',
        '<!-- mdbook-xref crates: start -->',
        '',
        '[A](#a) · [T](#t)',
        '',
        '## A',
        '',
        '- [`anyhow`][c~anyhow~docs], [Errors](../errors.md)',
        '',
        '## T',
        '',
        '- [![tokio][c~tokio~docs~badge]][c~tokio~docs], [Async: Tasks](../async.md#tasks), [Async: Channels](../async.md#channels)',
        '',
        '<!-- mdbook-xref crates: end -->',
        '',
        'More.',
        '',
        refs
      ].join('\n')
    )
  })

  it('should call the collector once, with the chapters as written and the pages and index skipped', () => {
    const chapters = book('# Crates\n\n{{#xref-crates}}\n\n{{#xref-crates by-category}}\n')
    const before = chapters.map((d) => d.content)
    run(chapters)
    expect(calls.length).toBe(1)
    expect(calls[0].options).toEqual({standard: true, prefixes: defaults.prefixes, skip: [3, 4], language: 'en'})
    // Markers rewritten in the output, as written for the collector.
    expect(chapters[1].content).toContain('<span id="xref-task-1"></span>')
    expect(calls[0].chapters.map((d) => d.content)).toEqual(before)
  })

  it('should pass `crates-standard` and `prefixes` to the collector', () => {
    run(book('{{#xref-crates}}\n'), {cratesStandard: false, prefixes: ['c~']})
    expect(calls[0].options).toEqual({standard: false, prefixes: ['c~'], skip: [3, 4], language: 'en'})
  })

  it('should not call the collector, nor change a thing, in a book without the directive', () => {
    const chapters = book('# Crates\n\nSay `{{#xref-crates}}` to get the page.\n')
    run(chapters)
    expect(calls.length).toBe(0)
    expect(chapters[3].content).toBe('# Crates\n\nSay `{{#xref-crates}}` to get the page.\n')
    expect(chapters[3].edits).toBe(undefined)
  })

  it('should group by category with `by-category`', () => {
    const chapters = book('# By category\n\n{{#xref-crates by-category}}\n\n' + refs)
    run(chapters)
    expect(chapters[3].content).toContain(
      [
        '<!-- mdbook-xref crates by-category: start -->',
        '',
        '[asynchronous](#asynchronous) · [Other crates](#other-crates)',
        '',
        '## asynchronous',
        '',
        '- [![tokio][c~tokio~docs~badge]][c~tokio~docs], [Async: Tasks](../async.md#tasks), [Async: Channels](../async.md#channels)',
        '',
        '## Other crates',
        '',
        '- [`anyhow`][c~anyhow~docs], [Errors](../errors.md)',
        '',
        '<!-- mdbook-xref crates: end -->'
      ].join('\n')
    )
  })

  it('should write labels the page’s chapter does not define inline, with their URL', () => {
    const chapters = book('# Crates\n\n{{#xref-crates}}\n')
    run(chapters)
    expect(chapters[3].content).toContain('- [`anyhow`](https://docs.rs/anyhow), [Errors](../errors.md)\n')
    expect(chapters[3].content).toContain(
      '- [![tokio](https://img.shields.io/badge/tokio-eee)](https://docs.rs/tokio), [Async: Tasks]'
    )
  })

  it('should give a chapter without a heading the chapter name as title', () => {
    const chapters = book('{{#xref-crates}}\n')
    run(chapters)
    expect(chapters[3].content.startsWith('<!-- mdbook-xref crates: start -->\n\n# Crates\n\n[A](#a) · [T](#t)\n')).toBe(true)
  })

  it('should replace its own page on a second pass', () => {
    const chapters = book('# Crates\n\n{{#xref-crates by-category}}\n\nEnd.\n\n' + refs)
    run(chapters)
    const once = chapters[3].content
    const again = book(once)
    run(again)
    expect(again[3].content).toBe(once)
    expect(calls[1].options.skip).toEqual([3, 4])

    collected = {...crateIndex(), crates: crateIndex().crates.slice(0, 1), categories: []}
    const changed = book(once)
    run(changed)
    expect(changed[3].content).not.toContain('[![tokio]')
    expect(changed[3].content).toContain('## Other crates\n\n- [`anyhow`]')
  })

  it('should record the change as edits of the content it was given', () => {
    const chapters = book('\uFEFF# Crates\n\n{{#xref-crates}}\n')
    const before = chapters[3].content
    run(chapters)
    expect(chapters[3].content.startsWith('\uFEFF# Crates\n\n<!-- mdbook-xref crates: start -->')).toBe(true)
    expect(applyEdits(before, chapters[3].edits!)).toBe(chapters[3].content)
  })

  it('should combine with the index in one chapter', () => {
    const chapters = book('# Crates\n\n{{#xref-crates}}\n')
    chapters[4].content = '# Index\n\n{{#xref-index}}\n\n## Crates\n\n{{#xref-crates}}\n\n' + refs
    const before = chapters[4].content
    run(chapters)
    expect(calls[0].options.skip).toEqual([3, 4])
    expect(chapters[4].content).toContain('<!-- mdbook-xref index: start -->')
    expect(chapters[4].content).toContain('<!-- mdbook-xref crates: start -->\n\n[A](#a) · [T](#t-1)\n\n## A\n')
    expect(applyEdits(before, chapters[4].edits!)).toBe(chapters[4].content)
  })

  it('should report an unknown argument at its place and leave the directive', () => {
    const chapters = book('# Crates\n\n{{#xref-crates by-letter}}\n\n  {{#xref-crates}}\n')
    expect(run(chapters)).toEqual([
      'src/indices/crates.md:3:1-3:27: Unexpected `by-letter` in `{{#xref-crates}}`, expected `by-category` or nothing'
    ])
    expect(chapters[3].content.startsWith('# Crates\n\n{{#xref-crates by-letter}}\n\n<!-- mdbook-xref crates: start -->')).toBe(
      true
    )
  })

  it('should count a directive alone on its line only', () => {
    const chapters = book('# Crates\n\nWrite {{#xref-crates}} on a line.\n\n```md\n {{#xref-crates}} x\n```\n')
    run(chapters)
    expect(calls.length).toBe(0)
  })
})

describe('findCrateDirectives', () => {
  it('should find directives alone on their line, with either argument, and our pages', () => {
    const content = [
      '{{#xref-crates}}',
      '\t{{#xref-crates   by-category }}  ',
      '{{#xref-crates by-category extra}}',
      'Say {{#xref-crates}}.',
      '<!-- mdbook-xref crates by-category: start -->',
      '',
      '- x',
      '',
      '<!-- mdbook-xref crates: end -->',
      ''
    ].join('\n')
    expect(findCrateDirectives(content).map((d) => [content.slice(d.start, d.end).slice(0, 40), d.byCategory, d.unexpected])).toEqual([
      ['{{#xref-crates}}', false, undefined],
      ['\t{{#xref-crates   by-category }}  ', true, undefined],
      ['{{#xref-crates by-category extra}}', false, 'by-category extra'],
      ['<!-- mdbook-xref crates by-category: sta', true, undefined]
    ])
  })
})

describe('undoEdits', () => {
  it('should give the content before markers were rewritten back', () => {
    const original = '# {{i:Async}} Rust\n\nSpawn {{hi:a long term for a slice}} and {{ii:tasks}}.\n\n- {{hi:x}} item\n'
    const {edits} = rewriteMarkers(findMarkers(parseMarkdown(original), original).markers, original, createIdState())
    const sorted = [...edits].sort((a, b) => a.start - b.start)
    const rewritten = applyEdits(original, sorted)
    expect(rewritten).not.toBe(original)
    expect(applyEdits(rewritten, undoEdits(original, sorted))).toBe(original)
  })
})

describe('crate pages in lint', () => {
  it('should lint a book with the directives without findings about them', async () => {
    const result = await lintBook(path.join(fixtures, 'crates-book'), {cwd: fixtures, env: {}})
    expect(result.files.flatMap((d) => d.messages.map(String))).toEqual([])
    expect(calls.length).toBe(1)
    expect(calls[0].chapters.map((d) => d.path)).toEqual([
      'introduction.md',
      'async.md',
      'errors/handling.md',
      'indices/crates.md',
      'indices/by-category.md'
    ])
    expect(calls[0].options.skip).toEqual([3, 4])
  })
})
