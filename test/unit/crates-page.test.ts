/**
 * The crate pages, from hand-made crate indices: letter groups and jump
 * links, badges or links or names, section links, the by-category grouping.
 */

import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import type {CategoryEntry, CrateEntry, CrateIndex, CrateReference} from '../../src/crates/model.js'
import {crateTree, renderCratePage} from '../../src/crates/page.js'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {root} from '../helpers.js'

/**
 * A reference from a chapter.
 *
 * @param chapter
 *   Chapter path; its name is the file name without `.md`, capitalised.
 * @param chapterIndex
 *   Place in book order.
 * @param section
 *   Section heading text; its id is it lowercased, spaces as `-`.
 * @param offset
 *   Offset in the chapter.
 * @returns
 *   Reference.
 */
function ref(chapter: string, chapterIndex: number, section?: string, offset = 0): CrateReference {
  const base = chapter.replace(/^.*\//, '').replace(/\.md$/, '')
  return {
    chapter,
    chapterName: base.charAt(0).toUpperCase() + base.slice(1),
    chapterIndex,
    section,
    sectionId: section === undefined ? undefined : section.toLowerCase().replace(/ /g, '-'),
    offset,
    via: 'label',
    written: 'c~x~docs'
  }
}

/**
 * A crate with a docs label (`c~NAME~docs`) and, if asked, a badge.
 *
 * @param name
 *   Name.
 * @param fields
 *   Fields to set (`badge: true` for the conventional badge label).
 * @returns
 *   Crate.
 */
function crate(
  name: string,
  fields: Partial<Omit<CrateEntry, 'badge'>> & {badge?: boolean | string | undefined} = {}
): CrateEntry {
  const {badge, ...rest} = fields
  return {
    name,
    key: name.toLowerCase().replace(/-/g, '_'),
    badge: badge === true ? 'c~' + name + '~docs~badge' : badge || undefined,
    link: 'c~' + name + '~docs',
    standard: false,
    references: [ref('a.md', 0)],
    categories: [],
    ...rest
  }
}

/**
 * A category with the conventional labels.
 *
 * @param key
 *   Key.
 * @param crates
 *   Keys of its crates.
 * @param badge
 *   Whether the book defines its badge.
 * @returns
 *   Category.
 */
function category(key: string, crates: string[], badge = true): CategoryEntry {
  return {key, link: 'cat~' + key, badge: badge ? 'cat~' + key + '~badge' : undefined, crates}
}

/**
 * An index of crates (and categories).
 *
 * @param crates
 *   Crates, sorted.
 * @param categories
 *   Categories, sorted.
 * @returns
 *   Index.
 */
function indexOf(crates: CrateEntry[], categories: CategoryEntry[] = []): CrateIndex {
  return {crates, categories, unreferenced: [], undefined: []}
}

describe('renderCratePage', () => {
  it('should group crates by letter, with a row of jump links', () => {
    const page = renderCratePage(
      indexOf([crate('anyhow', {badge: true}), crate('axum'), crate('tokio', {badge: true})])
    )
    expect(page).toBe(
      [
        '[A](#a) · [T](#t)',
        '',
        '## A',
        '',
        '- [![anyhow][c~anyhow~docs~badge]][c~anyhow~docs], [A](a.md)',
        '- [`axum`][c~axum~docs], [A](a.md)',
        '',
        '## T',
        '',
        '- [![tokio][c~tokio~docs~badge]][c~tokio~docs], [A](a.md)',
        ''
      ].join('\n')
    )
  })

  it('should give an empty page for no crates', () => {
    expect(renderCratePage(indexOf([]))).toBe('')
    expect(renderCratePage(indexOf([]), {title: 'Crates'})).toBe('# Crates\n')
  })

  it('should file names without a leading letter under `Symbols` and `0–9`, as the word index', () => {
    const page = renderCratePage(indexOf([crate('_private'), crate('-'), crate('3d'), crate('zip')]))
    expect(page.split('\n')[0]).toBe('[P](#p) · [Symbols](#symbols) · [0–9](#09) · [Z](#z)')
    expect(page).toContain('## Symbols\n\n- [`-`][c~-~docs], [A](a.md)\n')
    expect(page).toContain('## 0–9\n\n- [`3d`][c~3d~docs], [A](a.md)\n')
    expect(page).toContain('## P\n\n- [`_private`][c~_private~docs], [A](a.md)\n')
  })

  it('should show the name in code when the book defines no docs label', () => {
    const page = renderCratePage(indexOf([crate('bytes', {link: undefined})]))
    expect(page).toContain('- `bytes`, [A](a.md)\n')
  })

  it('should show a badge without a link when only the badge label is defined', () => {
    const page = renderCratePage(indexOf([crate('bytes', {link: undefined, badge: true})]))
    expect(page).toContain('- ![bytes][c~bytes~docs~badge], [A](a.md)\n')
  })

  it('should link every chapter once, in book order, relative to the page', () => {
    const page = renderCratePage(
      indexOf([
        crate('tokio', {
          references: [ref('b/net.md', 2), ref('a.md', 0), ref('b/net.md', 2, undefined, 5), ref('indices/x.md', 1)]
        })
      ]),
      {pagePath: 'indices/crates.md'}
    )
    expect(page).toContain('- [`tokio`][c~tokio~docs], [A](../a.md), [X](x.md), [Net](../b/net.md)\n')
  })

  it('should link each section when a chapter references the crate in more than one', () => {
    const page = renderCratePage(
      indexOf([
        crate('tokio', {
          references: [
            ref('async.md', 1, undefined, 1),
            ref('async.md', 1, 'Spawning tasks', 10),
            ref('async.md', 1, 'Sharing state', 20),
            ref('async.md', 1, 'Spawning tasks', 30),
            ref('errors.md', 2, 'Returning errors', 5)
          ]
        })
      ])
    )
    expect(page).toContain(
      '- [`tokio`][c~tokio~docs], [Async](async.md), [Async: Spawning tasks](async.md#spawning-tasks), ' +
        '[Async: Sharing state](async.md#sharing-state), [Errors](errors.md)\n'
    )
  })

  it('should label a section whose heading repeats the chapter name with the name only', () => {
    const page = renderCratePage(
      indexOf([crate('tokio', {references: [ref('async.md', 1, 'Async', 1), ref('async.md', 1, 'Tasks', 10)]})])
    )
    expect(page).toContain('- [`tokio`][c~tokio~docs], [Async](async.md#async), [Async: Tasks](async.md#tasks)\n')
  })

  it('should write labels the page’s chapter does not define inline, with the book’s URL', () => {
    const page = renderCratePage(
      indexOf([crate('anyhow', {badge: true}), crate('serde', {badge: true}), crate('tokio', {badge: true})]),
      {
        defined: new Set(['c~anyhow~docs~badge', 'c~anyhow~docs']),
        urls: new Map([
          ['c~serde~docs', 'https://docs.rs/serde'],
          ['c~serde~docs~badge', 'https://img.shields.io/badge/serde-eee'],
          ['c~tokio~docs', 'https://docs.rs/tokio']
        ])
      }
    )
    expect(page).toContain('- [![anyhow][c~anyhow~docs~badge]][c~anyhow~docs], [A](a.md)\n')
    expect(page).toContain('- [![serde](https://img.shields.io/badge/serde-eee)](https://docs.rs/serde), [A](a.md)\n')
    expect(page).toContain('- [`tokio`](https://docs.rs/tokio), [A](a.md)\n')
  })

  it('should match defined labels as mdBook does (case-insensitive)', () => {
    const page = renderCratePage(indexOf([crate('Inflector', {badge: true})]), {
      defined: new Set(['c~inflector~docs', 'c~inflector~docs~badge'])
    })
    expect(page).toContain('- [![Inflector][c~Inflector~docs~badge]][c~Inflector~docs], [A](a.md)\n')
  })

  it('should keep odd names literal', () => {
    const page = renderCratePage(
      indexOf([crate('a*b_c', {badge: true}), crate('x{{y}}'), crate('<z>', {link: undefined})])
    )
    // Defined, so that the references parse as links and images.
    const tree = parseMarkdown(page + '\n[c~a*b_c~docs]: a\n[c~a*b_c~docs~badge]: b\n[c~x{{y}}~docs]: c\n')
    const texts: string[] = []
    JSON.stringify(tree, (key, value) => {
      if (key === 'value' || key === 'alt') texts.push(value as string)
      return value
    })
    expect(texts).toEqual(expect.arrayContaining(['a*b_c', 'x{{y}}', '<z>']))
    expect(page).toContain('- [![a\\*b_c][c~a*b_c~docs~badge]][c~a*b_c~docs], [A](a.md)\n')
    expect(page).toContain('- [`x{{y}}`][c~x{{y}}~docs], [A](a.md)\n')
    expect(page).toContain('- `<z>`, [A](a.md)\n')
  })

  it('should count headings above the page for its ids, as mdBook numbers repeats', () => {
    const page = renderCratePage(indexOf([crate('anyhow')]), {headings: ['A', 'Crates']})
    expect(page).toBe('[A](#a-1)\n\n## A\n\n- [`anyhow`][c~anyhow~docs], [A](a.md)\n')
  })

  it('should render a title when given, and count it for ids', () => {
    const page = renderCratePage(indexOf([crate('anyhow')]), {title: 'A'})
    expect(page.split('\n').slice(0, 4)).toEqual(['# A', '', '[A](#a-1)', ''])
  })

  it('should build the same page as a tree', () => {
    const tree = crateTree(indexOf([crate('anyhow')]))
    expect(tree.children.map((d) => d.type)).toEqual(['paragraph', 'heading', 'list'])
  })
})

describe('renderCratePage by category', () => {
  const crates = [
    crate('anyhow', {badge: true, categories: ['rust-patterns']}),
    crate('bytes'),
    crate('parking_lot', {categories: ['concurrency']}),
    crate('tokio', {badge: true, categories: ['asynchronous', 'concurrency']})
  ]
  const categories = [
    category('asynchronous', ['tokio']),
    category('concurrency', ['parking_lot', 'tokio'], false),
    category('development-tools::debugging', []),
    category('rust-patterns', ['anyhow'])
  ]

  it('should group crates under each category they are paired with, then the others', () => {
    expect(renderCratePage(indexOf(crates, categories), {byCategory: true})).toBe(
      [
        '[asynchronous](#asynchronous) · [concurrency](#concurrency) · [rust-patterns](#rust-patterns) · [Other crates](#other-crates)',
        '',
        '## asynchronous',
        '',
        '[![asynchronous][cat~asynchronous~badge]][cat~asynchronous]',
        '',
        '- [![tokio][c~tokio~docs~badge]][c~tokio~docs], [A](a.md)',
        '',
        '## concurrency',
        '',
        '[`concurrency`][cat~concurrency]',
        '',
        '- [`parking_lot`][c~parking_lot~docs], [A](a.md)',
        '- [![tokio][c~tokio~docs~badge]][c~tokio~docs], [A](a.md)',
        '',
        '## rust-patterns',
        '',
        '[![rust-patterns][cat~rust-patterns~badge]][cat~rust-patterns]',
        '',
        '- [![anyhow][c~anyhow~docs~badge]][c~anyhow~docs], [A](a.md)',
        '',
        '## Other crates',
        '',
        '- [`bytes`][c~bytes~docs], [A](a.md)',
        ''
      ].join('\n')
    )
  })

  it('should give ids of path keys as mdBook does', () => {
    const page = renderCratePage(
      indexOf([crate('dbg', {categories: ['development-tools::debugging']})], [
        category('development-tools::debugging', ['dbg'], false)
      ]),
      {byCategory: true, otherLabel: 'Elsewhere'}
    )
    expect(page.split('\n')[0]).toBe('[development-tools::debugging](#development-toolsdebugging)')
    expect(page).not.toContain('Elsewhere')
  })

  it('should show a category without labels the book defines as its heading only', () => {
    const page = renderCratePage(
      indexOf([crate('dbg', {categories: ['debugging']})], [{key: 'debugging', link: undefined, badge: undefined, crates: ['dbg']}]),
      {byCategory: true}
    )
    expect(page).toBe('[debugging](#debugging)\n\n## debugging\n\n- [`dbg`][c~dbg~docs], [A](a.md)\n')
  })

  it('should put every crate under `Other crates` when the book pairs none', () => {
    const page = renderCratePage(indexOf([crate('bytes')]), {byCategory: true, otherLabel: 'More crates'})
    expect(page).toBe('[More crates](#more-crates)\n\n## More crates\n\n- [`bytes`][c~bytes~docs], [A](a.md)\n')
  })
})

describe('readme: crate pages', () => {
  it('should show the page `renderCratePage` makes', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('#### What the page becomes'))
    const start = '<!-- mdbook-xref crates: start -->\n\n'
    const shown = section.slice(section.indexOf(start) + start.length, section.indexOf('\n\n<!-- mdbook-xref crates: end -->'))
    const crates = [
      crate('anyhow', {badge: true, references: [ref('errors.md', 2)]}),
      crate('axum', {references: [ref('web.md', 3)]}),
      crate('tokio', {
        badge: true,
        references: [ref('async.md', 1, 'Spawning tasks'), ref('async.md', 1, 'Sharing state'), ref('web.md', 3)]
      })
    ]
    for (const reference of crates.flatMap((d) => d.references)) {
      if (reference.chapter === 'web.md') reference.chapterName = 'Web services'
    }

    const page = renderCratePage(indexOf(crates), {pagePath: 'indices/crates.md', headings: ['Crates']})
    expect(shown).toBe(page.trimEnd())
  })
})
