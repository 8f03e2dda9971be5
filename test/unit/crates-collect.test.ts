import {describe, expect, it} from 'vitest'
import {collectCrates, type CrateChapter, type CrateOptions} from '../../src/crates/collect.js'
import type {CrateIndex} from '../../src/crates/model.js'
import {crateOfUrl, labelJudge} from '../../src/crates/names.js'
import {createReadState, readChapter} from '../../src/crates/read-chapter.js'
import {comparable, whole} from '../crate-helpers.js'
import fc from 'fast-check'
// @ts-expect-error: plain JS script, shared generators.
import {book} from '../scripts/fuzz.js'

/** Definitions every fixture chapter includes (as a refs file would). */
const refs = [
  '[c~tokio~docs]: https://docs.rs/tokio',
  '[c~tokio~docs~badge]: https://img.shields.io/crates/v/tokio?label=tokio',
  '[c~tokio~crates.io]: https://crates.io/crates/tokio',
  '[c~serde~docs]: https://docs.rs/serde',
  '[c~parking_lot::Mutex~docs]: https://docs.rs/parking_lot/latest/parking_lot/type.Mutex.html',
  '[c~std::sync::Mutex~docs]: https://doc.rust-lang.org/std/sync/struct.Mutex.html',
  '[c~std~docs]: https://doc.rust-lang.org/std',
  '[c~f64::consts~docs]: https://doc.rust-lang.org/std/f64/consts/index.html',
  '[c~str::from_utf8~docs]: https://doc.rust-lang.org/std/str/fn.from_utf8.html',
  '[c~anyhow~docs]: https://docs.rs/anyhow',
  '[c~unused~docs]: https://docs.rs/unused',
  '[cat~asynchronous]: https://crates.io/categories/asynchronous',
  '[cat~asynchronous~badge]: https://img.shields.io/badge/asynchronous-green',
  '[cat~encoding]: https://crates.io/categories/encoding',
  '[serde-json]: https://docs.rs/serde_json',
  '[rayon-page]: https://lib.rs/crates/rayon',
  ''
].join('\n')

/**
 * Make a chapter with the shared definitions after its text.
 *
 * @param path
 *   Path.
 * @param text
 *   Markdown.
 * @returns
 *   Chapter.
 */
function chapter(path: string | null, text: string): CrateChapter {
  return {path, name: path ? path.replace(/\.md$/, '') : 'draft', content: text + '\n\n' + refs}
}

/**
 * Collect and keep names with where they are referenced.
 *
 * @param chapters
 *   Chapters.
 * @param options
 *   Options.
 * @returns
 *   Names and chapter paths.
 */
function summary(chapters: CrateChapter[], options?: CrateOptions): Array<[string, string[]]> {
  return collectCrates(chapters, options).crates.map((d) => [d.name, d.references.map((r) => r.chapter)])
}

describe('collectCrates', () => {
  it('should find crates through labels, item labels and std, not primitives', () => {
    const index = collectCrates([
      chapter(
        'a.md',
        'Use [Tokio][c~tokio~docs] or [c~parking_lot::Mutex~docs], [c~std::sync::Mutex~docs], [c~f64::consts~docs] and [c~str::from_utf8~docs].'
      )
    ])
    expect(index.crates.map((d) => [d.name, d.key, d.standard, d.link, d.badge])).toEqual([
      ['parking_lot', 'parking_lot', false, undefined, undefined],
      ['std', 'std', true, 'c~std~docs', undefined],
      ['tokio', 'tokio', false, 'c~tokio~docs', 'c~tokio~docs~badge']
    ])
    expect(index.undefined).toEqual(['parking_lot'])
    expect(index.unreferenced).toEqual(['anyhow', 'serde', 'unused'])
    expect(index.crates[2].references).toEqual([
      {
        chapter: 'a.md',
        chapterName: 'a',
        chapterIndex: 0,
        section: undefined,
        sectionId: undefined,
        offset: 4,
        via: 'label',
        written: 'c~tokio~docs'
      }
    ])
  })

  it('should leave the standard library out when asked', () => {
    const chapters = [chapter('a.md', '[c~std::sync::Mutex~docs] and [c~tokio~docs].')]
    expect(summary(chapters, {standard: false})).toEqual([['tokio', ['a.md']]])
    expect(collectCrates(chapters, {standard: false}).unreferenced).not.toContain('std')
  })

  it('should not count code spans, code blocks, HTML or undefined labels', () => {
    expect(
      summary([
        chapter(
          'a.md',
          [
            'Code `[c~tokio~docs]` and [c~nope~docs].',
            '',
            '```md',
            '[c~serde~docs]',
            '```',
            '',
            '    [c~anyhow~docs]',
            '',
            '<!-- [c~tokio~docs] -->',
            '',
            '* item `https://docs.rs/rayon`'
          ].join('\n')
        )
      ])
    ).toEqual([])
  })

  it('should find crates through registry URLs of links and used definitions', () => {
    const index = collectCrates([
      chapter(
        'a.md',
        [
          'See [docs](https://docs.rs/clap/latest/clap/), [info](https://docs.rs/crate/cross),',
          '[page](https://crates.io/crates/Rand_Core), [lib](https://lib.rs/crates/nom) and [JSON][serde-json], [Rayon][rayon-page].',
          '',
          'Not [releases](https://docs.rs/releases), ![badge](https://img.shields.io/crates/v/rayon) nor [home](https://crates.io/).'
        ].join('\n')
      )
    ])
    expect(index.crates.map((d) => [d.name, d.references.map((r) => r.via + ' ' + r.written)])).toEqual([
      ['clap', ['url https://docs.rs/clap/latest/clap/']],
      ['cross', ['url https://docs.rs/crate/cross']],
      ['nom', ['url https://lib.rs/crates/nom']],
      ['Rand_Core', ['url https://crates.io/crates/Rand_Core']],
      ['rayon', ['url https://lib.rs/crates/rayon']],
      ['serde_json', ['url https://docs.rs/serde_json']]
    ])
  })

  it('should count a badge linked to the crate as two references of it', () => {
    const index = collectCrates([chapter('a.md', '[![tokio][c~tokio~docs~badge]][c~tokio~docs]')])
    expect(index.crates.map((d) => [d.name, d.references.map((r) => r.written)])).toEqual([
      ['tokio', ['c~tokio~docs', 'c~tokio~docs~badge']]
    ])
  })

  it('should pair crates with categories in a paragraph and a table row', () => {
    const index = collectCrates([
      chapter(
        'a.md',
        [
          '[![tokio][c~tokio~docs~badge]][c~tokio~docs] [![cat][cat~asynchronous~badge]][cat~asynchronous]',
          '',
          '| Crate | Category |',
          '| --- | --- |',
          '| [c~serde~docs] | [cat~encoding] |',
          '| [c~anyhow~docs] | none |',
          '',
          '# [c~parking_lot::Mutex~docs] [cat~encoding]',
          '',
          '[cat~encoding]'
        ].join('\n')
      )
    ])
    expect(index.crates.map((d) => [d.name, d.categories])).toEqual([
      ['anyhow', []],
      ['parking_lot', []],
      ['serde', ['encoding']],
      ['tokio', ['asynchronous']]
    ])
    expect(index.categories).toEqual([
      {key: 'asynchronous', link: 'cat~asynchronous', badge: 'cat~asynchronous~badge', crates: ['tokio']},
      {key: 'encoding', link: 'cat~encoding', badge: undefined, crates: ['serde']}
    ])
  })

  it('should skip chapters asked to, and drafts', () => {
    const chapters = [
      chapter('a.md', '[c~tokio~docs]'),
      chapter('crates.md', '[c~serde~docs]'),
      chapter(null, '[c~anyhow~docs]')
    ]
    expect(summary(chapters, {skip: [1]})).toEqual([['tokio', ['a.md']]])
  })

  it('should keep the name written most, and sort as the index does', () => {
    const index = collectCrates([
      {
        path: 'a.md',
        name: 'a',
        content: [
          '[c~Aho-Corasick~docs] [c~aho_corasick~repo] [c~aho_corasick~repo] [c~zeta~docs] [c~Beta~docs] [c~num10~docs] [c~num2~docs]',
          '',
          '[c~Aho-Corasick~docs]: https://docs.rs/aho-corasick',
          '[c~aho_corasick~repo]: https://github.com/BurntSushi/aho-corasick',
          '[c~zeta~docs]: https://docs.rs/zeta',
          '[c~Beta~docs]: https://docs.rs/beta',
          '[c~num10~docs]: https://docs.rs/num10',
          '[c~num2~docs]: https://docs.rs/num2'
        ].join('\n')
      }
    ])
    expect(index.crates.map((d) => [d.name, d.key, d.link])).toEqual([
      ['aho_corasick', 'aho_corasick', 'c~Aho-Corasick~docs'],
      ['Beta', 'beta', 'c~Beta~docs'],
      ['num2', 'num2', 'c~num2~docs'],
      ['num10', 'num10', 'c~num10~docs'],
      ['zeta', 'zeta', 'c~zeta~docs']
    ])
  })

  it('should read only the families the book configures', () => {
    const chapters: CrateChapter[] = [
      {
        path: 'a.md',
        name: 'a',
        content: '[c-tokio] [c~serde~docs]\n\n[c-tokio]: https://docs.rs/tokio\n[c~serde~docs]: https://docs.rs/serde\n'
      }
    ]
    expect(summary(chapters)).toEqual([
      ['serde', ['a.md']],
      ['tokio', ['a.md']]
    ])
    // `c-tokio` is no label of the book's families then, but its URL is a crate page.
    expect(
      collectCrates(chapters, {prefixes: ['c~', 'cat~']}).crates.map((d) => [d.name, d.references.map((r) => r.via)])
    ).toEqual([
      ['serde', ['label']],
      ['tokio', ['url']]
    ])
  })

  it('should read dash labels of a page of a crate as that crate', () => {
    const index: CrateIndex = collectCrates([
      {
        path: 'a.md',
        name: 'a',
        content: [
          '[c-pingora] [c-pingora-quick-start-github] [c-aho-corasick-badge] [c-tokio-sync]',
          '',
          '[c-pingora]: https://docs.rs/pingora',
          '[c-pingora-quick-start-github]: https://github.com/cloudflare/pingora/blob/main/docs/quick_start.md',
          '[c-pingora-examples]: https://github.com/cloudflare/pingora/tree/main/pingora-proxy/examples',
          '[c-aho-corasick]: https://docs.rs/aho-corasick',
          '[c-aho-corasick-badge]: https://img.shields.io/crates/v/aho-corasick',
          '[c-tokio-sync]: https://docs.rs/tokio/latest/tokio/sync',
          '[c-tokio]: https://docs.rs/tokio'
        ].join('\n')
      }
    ])
    expect(index.crates.map((d) => [d.name, d.link, d.badge, d.references.length])).toEqual([
      ['aho-corasick', 'c-aho-corasick', 'c-aho-corasick-badge', 1],
      ['pingora', 'c-pingora', undefined, 2],
      ['tokio', 'c-tokio', undefined, 1]
    ])
    expect(index.unreferenced).toEqual([])
    expect(index.definitions?.map((d) => d.label)).toEqual(['c-pingora', 'c-aho-corasick', 'c-tokio'])
  })
})

describe('labelJudge', () => {
  it('should name crates, categories, and no primitive', () => {
    const judge = labelJudge()
    expect(judge('c~tokio::sync~docs')?.name).toBe('tokio')
    expect(judge('C~Tokio~docs')?.name).toBe('Tokio')
    expect(judge('cat~development-tools::debugging')?.name).toBe('development-tools::debugging')
    expect(judge('c~u8::MAX~docs')).toBe(undefined)
    expect(judge('c~slice~docs')).toBe(undefined)
    expect(judge('ex~tokio')).toBe(undefined)
  })
})

describe('crateOfUrl', () => {
  it('should name the crate of a registry page', () => {
    expect(
      [
        'https://docs.rs/tokio',
        'https://docs.rs/tokio/latest/tokio/sync/index.html',
        'https://docs.rs/crate/cross/latest',
        'https://crates.io/crates/serde/versions',
        'https://www.lib.rs/crates/nom',
        'https://docs.rs/releases/search?query=x',
        'https://crates.io/categories/science',
        'https://img.shields.io/crates/v/tokio',
        'https://github.com/tokio-rs/tokio',
        'https://docs.rs/u8'
      ].map((d) => crateOfUrl(d))
    ).toEqual(['tokio', 'tokio', 'cross', 'serde', 'nom', undefined, undefined, undefined, undefined, undefined])
  })
})

describe('readChapter', () => {
  it('should judge as a parse of the whole chapter does', () => {
    const chapters = [
      // Lazy lines, HTML blocks, indented code after a list, footnotes, escapes.
      '- [c~tokio~docs]\nlazy [c~serde~docs]\n\n      [c~anyhow~docs] code in item\n\n    [c~tokio~docs] indented code',
      '<div>\n[c~tokio~docs]\n</div>\n\n<div>\n\n[c~serde~docs]\n\n</div>',
      'Text[^1].\n\n[^1]: See [c~tokio~docs] and [docs](https://docs.rs/clap).\n\n> quote [c~serde~docs]\n> [x][serde-json]',
      '| a \\| [c~tokio~docs] | `[c~serde~docs]` |\n| - | - |\n| [![b][c~tokio~docs~badge]][c~tokio~docs] | [cat~encoding] [c~anyhow~docs] |',
      '\\[c~tokio~docs] [c~tokio~docs\\] [link [c~serde~docs]](https://x) [c~anyhow~docs][]',
      '```\n[c~tokio~docs]\n```\n\n~~~\n```\n[c~serde~docs]\n~~~\n\n<!--\n\n[c~anyhow~docs]\n\n-->\n\n[c~parking_lot::Mutex~docs]'
    ]

    let total = 0

    for (const text of chapters) {
      const content = text + '\n\n' + refs
      const state = createReadState()
      const found = readChapter(content, state, true).references
      total += found.length
      expect([text, comparable(found)]).toEqual([text, comparable(whole(content))])
    }

    expect(total).toBe(16)
  })
})

describe('readChapter on generated Markdown (property)', () => {
  it('should judge as a whole parse does (containers, HTML, code, shared definition blocks, CRLF)', () => {
    let total = 0
    fc.assert(
      fc.property(book, (chapters: string[]) => {
        // One state for the book, as in one run: blocks are cached across chapters.
        const state = createReadState()

        for (const [index, value] of chapters.entries()) {
          const found = readChapter(value, state, true).references
          total += found.length
          expect({chapter: index, references: comparable(found)}).toEqual({chapter: index, references: comparable(whole(value))})
        }
      }),
      {seed: 20_251_203, numRuns: 40}
    )
    // The generators do write crate references.
    expect(total).toBeGreaterThan(20)
  }, 60_000)
})
