/**
 * End to end through the real mdBook: crate pages.
 *
 * * A page rendered from a hand-made crate index, put in a chapter as
 *   Markdown: mdBook resolves its badges, its jump links land on the ids
 *   mdBook gives the group headings, its chapter links on real pages and
 *   sections.
 * * `fixtures/crates-book`: both directives replaced in a real build.
 * * The Rust How-to Book with both hand-kept crate pages replaced by the
 *   directives (issue #20, item 5).

 */

import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it, vi} from 'vitest'
import {collectCrates} from '../../src/crates/collect.js'
import type {CrateEntry, CrateIndex, CrateReference} from '../../src/crates/model.js'
import {renderCratePage} from '../../src/crates/page.js'
import {loadBook} from '../../src/book/load.js'
import {expandIncludes, findBoundary} from '../../src/mdbook/includes.js'
import {rustHowto} from '../corpus.js'
import {buildBook, ensureBuilt, fixtures, temporaryDirectory, type BuiltBook} from '../helpers.js'

vi.setConfig({testTimeout: 120_000})

const bin = path.join(fixtures, '..', 'dist', 'bin.js')

beforeAll(async () => {
  await ensureBuilt()
}, 120_000)

/** An entry of a crate page as mdBook renders it. */
interface PageEntry {
  /** Crate name (badge alt text or code). */
  name: string
  /** Whether it shows a badge image. */
  badge: boolean
  /** Hrefs of its chapter links. */
  links: string[]
}

/**
 * The generated part of a page.
 *
 * @param html
 *   Page.
 * @returns
 *   HTML between our comments (every page in it, joined).
 */
function generated(html: string): string {
  const parts = html.split(/<!-- mdbook-xref crates(?: by-category)?: start -->/).slice(1)
  return parts.map((d) => d.slice(0, d.indexOf('<!-- mdbook-xref crates: end -->'))).join('\n')
}

/**
 * The chapter's own part of a page (no sidebar).
 *
 * @param html
 *   Page.
 * @returns
 *   HTML in `<main>`.
 */
function mainOf(html: string): string {
  return html.slice(html.indexOf('<main>'), html.indexOf('</main>'))
}

/**
 * Entries of crate page HTML.
 *
 * @param html
 *   HTML of a page, or a part of it.
 * @returns
 *   Entries, in order.
 */
function entriesOf(html: string): PageEntry[] {
  return [...html.matchAll(/<li>([^]*?)<\/li>/g)].map(function (match) {
    const item = match[1]
    const comma = item.search(/<\/a>, |<\/code>, |<\/code>$|<\/a>$/)
    const head = item.slice(0, comma === -1 ? item.length : comma)
    const tail = item.slice(head.length)
    const name = /alt="([^"]*)"/.exec(head)?.[1] ?? /<code>([^<]*)/.exec(head)![1]
    return {
      name: name.replace(/&amp;/g, '&'),
      badge: head.includes('<img'),
      links: [...tail.matchAll(/href="([^"]*)"/g)].map((d) => d[1])
    }
  })
}

/**
 * Groups of a crate page: heading text to crate names.
 *
 * @param html
 *   Generated HTML.
 * @returns
 *   Groups, in order.
 */
function groupsOf(html: string): Array<[string, string[]]> {
  return html
    .split('<h2>')
    .slice(1)
    .map((part) => [/>([^<]*)<\/a><\/h2>/.exec(part)![1], entriesOf(part).map((d) => d.name)])
}

/**
 * Links of a page that do not land: a missing page, or an id it does not have.
 *
 * @param built
 *   Built book.
 * @param page
 *   Page path in the output (`indices/crates.html`).
 * @param hrefs
 *   Links of the page (relative, or `#id`).
 * @returns
 *   The links that do not land.
 */
function dangling(built: BuiltBook, page: string, hrefs: string[]): string[] {
  return hrefs.filter(function (href) {
    const [file, id] = href.split('#')
    const target = file ? path.posix.join(path.posix.dirname(page), file) : page
    if (!built.pages.includes(target)) return true
    return id !== undefined && !built.read(target).includes(' id="' + id + '"')
  })
}

/**
 * Copy a book into a temporary folder, running our built binary.
 *
 * @param from
 *   Book root.
 * @returns
 *   Copy.
 */
function copyBook(from: string): string {
  const copy = temporaryDirectory()
  fs.cpSync(from, copy, {recursive: true})
  const toml = path.join(copy, 'book.toml')
  fs.writeFileSync(toml, fs.readFileSync(toml, 'utf8').replace('node ../../dist/bin.js', 'node ' + bin))
  return copy
}

describe('a crate page in mdBook', () => {
  let built: BuiltBook

  /**
   * A reference.
   *
   * @param chapter
   *   Chapter path.
   * @param sectionId
   *   Section id.
   * @returns
   *   Reference.
   */
  function ref(chapter: string, sectionId?: string): CrateReference {
    return {
      chapter,
      chapterName: chapter,
      chapterIndex: chapter === 'async.md' ? 1 : 2,
      section: sectionId,
      sectionId,
      offset: 0,
      via: 'label',
      written: 'x'
    }
  }

  /**
   * A crate.
   *
   * @param name
   *   Name.
   * @param fields
   *   Fields.
   * @returns
   *   Crate.
   */
  function crate(name: string, fields: Partial<CrateEntry>): CrateEntry {
    return {
      name,
      key: name.replace(/-/g, '_'),
      badge: undefined,
      link: undefined,
      standard: false,
      references: [ref('errors/handling.md')],
      categories: [],
      ...fields
    }
  }

  const index: CrateIndex = {
    crates: [
      crate('_hidden', {}),
      crate('3d-tiles', {}),
      crate('anyhow', {badge: 'c~anyhow~docs~badge', link: 'c~anyhow~docs', categories: ['development-tools::debugging']}),
      crate('parking_lot', {link: 'c~parking_lot~docs', references: [ref('async.md', 'sharing-state')]}),
      crate('tokio', {
        badge: 'c~tokio~docs~badge',
        link: 'c~tokio~docs',
        references: [ref('async.md', 'spawning-tasks'), ref('async.md', 'sharing-state'), ref('errors/handling.md')],
        categories: ['asynchronous']
      })
    ],
    categories: [
      {key: 'asynchronous', link: 'cat~asynchronous', badge: 'cat~asynchronous~badge', crates: ['tokio']},
      {key: 'development-tools::debugging', link: undefined, badge: undefined, crates: ['anyhow']}
    ],
    unreferenced: [],
    undefined: []
  }

  beforeAll(async () => {
    const copy = copyBook(path.join(fixtures, 'crates-book'))
    const pages = [
      ['indices/preview.md', false],
      ['indices/preview-by-category.md', true]
    ] as const

    for (const [page, byCategory] of pages) {
      const markdown = renderCratePage(index, {pagePath: page, byCategory, headings: ['Preview']})
      fs.writeFileSync(path.join(copy, 'src', page), '# Preview\n\n' + markdown + '\n{{#include ../refs.md}}\n')
      fs.appendFileSync(path.join(copy, 'src', 'SUMMARY.md'), '- [Preview](' + page + ')\n')
    }

    built = await buildBook(copy)
  }, 120_000)

  it('should render badges from the chapter’s definitions, links, and names', () => {
    expect(built.code).toBe(0)
    const html = mainOf(built.read('indices/preview.html'))
    expect(entriesOf(html).map((d) => [d.name, d.badge])).toEqual([
      ['_hidden', false],
      ['3d-tiles', false],
      ['anyhow', true],
      ['parking_lot', false],
      ['tokio', true]
    ])
    expect(html).toContain('<a href="https://docs.rs/tokio"><img src="https://img.shields.io/badge/tokio-eee?logo=docs.rs" alt="tokio" /></a>')
    expect(html).toContain('<a href="https://docs.rs/parking_lot"><code>parking_lot</code></a>')
  })

  it('should land every jump link on a group heading and every chapter link on its page or section', () => {
    for (const page of ['indices/preview.html', 'indices/preview-by-category.html']) {
      const main = mainOf(built.read(page))
      const hrefs = [...main.matchAll(/href="([^"]*)"/g)].map((d) => d[1]).filter((d) => !/^https?:/.test(d))
      expect(hrefs.length).toBeGreaterThan(8)
      expect([page, dangling(built, page, hrefs)]).toEqual([page, []])
    }

    expect(entriesOf(mainOf(built.read('indices/preview.html')))[4].links).toEqual([
      '../async.html#spawning-tasks',
      '../async.html#sharing-state',
      '../errors/handling.html'
    ])
  })

  it('should group by category, the category badge under its heading, the others last', () => {
    const html = mainOf(built.read('indices/preview-by-category.html'))
    expect(groupsOf(html)).toEqual([
      ['asynchronous', ['tokio']],
      ['development-tools::debugging', ['anyhow']],
      ['Other crates', ['_hidden', '3d-tiles', 'parking_lot']]
    ])
    expect(html).toContain('id="development-toolsdebugging"')
    expect(html).toContain(
      '<p><a href="https://crates.io/categories/asynchronous"><img src="https://img.shields.io/badge/asynchronous-eee?logo=rust" alt="asynchronous" /></a></p>'
    )
  })
})

describe('crates-book: the crates as JSON (`crates-json`)', () => {
  it('should write the crates of the pages, with their references, for a book without the directive too', async () => {
    const copy = copyBook(path.join(fixtures, 'crates-book'))
    fs.appendFileSync(path.join(copy, 'book.toml'), 'crates-json = "crates.json"\n')
    // No chapter asks for a page: the export alone collects.
    for (const page of ['crates.md', 'by-category.md']) {
      const file = path.join(copy, 'src', 'indices', page)
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\{\{#xref-crates[^}]*\}\}/g, ''))
    }

    const built = await buildBook(copy)
    expect(built.code).toBe(0)
    const data = JSON.parse(fs.readFileSync(path.join(copy, 'crates.json'), 'utf8')) as {
      version: number
      crates: Array<{name: string; references: Array<{chapter: string}>}>
    }
    expect(data.version).toBe(1)
    expect(data.crates.map((d) => [d.name, [...new Set(d.references.map((r) => r.chapter))]])).toEqual([
      ['anyhow', ['errors/handling.md']],
      ['parking_lot', ['async.md']],
      ['thiserror', ['errors/handling.md']],
      ['tokio', ['async.md', 'errors/handling.md']]
    ])
  })
})

describe('crates-book: the directives in a real build', () => {
  let built: BuiltBook

  beforeAll(async () => {
    built = await buildBook(copyBook(path.join(fixtures, 'crates-book')))
  }, 120_000)

  it('should build with no findings and leave no directive', () => {
    expect(built.code).toBe(0)
    expect(built.preprocessorStderr).toBe('')
    expect(built.runs.some((d) => d.args.length === 0 && d.code === 0)).toBe(true)

    for (const page of ['indices/crates.html', 'indices/by-category.html']) {
      const html = built.read(page)
      expect(html).not.toContain('{{#xref-crates')
      expect(html).toContain('<!-- mdbook-xref crates: end -->')
    }

    expect(built.read('indices/by-category.html')).toContain('<!-- mdbook-xref crates by-category: start -->')
  })

  it('should list every referenced crate, badge where defined', () => {
    const html = generated(built.read('indices/crates.html'))
    expect(groupsOf(html)).toEqual([
      ['A', ['anyhow']],
      ['P', ['parking_lot']],
      ['T', ['thiserror', 'tokio']]
    ])
    expect(entriesOf(html).map((d) => ({...d, links: d.links.map((link) => link.split('#')[0])}))).toEqual([
      {name: 'anyhow', badge: true, links: ['../errors/handling.html']},
      {name: 'parking_lot', badge: false, links: ['../async.html']},
      {name: 'thiserror', badge: true, links: ['../errors/handling.html']},
      // Two sections of `async.md` reference `tokio`: a link to each.
      {name: 'tokio', badge: true, links: ['../async.html', '../async.html', '../errors/handling.html']}
    ])
  })

  it('should link each section of a chapter that references a crate in more than one', () => {
    const tokio = entriesOf(generated(built.read('indices/crates.html'))).find((d) => d.name === 'tokio')
    expect(tokio!.links).toEqual(['../async.html#spawning-tasks', '../async.html#sharing-state', '../errors/handling.html'])
  })

  it('should land every link of the pages', () => {
    for (const page of ['indices/crates.html', 'indices/by-category.html']) {
      const hrefs = [...generated(built.read(page)).matchAll(/href="([^"]*)"/g)]
        .map((d) => d[1])
        .filter((d) => !/^https?:/.test(d))
      expect([page, dangling(built, page, hrefs)]).toEqual([page, []])
    }
  })

  it('should group by the category badges paired in a paragraph', () => {
    expect(groupsOf(generated(built.read('indices/by-category.html')))).toEqual([
      ['asynchronous', ['tokio']],
      ['rust-patterns', ['anyhow', 'thiserror']],
      ['Other crates', ['parking_lot']]
    ])
  })
})

describe.skipIf(!rustHowto)('rust_howto: both crate pages replaced by the directives', () => {
  let built: BuiltBook

  /**
   * An oracle independent of the collector: per chapter (includes expanded),
   * the crates its crate-family labels name (`c~NAME~…`, `c~NAME::item~…`),
   * with fenced code, code spans, comments and definition lines blanked.
   */
  const byChapter = new Map<string, {crates: Set<string>; items: Set<string>}>()

  /**
   * Fold a crate name as crates.io does.
   *
   * @param name
   *   Name.
   * @returns
   *   Folded.
   */
  function fold(name: string): string {
    return name.toLowerCase().replace(/-/g, '_')
  }

  /**
   * Crates a chapter names through crate labels the book defines.
   *
   * @param content
   *   Chapter content, includes expanded.
   * @param defined
   *   Labels the book defines (lower case).
   * @returns
   *   Crates of crate-level labels, and of item labels.
   */
  function cratesOf(content: string, defined: Set<string>): {crates: Set<string>; items: Set<string>} {
    const crates = new Set<string>()
    const items = new Set<string>()
    const text = content
      .replace(/^[ >]*(`{3,}|~{3,})[^]*?^[ >]*\1[ \t]*$/gm, '')
      .replace(/^ {0,3}\[[^\]]+\]:.*$/gm, '')
      .replace(/<!--[^]*?-->/g, '')
      // Code spans within a line: a stray backtick must not swallow the rest.
      .replace(/(`+)(?:(?!\1)[^\n])+?\1/g, '')

    for (const [, label] of text.matchAll(/\[([^[\]]+)\]/g)) {
      const name = /^c~([^~]+)~/.exec(label.trim())?.[1]
      if (!name || !defined.has(label.trim().toLowerCase())) continue
      const crate = name.split('::')[0]
      if (/^(?:[iuf]\d+|[iu]size|bool|char|str|slice)$/.test(crate)) continue
      ;(name.includes('::') ? items : crates).add(fold(crate))
    }

    return {crates, items}
  }

  beforeAll(async () => {
    const copy = copyBook(rustHowto)
    fs.appendFileSync(
      path.join(copy, 'book.toml'),
      '\n[preprocessor.xref]\ncommand = ' +
        JSON.stringify('node ' + bin) +
        '\nafter = ["links"]\nindex-chapter = "word_index.md"\n'
    )

    for (const [file, directive] of [
      ['crates_alphabetical.md', '{{#xref-crates}}'],
      ['crates_by_category.md', '{{#xref-crates by-category}}']
    ]) {
      const page = path.join(copy, 'src', 'indices', file)
      const lines = fs.readFileSync(page, 'utf8').split('\n')
      // The title and the refs the author includes stay; the list goes.
      const includes = lines.filter((d) => d.startsWith('{{#include'))
      fs.writeFileSync(page, [lines[0], '', directive, '', ...includes, ''].join('\n'))
    }

    const book = await loadBook(copy)
    const boundary = findBoundary(book.root)
    const contents = book.chapters.map((d) => ({
      path: d.path,
      content: d.file ? expandIncludes(d.file, {boundary}).text : ''
    }))
    const defined = new Set<string>()
    for (const {content} of contents) {
      for (const [, label] of content.matchAll(/^ {0,3}\[([^\]]+)\]:/gm)) defined.add(label.trim().toLowerCase())
    }

    for (const {path: chapter, content} of contents) {
      if (chapter && !chapter.startsWith('indices/crates_') && chapter !== 'word_index.md') {
        byChapter.set(chapter, cratesOf(content, defined))
      }
    }

    built = await buildBook(copy)
  }, 300_000)

  it('should build', () => {
    expect(built.code).toBe(0)
    expect(built.read('indices/crates_alphabetical.html')).not.toContain('{{#xref-crates')
  })

  it('should list the 119 crates of crate-level labels and those only in item labels', () => {
    const crateLevel = new Set<string>()
    const items = new Set<string>()
    for (const [chapter, found] of byChapter) {
      // The issue counts the rendered chapters outside `src/indices/`.
      if (chapter.startsWith('indices/')) continue
      for (const name of found.crates) crateLevel.add(name)
      for (const name of found.items) items.add(name)
    }

    const standard = ['alloc', 'core', 'proc_macro', 'std']
    expect(crateLevel.size - standard.filter((d) => crateLevel.has(d)).length).toBe(119)
    expect([...items].filter((d) => !crateLevel.has(d)).sort()).toEqual(['digest', 'parking_lot', 'serde_json'])

    const listed = entriesOf(generated(built.read('indices/crates_alphabetical.html'))).map((d) => fold(d.name))
    expect(listed.length).toBe(new Set(listed).size)
    expect(new Set(listed)).toEqual(new Set([...crateLevel, 'digest', 'parking_lot', 'serde_json']))
    for (const name of ['thiserror', 'syn', 'tantivy', 'ulid', 'blake3', 'digest', 'parking_lot', 'serde_json', 'std']) {
      expect(listed).toContain(name)
    }
  })

  it('should link each crate only to chapters that reference it', () => {
    const page = 'indices/crates_alphabetical.html'
    const entries = entriesOf(generated(built.read(page)))
    const wrong: string[] = []

    for (const entry of entries) {
      expect([entry.name, entry.links.length > 0]).toEqual([entry.name, true])

      for (const href of entry.links) {
        const chapter = path.posix.join('indices', href.split('#')[0]).replace(/\.html$/, '.md')
        const found = byChapter.get(chapter)
        const name = fold(entry.name)
        if (!found || !(found.crates.has(name) || found.items.has(name))) wrong.push(entry.name + ' → ' + href)
      }
    }

    expect(wrong).toEqual([])
    expect(dangling(built, page, entries.flatMap((d) => d.links))).toEqual([])
  })

  it('should list the same crates by category, the unpaired last', () => {
    const alphabetical = entriesOf(generated(built.read('indices/crates_alphabetical.html'))).map((d) => d.name)
    const html = generated(built.read('indices/crates_by_category.html'))
    const groups = groupsOf(html)
    expect(groups.length).toBeGreaterThan(10)
    expect(groups[groups.length - 1][0]).toBe('Other crates')
    expect(new Set(groups.flatMap((d) => d[1]))).toEqual(new Set(alphabetical))
    // The row of jump links: the first paragraph, one link per group.
    const row = /<p>([^]*?)<\/p>/.exec(html)![1]
    const jumps = [...row.matchAll(/href="(#[^"]*)"/g)].map((d) => d[1])
    expect(jumps.length).toBe(groups.length)
    expect(dangling(built, 'indices/crates_by_category.html', jumps)).toEqual([])
  })
})
