/**
 * End to end through the real mdBook: the index of a book of Rust terms,
 * the index of the real Rust How-to Book, and repeated builds (`mdbook
 * serve` rebuilds with the same process tree: no state may leak).
 */

import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it, vi} from 'vitest'
import {corpus, rustHowto} from '../corpus.js'
import {buildBook, ensureBuilt, fixtures, runBin, temporaryDirectory, type BuiltBook} from '../helpers.js'

vi.setConfig({testTimeout: 120_000})

beforeAll(async () => {
  await ensureBuilt()
}, 120_000)

/**
 * Index entries of an index page: `[text, hrefs]`, in order.
 *
 * @param html
 *   Page.
 * @returns
 *   Entries.
 */
function entriesOf(html: string): Array<[string, string[]]> {
  const main = html.slice(html.indexOf('mdbook-xref index: start'), html.indexOf('mdbook-xref index: end'))
  // The rest of the line holds the places: links, section groups in
  // parentheses, `[2]` for further places in a section; `#…` links are *see*.
  return [...main.matchAll(/<li>(?:<span id="xref-entry-[^"]*"><\/span>)?([^<,\n]*)([^\n]*)/g)].map((d) => [
    d[1].trim(),
    [...d[2].matchAll(/href="([^"#][^"]*)"/g)].map((link) => link[1])
  ])
}

/**
 * Letter groups of an index page, with the entries under each.
 *
 * @param html
 *   Page.
 * @returns
 *   Group label to entry texts.
 */
function groupsOf(html: string): Record<string, string[]> {
  const main = html.slice(html.indexOf('mdbook-xref index: start'), html.indexOf('mdbook-xref index: end'))
  const groups: Record<string, string[]> = {}

  for (const part of main.split('<h2>').slice(1)) {
    const label = /id="[^"]*">([^<]*)<\/a><\/h2>/.exec(part)![1]
    groups[label] = entriesOf('mdbook-xref index: start' + part + 'mdbook-xref index: end').map((d) => d[0])
  }

  return groups
}

describe('terms-book: index terms as a Rust book writes them', () => {
  const book = path.join(fixtures, 'terms-book')
  let built: BuiltBook

  beforeAll(async () => {
    built = await buildBook(book)
  }, 60_000)

  it('should put each term in its group: symbols first, leading punctuation ignored', () => {
    expect(groupsOf(built.read('index-page.html'))).toEqual({
      Symbols: ['!=', '?'],
      A: ['assert_eq!', 'Async', 'tokio'],
      D: ['#[derive]'],
      G: ['.gitignore'],
      I: ['Iterator', 'Iterators'],
      R: ['Regex', 'The Rust Book'],
      S: ['std::result::Result::Ok', 'std::result::Result::ok', '&amp;str'],
      V: ['vec!']
    })
  })

  it('should sort a sort-keyed term by its key and never show the key', () => {
    const html = built.read('index-page.html')
    expect(html).toContain('The Rust Book')
    expect(html).not.toContain('Rust Book@')
    expect(built.read('macros.html')).toContain('<span id="xref-the-rust-book-1"></span>The Rust Book is the place')
  })

  it('should keep `Result::Ok` and `Result::ok` apart and merge `Regex` with `regex`', () => {
    const entries = entriesOf(built.read('index-page.html'))
    expect(entries.filter((d) => /^std::result::Result::/.test(d[0])).map((d) => d[0])).toEqual([
      'std::result::Result::Ok',
      'std::result::Result::ok'
    ])
    // One entry, both places (`Regex` and `regex`) linked.
    expect(entries.filter((d) => /^regex$/i.test(d[0]))).toEqual([
      ['Regex', ['results.html#xref-regex-1', 'results.html#xref-regex-2']]
    ])
  })

  it('should report `Iterator`/`Iterators` from `lint`', async () => {
    const [code, stdout] = await runBin(['lint', book])
    expect(code).toBe(0)
    expect(stdout).toContain(
      'warning  Unexpected near-duplicate index terms `Iterator`, `Iterators`, expected one spelling  index-near-duplicate'
    )
  })
})

describe('repeated builds', () => {
  it('should give the new text and a fresh index after a chapter is edited', async () => {
    const copy = temporaryDirectory()
    fs.cpSync(path.join(fixtures, 'terms-book'), copy, {recursive: true})
    const toml = path.join(copy, 'book.toml')
    const bin = path.join(fixtures, '..', 'dist', 'bin.js')
    fs.writeFileSync(toml, fs.readFileSync(toml, 'utf8').replace('node ../../dist/bin.js', 'node ' + bin))
    const first = await buildBook(copy)
    expect(first.runs.length).toBe(2)
    expect(first.read('index-page.html')).not.toContain('Peekable')

    const chapter = path.join(copy, 'src', 'iteration.md')
    fs.appendFileSync(chapter, '\nPeek ahead with {{hi:Peekable}}.\n')
    const second = await buildBook(copy)
    expect(second.code).toBe(0)
    expect(second.read('iteration.html')).toContain('<span id="xref-peekable-1"></span>')
    expect(second.read('index-page.html')).toContain('<a href="iteration.html#xref-peekable-1">Iteration</a>')
    // Everything else is as it was.
    expect(second.read('macros.html')).toBe(first.read('macros.html'))
  })
})

describe.skipIf(!corpus)('the real book through mdBook', () => {
  let built: BuiltBook

  beforeAll(async () => {
    const copy = temporaryDirectory()
    fs.cpSync(rustHowto, copy, {recursive: true})
    const bin = path.join(fixtures, '..', 'dist', 'bin.js')
    fs.appendFileSync(
      path.join(copy, 'book.toml'),
      '\n[preprocessor.xref]\ncommand = ' +
        JSON.stringify('node ' + bin) +
        '\nafter = ["links"]\nindex-chapter = "word_index.md"\n'
    )
    built = await buildBook(copy)
  }, 300_000)

  it('should build', () => {
    expect(built.code).toBe(0)
  })

  it('should link every index entry to an id that exists in its page', () => {
    const links = entriesOf(built.read('word_index.html')).flatMap((d) => d[1])
    expect(links.length).toBeGreaterThan(1000)
    const missing: string[] = []
    const pages = new Map<string, string>()

    for (const link of links) {
      const [page, id] = link.split('#')
      if (!pages.has(page)) pages.set(page, built.read(page))
      if (!pages.get(page)!.includes(' id="' + id + '"')) missing.push(link)
    }

    expect(missing).toEqual([])
  })

  it('should link every anchor placed in the chapters exactly once', () => {
    const links = entriesOf(built.read('word_index.html')).flatMap((d) => d[1])
    const anchors: string[] = []

    // `index.html` is mdBook's copy of the first chapter; `print.html` of all.
    const copies = new Set(['index.html', 'print.html', 'word_index.html'])

    for (const page of built.pages.filter((d) => !copies.has(d))) {
      for (const match of built.read(page).matchAll(/ id="(xref-[^"]+)"/g)) {
        if (!match[1].startsWith('xref-entry-')) anchors.push(page + '#' + match[1])
      }
    }

    expect(anchors.length).toBeGreaterThan(1500)
    expect(links.length).toBe(new Set(links).size)
    expect([...links].sort()).toEqual([...anchors].sort())
  })

  it('should link the places of a term marked in many sections of a chapter', () => {
    const html = built.read('word_index.html')
    const line = /<li><span id="xref-entry-filesystem"><\/span>Filesystem, [^\n]*/.exec(html)![0]
    const links = [...line.matchAll(/href="categories\/filesystem\/directory_traversal\.html#([^"]+)"/g)].map((d) => d[1])
    expect(links.length).toBe(7)
  })

  it('should resolve every link inside the index (the jump row; the book has no *see*)', () => {
    const html = built.read('word_index.html')
    const main = html.slice(html.indexOf('mdbook-xref index: start'), html.indexOf('mdbook-xref index: end'))
    const local = [...main.matchAll(/href="#([^"]*)"/g)].map((d) => d[1])
    expect(local.length).toBeGreaterThan(20)
    expect(local.filter((id) => !html.includes(' id="' + id + '"'))).toEqual([])
    const ids = [...main.matchAll(/ id="(xref-entry-[^"]+)"/g)].map((d) => d[1])
    expect(ids.length).toBeGreaterThan(700)
    expect(ids.length).toBe(new Set(ids).size)
    expect(ids).toContain('xref-entry-excl-eq')
  })

  it('should have one entry per distinct term, Symbols by code point', () => {
    const entries = entriesOf(built.read('word_index.html')).map((d) => d[0])
    expect(entries).toContain('!=')
    expect(entries).toContain('?')
    expect(groupsOf(built.read('word_index.html')).Symbols).toEqual(['!=', '*', '==', '?'])
    // Levels make one term appear as a parent and a child: count top level
    // and nested texts together, no text twice at one place.
    const groups = groupsOf(built.read('word_index.html'))
    for (const [label, texts] of Object.entries(groups)) {
      expect([label, texts.length]).toEqual([label, new Set(texts).size])
    }
  })

  it('should leave no marker outside code, and give every anchor a unique id in its page', () => {
    const left: string[] = []

    for (const page of built.pages.filter((d) => d !== 'print.html')) {
      const html = built.read(page)
      const text = html
        .replace(/<code[^>]*>[\s\S]*?<\/code>/g, '')
        .replace(/<pre[^>]*>[\s\S]*?<\/pre>/g, '')
      const found = /\{\{(?:hi|ii|i):[^}]*\}\}/.exec(text)
      if (found) left.push(page + ': ' + found[0])
      const ids = [...html.matchAll(/ id="(xref-[^"]+)"/g)].map((d) => d[1])
      if (ids.length !== new Set(ids).size) left.push(page + ': duplicate ids')
    }

    expect(left).toEqual([])
  })
})
