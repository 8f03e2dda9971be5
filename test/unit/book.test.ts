import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {loadBook} from '../../src/book/load.js'
import {flattenSummary, parseSummary, type BookChapter} from '../../src/book/summary.js'
import {BookError} from '../../src/mdbook/book-error.js'
import type {BookConfig} from '../../src/mdbook/protocol.js'
import {findTable} from '../../src/mdbook/config.js'
import {root, rustHowto} from '../corpus.js'
import {temporaryDirectory} from '../helpers.js'

const fixture = path.join(root, 'fixtures', 'includes-summary')
const mdbook = path.join(root, 'node_modules', '.bin', 'mdbook')
const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'xref-book-'))

afterAll(() => {
  fs.rmSync(temporary, {recursive: true, force: true})
})

/**
 * Chapters as compact rows.
 *
 * @param chapters
 *   Chapters.
 * @returns
 *   `[name, path, number, parentNames, section]` rows.
 */
function rows(chapters: BookChapter[]): unknown[] {
  return chapters.map((d) => [d.name, d.path, d.number, d.parentNames, d.section])
}

/**
 * Catch the message of a failing promise.
 *
 * @param promise
 *   Promise.
 * @returns
 *   `[name, message]`.
 */
async function failure(promise: Promise<unknown>): Promise<[string, string]> {
  try {
    await promise
  } catch (error) {
    return [(error as Error).name, (error as Error).message]
  }

  return ['', 'did not fail']
}

describe('parseSummary', () => {
  const summaryFile = path.join(fixture, 'src', 'SUMMARY.md')
  const summary = parseSummary(fs.readFileSync(summaryFile, 'utf8'), summaryFile)

  it('should read the title, prefix chapters and their separators', () => {
    expect([summary.title, summary.prefix]).toEqual([
      'Summary',
      [
        {type: 'link', name: 'Foreword', location: 'foreword.md', number: null, nested: []},
        {type: 'separator'},
        {type: 'link', name: 'Intro', location: './intro.md', number: null, nested: []}
      ]
    ])
  })

  it('should read parts, nesting, drafts and separators, numbering across parts', () => {
    expect(rows(flattenSummary(summary, '/book/src'))).toEqual([
      ['Foreword', 'foreword.md', null, [], 'prefix'],
      ['Intro', 'intro.md', null, [], 'prefix'],
      ['First', 'part1/first.md', [1], [], 'numbered'],
      ['Nested', 'part1/nested.md', [1, 1], ['First'], 'numbered'],
      ['Deep', 'part1/deep.md', [1, 1, 1], ['First', 'Nested'], 'numbered'],
      ['Draft', null, [1, 2], ['First'], 'numbered'],
      ['Second code', 'part1/second.md', [2], [], 'numbered'],
      ['After rule', 'part1/after.md', [3], [], 'numbered'],
      ['After sub', 'part1/after-sub.md', [4], [], 'numbered'],
      ['Third', 'part2/third file.md', [5], [], 'numbered'],
      ['Ref link', 'part2/ref.md', [6], [], 'numbered'],
      ['Suffix', 'suffix.md', null, [], 'suffix'],
      ['Suffix 2', 'suffix2.md', null, [], 'suffix']
    ])
    expect(summary.numbered.map((d) => (d.type === 'link' ? d.name : d.type === 'part' ? '# ' + d.title : '---'))).toEqual([
      '# Part One',
      'First',
      'Second code',
      '---',
      'After rule',
      'After sub',
      '# Part Two',
      'Third',
      'Ref link'
    ])
    expect(summary.suffix.map((d) => d.type)).toEqual(['link', 'separator', 'link'])
  })

  it('should give absolute files for chapters and none for drafts', () => {
    const chapters = flattenSummary(summary, '/book/src')
    expect([chapters[1].file, chapters[5].file]).toEqual([path.resolve('/book/src/intro.md'), null])
  })

  it('should skip HTML before the title and number lists without a part title', () => {
    const parsed = parseSummary('<!-- generated -->\n# Book\n\n- [A](a.md)\n- [B](b.md)\n')
    expect([parsed.title, rows(flattenSummary(parsed, '/'))]).toEqual([
      'Book',
      [
        ['A', 'a.md', [1], [], 'numbered'],
        ['B', 'b.md', [2], [], 'numbered']
      ]
    ])
  })

  it('should ignore a paragraph right after a part title, as mdBook does', () => {
    const parsed = parseSummary('- [Z](z.md)\n\n# Part\n\n[Lost](lost.md)\n\n- [A](a.md)\n\n[Suffix](s.md)\n')
    expect(rows(flattenSummary(parsed, '/'))).toEqual([
      ['Z', 'z.md', [1], [], 'numbered'],
      ['A', 'a.md', [2], [], 'numbered'],
      ['Suffix', 's.md', null, [], 'suffix']
    ])
  })

  it('should keep numbering loose lists and items with text after the link', () => {
    const parsed = parseSummary('- [A](a.md) more text\n\n- [B](b.md)\n\n  - [C](c.md)\n')
    expect(rows(flattenSummary(parsed, '/'))).toEqual([
      ['A', 'a.md', [1], [], 'numbered'],
      ['B', 'b.md', [2], [], 'numbered'],
      ['C', 'c.md', [2, 1], ['B'], 'numbered']
    ])
  })

  it('should fail on a list after the suffix chapters, naming file, line and column', () => {
    expect(() => parseSummary('- [A](a.md)\n\n[S](s.md)\n\n- [B](b.md)\n', '/b/SUMMARY.md')).toThrow(
      new BookError(
        '/b/SUMMARY.md',
        5,
        1,
        'Unexpected list or part title after the suffix chapters, expected only links'
      )
    )
    expect(() => parseSummary('- [A](a.md)\n\n[S](s.md)\n\n- [B](b.md)\n', '/b/SUMMARY.md')).toThrow(
      '/b/SUMMARY.md:5:1: Unexpected list or part title after the suffix chapters, expected only links'
    )
  })

  it('should fail on a list item that does not start with a link', () => {
    expect(() => parseSummary('- [A](a.md)\n- Title\n')).toThrow(
      'SUMMARY.md:2:3: Unexpected content in a list item of `SUMMARY.md`, expected only a link such as `- [Name](file.md)` or `- [Draft]()`'
    )
  })
})

describe('loadBook', () => {
  it('should read `book.toml` and list the chapters of `book.src`', async () => {
    const folder = temporaryDirectory({
      'book.toml': '[book]\nsrc = "text"\nlanguage = "de"\n\n[preprocessor.xref]\nprefixes = ["c"]\n',
      'text/SUMMARY.md': '[Intro](./intro.md)\n\n- [One](one//a.md)\n'
    })
    const book = await loadBook(folder)
    expect([
      book.root,
      book.src,
      book.language,
      book.config.preprocessor,
      rows(book.chapters),
      book.chapters.map((d) => d.file)
    ]).toEqual([
      folder,
      path.join(folder, 'text'),
      'de',
      {xref: {prefixes: ['c']}},
      [
        ['Intro', 'intro.md', null, [], 'prefix'],
        ['One', 'one/a.md', [1], [], 'numbered']
      ],
      [path.join(folder, 'text', 'intro.md'), path.join(folder, 'text', 'one', 'a.md')]
    ])
  })

  it('should use a given configuration instead of `book.toml`', async () => {
    const folder = temporaryDirectory({'src/SUMMARY.md': '- [A](a.md)\n'})
    const book = await loadBook(folder, {config: {book: {title: 'T'}}})
    expect([book.config, book.language, rows(book.chapters)]).toEqual([
      {book: {title: 'T'}},
      undefined,
      [['A', 'a.md', [1], [], 'numbered']]
    ])
  })

  it('should fail without `book.toml` or `SUMMARY.md`', async () => {
    const empty = temporaryDirectory({'README.md': ''})
    const noSummary = temporaryDirectory({'book.toml': '[book]\n'})
    expect(await failure(loadBook(empty))).toEqual([
      'BookError',
      path.join(empty, 'book.toml') + ':1:1: Cannot read `book.toml`: no such file'
    ])
    expect(await failure(loadBook(noSummary))).toEqual([
      'BookError',
      path.join(noSummary, 'src', 'SUMMARY.md') + ':1:1: Cannot read `SUMMARY.md`: no such file'
    ])
  })

  it('should fail on invalid TOML and on a wrongly typed `book.src`, naming line and column', async () => {
    const bad = temporaryDirectory({'book.toml': '[book]\ntitle = "x"\nsrc = \n'})
    const typed = temporaryDirectory({'book.toml': '[book]\ntitle = "x"\n  src = 3\n'})
    const [name, message] = await failure(loadBook(bad))
    expect([name, message.startsWith(path.join(bad, 'book.toml') + ':3:'), message.includes('\n')]).toEqual([
      'BookError',
      true,
      false
    ])
    expect(message).toMatch(/: Unexpected invalid TOML \(.+\), expected a valid `book\.toml`$/)
    expect(await failure(loadBook(typed))).toEqual([
      'BookError',
      path.join(typed, 'book.toml') + ':3:3: Unexpected number for `book.src`, expected a string'
    ])
  })
})

describe('findTable', () => {
  it('should find `[preprocessor.xref]` without a command', () => {
    const config: BookConfig = {preprocessor: {toc: {}, xref: {prefixes: ['c']}}}
    expect(findTable(config)).toEqual({name: 'xref', table: {prefixes: ['c']}})
  })

  it('should find a table whose command runs mdbook-xref', () => {
    const commands = [
      'npx mdbook-xref',
      'node ./node_modules/mdbook-xref/dist/bin.js',
      'C:\\tools\\mdbook-xref.cmd',
      'mdbook-xref --verbose'
    ]
    expect(commands.map((command) => findTable({preprocessor: {index: {command}}})?.name)).toEqual([
      'index',
      'index',
      'index',
      'index'
    ])
  })

  it('should not take other preprocessors', () => {
    const config: BookConfig = {
      preprocessor: {xref: {command: 'mdbook-xrefs'}, links2: {command: 'python links.py'}, index: {}}
    }
    expect([findTable(config), findTable({})]).toEqual([undefined, undefined])
  })

  it('should use a given command matcher', () => {
    const config: BookConfig = {preprocessor: {a: {command: 'one'}, b: {command: 'two'}}}
    expect(findTable(config, (command) => command === 'two')).toEqual({name: 'b', table: {command: 'two'}})
  })
})

describe('real mdBook', () => {
  it.skipIf(!fs.existsSync(mdbook))('should list the chapters as mdBook 0.4.4 loads them (needs node_modules/.bin/mdbook)', async () => {
    const dir = path.join(temporary, 'summary-build')
    fs.cpSync(fixture, dir, {recursive: true})
    const script = path.join(temporary, 'capture.cjs')
    const output = path.join(temporary, 'capture.json')
    fs.writeFileSync(
      script,
      "const fs = require('fs')\n" +
        "if (process.argv[2] === 'supports') process.exit(0)\n" +
        'const chunks = []\n' +
        "process.stdin.on('data', (d) => chunks.push(d))\n" +
        "process.stdin.on('end', () => { const text = Buffer.concat(chunks).toString('utf8'); fs.writeFileSync(" +
        JSON.stringify(output) +
        ', text); process.stdout.write(JSON.stringify(JSON.parse(text)[1])) })\n'
    )
    fs.appendFileSync(path.join(dir, 'book.toml'), '\n[preprocessor.capture]\ncommand = ' + JSON.stringify('node ' + script) + '\n')
    execFileSync(mdbook, ['build'], {cwd: dir, stdio: 'ignore'})
    const sections = (JSON.parse(fs.readFileSync(output, 'utf8')) as [unknown, {sections: unknown[]}])[1].sections
    const expected: unknown[] = []
    walk(sections)
    const book = await loadBook(dir)
    expect(book.chapters.map((d) => [d.name, d.path, d.number, d.parentNames])).toEqual(expected)

    function walk(items: unknown[]): undefined {
      for (const item of items) {
        if (typeof item !== 'object' || item === null || !('Chapter' in item)) continue
        const chapter = (item as {Chapter: {name: string; path: string | null; number: number[] | null; parent_names: string[]; sub_items: unknown[]}}).Chapter
        expected.push([chapter.name, chapter.path, chapter.number, chapter.parent_names])
        walk(chapter.sub_items)
      }
    }
  })

  it.skipIf(!rustHowto)('should load the 108 chapters of the Rust How-to book (needs ../shared)', async () => {
    const book = await loadBook(rustHowto)
    const first = book.chapters[0]
    const last = book.chapters[book.chapters.length - 1]
    expect([
      book.chapters.length,
      book.language,
      [first.name, first.path, first.number],
      [last.name, last.path, last.number, last.section],
      book.summary.numbered.filter((d) => d.type === 'part').map((d) => (d.type === 'part' ? d.title : ''))
    ]).toEqual([
      108,
      'en',
      ['Introduction', 'introduction/index.md', null],
      ['Thanks', 'appendices/thanks.md', null, 'suffix'],
      ['Core Concepts', 'Code Examples by Category', 'Resources', 'Indices', 'Appendices']
    ])
  })
})
