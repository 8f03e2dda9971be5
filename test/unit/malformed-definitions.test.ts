import fs from 'node:fs'
import path from 'node:path'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {lintBook} from '../../src/book/lint.js'
import {formatHuman} from '../../src/diagnostics/report.js'
import {analyseChapter, createCache} from '../../src/fast/analyse-chapter.js'
import {findMalformedDefinitions} from '../../src/markdown/malformed-definitions.js'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {remarkXrefRefs} from '../../src/plugins/remark-xref-refs.js'
import {fixtures} from '../helpers.js'
import {micromarkDefinitions, mdbook} from '../support/references.js'

/**
 * Malformed lines of a document, parsed whole.
 *
 * @param value
 *   Markdown.
 * @returns
 *   `[line, reason]`.
 */
function malformed(value: string) {
  return findMalformedDefinitions(parseMarkdown(value), value).map((d) => [value.slice(d.start, d.end), d.reason])
}

/**
 * Malformed lines of a chapter, as the fast path finds them.
 *
 * @param value
 *   Markdown.
 * @returns
 *   `[line, reason]`.
 */
function fastMalformed(value: string) {
  const found = analyseChapter(value, createCache(), {markers: false, htmlMarkers: false, refs: true, prefixes: []})
  return found.malformed.map((d) => [value.slice(d.start, d.end), d.reason])
}

/**
 * `malformed-definition` messages of the remark plugin on a document.
 *
 * @param value
 *   Markdown.
 * @param definitions
 *   Labels defined elsewhere.
 * @returns
 *   Messages.
 */
async function pluginMalformed(value: string, definitions?: string[]) {
  const file = new VFile({path: 'ch.md', value})
  const processor = unified()
    .use(remarkParse)
    .use(mdbook)
    .use(remarkXrefRefs, definitions ? {definitions} : {})
  await processor.run(processor.parse(file), file)
  return file.messages.filter((d) => d.ruleId === 'malformed-definition').map(String)
}

const sublists = ['* [Items]:', '  * [Functions]', '  * [Structs]:', '    * a field', ''].join('\n')
const sublistDefinitions = ['', '[items]: items.md', '[functions]: functions.md', '[structs]: structs.md', ''].join(
  '\n'
)

describe('malformed-definition for `[label]:` lines', () => {
  it('should not report a list item `[Label]:` before a sublist when the label is defined', async () => {
    const value = sublists + sublistDefinitions
    expect(malformed(value)).toEqual([])
    expect(fastMalformed(value)).toEqual([])
    expect(await pluginMalformed(value)).toEqual([])
  })

  it('should not report it when the definition is in another part of the chapter (fast path)', () => {
    // The definition block comes first and is read apart from the list.
    const value = sublistDefinitions.slice(1) + '\n' + sublists
    expect(fastMalformed(value)).toEqual([])
  })

  it('should not report it when the plugin is told the label is defined elsewhere', async () => {
    expect(await pluginMalformed(sublists, ['items', 'functions', 'structs'])).toEqual([])
  })

  it('should report a list item `[Label]:` when the label is not defined', async () => {
    const expected = [
      ['[Items]:', 'Unexpected missing destination after `[Items]:`, expected a URL'],
      ['[Structs]:', 'Unexpected missing destination after `[Structs]:`, expected a URL']
    ]
    expect(malformed(sublists)).toEqual(expected)
    expect(fastMalformed(sublists)).toEqual(expected)
    expect(await pluginMalformed(sublists)).toEqual([
      '1:3: Unexpected missing destination after `[Items]:`, expected a URL',
      '3:5: Unexpected missing destination after `[Structs]:`, expected a URL'
    ])
  })

  it('should report only the undefined one of two', () => {
    const value = '* [Items]:\n  * a\n* [Types]:\n  * b\n\n[items]: /u\n'
    const expected = [['[Types]:', 'Unexpected missing destination after `[Types]:`, expected a URL']]
    expect(malformed(value)).toEqual(expected)
    expect(fastMalformed(value)).toEqual(expected)
  })

  it('should keep findings about destinations when the label is defined', () => {
    const value = '* x\n\n[a]: https://x.y/a b\n\n[b]: https://x.y/b\n\nText\n[c]: https://x.y/c\n\n[a]: /a\n[c]: /c\n'
    expect(malformed(value)).toEqual([
      ['[a]: https://x.y/a b', 'Unexpected space in the destination of `[a]:`, expected `%20` or `<…>` around it (or a quoted title)'],
      ['[c]: https://x.y/c', 'Unexpected definition `[c]:` inside a paragraph, expected a blank line before it (a definition cannot interrupt a paragraph)']
    ])
  })
})

describe('malformed-definition on the CommonMark link reference definition examples', () => {
  // CommonMark 0.31.2, section 4.7: `[example, input, findings]`. Where
  // CommonMark makes a definition (or reads a link), no finding; a finding
  // only where the text is a broken definition.
  const examples: Array<[number, string, string[]]> = [
    [192, '[foo]: /url "title"\n\n[foo]\n', []],
    [193, "   [foo]: \n      /url  \n           'the title'  \n\n[foo]\n", []],
    [194, "[Foo*bar\\]]:my_(url) 'title (with parens)'\n\n[Foo*bar\\]]\n", []],
    [195, "[Foo bar]:\n<my url>\n'title'\n\n[Foo bar]\n", []],
    [196, "[foo]: /url '\ntitle\nline1\nline2\n'\n\n[foo]\n", []],
    [197, "[foo]: /url 'title\n\nwith blank line'\n\n[foo]\n", ["[foo]: /url 'title"]],
    [198, '[foo]:\n/url\n\n[foo]\n', []],
    [199, '[foo]:\n\n[foo]\n', ['[foo]:']],
    [200, '[foo]: <>\n\n[foo]\n', []],
    [201, '[foo]: <bar>(baz)\n\n[foo]\n', ['[foo]: <bar>(baz)']],
    [202, '[foo]: /url\\bar\\*baz "foo\\"bar\\baz"\n\n[foo]\n', []],
    [203, '[foo]\n\n[foo]: url\n', []],
    [204, '[foo]\n\n[foo]: first\n[foo]: second\n', []],
    [205, '[FOO]: /url\n\n[Foo]\n', []],
    [206, '[ΑΓΩ]: /φου\n\n[αγω]\n', []],
    [207, '[foo]: /url\n', []],
    [208, '[\nfoo\n]: /url\nbar\n', []],
    [209, '[foo]: /url "title" ok\n', ['[foo]: /url "title" ok']],
    [210, '[foo]: /url\n"title" ok\n', []],
    [211, '    [foo]: /url "title"\n\n[foo]\n', []],
    [212, '```\n[foo]: /url\n```\n\n[foo]\n', []],
    [213, 'Foo\n[bar]: /baz\n\n[bar]\n', ['[bar]: /baz']],
    [214, '# [Foo]\n[foo]: /url\n> bar\n', []],
    [215, '[foo]: /url\nbar\n===\n[foo]\n', []],
    [216, '[foo]: /url\n===\n[foo]\n', []],
    [217, '[foo]: /foo-url "foo"\n[bar]: /bar-url\n  "bar"\n[baz]: /baz-url\n\n[foo],\n[bar],\n[baz]\n', []],
    [218, '[foo]\n\n> [foo]: /url\n', []],
    // Example 199 with `foo` defined: a shortcut reference and a colon.
    [199, '[foo]:\n\n[foo]\n\n[foo]: /url\n', []]
  ]

  for (const [number, value, expected] of examples) {
    it('should match CommonMark on example ' + number + ': ' + JSON.stringify(value), () => {
      // Where CommonMark makes no definition, the first line is text.
      const definitions = micromarkDefinitions(value)
      if (expected.length > 0) expect(definitions.some((d) => d.identifier === 'foo' || d.identifier === 'bar')).toBe(false)
      expect(malformed(value).map((d) => d[0])).toEqual(expected)
      expect(fastMalformed(value).map((d) => d[0])).toEqual(expected)
    })
  }
})

describe('malformed-definition in the plugin with `book`', () => {
  const book = path.join(fixtures, 'sublist-book')

  /**
   * `malformed-definition` messages on a chapter of the fixture book.
   *
   * @param definitions
   *   Labels defined elsewhere.
   * @returns
   *   Messages.
   */
  function bookMalformed(definitions: string[]) {
    const name = path.join('src', 'undefined.md')
    const file = new VFile({cwd: book, path: name, value: fs.readFileSync(path.join(book, name), 'utf8')})
    const processor = unified().use(remarkParse).use(remarkXrefRefs, {book, definitions})
    processor.runSync(processor.parse(file), file)
    return file.messages.filter((d) => d.ruleId === 'malformed-definition').map(String)
  }

  it('should report `[Expressions]:` when the label is not defined', () => {
    expect(bookMalformed([])).toEqual(['3:3: Unexpected missing destination after `[Expressions]:`, expected a URL'])
  })

  it('should not report it when the label is given in `definitions`', () => {
    expect(bookMalformed(['expressions'])).toEqual([])
  })
})

describe('malformed-definition in lint', () => {
  it('should report `[Label]:` before a sublist only where the label is undefined', async () => {
    const dir = path.join(fixtures, 'sublist-book')
    const result = await lintBook(dir, {cwd: dir})
    expect(formatHuman(result.files)).toBe(
      [
        'src/undefined.md',
        '  3:3  warning  Unexpected missing destination after `[Expressions]:`, expected a URL  malformed-definition',
        '    3 | * [Expressions]:',
        '      |   ^^^^^^^^^^^^^^',
        '',
        '1 warning'
      ].join('\n')
    )
  })
})
