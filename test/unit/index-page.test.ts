import path from 'node:path'
import type { Root} from 'mdast'
import {visit} from 'unist-util-visit'
import {toString} from 'mdast-util-to-string'
import {describe, expect, it} from 'vitest'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {checkCrossReferences, compileIndex, crossReferenceProblems} from '../../src/index/compile.js'
import {buildIndexJson, renderIndexJson} from '../../src/index/json.js'
import {relativeHref} from '../../src/index/links.js'
import {findNearDuplicates, nearDuplicateGroups, nearDuplicateProblems} from '../../src/index/near-duplicates.js'
import {buildIndexPage, indexTree, renderIndexPage} from '../../src/index/page.js'
import type {IndexEntry} from '../../src/markdown/markers.js'
import {outline} from '../support/index-page.js'

/** Fields of an entry that tests set. */
type Fields = Partial<Omit<IndexEntry, 'term'>>

/**
 * Make entries in book order: each call is the next marker.
 *
 * @returns
 *   Factory: term and fields to entry.
 */
function factory(): (term: string, fields?: Fields) => IndexEntry {
  let count = 0
  return function (term, fields) {
    count++
    return {
      term,
      kind: 'hi',
      id: 'x-' + count,
      chapter: 'a.md',
      chapterName: 'A',
      offset: count * 10,
      line: count,
      column: 1,
      // The chapter's title heading; tests of sections set their own.
      section: 'A',
      sectionId: 'a',
      ...fields
    }
  }
}

/**
 * Entries, one per term, all in chapter `a.md`.
 *
 * @param terms
 *   Terms.
 * @returns
 *   Entries.
 */
function entriesOf(...terms: string[]): IndexEntry[] {
  const entry = factory()
  return terms.map((term) => entry(term))
}

/**
 * Lines of the page without the title.
 *
 * @param markdown
 *   Page.
 * @returns
 *   Lines after `# Index`, the row of jump links (checked against the
 *   group headings) and their blank lines, without entry anchors (tested
 *   on their own).
 */
function body(markdown: string): string[] {
  const lines = markdown.split('\n')
  expect(lines.slice(0, 2)).toEqual(['# Index', ''])
  const rest = lines.slice(4)
  expect(lines[2]).toBe(jumpRow(rest))
  expect(lines[3]).toBe('')
  return rest.map((line) => line.replace(/^(\s*- )<span id="xref-entry-[^"]+"><\/span>/, '$1'))
}

/**
 * Expected row of jump links: one per `##` heading, to its mdBook id.
 *
 * @param lines
 *   Lines of the page after the row.
 * @returns
 *   Row.
 */
function jumpRow(lines: string[]): string {
  return lines
    .filter((line) => line.startsWith('## '))
    .map((line) => {
      const label = line.slice(3)
      return '[' + label + '](#' + label.toLowerCase().replace(/[^\p{L}\p{N}_-]/gu, '') + ')'
    })
    .join(' · ')
}

describe('buildIndexPage: layout', () => {
  it('should render the title, groups `Symbols`, `0–9`, then letters', () => {
    const markdown = buildIndexPage(entriesOf('zip', '!=', 'Alloc', '3D', '?'))

    expect(markdown).toBe(
      [
        '# Index',
        '',
        '[Symbols](#symbols) · [0–9](#09) · [A](#a) · [Z](#z)',
        '',
        '## Symbols',
        '',
        '- <span id="xref-entry-excl-eq"></span>!=, [A](a.md#x-2)',
        '- <span id="xref-entry-question"></span>?, [A](a.md#x-5)',
        '',
        '## 0–9',
        '',
        '- <span id="xref-entry-3d"></span>3D, [A](a.md#x-4)',
        '',
        '## A',
        '',
        '- <span id="xref-entry-alloc"></span>Alloc, [A](a.md#x-3)',
        '',
        '## Z',
        '',
        '- <span id="xref-entry-zip"></span>zip, [A](a.md#x-1)',
        ''
      ].join('\n')
    )
  })

  it('should use the `title` option', () => {
    expect(buildIndexPage([], {title: 'Word index'})).toBe('# Word index\n')
    expect(buildIndexPage([])).toBe('# Index\n')
  })

  it('should sort case-insensitively and numerically, ties by code point', () => {
    const markdown = buildIndexPage(
      entriesOf(
        'i128',
        'i16',
        'i8',
        'Iterator',
        'impl',
        'std::result::Result::ok',
        'std::result::Result::Ok',
        'f64',
        'f32'
      )
    )

    expect(outline(markdown)).toEqual([
      ['F', ['f32', 'f64']],
      ['I', ['i8', 'i16', 'i128', 'impl', 'Iterator']],
      ['S', ['std::result::Result::Ok', 'std::result::Result::ok']]
    ])
  })

  it('should ignore leading punctuation and code marks for sorting and grouping', () => {
    const markdown = buildIndexPage(
      entriesOf('.gitignore', '&str', '#[derive]', '`tokio`', 'Git', 'derive_more', 'String')
    )

    expect(outline(markdown)).toEqual([
      ['D', ['#[derive]', 'derive_more']],
      ['G', ['Git', '.gitignore']],
      ['S', ['&str', 'String']],
      ['T', ['tokio']]
    ])
  })

  it('should put terms without letter or number under `Symbols`, by code point', () => {
    const markdown = buildIndexPage(entriesOf('*', '!=', '?', '==', '&&', '!', '→', '<<'))

    // U+0021 `!`, U+0026 `&`, U+002A `*`, U+003C `<`, U+003D `=`, U+003F `?`, U+2192 `→`.
    expect(outline(markdown)).toEqual([['Symbols', ['!', '!=', '&&', '*', '<<', '==', '?', '→']]])
  })

  it('should sort symbols the same in every language', () => {
    const terms = entriesOf('?', '*', '==', '!=', '#')
    const orders = ['en', 'de', 'sv', 'ja'].map((language) => outline(buildIndexPage(terms, {language})))
    expect(orders).toEqual(orders.map(() => [['Symbols', ['!=', '#', '*', '==', '?']]]))
  })

  it('should put subterms without letter or number before their siblings, by code point', () => {
    expect(body(buildIndexPage(entriesOf('Operators!and', 'Operators!==', 'Operators!!=', 'Operators!+')))).toEqual([
      '## O',
      '',
      '- Operators',
      '  - !=, [A](a.md#x-3)',
      '  - +, [A](a.md#x-4)',
      '  - ==, [A](a.md#x-2)',
      '  - and, [A](a.md#x-1)',
      ''
    ])
  })

  it('should group by the letter without diacritics', () => {
    expect(outline(buildIndexPage(entriesOf('Über', 'unsafe', 'élan')))).toEqual([
      ['E', ['élan']],
      ['U', ['Über', 'unsafe']]
    ])
  })

  it('should sort and group by a sort key and never show it', () => {
    const markdown = buildIndexPage(
      entriesOf('Rust Book@The Rust Book', 'Tokio', 'zz@`Zebra`!child')
    )

    expect(body(markdown)).toEqual([
      '## R',
      '',
      '- The Rust Book, [A](a.md#x-1)',
      '',
      '## T',
      '',
      '- Tokio, [A](a.md#x-2)',
      '',
      '## Z',
      '',
      '- `Zebra`',
      '  - child, [A](a.md#x-3)',
      ''
    ])
  })

  it('should use the first sort key written for a term', () => {
    const markdown = buildIndexPage(entriesOf('Bee', 'a@Bee', 'c@Bee', 'b'))

    expect(outline(markdown)).toEqual([['A', ['Bee']], ['B', ['b']]])
  })
})

describe('buildIndexPage: entries and links', () => {
  it('should nest multi-level terms as lists, at any depth', () => {
    const markdown = buildIndexPage(
      entriesOf('async!tokio!spawn', 'async', 'async!futures', 'async!tokio')
    )

    expect(body(markdown)).toEqual([
      '## A',
      '',
      '- async, [A](a.md#x-2)',
      '  - futures, [A](a.md#x-3)',
      '  - tokio, [A](a.md#x-4)',
      '    - spawn, [A](a.md#x-1)',
      ''
    ])
  })

  it('should link every place, chapters in book order, further places in a section numbered', () => {
    const entry = factory()
    const entries = [
      entry('other', {chapter: 'z.md', chapterName: 'Zed'}),
      entry('term', {chapter: 'z.md', chapterName: 'Zed'}),
      entry('term', {chapter: 'z.md', chapterName: 'Zed'}),
      entry('term', {chapter: 'b/c.md', chapterName: 'Cee'}),
      entry('other', {chapter: 'b/c.md', chapterName: 'Cee'})
    ]

    expect(body(buildIndexPage(entries))).toEqual([
      '## O',
      '',
      '- other, [Zed](z.md#x-1), [Cee](b/c.md#x-5)',
      '',
      '## T',
      '',
      '- term, [Zed](z.md#x-2) [\\[2\\]](z.md#x-3), [Cee](b/c.md#x-4)',
      ''
    ])
  })

  it('should label links with occurrence numbers if `labels` is `number`', () => {
    const entry = factory()
    const entries = [
      entry('term', {chapter: 'a.md'}),
      entry('term', {chapter: 'b.md'}),
      entry('term', {chapter: 'c.md'})
    ]

    expect(body(buildIndexPage(entries, {labels: 'number'}))).toEqual([
      '## T',
      '',
      '- term, [1](a.md#x-1), [2](b.md#x-2), [3](c.md#x-3)',
      ''
    ])
  })

  it('should name sections when a chapter marks a term in more than one', () => {
    const entry = factory()
    const b = {chapter: 'b.md', chapterName: 'Directory traversal'}
    const entries = [
      entry('Filesystem', {chapter: 'a.md', chapterName: 'File I/O', section: 'File I/O', sectionId: 'file-io'}),
      entry('Filesystem', {...b, section: 'Find files', sectionId: 'find-files'}),
      entry('Filesystem', {...b, section: 'Walk a tree', sectionId: 'walk-a-tree'}),
      entry('Filesystem', {...b, section: 'Walk a tree', sectionId: 'walk-a-tree'}),
      entry('Filesystem', {...b, section: 'Walk a tree', sectionId: 'walk-a-tree'}),
      entry('Filesystem', {chapter: 'c.md', chapterName: 'Paths', section: 'Paths', sectionId: 'paths'})
    ]

    expect(body(buildIndexPage(entries))).toEqual([
      '## F',
      '',
      '- Filesystem, [File I/O](a.md#x-1), Directory traversal ([Find files](b.md#x-2), [Walk a tree](b.md#x-3) [\\[2\\]](b.md#x-4) [\\[3\\]](b.md#x-5)), [Paths](c.md#x-6)',
      ''
    ])
  })

  it('should count a chapter as one section when sections are not known', () => {
    const entry = factory()
    const entries = [
      entry('term', {section: undefined, sectionId: undefined}),
      entry('term', {section: undefined, sectionId: undefined}),
      entry('term', {chapter: 'b.md', chapterName: 'B', section: undefined, sectionId: undefined})
    ]

    expect(body(buildIndexPage(entries))).toEqual([
      '## T',
      '',
      '- term, [A](a.md#x-1) [\\[2\\]](a.md#x-2), [B](b.md#x-3)',
      ''
    ])
  })

  it('should name a place before the first heading by its chapter, and tell headings apart by id', () => {
    const entry = factory()
    const entries = [
      entry('term', {section: undefined, sectionId: undefined}),
      entry('term', {section: 'Example', sectionId: 'example'}),
      entry('term', {section: 'Example', sectionId: 'example-1'})
    ]

    expect(body(buildIndexPage(entries))).toEqual([
      '## T',
      '',
      '- term, A ([A](a.md#x-1), [Example](a.md#x-2), [Example](a.md#x-3))',
      ''
    ])
  })

  it('should link each anchor once, and number every place if `labels` is `number`', () => {
    const entry = factory()
    const entries = [
      entry('term', {section: 'One', sectionId: 'one'}),
      entry('term', {section: 'Two', sectionId: 'two'}),
      entry('term', {id: 'x-2', section: 'Two', sectionId: 'two'}),
      entry('term', {chapter: 'b.md', section: 'Two', sectionId: 'two'})
    ]

    expect(body(buildIndexPage(entries, {labels: 'number'}))).toEqual([
      '## T',
      '',
      '- term, [1](a.md#x-1), [2](a.md#x-2), [3](b.md#x-4)',
      ''
    ])
  })

  it('should keep an entry one paragraph of links, each place once', () => {
    const entry = factory()
    const entries = ['One', 'Two', 'Two', 'Three [x]', 'One'].map((section) =>
      entry('term', {chapter: 'a b.md', chapterName: 'A (b)', section, sectionId: section.toLowerCase()})
    )
    const tree = parseMarkdown(buildIndexPage(entries))
    const items: string[] = []
    const urls: string[] = []
    visit(tree, 'listItem', (node) => {
      items.push(node.children.map((child) => child.type).join())
    })
    visit(tree, 'link', (node) => {
      if (!node.url.startsWith('#')) urls.push(node.url)
    })

    expect(items).toEqual(['paragraph'])
    expect(urls).toEqual(['a%20b.md#x-1', 'a%20b.md#x-5', 'a%20b.md#x-2', 'a%20b.md#x-3', 'a%20b.md#x-4'])
    expect(toString(tree.children[tree.children.length - 1])).toBe('<span id="xref-entry-term"></span>term, A (b) (One [2], Two [2], Three [x])')
  })

  it('should fall back to the chapter path when a chapter has no name', () => {
    const entry = factory()
    expect(body(buildIndexPage([entry('x', {chapterName: ''})]))).toEqual([
      '## X',
      '',
      '- x, [a.md](a.md#x-1)',
      ''
    ])
  })

  it('should give drafts no links (and no entry of their own)', () => {
    const entry = factory()
    const entries = [
      entry('draft only', {chapter: null, chapterName: 'Draft'}),
      entry('both', {chapter: null, chapterName: 'Draft'}),
      entry('both', {chapter: 'a.md'})
    ]

    expect(body(buildIndexPage(entries))).toEqual([
      '## B',
      '',
      '- both, [A](a.md#x-3)',
      ''
    ])
  })

  it('should make links relative to `indexPath`, keeping `.md`', () => {
    const entry = factory()
    const entries = [
      entry('closure', {chapter: 'language/closures.md', id: 'xref-closure-1'}),
      entry('closure', {chapter: 'indices/other.md', id: 'xref-closure-1'}),
      entry('closure', {chapter: 'top.md', id: 'xref-closure-1'})
    ]

    expect(body(buildIndexPage(entries, {indexPath: 'indices/word_index.md'}))).toEqual([
      '## C',
      '',
      '- closure, [A](../language/closures.md#xref-closure-1), [A](other.md#xref-closure-1), [A](../top.md#xref-closure-1)',
      ''
    ])
  })

  it('should render `{{ii:…}}` terms in italics', () => {
    const entry = factory()
    const markdown = buildIndexPage([
      entry('plain'),
      entry('slanted', {kind: 'ii'}),
      entry('parent!child', {kind: 'ii'})
    ])

    expect(body(markdown)).toEqual([
      '## P',
      '',
      '- parent',
      '  - *child*, [A](a.md#x-3)',
      '- plain, [A](a.md#x-1)',
      '',
      '## S',
      '',
      '- *slanted*, [A](a.md#x-2)',
      ''
    ])
  })

  it('should render code spans in terms as code', () => {
    expect(body(buildIndexPage(entriesOf('`Vec<T>`', 'the `?` operator')))).toEqual([
      '## T',
      '',
      '- the `?` operator, [A](a.md#x-2)',
      '',
      '## V',
      '',
      '- `Vec<T>`, [A](a.md#x-1)',
      ''
    ])
  })
})

describe('buildIndexPage: escaping', () => {
  const hostile = [
    '*emphasis*',
    '_under_',
    '**strong**',
    'a`b',
    '[link](https://example.com)',
    '![image](x.png)',
    'a|b',
    '<img src=x onerror=alert(1)>',
    '<script>alert(1)</script>',
    // `\!`: an unescaped `!` here would split levels (`<` and `-- comment -->`).
    '<\\!-- comment -->',
    '&amp; &copy;',
    '~~struck~~',
    '[^note]',
    '# heading',
    '1. item',
    '- item',
    '> quote',
    '{{hi:nested}}',
    '<<i:angle>>',
    '{{#include secret.md}}',
    'back\\slash',
    '---'
  ]

  it('should show hostile terms literally, never as Markdown or HTML', () => {
    const markdown = buildIndexPage(entriesOf(...hostile))
    const tree = parseMarkdown(markdown)
    const types = new Set<string>()
    visit(tree, (node) => {
      types.add(node.type)
      // The only HTML is entry anchors.
      if (node.type === 'html') expect(node.value).toMatch(/^(<span id="xref-entry-[\p{L}\p{N}-]+">|<\/span>)$/u)
    })

    expect([...types].sort()).toEqual([
      'heading',
      'html',
      'link',
      'list',
      'listItem',
      'paragraph',
      'root',
      'text'
    ])
    const shown = outline(markdown).flatMap(([, terms]) => terms)
    // Term escapes (`\!`) are resolved; a backslash before a letter stays.
    const expected = hostile.map((term) => term.replace('\\!', '!'))
    expect(shown.sort()).toEqual([...expected].sort())
  })

  it('should escape marker and include openers so that nothing runs twice', () => {
    const markdown = buildIndexPage(entriesOf('{{hi:x}}', '<<hi:y>>', '{{#include a.md}}'))

    expect(markdown).not.toMatch(/(?<!\\)\{\{/)
    expect(markdown).not.toMatch(/(?<!\\)<</)
    expect(body(markdown)).toEqual([
      '## H',
      '',
      // Sorted as `hi:x` and `hi:y`.
      '- \\{{hi:x}}, [A](a.md#x-1)',
      '- \\<\\<hi:y>>, [A](a.md#x-2)',
      '',
      '## I',
      '',
      '- \\{{#include a.md}}, [A](a.md#x-3)',
      ''
    ])
  })

  it('should keep the tree free of HTML nodes but entry anchors', () => {
    const tree: Root = indexTree(entriesOf('<b>bold</b>'))
    const html: string[] = []
    visit(tree, 'html', (node) => {
      html.push(node.value)
    })

    expect(html).toEqual(['<span id="xref-entry-b-bold-b"></span>'])
  })

  it('should encode paths that cannot stand in a link destination', () => {
    const entry = factory()
    const markdown = buildIndexPage([
      entry('x', {chapter: 'my dir/a (1).md', chapterName: 'One', id: 'xref-x-1'})
    ])

    expect(body(markdown)).toEqual([
      '## X',
      '',
      '- x, [One](my%20dir/a%20%281%29.md#xref-x-1)',
      ''
    ])
  })
})

describe('buildIndexPage: case merging', () => {
  it('should merge terms that differ in the case of their first letter', () => {
    const entry = factory()
    const entries = [
      entry('Regex', {chapter: 'a.md'}),
      entry('regex', {chapter: 'b.md', chapterName: 'B'}),
      entry('regex', {chapter: 'c.md', chapterName: 'C'})
    ]

    // `regex` is written twice, `Regex` once.
    expect(body(buildIndexPage(entries))).toEqual([
      '## R',
      '',
      '- regex, [A](a.md#x-1), [B](b.md#x-2), [C](c.md#x-3)',
      ''
    ])
  })

  it('should show the spelling that sorts first by code point on a tie', () => {
    expect(outline(buildIndexPage(entriesOf('rand', 'Rand')))).toEqual([['R', ['Rand']]])
    expect(outline(buildIndexPage(entriesOf('Rand', 'rand')))).toEqual([['R', ['Rand']]])
  })

  it('should merge per level and after leading punctuation', () => {
    expect(
      outline(buildIndexPage(entriesOf('Async!Tokio', 'async!tokio', '.Gitignore', '.gitignore')))
    ).toEqual([
      ['A', ['Async']],
      ['G', ['.Gitignore']]
    ])
  })

  it('should not merge terms that differ after the first letter', () => {
    expect(
      outline(
        buildIndexPage(
          entriesOf('std::result::Result::Ok', 'std::result::Result::ok', 'RefCell', 'Refcell')
        )
      )
    ).toEqual([
      ['R', ['RefCell', 'Refcell']],
      ['S', ['std::result::Result::Ok', 'std::result::Result::ok']]
    ])
  })

  it('should not merge if `mergeCase` is `false`', () => {
    expect(outline(buildIndexPage(entriesOf('regex', 'Regex'), {mergeCase: false}))).toEqual([
      ['R', ['Regex', 'regex']]
    ])
  })
})

describe('buildIndexPage: entry ids', () => {
  it('should give every entry a readable, unique id from its term path', () => {
    const markdown = buildIndexPage(entriesOf('async!Tokio', 'async tokio', '!=', '→', 'Über', '`Vec<T>`'))
    const ids = [...markdown.matchAll(/<span id="([^"]+)"><\/span>/g)].map((match) => match[1])

    expect(ids).toEqual([
      'xref-entry-excl-eq',
      'xref-entry-u2192',
      'xref-entry-async',
      'xref-entry-async-tokio',
      'xref-entry-async-tokio-2',
      'xref-entry-über',
      'xref-entry-vec-t'
    ])
  })
})

describe('buildIndexPage: see, see also, nest under', () => {
  it('should render `seeInstead` as “*see* target” and move occurrences', () => {
    const entry = factory()
    const entries = [
      entry('Enums', {chapter: 'a.md'}),
      entry('Enum', {chapter: 'b.md', chapterName: 'B'}),
      entry('Enums!variants', {chapter: 'c.md', chapterName: 'C'})
    ]

    expect(body(buildIndexPage(entries, {seeInstead: {Enums: 'Enum'}}))).toEqual([
      '## E',
      '',
      '- Enum, [A](a.md#x-1), [B](b.md#x-2)',
      '  - variants, [C](c.md#x-3)',
      '- Enums, *see* [Enum](#xref-entry-enum)',
      ''
    ])
  })

  it('should render a `seeInstead` entry that no marker wrote', () => {
    expect(body(buildIndexPage(entriesOf('Enum'), {seeInstead: {Enumerations: 'Enum'}}))).toEqual([
      '## E',
      '',
      '- Enum, [A](a.md#x-1)',
      '- Enumerations, *see* [Enum](#xref-entry-enum)',
      ''
    ])
  })

  it('should point a see chain at its end', () => {
    const options = {seeInstead: {A1: 'B1', B1: 'C1'}}

    expect(body(buildIndexPage(entriesOf('A1', 'B1', 'C1'), options))).toEqual([
      '## A',
      '',
      '- A1, *see* [C1](#xref-entry-c1)',
      '',
      '## B',
      '',
      '- B1, *see* [C1](#xref-entry-c1)',
      '',
      '## C',
      '',
      '- C1, [A](a.md#x-1) [\\[2\\]](a.md#x-2) [\\[3\\]](a.md#x-3)',
      ''
    ])
    expect(checkCrossReferences(entriesOf('A1', 'B1', 'C1'), options)).toEqual([])
  })

  it('should add “*see also*” references in the order given', () => {
    const markdown = buildIndexPage(entriesOf('async', 'tokio', 'futures', 'runtime'), {
      seeAlso: {async: ['tokio', 'futures'], runtime: 'tokio' as unknown as string[]}
    })

    expect(body(markdown)).toEqual([
      '## A',
      '',
      '- async, [A](a.md#x-1); *see also* [tokio](#xref-entry-tokio), [futures](#xref-entry-futures)',
      '',
      '## F',
      '',
      '- futures, [A](a.md#x-3)',
      '',
      '## R',
      '',
      '- runtime, [A](a.md#x-4); *see also* [tokio](#xref-entry-tokio)',
      '',
      '## T',
      '',
      '- tokio, [A](a.md#x-2)',
      ''
    ])
  })

  it('should file a term under a parent with `nestUnder`', () => {
    const options = {nestUnder: {tokio: 'async', 'tokio!spawn': 'tasks'}}

    expect(body(buildIndexPage(entriesOf('tokio', 'tokio!runtime', 'async'), options))).toEqual([
      '## A',
      '',
      '- async, [A](a.md#x-3)',
      '  - tokio, [A](a.md#x-1)',
      '    - runtime, [A](a.md#x-2)',
      ''
    ])
  })

  it('should create the parent of `nestUnder` if no marker wrote it', () => {
    expect(body(buildIndexPage(entriesOf('fuzz testing'), {nestUnder: {'fuzz testing': 'testing'}}))).toEqual([
      '## T',
      '',
      '- testing',
      '  - fuzz testing, [A](a.md#x-1)',
      ''
    ])
  })

  it('should apply `nestUnder` to see keys and targets', () => {
    const options = {nestUnder: {tokio: 'async'}, seeInstead: {Tokio: 'tokio'}, seeAlso: {futures: ['tokio']}}
    const markdown = buildIndexPage(entriesOf('tokio', 'futures'), {...options, mergeCase: false})

    expect(body(markdown)).toEqual([
      '## A',
      '',
      '- async',
      '  - tokio, [A](a.md#x-1)',
      '',
      '## F',
      '',
      '- futures, [A](a.md#x-2); *see also* [async: tokio](#xref-entry-async-tokio)',
      '',
      '## T',
      '',
      '- Tokio, *see* [async: tokio](#xref-entry-async-tokio)',
      ''
    ])
  })
})

describe('checkCrossReferences', () => {
  it('should report a dangling see, keep its occurrences and show plain text', () => {
    const options = {seeInstead: {Enums: 'Enumm'}}
    const entries = entriesOf('Enums', 'Enum')

    expect(checkCrossReferences(entries, options)).toEqual([
      {
        ruleId: 'index-dangling-see',
        reason: 'Cannot find index term `Enumm` for see from `Enums`',
        term: 'Enums',
        target: 'Enumm',
        expected: []
      }
    ])
    expect(body(buildIndexPage(entries, options))).toEqual([
      '## E',
      '',
      '- Enum, [A](a.md#x-2)',
      '- Enums, [A](a.md#x-1); *see* Enumm',
      ''
    ])
  })

  it('should suggest near-duplicates of a dangling target', () => {
    const problems = checkCrossReferences(entriesOf('Iterator', 'async!tokio'), {
      seeAlso: {Iterator: ['Iterators', 'tokio']}
    })

    expect(problems.map((problem) => problem.reason)).toEqual([
      'Cannot find index term `Iterators` for see also from `Iterator`; did you mean `Iterator`',
      'Cannot find index term `tokio` for see also from `Iterator`; did you mean `async!tokio`'
    ])
    expect(problems.map((problem) => problem.expected)).toEqual([['Iterator'], ['async!tokio']])
  })

  it('should report a dangling see also and show it as plain text', () => {
    const options = {seeAlso: {async: ['tokio', 'futures']}}
    const entries = entriesOf('async', 'tokio')

    expect(checkCrossReferences(entries, options).map((problem) => problem.reason)).toEqual([
      'Cannot find index term `futures` for see also from `async`'
    ])
    expect(body(buildIndexPage(entries, options))[2]).toBe(
      '- async, [A](a.md#x-1); *see also* [tokio](#xref-entry-tokio), futures'
    )
  })

  it('should report a see loop and cut it at the member that sorts first', () => {
    const options = {seeInstead: {beta: 'alpha', alpha: 'gamma', gamma: 'beta'}}
    const entries = entriesOf('alpha', 'beta', 'gamma')

    expect(checkCrossReferences(entries, options)).toEqual([
      {
        ruleId: 'index-dangling-see',
        reason:
          'Unexpected see loop `alpha` → `gamma` → `beta` → `alpha`, expected a chain that ends at an index term (`alpha` keeps its entries)',
        term: 'alpha',
        target: 'gamma',
        expected: []
      }
    ])
    expect(body(buildIndexPage(entries, options))).toEqual([
      '## A',
      '',
      '- alpha, [A](a.md#x-1) [\\[2\\]](a.md#x-2) [\\[3\\]](a.md#x-3)',
      '',
      '## B',
      '',
      '- beta, *see* [alpha](#xref-entry-alpha)',
      '',
      '## G',
      '',
      '- gamma, *see* [alpha](#xref-entry-alpha)',
      ''
    ])
  })

  it('should report a see into itself or its own sub-entry', () => {
    const problems = checkCrossReferences(entriesOf('a', 'a!b', 'c'), {
      seeInstead: {a: 'a!b', c: 'C'}
    })

    expect(problems.map((problem) => problem.reason)).toEqual([
      'Unexpected see loop `a` → `a!b`, expected a target outside `a`',
      'Unexpected see loop `c` → `C`, expected a target outside `c`'
    ])
  })

  it('should report a nest loop and leave the member that sorts first in place', () => {
    const options = {nestUnder: {beta: 'alpha', alpha: 'beta'}}
    const entries = entriesOf('alpha', 'beta')

    expect(checkCrossReferences(entries, options)).toEqual([
      {
        ruleId: 'index-dangling-see',
        reason:
          'Unexpected nest loop `alpha` → `beta` → `alpha`, expected a parent outside the chain (`alpha` stays where it is)',
        term: 'alpha',
        target: 'beta',
        expected: []
      }
    ])
    expect(body(buildIndexPage(entries, options))).toEqual([
      '## A',
      '',
      '- alpha, [A](a.md#x-1)',
      '  - beta, [A](a.md#x-2)',
      ''
    ])
  })

  it('should report a see also to the entry itself', () => {
    expect(
      checkCrossReferences(entriesOf('a'), {seeAlso: {a: ['A']}}).map((problem) => problem.reason)
    ).toEqual(['Unexpected see also from `a` to itself (`A`), expected another term'])
  })

  it('should let a dangling see keep entries that another see can point at', () => {
    // `X` is dangling, so `A` keeps its occurrence and `B → A` resolves.
    const options = {seeInstead: {A: 'X', B: 'A'}}
    const entry = factory()
    const entries = [entry('A'), entry('B', {chapter: 'b.md', chapterName: 'B'})]

    expect(checkCrossReferences(entries, options).map((problem) => problem.reason)).toEqual([
      'Cannot find index term `X` for see from `A`'
    ])
    expect(body(buildIndexPage(entries, options))).toEqual([
      '## A',
      '',
      '- A, [A](a.md#x-1), [B](b.md#x-2); *see* X',
      '',
      '## B',
      '',
      '- B, *see* [A](#xref-entry-a)',
      ''
    ])
  })
})

describe('buildIndexPage: determinism', () => {
  it('should give the same bytes whatever the order of entries inside a chapter', () => {
    const entry = factory()
    const entries = [
      entry('Regex', {chapter: 'a.md'}),
      entry('regex', {chapter: 'a.md'}),
      entry('b@Zed', {chapter: 'a.md'}),
      entry('c@Zed', {chapter: 'a.md'}),
      entry('x!y', {chapter: 'b.md'}),
      entry('x', {chapter: 'b.md'}),
      entry('X!y', {chapter: 'b.md'})
    ]
    const shuffled = [entries[3], entries[1], entries[2], entries[0], entries[6], entries[4], entries[5]]
    const options = {seeInstead: {q: 'x', p: 'x'}, seeAlso: {x: ['Zed', 'regex']}}
    const reversedOptions = {seeAlso: {x: ['Zed', 'regex']}, seeInstead: {p: 'x', q: 'x'}}

    const markdown = buildIndexPage(entries, options)
    expect(buildIndexPage(shuffled, reversedOptions)).toBe(markdown)
    expect(JSON.stringify(buildIndexJson(shuffled, reversedOptions))).toBe(
      JSON.stringify(buildIndexJson(entries, options))
    )
    expect(markdown).toBe(
      [
        '# Index',
        '',
        '[B](#b) · [P](#p) · [Q](#q) · [R](#r) · [X](#x)',
        '',
        '## B',
        '',
        '- <span id="xref-entry-zed"></span>Zed, [A](a.md#x-3) [\\[2\\]](a.md#x-4)',
        '',
        '## P',
        '',
        '- <span id="xref-entry-p"></span>p, *see* [x](#xref-entry-x)',
        '',
        '## Q',
        '',
        '- <span id="xref-entry-q"></span>q, *see* [x](#xref-entry-x)',
        '',
        '## R',
        '',
        '- <span id="xref-entry-regex"></span>Regex, [A](a.md#x-1) [\\[2\\]](a.md#x-2)',
        '',
        '## X',
        '',
        '- <span id="xref-entry-x"></span>x, [A](b.md#x-6); *see also* [Zed](#xref-entry-zed), [Regex](#xref-entry-regex)',
        '  - <span id="xref-entry-x-y"></span>y, [A](b.md#x-5) [\\[2\\]](b.md#x-7)',
        ''
      ].join('\n')
    )
  })
})

describe('buildIndexJson', () => {
  it('should export terms, levels, links and references in a stable shape', () => {
    const entry = factory()
    const entries = [
      entry('async', {chapter: 'lang/async.md', chapterName: 'Async', section: 'Async', sectionId: 'async', line: 3, column: 7}),
      entry('async!`tokio`', {chapter: 'lang/async.md', chapterName: 'Async', section: 'Async', sectionId: 'async', kind: 'ii', line: 9, column: 2}),
      entry('async', {chapter: 'lang/async.md', chapterName: 'Async', section: 'Runtimes', sectionId: 'runtimes', line: 20, column: 1})
    ]

    expect(
      buildIndexJson(entries, {
        indexPath: 'indices/index.md',
        seeInstead: {asynchronous: 'async'},
        seeAlso: {async: ['threads']}
      })
    ).toEqual({
      version: 2,
      title: 'Index',
      language: 'en',
      groups: [
        {
          label: 'A',
          id: 'a',
          entries: [
            {
              id: 'xref-entry-async',
              term: 'async',
              text: 'async',
              sortText: 'async',
              path: ['async'],
              depth: 0,
              italic: false,
              links: [
                {
                  chapter: 'lang/async.md',
                  chapterName: 'Async',
                  section: 'Async',
                  sectionId: 'async',
                  id: 'x-1',
                  href: '../lang/async.md#x-1',
                  label: 'Async',
                  line: 3,
                  column: 7
                },
                {
                  chapter: 'lang/async.md',
                  chapterName: 'Async',
                  section: 'Runtimes',
                  sectionId: 'runtimes',
                  id: 'x-3',
                  href: '../lang/async.md#x-3',
                  label: 'Runtimes',
                  line: 20,
                  column: 1
                }
              ],
              see: null,
              seeAlso: [{path: ['threads'], href: null}],
              children: [
                {
                  id: 'xref-entry-async-tokio',
                  term: '`tokio`',
                  text: 'tokio',
                  sortText: 'tokio',
                  path: ['async', 'tokio'],
                  depth: 1,
                  italic: true,
                  links: [
                    {
                      chapter: 'lang/async.md',
                      chapterName: 'Async',
                      section: 'Async',
                      sectionId: 'async',
                      id: 'x-2',
                      href: '../lang/async.md#x-2',
                      label: 'Async',
                      line: 9,
                      column: 2
                    }
                  ],
                  see: null,
                  seeAlso: [],
                  children: []
                }
              ]
            },
            {
              id: 'xref-entry-asynchronous',
              term: 'asynchronous',
              text: 'asynchronous',
              sortText: 'asynchronous',
              path: ['asynchronous'],
              depth: 0,
              italic: false,
              links: [],
              see: {path: ['async'], href: '#xref-entry-async'},
              seeAlso: [],
              children: []
            }
          ]
        }
      ]
    })
  })

  it('should give heading ids like mdBook, avoiding the title’s id', () => {
    const json = buildIndexJson(entriesOf('?', '7z', 'a'), {title: 'A'})

    expect(json.groups.map((group) => [group.label, group.id])).toEqual([
      ['Symbols', 'symbols'],
      ['0–9', '09'],
      ['A', 'a-1']
    ])
  })
})

describe('relativeHref', () => {
  it('should link from the index folder to a chapter', () => {
    expect(relativeHref('indices/word_index.md', 'language/closures.md', 'xref-closure-1')).toBe(
      '../language/closures.md#xref-closure-1'
    )
    expect(relativeHref('index.md', 'language/closures.md', 'x')).toBe('language/closures.md#x')
    expect(relativeHref('a/b/index.md', 'a/c.md', 'x')).toBe('../c.md#x')
    expect(relativeHref('a/index.md', 'a/index.md', 'x')).toBe('index.md#x')
    expect(relativeHref('./a\\index.md', 'a/b/./c.md', 'x')).toBe('b/c.md#x')
  })
})

describe('compileIndex', () => {
  it('should give every reader of one model what each gives from entries', () => {
    const entry = factory()
    const entries = [
      entry('Enum'),
      entry('Enums', {chapter: null, chapterName: 'Draft'}),
      entry('Path', {chapter: 'b/c.md', chapterName: 'C'}),
      entry('Paths'),
      entry('tokio'),
      entry('a')
    ]
    const options = {
      seeInstead: {Paths: 'Path', Enums: 'Enum', x: 'missing'},
      seeAlso: {tokio: ['async', 'enum']},
      nestUnder: {tokio: 'async'}
    }
    const model = compileIndex(entries, options)
    const view = {title: 'A', indexPath: 'b/index.md', heading: false}

    expect(renderIndexPage(model, view)).toBe(buildIndexPage(entries, {...options, ...view}))
    expect(renderIndexPage(model)).toBe(buildIndexPage(entries, options))
    expect(renderIndexJson(model, view)).toEqual(buildIndexJson(entries, {...options, ...view}))
    expect(crossReferenceProblems(model)).toEqual(checkCrossReferences(entries, options))
    expect(nearDuplicateGroups(model)).toEqual(findNearDuplicates(entries, options))
    // The title reserves its heading id: group `A` becomes `a-1`.
    expect(renderIndexJson(model, view).groups.map((group) => group.id)).toEqual(['a-1', 'e', 'p', 'x'])
  })

  it('should count drafts as entries for near-duplicates only', () => {
    const entry = factory()
    const entries = [entry('Maps'), entry('Map', {chapter: null, chapterName: 'Draft'})]
    const model = compileIndex(entries, {seeInstead: {Maps: 'Map'}})

    // On the page `Map` does not exist, so the see is dangling…
    expect(crossReferenceProblems(model).map((problem) => problem.reason)).toEqual([
      'Cannot find index term `Map` for see from `Maps`; did you mean `Maps`'
    ])
    // …but a draft spelling `Map` is the see's target, not a near-duplicate.
    expect(nearDuplicateGroups(model)).toEqual([])
    expect(findNearDuplicates(entries, {seeInstead: {Maps: 'Map'}})).toEqual([])
  })
})

describe('options', () => {
  it('should fall back to `en` for an unsupported language', () => {
    expect(outline(buildIndexPage(entriesOf('b', 'a'), {language: 'not a locale!'}))).toEqual([
      ['A', ['a']],
      ['B', ['b']]
    ])
  })
})

describe('findNearDuplicates', () => {
  it('should group plural endings, case, separators and leading punctuation', () => {
    const groups = findNearDuplicates(
      entriesOf(
        'Path',
        'Paths',
        'Enum',
        'Enums',
        'enum',
        'No-std',
        'No_std',
        'File systems',
        'Filesystem',
        '.gitignore',
        'Gitignore',
        'Library',
        'Libraries',
        'Box',
        'Boxes',
        'Rust book',
        'Rust Book',
        'Class',
        'Clas'
      )
    )

    expect(groups.map((group) => group.terms.map((term) => term.term))).toEqual([
      ['Box', 'Boxes'],
      ['Enum', 'Enums'],
      ['File systems', 'Filesystem'],
      ['Gitignore', '.gitignore'],
      ['Libraries', 'Library'],
      ['No_std', 'No-std'],
      ['Path', 'Paths'],
      ['Rust Book', 'Rust book']
    ])
  })

  it('should list every occurrence of each term', () => {
    const entry = factory()
    const groups = findNearDuplicates([
      entry('Path', {chapter: 'a.md', line: 3, column: 5}),
      entry('Paths', {chapter: null, chapterName: 'Draft', line: 1, column: 2}),
      entry('Path', {chapter: 'b.md', chapterName: 'B', line: 7, column: 1})
    ])

    expect(groups).toEqual([
      {
        terms: [
          {
            term: 'Path',
            occurrences: [
              {chapter: 'a.md', chapterName: 'A', line: 3, column: 5, offset: 10},
              {chapter: 'b.md', chapterName: 'B', line: 7, column: 1, offset: 30}
            ]
          },
          {term: 'Paths', occurrences: [{chapter: null, chapterName: 'Draft', line: 1, column: 2, offset: 20}]}
        ]
      }
    ])
  })

  it('should compare entries the index shows apart, named as it shows them, with all their places', () => {
    const entry = factory()
    const groups = findNearDuplicates([
      entry('enum', {line: 1}),
      entry('Enums', {line: 2}),
      entry('Enum', {line: 3}),
      entry('Enum', {line: 4}),
      entry('Struct!fields', {line: 5}),
      entry('Struct!Field', {line: 6})
    ])

    expect(
      groups.map((group) => group.terms.map((term) => [term.term, term.occurrences.map((d) => d.line)]))
    ).toEqual([
      [
        ['Enum', [1, 3, 4]],
        ['Enums', [2]]
      ],
      [
        ['Struct!Field', [6]],
        ['Struct!fields', [5]]
      ]
    ])
  })

  it('should not report variants already merged by case or `seeInstead`', () => {
    expect(findNearDuplicates(entriesOf('Regex', 'regex'))).toEqual([])
    expect(findNearDuplicates(entriesOf('Enum', 'Enums'), {seeInstead: {Enums: 'Enum'}})).toEqual([])
    expect(findNearDuplicates(entriesOf('Regex', 'regex'), {mergeCase: false})).toHaveLength(1)
  })

  it('should keep case in code (`Result::Ok` is not `Result::ok`)', () => {
    expect(
      findNearDuplicates(
        entriesOf('std::result::Result::Ok', 'std::result::Result::ok', '`Some`', '`some`', '`Vec`', '`Vecs`')
      ).map((group) => group.terms.map((term) => term.term))
    ).toEqual([['`Vec`', '`Vecs`']])
  })

  it('should turn groups into problem data', () => {
    const entry = factory()
    const problems = nearDuplicateProblems(
      findNearDuplicates([
        entry('Path', {chapter: 'a.md', line: 3, column: 5}),
        entry('Paths', {chapter: null, chapterName: 'Draft', line: 1, column: 2})
      ])
    )

    expect(problems.map(({ruleId, reason, note}) => ({ruleId, reason, note}))).toEqual([
      {
        ruleId: 'index-near-duplicate',
        reason: 'Unexpected near-duplicate index terms `Path`, `Paths`, expected one spelling',
        note: '`Path`: a.md:3:5\n`Paths`: Draft (draft):1:2'
      }
    ])
  })
})

