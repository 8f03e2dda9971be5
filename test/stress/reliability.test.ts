/**
 * Reliability: bad protocol input, bad markers and references, hostile
 * terms and paths. Each case ends in a clear one-line error or a correct
 * pass-through, with a defined exit code and nothing partial on stdout; no
 * crash, no hang, no lost byte.
 *
 * Linear growth (markers per paragraph) is a benchmark, not a unit test:
 * `node test/scripts/fuzz.js --markers`.
 */

import fs from 'node:fs'
import path from 'node:path'
import type {Nodes, Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {beforeAll, describe, expect, it} from 'vitest'
import {resolveOptions} from '../../src/mdbook/config.js'
import {findMarkers} from '../../src/markdown/markers.js'
import {remarkMdbook} from '../../src/plugins/remark-mdbook.js'
import {locateInContent, processBook, type ChapterInput} from '../../src/book/pass.js'
import {ensureBuilt, fixtures, runBin, splitInput, temporaryDirectory} from '../helpers.js'

/** A context as mdBook 0.4.4 sends it, our table naming the index chapter. */
const context = {
  root: '/nonexistent/book',
  config: {
    book: {authors: [], language: 'en', multilingual: false, src: 'src', title: 'T'},
    preprocessor: {xref: {command: 'mdbook-xref', 'index-chapter': 'index.md'}}
  },
  renderer: 'html',
  mdbook_version: '0.4.4'
}

/**
 * A chapter item.
 *
 * @param name
 *   Name.
 * @param chapterPath
 *   Path (`null`: draft).
 * @param content
 *   Content.
 * @returns
 *   `{Chapter: …}`.
 */
function chapter(name: string, chapterPath: string | null, content: string) {
  return {Chapter: {name, content, number: null, sub_items: [], path: chapterPath, parent_names: []}}
}

/**
 * Preprocessor input text for items (mdBook 0.5 shape).
 *
 * @param items
 *   Items.
 * @returns
 *   JSON text.
 */
function input(items: unknown[]): string {
  return JSON.stringify([context, {items}])
}

/**
 * Run the built binary as mdBook does; parse stdout when it is a book.
 *
 * @param stdin
 *   Input.
 * @returns
 *   Exit code, stdout, stderr, and chapter contents by path when stdout is a book.
 */
async function preprocess(stdin: string | Buffer) {
  const [code, stdout, stderr] = await runBin([], {input: stdin})
  const contents = new Map<string | null, string>()

  if (code === 0) {
    const book = JSON.parse(stdout) as {items: Array<{Chapter?: {path: string | null; content: string}}>}
    for (const item of book.items) if (item.Chapter) contents.set(item.Chapter.path, item.Chapter.content)
  }

  return {code, stdout, stderr, contents}
}

/**
 * Run the pass in process over chapters (`path: content`), `index.md` as the
 * index chapter when present.
 *
 * @param files
 *   Chapter paths to contents, in book order.
 * @returns
 *   Contents after the pass, findings as `ruleId place: reason`, entries.
 */
function pass(files: Record<string, string>) {
  const chapters: ChapterInput[] = Object.entries(files).map(([file, content]) => ({
    name: path.basename(file, '.md'),
    path: file,
    content
  }))
  const originals = chapters.map((d) => ({...d}))
  const {options} = resolveOptions({'index-chapter': 'index.md'})
  const result = processBook(chapters, options, locateInContent(originals, 'src'), 'en')
  return {
    contents: Object.fromEntries(chapters.map((d) => [d.path!, d.content])) as Record<string, string>,
    messages: result.files.flatMap((file) => file.messages.map((d) => d.ruleId + ' ' + file.path + ':' + String(d))),
    entries: result.entries
  }
}

/**
 * Slug of a term as ids use it (contract: lowercase ASCII alphanumerics
 * joined by `-`, at most 40 characters).
 *
 * @param term
 *   Term without levels.
 * @returns
 *   Slug.
 */
function slug(term: string): string {
  return term.toLowerCase().replace(/[^a-z\d]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '')
}

beforeAll(async () => {
  await ensureBuilt()
}, 120_000)

describe('reliability: bad protocol input (built binary)', () => {
  const validText = fs.readFileSync(path.join(fixtures, 'protocol', 'mdbook-0.4.4-input.json'), 'utf8')

  it('should exit 1 with one line on empty or blank stdin', async () => {
    const message = 'mdbook-xref: Unexpected empty input, expected `[context, book]` JSON on stdin from mdBook\n'
    expect(await runBin([], {input: ''})).toEqual([1, '', message])
    expect(await runBin([], {input: ' \n\t\n'})).toEqual([1, '', message])
    expect(await runBin([], {input: '\uFEFF'})).toEqual([1, '', message])
  })

  it('should exit 1 with one line on JSON truncated anywhere, writing nothing to stdout', async () => {
    // Cut inside the context, a key, a string, an escape, the chapters, before the last `]`.
    const cuts = [1, 9, 60, 300, validText.indexOf('\\"') + 1, validText.indexOf('"sections"') + 12, validText.length - 30, validText.length - 1]
    const results = await Promise.all(cuts.map((cut) => runBin([], {input: validText.slice(0, cut)})))

    for (const [index, [code, stdout, stderr]] of results.entries()) {
      expect({cut: cuts[index], code, stdout, lines: stderr.split('\n').length}).toEqual({cut: cuts[index], code: 1, stdout: '', lines: 2})
      expect(stderr).toMatch(/^mdbook-xref: Unexpected invalid JSON on stdin \(.+\), expected `\[context, book\]` from mdBook\n$/)
    }
  })

  it('should exit 1 with one line on JSON that is not `[context, book]`', async () => {
    const ctx = JSON.stringify(context)
    const cases: Array<[string, string]> = [
      ['null', 'Unexpected `null` on stdin, expected a `[context, book]` array'],
      ['"book"', 'Unexpected string on stdin, expected a `[context, book]` array'],
      ['42', 'Unexpected `42` on stdin, expected a `[context, book]` array'],
      ['{}', 'Unexpected object on stdin, expected a `[context, book]` array'],
      ['[]', 'Unexpected array of 0 items on stdin, expected a `[context, book]` array'],
      ['[' + ctx + ']', 'Unexpected array of 1 item on stdin, expected a `[context, book]` array'],
      ['[' + ctx + ',{"items":[]},{}]', 'Unexpected array of 3 items on stdin, expected a `[context, book]` array'],
      ['[{"book":{}},{"items":[]}]', 'Unexpected context object, expected an object with `root` and `config`'],
      ['[{"root":1,"config":{}},{"items":[]}]', 'Unexpected context object, expected an object with `root` and `config`'],
      ['[' + ctx + ',[]]', 'Unexpected book array of 0 items, expected an object'],
      ['[' + ctx + ',{}]', 'Unexpected book without `items` or `sections`, expected an mdBook 0.4 or 0.5 book'],
      ['[' + ctx + ',{"items":{}}]', 'Unexpected book without `items` or `sections`, expected an mdBook 0.4 or 0.5 book'],
      ['[' + ctx + ',{"items":[{"Chapter":null}]}]', 'Unexpected chapter `null` at `items[0]`, expected an object'],
      ['[' + ctx + ',{"items":[{"Chapter":{"name":"A","content":"x"}}]}]', 'Unexpected `undefined` as `sub_items` of chapter `A` at `items[0]`, expected an array']
    ]
    const results = await Promise.all(cases.map(([text]) => runBin([], {input: text})))
    expect(results).toEqual(cases.map(([, message]) => [1, '', 'mdbook-xref: ' + message + '\n']))
  })

  it('should exit 1 with one line naming the chapter when `content` is not a string', async () => {
    const values: Array<[unknown, string]> = [
      [5, '`5`'],
      [null, '`null`'],
      [{text: 'x'}, 'object'],
      [['x'], 'array of 1 item'],
      [true, '`true`']
    ]
    const results = await Promise.all(
      values.map(([value]) =>
        runBin([], {
          input: input([
            chapter('Intro', 'intro.md', 'ok'),
            {Chapter: {...chapter('Knots', 'knots.md', '').Chapter, sub_items: [{Chapter: {...chapter('Bad', 'bad.md', '').Chapter, content: value}}]}}
          ])
        })
      )
    )
    expect(results).toEqual(
      values.map(([, described]) => [
        1,
        '',
        'mdbook-xref: Unexpected ' + described + ' as `content` of chapter `Bad` at `items[1].sub_items[0]`, expected a string\n'
      ])
    )
  })

  it('should pass unknown item kinds through byte for byte', async () => {
    const text = input([
      'Separator',
      {PartTitle: 'Part <b>'},
      {FutureKind: {name: 'x', content: '{{hi:not-a-chapter}}', nested: [1, {a: null}]}},
      'FutureUnit',
      chapter('A', 'a.md', 'No markers.\n')
    ])
    const [code, stdout, stderr] = await runBin([], {input: text})
    expect([code, stdout, stderr]).toEqual([0, splitInput(text).book, ''])
  })

  it('should exit 1 with one line on invalid UTF-8 anywhere on stdin', async () => {
    const message = 'mdbook-xref: Unexpected invalid UTF-8 on stdin, expected `[context, book]` JSON from mdBook\n'
    const text = input([chapter('A', 'a.md', 'MARK')])
    const [before, after] = text.split('MARK')
    const bad = [
      Buffer.from([0xff]),
      Buffer.from([0xc0, 0xaf]), // Overlong `/`.
      Buffer.from([0xed, 0xa0, 0x80]), // A surrogate encoded as UTF-8 (CESU-8).
      Buffer.from([0xe2, 0x82]), // Truncated `€`.
      Buffer.from([0xf4, 0x90, 0x80, 0x80]) // Above U+10FFFF.
    ]
    const results = await Promise.all(
      bad.map((bytes) => runBin([], {input: Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)])}))
    )
    expect(results).toEqual(bad.map(() => [1, '', message]))
    // UTF-16 (what a Windows editor may save): not UTF-8 either.
    expect(await runBin([], {input: Buffer.from('\uFEFF' + text, 'utf16le')})).toEqual([1, '', message])
  })

  it('should keep lone surrogates (`\\ud800` escapes) in content, terms, names and the index', async () => {
    const text = input([
      chapter('Lone \ud800', 'a.md', 'x\ud800 {{hi:\udc00z}} {{i:\ud83d}} \ud83d\ude00\n'),
      chapter('Index', 'index.md', '')
    ])
    expect(text).toContain('\\ud800')
    const result = await preprocess(text)
    expect([result.code, result.stderr]).toEqual([0, ''])
    // Still escapes: stdout is valid UTF-8, no replacement character.
    expect(result.stdout).toContain('\\ud800')
    expect(result.stdout).not.toContain('\uFFFD')
    expect(result.contents.get('a.md')).toBe('x\ud800 <span id="xref-z-1"></span> <span id="xref-ud83d-1"></span>\ud83d 😀\n')
    expect(result.contents.get('index.md')).toContain('- <span id="xref-entry-z"></span>\udc00z, [Lone \ud800](a.md#xref-z-1)')
  })

  it('should keep CRLF line endings, also around anchors', async () => {
    const result = await preprocess(
      input([chapter('A', 'a.md', '# T {{i:t}}\r\n\r\nA {{hi:x}} b\r\nc {{i:y}}\r\n\r\n- {{i:z}}\r\n  ===\r\n'), chapter('Index', 'index.md', '')])
    )
    expect([result.code, result.stderr]).toEqual([0, ''])
    expect(result.contents.get('a.md')).toBe(
      '<a id="xref-t-1"></a>\r\n# T t\r\n\r\nA <span id="xref-x-1"></span> b\r\nc <span id="xref-y-1"></span>y\r\n\r\n- <a id="xref-z-1"></a>\r\n\r\n  z\r\n  ===\r\n'
    )
  })

  it('should accept a BOM at the start of stdin and keep one at the start of a chapter', async () => {
    const text = input([chapter('A', 'a.md', '\uFEFF# T {{i:t}}\n\nA {{hi:x}}\n'), chapter('Index', 'index.md', '')])
    const plain = await preprocess(text)
    const withBom = await preprocess('\uFEFF' + text)
    expect([plain.code, plain.stderr]).toEqual([0, ''])
    expect(withBom.stdout).toBe(plain.stdout)
    expect(plain.contents.get('a.md')).toBe('\uFEFF<a id="xref-t-1"></a>\n# T t\n\nA <span id="xref-x-1"></span>\n')
  })

  it('should pass through both book shapes with nothing to do, byte for byte', async () => {
    for (const name of ['mdbook-0.4.4-input.json', 'mdbook-0.5.4-input.json']) {
      const text = fs.readFileSync(path.join(fixtures, 'protocol', name), 'utf8')
      const [code, stdout, stderr] = await runBin([], {input: text})
      expect([code, stdout]).toEqual([0, splitInput(text).book])
      // The fixtures carry keys of their own: warnings, nothing else.
      expect(stderr.split('\n').filter((d) => d && !d.startsWith('mdbook-xref: warning: '))).toEqual([])
    }
  })
})

describe('reliability: bad markers and references', () => {
  it('should leave unterminated, empty and nested markers as written, and report each once', () => {
    const content = 'a {{hi:open\n\nb {{i:}} <<ii: >>\n\nc {{hi:{{i:x}}}} d\n\ne <<hi:a>b>> f }} >> {{foo}}\n'
    const result = pass({'a.md': content})
    expect(result.contents['a.md']).toBe(content)
    expect(result.entries).toEqual([])
    expect(result.messages).toEqual([
      'marker-unterminated src/a.md:1:3-1:8: Unexpected unclosed `{{hi:`, expected `}}` on the same line',
      'marker-empty src/a.md:3:3-3:9: Unexpected empty term in `{{i:}}`, expected a term such as `{{i:tokio}}`',
      'marker-empty src/a.md:3:10-3:18: Unexpected empty term in `<<ii: >>`, expected a term such as `<<ii:tokio>>`',
      'marker-nested src/a.md:5:3-5:17: Unexpected `{{i:` inside `{{hi:`, expected `}}` first',
      'marker-unterminated src/a.md:7:3-7:10: Unexpected autolink `<hi:a>` after `<`, expected `>` right after it, as in `<<hi:a>>`'
    ])
  })

  it('should rewrite 10,000 markers in one paragraph, every byte between them kept', () => {
    const terms = Array.from({length: 10_000}, (_, index) => 't' + (index % 50))
    const content = terms.map((d) => 'word {{hi:' + d + '}}').join(' ') + '\n'
    const counts = new Map<string, number>()
    const expected =
      terms
        .map((d) => {
          const count = (counts.get(d) ?? 0) + 1
          counts.set(d, count)
          return 'word <span id="xref-' + d + '-' + count + '"></span>'
        })
        .join(' ') + '\n'
    const result = pass({'a.md': content, 'index.md': ''})
    expect(result.contents['a.md'] === expected).toBe(true)
    expect(result.entries.length).toBe(10_000)
    expect(result.messages).toEqual([])
    // The index lists each term once, linking the chapter once.
    expect(result.contents['index.md'].match(/\[a\]\(a\.md#xref-t\d+-1\)/g)?.length).toBe(50)
  })

  it('should survive 10,000 broken markers of each kind in one paragraph, text intact', () => {
    const cases = {
      unterminated: '{{hi:'.repeat(10_000),
      spaced: 'a {{hi: '.repeat(10_000),
      nested: '{{hi:'.repeat(10_000) + 'x' + '}}'.repeat(10_000),
      empty: '{{hi:}}'.repeat(10_000),
      closers: '}}>>'.repeat(10_000) + '{{hi:x',
      autolink: '<<hi:a>b>>'.repeat(10_000),
      lines: 'x {{hi:y\n'.repeat(10_000)
    }

    /** Problems per case: one per broken marker, one for a nest. */
    const expected: Record<string, [string, number]> = {
      unterminated: ['marker-unterminated', 10_000],
      spaced: ['marker-unterminated', 10_000],
      nested: ['marker-nested', 1],
      empty: ['marker-empty', 10_000],
      closers: ['marker-unterminated', 1],
      autolink: ['marker-unterminated', 10_000],
      lines: ['marker-unterminated', 10_000]
    }

    for (const [name, text] of Object.entries(cases)) {
      const content = text + '\n'
      const result = pass({'a.md': content})
      const rules = [...new Set(result.messages.map((d) => d.split(' ')[0]))]
      expect({name, same: result.contents['a.md'] === content, entries: result.entries.length, rules, count: result.messages.length}).toEqual({
        name,
        same: true,
        entries: 0,
        rules: [expected[name][0]],
        count: expected[name][1]
      })
    }
  }, 30_000)

  it('should index a 1 MB term', () => {
    const term = 'a'.repeat(2 ** 20)
    const words = 'ab '.repeat(350_000)
    const result = pass({'a.md': '{{hi:' + term + '}}\n\nx {{i:' + words + '}} y\n', 'index.md': ''})
    expect(result.contents['a.md'] === '<span id="xref-' + 'a'.repeat(40) + '-1"></span>\n\nx <span id="xref-' + slug(words) + '-1"></span>' + words.trim() + ' y\n').toBe(true)
    expect(result.entries.map((d) => d.term.length)).toEqual([term.length, words.length])
    expect(result.contents['index.md'].includes('- <span id="xref-entry-' + 'a'.repeat(40) + '"></span>' + term + ', [a](a.md#xref-' + 'a'.repeat(40) + '-1)')).toBe(true)
  })

  it('should find markers where CommonMark sees text and leave every other construct as written', () => {
    const content = [
      '# Heading {{hi:h1}}',
      'Setext {{i:h2}}\n---',
      '- item {{hi:li}}\n  - nested {{i:li2}}',
      '1. ordered {{hi:ol}}',
      '> quote {{hi:bq}}\n> > deeper {{ii:bq2}}',
      '| a {{hi:th}} | b |\n|---|---|\n| {{i:td}} | c | {{hi:extra}} |',
      'Footnote call[^1].\n\n[^1]: Note {{hi:fn}}.',
      '[link {{hi:lt}}](https://x) and [ref {{hi:rt}}][d] and [{{hi:sc}}] and ![alt {{hi:img}}](i.png)',
      'Emphasis *{{hi:em}}* **{{i:st}}** ~~{{hi:del}}~~ `{{hi:code}}` <span title="{{hi:attr}}">{{hi:inl}}</span>',
      '<div>\n{{hi:html}}\n</div>',
      '```\n{{hi:fence}}\n```',
      '    {{hi:indented}}',
      '<https://x/{{hi:auto}}> and <<hi:angle>> and \\{{hi:esc}} and {{hi:open and {{hi:}} and {{hi:{{i:n}}}}',
      '[d]: https://d "{{hi:title}}"',
      '[{{hi:sc}}]: https://sc'
    ].join('\n\n') + '\n'
    const result = pass({'a.md': content, 'index.md': ''})
    expect(result.contents['a.md']).toBe(
      [
        '<a id="xref-h1-1"></a>\n# Heading ',
        '<a id="xref-h2-1"></a>\n\nSetext h2\n---',
        '- item <span id="xref-li-1"></span>\n  - nested <span id="xref-li2-1"></span>li2',
        '1. ordered <span id="xref-ol-1"></span>',
        '> quote <span id="xref-bq-1"></span>\n> > deeper <span id="xref-bq2-1"></span>bq2',
        '| a <span id="xref-th-1"></span> | b |\n|---|---|\n| <span id="xref-td-1"></span>td | c | {{hi:extra}} |',
        'Footnote call[^1].\n\n[^1]: Note <span id="xref-fn-1"></span>.',
        '[link <span id="xref-lt-1"></span>](https://x) and [ref <span id="xref-rt-1"></span>][d] and [{{hi:sc}}] and ![alt {{hi:img}}](i.png)',
        'Emphasis *<span id="xref-em-1"></span>* **<span id="xref-st-1"></span>st<em></em>** ~~<span id="xref-del-1"></span>~~ `{{hi:code}}` <span title="{{hi:attr}}"><span id="xref-inl-1"></span></span>',
        '<div>\n{{hi:html}}\n</div>',
        '```\n{{hi:fence}}\n```',
        '    {{hi:indented}}',
        '<https://x/{{hi:auto}}> and <span id="xref-angle-1"></span> and &#123;{hi:esc}} and {{hi:open and {{hi:}} and {{hi:{{i:n}}}}',
        '[d]: https://d "{{hi:title}}"',
        '[{{hi:sc}}]: https://sc'
      ].join('\n\n') + '\n'
    )
    expect(result.entries.map((d) => d.term)).toEqual(['h1', 'h2', 'li', 'li2', 'ol', 'bq', 'bq2', 'th', 'td', 'fn', 'lt', 'rt', 'em', 'st', 'del', 'inl', 'angle'])
    expect(result.messages).toEqual([
      'marker-dropped src/a.md:16:18-16:30: Unexpected marker in cell `3` of a table with `2` columns, expected it in the first `2` cells (mdBook drops the others)',
      'marker-dropped src/a.md:22:57-22:66: Unexpected marker in the label of a shortcut or collapsed reference, expected it outside `[…]` or a full reference `[text][label]`',
      'marker-nested src/a.md:36:62-36:102: Unexpected `{{hi:` inside `{{hi:`, expected `}}` first'
    ])
  })

  it('should not overflow the stack on containers nested thousands deep', () => {
    // Before: `walkBlocks` in `markers.ts` recursed once per level.
    const content = '- '.repeat(3000) + '{{hi:deep}}\n'
    const result = pass({'a.md': content})
    expect(result.contents['a.md']).toBe('- '.repeat(3000) + '<span id="xref-deep-1"></span>\n')
  }, 30_000)

  it('should not overflow the stack on a tree nested 100,000 deep (blocks and phrasing)', () => {
    // micromark takes seconds for such input: build the trees directly.
    const depth = 100_000
    const quotes = '>'.repeat(depth) + ' {{hi:q}}'
    const emphasis = '*'.repeat(depth) + '{{hi:e}}' + '*'.repeat(depth)
    const deepQuotes = nest(depth, 'blockquote', (index) => [index, quotes.length], {
      type: 'paragraph',
      children: [{type: 'text', value: '{{hi:q}}', position: place(depth + 1, quotes.length)}],
      position: place(depth + 1, quotes.length)
    })
    const deepEmphasis = nest(depth, 'emphasis', (index) => [index, emphasis.length - index], {
      type: 'text',
      value: '{{hi:e}}',
      position: place(depth, depth + 8)
    })
    const first = findMarkers({type: 'root', children: [deepQuotes as never], position: place(0, quotes.length)}, quotes)
    const second = findMarkers(
      {
        type: 'root',
        children: [{type: 'paragraph', children: [deepEmphasis as never], position: place(0, emphasis.length)}],
        position: place(0, emphasis.length)
      },
      emphasis
    )
    expect([first.markers.map((d) => [d.term, d.start]), second.markers.map((d) => [d.term, d.start])]).toEqual([
      [['q', depth + 1]],
      [['e', depth]]
    ])

    /**
     * Nest a node `depth` levels deep, iteratively.
     *
     * @param count
     *   Levels.
     * @param type
     *   Type of each level.
     * @param range
     *   Offsets of level `index`.
     * @param leaf
     *   Innermost node.
     * @returns
     *   Outermost node.
     */
    function nest(count: number, type: string, range: (index: number) => [number, number], leaf: Nodes): Nodes {
      let node: Nodes = leaf
      for (let index = count - 1; index >= 0; index--) {
        const [start, end] = range(index)
        node = {type, children: [node], position: place(start, end)} as unknown as Nodes
      }

      return node
    }

    /**
     * Position on line 1.
     *
     * @param start
     *   Start offset.
     * @param end
     *   End offset.
     * @returns
     *   Position.
     */
    function place(start: number, end: number) {
      return {start: {line: 1, column: start + 1, offset: start}, end: {line: 1, column: end + 1, offset: end}}
    }
  })

  // `walkBlocks` and `collectMasks` (src/markdown/reference-scan.ts) once recursed per level
  // and overflowed the stack here.
  it('should not overflow the stack checking references in lists nested thousands deep', () => {
    const result = pass({'a.md': '- '.repeat(3000) + '[c~nope]\n'})
    expect(result.messages.map((d) => d.split(' ')[0])).toEqual(['undefined-reference'])
  }, 30_000)
})

describe('reliability: hostile content', () => {
  const hostile = [
    'A {{hi:<script>alert(1)</script>}} b.',
    'C {{i:"onmouseover=alert(1) x}} d {{hi:<img src=x onerror=alert(1)>}}.',
    'E <<hi:a" onmouseover="alert(1)>> f {{hi:[x](javascript:alert(1))}} {{hi:x!<iframe src=javascript:alert(1)>}}',
    '{{hi:z@<b onclick=alert(1)>}} {{hi:<\\!-- c -->}} {{hi:<?php x ?>}} {{hi:<![CDATA[x]]>}} {{hi:`<code>`}}',
    '## {{hi:<style>body{}</style>}} head'
  ].join('\n\n') + '\n'
  /** Text that must never reach the index as raw HTML or a URL. */
  const dangerous = /<script|<img|<iframe|<style|<b |onmouseover|onerror|onclick|javascript:|<\?php|CDATA|<!-- c/i

  it('should show hostile terms in the index as text, never as HTML or a link', async () => {
    const result = await preprocess(input([chapter('Bad <script>alert(2)</script>', 'a.md', hostile), chapter('Index', 'index.md', '')]))
    expect([result.code, result.stderr]).toEqual([0, ''])
    const index = result.contents.get('index.md')!
    const tree = unified().use(remarkParse).use(remarkMdbook).parse(index) as Root
    const html: string[] = []
    const urls: string[] = []
    /** Collect HTML values and URLs, depth first. */
    const walk = (node: Nodes): undefined => {
      if (node.type === 'html') html.push(node.value)
      if (node.type === 'link' || node.type === 'definition' || node.type === 'image') urls.push(node.url)
      if ('children' in node) for (const child of node.children) walk(child)
    }

    walk(tree)
    // Only our own markers of the generated block and entry anchors (slugs) are HTML.
    expect(html.filter((d) => !/^(?:<span id="xref-entry-[a-z\d-]+">|<\/span>)$/.test(d))).toEqual(['<!-- mdbook-xref index: start -->', '<!-- mdbook-xref index: end -->'])
    expect(html.length).toBeGreaterThan(10)
    // Fragment ids are slugs (`#xref-img-src-x-onerror-alert-1-1` is inert).
    // …and jump links to letter headings (`#symbols`, `#a`).
    expect(urls.filter((d) => !/^a\.md#xref-[a-z\d-]+-\d+$/.test(d) && !/^#[a-z\d]+$/.test(d))).toEqual([])
    // Entry anchors were checked above to be slugs (`xref-entry-img-src-x-onerror-…` is inert).
    expect(html.filter((d) => !d.startsWith('<span id="xref-entry-') && dangerous.test(d))).toEqual([])
    // The terms are there, as text.
    const text = toString(tree)
    for (const term of ['<script>alert(1)</script>', '"onmouseover=alert(1) x', '<img src=x onerror=alert(1)>', 'a" onmouseover="alert(1)', '[x](javascript:alert(1))', '<iframe src=javascript:alert(1)>', '<!-- c -->', '<?php x ?>', '<style>body{}</style>', 'Bad <script>alert(2)</script>']) {
      expect({term, shown: text.includes(term)}).toEqual({term, shown: true})
    }

    // Anchors in the chapter carry slugs only.
    const ids = [...result.contents.get('a.md')!.matchAll(/<(?:span|a) id="([^"]*)"><\/(?:span|a)>/g)].map((d) => d[1])
    expect(ids.length).toBe(12)
    expect(ids.filter((d) => !/^xref-[a-z\d-]+-\d+$/.test(d))).toEqual([])
  })

  it('should report `javascript:` and other unsafe URLs in definitions', () => {
    const result = pass({
      'a.md': '[j] [k] [l] [m] [n] [o]\n\n[j]: javascript:alert(1)\n[k]: JaVaScRiPt:alert(1)\n[l]: data:text/html,<script>x</script>\n[m]: vbscript:x\n[n]: <javascript:alert(1)>\n[o]: https://ok.example\n'
    })
    expect(result.messages).toEqual([
      'unsafe-url src/a.md:3:1-3:4: Unexpected `javascript:` URL for `j`, expected a `https:` or relative URL',
      'unsafe-url src/a.md:4:1-4:4: Unexpected `javascript:` URL for `k`, expected a `https:` or relative URL',
      'unsafe-url src/a.md:5:1-5:4: Unexpected `data:` URL for `l`, expected a `https:` or relative URL',
      'unsafe-url src/a.md:6:1-6:4: Unexpected `vbscript:` URL for `m`, expected a `https:` or relative URL',
      'unsafe-url src/a.md:7:1-7:4: Unexpected `javascript:` URL for `n`, expected a `https:` or relative URL'
    ])
  })

  /**
   * Make a book for `lint`.
   *
   * @param chapters
   *   Chapter files under `src/` (also listed in SUMMARY.md).
   * @returns
   *   Book root (real path).
   */
  function lintBook(chapters: Record<string, string>): string {
    const files: Record<string, string> = {
      'book.toml': '[book]\ntitle = "T"\n',
      'src/SUMMARY.md': '# Summary\n\n' + Object.keys(chapters).map((d) => '- [' + d + '](' + d + ')\n').join('')
    }
    for (const [name, text] of Object.entries(chapters)) files['src/' + name] = text
    return fs.realpathSync(temporaryDirectory(files))
  }

  /**
   * Run `lint --format json` and keep the fields that matter.
   *
   * @param dir
   *   Book root.
   * @param flags
   *   Extra flags.
   * @returns
   *   Exit code and findings.
   */
  async function lint(dir: string, flags: string[] = []) {
    const [code, stdout, stderr] = await runBin(['lint', '--format', 'json', ...flags], {cwd: dir})
    const findings = JSON.parse(stdout) as Array<{ruleId: string; file: string; line: number; message: string}>
    return {code, stderr, findings: findings.map((d) => [d.ruleId, d.file, d.line, d.message])}
  }

  it('should refuse `{{#include ../../../../etc/passwd}}` during lint unless `--allow-outside-root`', async () => {
    const dir = lintBook({'a.md': '# A\n\n{{#include ../../../../../../../../../../etc/passwd}}\n'})
    expect(await lint(dir)).toEqual({
      code: 1,
      stderr: '',
      findings: [
        [
          'include-error',
          'src/a.md',
          3,
          'Unexpected include of `../../../../../../../../../../etc/passwd` (`/etc/passwd`) outside `' +
            dir +
            '`, expected a file inside the repository (pass `--allow-outside-root` to allow it)'
        ]
      ]
    })
    const allowed = await lint(dir, ['--allow-outside-root'])
    expect(allowed.findings.filter((d) => d[0] === 'include-error')).toEqual([])
  }, 20_000)

  it('should report include cycles and symlink loops during lint, without hanging', async () => {
    const dir = lintBook({
      'self.md': '# Self\n\n{{#include self.md}}\n',
      'a.md': '# A\n\n{{#include b.md}}\n',
      'b.md': '# B\n\n{{#include a.md}}\n',
      'loop.md': '# Loop\n\n{{#include link1.md}}\n'
    })
    fs.symlinkSync('link2.md', path.join(dir, 'src', 'link1.md'))
    fs.symlinkSync('link1.md', path.join(dir, 'src', 'link2.md'))
    const result = await lint(dir)
    expect(result.code).toBe(1)
    expect(result.findings).toEqual([
      ['include-error', 'src/a.md', 3, 'Unexpected include nested deeper than `10` levels (dropped, as mdBook does), expected no include cycle; likely cycle: `src/a.md` → `src/b.md` → `src/a.md`'],
      ['include-error', 'src/b.md', 3, 'Unexpected include nested deeper than `10` levels (dropped, as mdBook does), expected no include cycle; likely cycle: `src/b.md` → `src/a.md` → `src/b.md`'],
      ['include-error', 'src/loop.md', 3, 'Cannot read `link1.md` (`' + path.join(dir, 'src', 'link1.md') + '`): symlink loop'],
      ['include-error', 'src/self.md', 3, 'Unexpected include nested deeper than `10` levels (dropped, as mdBook does), expected no include cycle; likely cycle: `src/self.md` → `src/self.md`']
    ])
  }, 20_000)
})
