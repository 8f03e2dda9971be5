import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {fixBook} from '../../src/book/fix.js'
import {lintBook} from '../../src/book/lint.js'
import {preprocessBook} from '../../src/book/preprocess.js'
import {analyseChapter, createCache} from '../../src/fast/analyse-chapter.js'
import {readConfig, resolveOptions} from '../../src/mdbook/config.js'
import {allowMatcher, type RefOptions} from '../../src/markdown/labels.js'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {findReferenceProblems} from '../../src/markdown/reference-scan.js'
import {remarkXrefRefs} from '../../src/plugins/remark-xref-refs.js'
import {fixtures} from '../helpers.js'

/** The fixture book. */
const book = path.join(fixtures, 'allow-book')

/** Folder for copies of the fixture book. */
const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'xref-allow-'))

/**
 * Labels of undefined references in a document without definitions.
 *
 * @param value
 *   Markdown.
 * @param options
 *   Options.
 * @returns
 *   Labels, in order.
 */
function undefinedLabels(value: string, options?: RefOptions): string[] {
  return findReferenceProblems(parseMarkdown(value), value, () => false, options).map((d) => d.label)
}

/**
 * Run `remarkXrefRefs` on a document.
 *
 * @param value
 *   Markdown.
 * @param options
 *   Options.
 * @returns
 *   Messages as strings.
 */
function plugin(value: string, options?: RefOptions): string[] {
  const file = new VFile({path: 'ch.md', value})
  const processor = unified().use(remarkParse).use(remarkXrefRefs, options)
  processor.runSync(processor.parse(file), file)
  return file.messages.map(String)
}

describe('allowMatcher', () => {
  it('should match exact labels as CommonMark does (case folded, whitespace collapsed)', () => {
    const isAllowed = allowMatcher(['Free functions', 'c~serde~docs'])
    expect(['free  FUNCTIONS', ' Free\nfunctions ', 'C~Serde~Docs', 'free function', 'c~serde'].map(isAllowed)).toEqual([
      true,
      true,
      true,
      false,
      false
    ])
  })

  it('should test patterns against the label as written', () => {
    const isAllowed = allowMatcher([/^(std|core|alloc)::/, /^expr\./])
    expect(['core::task::Poll', 'std::vec::Vec', 'Core::x', 'expr.if', 'exprXif', 'tokio::spawn'].map(isAllowed)).toEqual([
      true,
      true,
      false,
      true,
      false,
      false
    ])
  })

  it('should give the same answer each time for a `g` pattern', () => {
    const isAllowed = allowMatcher([/^a/g])
    expect([isAllowed('ab'), isAllowed('ab'), isAllowed('ab')]).toEqual([true, true, true])
  })

  it('should allow nothing without a list or with an empty one', () => {
    expect([allowMatcher(undefined)('a'), allowMatcher(null)('a'), allowMatcher([])('a')]).toEqual([false, false, false])
  })
})

describe('`allow-labels` in `book.toml`', () => {
  it('should default to none', () => {
    expect(resolveOptions({}).options.allowLabels).toEqual([])
  })

  it('should read strings between slashes as patterns (with flags), others as exact labels, in both spellings', () => {
    const items = ['/^expr\\./', '/^(std|core|alloc)::/', '/x/i', 'Free functions', '/', 'a/b/', '//']
    const expected = [/^expr\./, /^(std|core|alloc)::/, /x/i, 'Free functions', '/', 'a/b/', '//']
    expect(resolveOptions({'allow-labels': items})).toEqual({options: expect.objectContaining({allowLabels: expected}), warnings: []})
    expect(resolveOptions({allow_labels: items}).options.allowLabels).toEqual(expected)
  })

  it('should warn on an invalid pattern, naming it and the key, and keep the others', () => {
    const config = {preprocessor: {xref: {'allow-labels': ['/(/', 'a', '/x/gq']}}}
    const result = readConfig(config)
    expect(result.options.allowLabels).toEqual(['a'])
    expect(result.warnings).toEqual([
      'Unexpected invalid regular expression `/(/` (Unterminated group), expected a JavaScript regular expression in `[preprocessor.xref].allow-labels`',
      "Unexpected invalid regular expression `/x/gq` (Invalid flags supplied to RegExp constructor 'gq'), expected a JavaScript regular expression in `[preprocessor.xref].allow-labels`"
    ])
  })

  it('should warn on a value that is not an array of strings, and use the default', () => {
    expect(resolveOptions({'allow-labels': '/^expr\\./'})).toEqual({
      options: expect.objectContaining({allowLabels: []}),
      warnings: [
        'Unexpected `"/^expr\\\\./"` for `allow-labels` in `[preprocessor.xref]`, expected an array of strings; using the default'
      ]
    })
  })
})

describe('findReferenceProblems `allow`', () => {
  const value = 'See [a][items.fn], [b][item.fn], [Free functions][], [c~serde~docs] and [[wiki]].\n'

  it('should not report allowed labels, and keep the others and wiki links', () => {
    expect(undefinedLabels(value)).toEqual(['items.fn', 'item.fn', 'Free functions', 'c~serde~docs', 'wiki'])
    expect(undefinedLabels(value, {allow: [/^items\./, 'free FUNCTIONS', 'C~Serde~Docs', 'wiki']})).toEqual([
      'item.fn',
      'wiki'
    ])
  })
})

describe('preprocessBook with `allow-labels`', () => {
  it('should report only references that are not allowed', () => {
    const config = {book: {src: 'src'}, preprocessor: {xref: {'allow-labels': ['/^items\\./', 'Free functions']}}}
    const content = 'See [a][items.fn], [free  functions][] and [b][item.fn].\n'
    const chapter = {name: 'Items', content, number: [1], sub_items: [], path: 'items.md', parent_names: []}
    const input = {
      context: {root: book, config, renderer: 'html', mdbook_version: '0.4.52'},
      book: {sections: [{Chapter: chapter}]}
    }
    const result = preprocessBook(input, readConfig(config).options)
    expect(result.report).toBe(
      'src/items.md\n  1:44  error    Unexpected undefined reference `item.fn`, expected a definition  undefined-reference\n\n1 error\n'
    )
  })
})

describe('analyseChapter `allow`', () => {
  /**
   * Analyse a chapter.
   *
   * @param value
   *   Markdown.
   * @param allow
   *   Allowed labels.
   * @returns
   *   Characters parsed and labels of undefined references.
   */
  function analyse(value: string, allow?: Array<string | RegExp>): [number, string[]] {
    const result = analyseChapter(value, createCache(), {markers: false, htmlMarkers: false, refs: true, prefixes: ['c~'], allow})
    return [result.parsed, result.refProblems.map((d) => d.label)]
  }

  it('should not report allowed labels, with or without a parse', () => {
    expect(analyse('See [a][items.fn] and [c~x].\n', [/^items\./])).toEqual([0, ['c~x']])
    expect(analyse('> *[a][items.fn]* <b>[c][item.x]</b>\n>\n> - [b][items.x] [c~y]\n', [/^items\./])[1]).toEqual(['item.x', 'c~y'])
  })

  it('should not parse a unit whose only undefined labels are allowed', () => {
    const value = '> See *[a][items.fn]* `x` <b>y</b>\n>\n> - [b][items.x]\n'
    const [parsed, labels] = analyse(value)
    expect([parsed > 0, labels]).toEqual([true, ['items.fn', 'items.x']])
    expect(analyse(value, [/^items\./])).toEqual([0, []])
  })
})

describe('remarkXrefRefs `allow`', () => {
  it('should not report allowed labels: strings exact, RegExps patterns', () => {
    const value = 'See [a][items.fn], [b][/^items/], [`Poll`][core::task::Poll] and [c][tokio::spawn].\n'
    expect(plugin(value, {allow: [/^items\./, /^(std|core)::/, '/^items/']})).toEqual([
      '1:66-1:83: Unexpected undefined reference `tokio::spawn`, expected a definition'
    ])
  })

  it('should pass `allow` on when reading a book', () => {
    const root = path.join(fixtures, 'remark-book')
    const file = path.join('src', 'chapter.md')
    const vfile = new VFile({cwd: root, path: file, value: fs.readFileSync(path.join(root, file), 'utf8')})
    const processor = unified().use(remarkParse).use(remarkXrefRefs, {book: root, allow: ['c-missing']})
    processor.runSync(processor.parse(vfile), vfile)
    expect(vfile.messages.map(String)).toEqual([])
  })
})

describe('lint with `allow-labels`', () => {
  it('should drop allowed references, keep the others, and warn on the invalid pattern', async () => {
    const result = await lintBook(book, {cwd: book, env: {}})
    expect(result.files.flatMap((file) => file.messages.map((d) => [file.path, String(d), d.ruleId]))).toEqual([
      [
        'book.toml',
        '10:1: Unexpected invalid regular expression `/(/` (Unterminated group), expected a JavaScript regular expression in `[preprocessor.xref].allow-labels`',
        'config'
      ],
      ['src/items.md', '4:45-4:67: Unexpected undefined reference `item.struct`, expected a definition', 'undefined-reference'],
      ['src/items.md', '5:1-5:18: Unexpected undefined reference `boxed::Box`, expected a definition', 'undefined-reference'],
      ['src/items.md', '5:22-5:35: Unexpected undefined reference `c~sled~docs`, expected a definition', 'undefined-reference'],
      ['src/items.md', '7:3-7:24: Unexpected undefined reference `tokio::spawn`, expected a definition', 'undefined-reference']
    ])
  })

  it('should not add allowed labels with `--fix`', async () => {
    const dir = path.join(temporary, 'fix')
    fs.cpSync(book, dir, {recursive: true})
    const report = await fixBook(await lintBook(dir, {cwd: dir, env: {}}), {cwd: dir})
    expect(report.added.map((d) => d.label)).toEqual(['c~sled~docs'])
    expect(fs.readFileSync(path.join(dir, 'src', 'items.md'), 'utf8')).not.toContain('[c~serde~docs]:')
  })
})
