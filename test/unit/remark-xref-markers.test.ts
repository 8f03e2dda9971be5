/**
 * `remarkXrefMarkers` changes the tree: markers become `xrefAnchor` nodes,
 * which remark-rehype turns into the preprocessor's anchors and
 * remark-stringify writes as the HTML the preprocessor splices in.
 */

import type {Root} from 'mdast'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import remarkStringify from 'remark-stringify'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {remarkMdbook} from '../../src/plugins/remark-mdbook.js'
import {remarkXrefMarkers} from '../../src/plugins/remark-xref-markers.js'

/** A chapter with every place a marker can stand. */
const chapter = [
  '# {{i:Async}} Rust',
  '',
  'The *{{ii:tokio}} runtime* polls {{hi:future!polling}} and',
  'runs {{i:`Vec`}} tasks; <<hi:angle>> too.',
  '',
  'Write `{{hi:x}}` in code, or \\{{hi:x}}, to show a marker.',
  '',
  '| Crate | Use |',
  '| - | - |',
  '| {{i:smol}} | a **{{hi:runtime}}** |',
  '',
  '> ## Nested {{hi:deep}}',
  ''
].join('\n')

/** HTML processor. */
const toHtml = unified()
  .use(remarkParse)
  .use(remarkMdbook)
  .use(remarkXrefMarkers)
  .use(remarkRehype)
  .use(rehypeStringify)

/** Markdown processor. */
const toMarkdown = unified().use(remarkParse).use(remarkMdbook).use(remarkXrefMarkers).use(remarkStringify)

describe('remarkXrefMarkers (tree)', () => {
  it('should turn markers into anchor elements with remark-rehype, without raw HTML', async () => {
    expect(String(await toHtml.process(chapter))).toBe(
      [
        '<p><a id="xref-async-1"></a></p>',
        '<h1>Async Rust</h1>',
        '<p>The <em><span id="xref-tokio-1"></span>tokio runtime</em> polls <span id="xref-future-polling-1"></span> and',
        'runs <span id="xref-vec-1"></span><code>Vec</code> tasks; <span id="xref-angle-1"></span> too.</p>',
        '<p>Write <code>{{hi:x}}</code> in code, or {{hi:x}}, to show a marker.</p>',
        '<table>',
        '<thead>',
        '<tr>',
        '<th>Crate</th>',
        '<th>Use</th>',
        '</tr>',
        '</thead>',
        '<tbody>',
        '<tr>',
        '<td><span id="xref-smol-1"></span>smol</td>',
        '<td>a <strong><span id="xref-runtime-1"></span></strong></td>',
        '</tr>',
        '</tbody>',
        '</table>',
        '<blockquote>',
        '<p><a id="xref-deep-1"></a></p>',
        '<h2>Nested</h2>',
        '</blockquote>'
      ].join('\n')
    )
  })

  it('should give the HTML of the spliced source (`file.data.xref.output`)', async () => {
    const file = new VFile(chapter)
    const html = String(await toHtml.process(file))
    const spliced = unified()
      .use(remarkParse)
      .use(remarkMdbook)
      .use(remarkRehype, {allowDangerousHtml: true})
      .use(rehypeStringify, {allowDangerousHtml: true})
    expect(String(await spliced.process(file.data.xref!.output))).toBe(html)
  })

  it('should write the HTML the preprocessor splices in with remark-stringify', async () => {
    expect(String(await toMarkdown.process(chapter))).toBe(
      [
        '<a id="xref-async-1"></a>',
        '# Async Rust',
        '',
        'The *<span id="xref-tokio-1"></span>tokio runtime* polls <span id="xref-future-polling-1"></span> and',
        'runs <span id="xref-vec-1"></span>`Vec` tasks; <span id="xref-angle-1"></span> too.',
        '',
        'Write `{{hi:x}}` in code, or \\{{hi:x}}, to show a marker.',
        '',
        '| Crate                              | Use                                     |',
        '| ---------------------------------- | --------------------------------------- |',
        '| <span id="xref-smol-1"></span>smol | a **<span id="xref-runtime-1"></span>** |',
        '',
        '> <a id="xref-deep-1"></a>',
        '> ## Nested',
        ''
      ].join('\n')
    )
  })

  it('should change nothing when run on its own output (idempotent)', async () => {
    const once = String(await toMarkdown.process(chapter))
    const file = new VFile(once)
    expect(String(await toMarkdown.process(file))).toBe(once)
    expect(file.data.xref?.entries).toEqual([])
  })

  it('should keep escaped angle markers from indexing when written', async () => {
    const once = String(await toMarkdown.process('\\<<hi:x>> and \\{{i:y}}\n'))
    expect(once).toBe('\\<<hi:x>> and \\{{i:y}}\n')
  })

  it('should split text with positions (visible text at its marker’s), and keep markers in code as written', () => {
    const tree = toMarkdown.parse('a {{i:b}} c `{{hi:d}}`\n') as Root
    const file = new VFile('a {{i:b}} c `{{hi:d}}`\n')
    toMarkdown.runSync(tree, file)
    expect(tree.children[0]).toEqual({
      type: 'paragraph',
      children: [
        {
          type: 'text',
          value: 'a ',
          position: {start: {line: 1, column: 1, offset: 0}, end: {line: 1, column: 3, offset: 2}}
        },
        {
          type: 'xrefAnchor',
          id: 'xref-b-1',
          kind: 'i',
          term: 'b',
          data: {hName: 'span', hProperties: {id: 'xref-b-1'}}
        },
        {
          type: 'text',
          value: 'b c ',
          position: {start: {line: 1, column: 3, offset: 2}, end: {line: 1, column: 13, offset: 12}}
        },
        {
          type: 'inlineCode',
          value: '{{hi:d}}',
          position: {start: {line: 1, column: 13, offset: 12}, end: {line: 1, column: 23, offset: 22}}
        }
      ],
      position: {start: {line: 1, column: 1, offset: 0}, end: {line: 1, column: 23, offset: 22}}
    })
  })

  it('should split text after escapes, references and continuation lines', () => {
    const value = '> a &amp; \\* \n>   b {{hi:x}} c\n'
    const tree = toMarkdown.parse(value) as Root
    toMarkdown.runSync(tree, new VFile(value))
    const quote = tree.children[0]
    const paragraph = quote.type === 'blockquote' ? quote.children[0] : undefined
    expect(paragraph && paragraph.type === 'paragraph' && paragraph.children.map((d) => [d.type, 'value' in d ? d.value : ''])).toEqual([
      ['text', 'a & *\nb '],
      ['xrefAnchor', ''],
      ['text', ' c']
    ])
  })
})

describe('remarkXrefMarkers (tree, headings and line endings)', () => {
  /** Sources whose HTML must equal that of the spliced source. */
  const sources = [
    'Tokio {{hi:x}}\n===\n',
    '# A {{hi:a}} {{i:b}} c\n',
    '- # {{i:H}} x\n- y\n',
    'a {{i:a}}{{hi:b}} c\r\nd {{hi:e}}\r\n',
    '[t {{hi:x}}](u) and {{i:[l]}}\n\n[l]: /u\n',
    '{{i:a!b}} &amp; {{ii:c\\_d}}\n',
    '> - a\n>   b {{hi:x}} c\n',
    '[^n] {{hi:x}}\n\n[^n]: note {{i:y}}\n',
    '# <<i:x>> y\n',
    '- a {{hi:a}} {{i:b}}\n  ---\n',
    '# {{hi:a}}{{hi:b}} c\r\n'
  ]

  it('should give the HTML of the spliced source', async () => {
    const spliced = unified()
      .use(remarkParse)
      .use(remarkMdbook)
      .use(remarkRehype, {allowDangerousHtml: true})
      .use(rehypeStringify, {allowDangerousHtml: true})

    for (const value of sources) {
      const file = new VFile(value)
      const html = String(await toHtml.process(file))
      expect([value, html]).toEqual([value, String(await spliced.process(file.data.xref!.output))])
    }
  })

  it('should write anchors before headings, with a blank line before setext ones', async () => {
    const setext = unified().use(remarkParse).use(remarkMdbook).use(remarkXrefMarkers).use(remarkStringify, {setext: true})
    const results: string[] = []
    for (const value of sources.slice(0, 4)) results.push(String(await toMarkdown.process(value)), String(await setext.process(value)))
    expect(results).toEqual([
      '<a id="xref-x-1"></a>\n# Tokio\n',
      '<a id="xref-x-1"></a>\n\nTokio\n=====\n',
      '<a id="xref-a-1"></a>\n<a id="xref-b-1"></a>\n# A  b c\n',
      '<a id="xref-a-1"></a>\n<a id="xref-b-1"></a>\n\nA  b c\n======\n',
      '* <a id="xref-h-1"></a>\n  # H x\n* y\n',
      '* <a id="xref-h-1"></a>\n\n  H x\n  ===\n* y\n',
      'a <span id="xref-a-1"></span>a<span id="xref-b-1"></span> c\r\nd <span id="xref-e-1"></span>\n',
      'a <span id="xref-a-1"></span>a<span id="xref-b-1"></span> c\r\nd <span id="xref-e-1"></span>\n'
    ])
  })
})

describe('remarkXrefMarkers (tree, option `html`)', () => {
  it('should splice anchors into raw HTML blocks, as the preprocessor does', async () => {
    const processor = unified()
      .use(remarkParse)
      .use(remarkXrefMarkers, {html: true})
      .use(remarkStringify)
    const file = new VFile('<div>\n{{hi:a}} b\n</div>\n')
    expect(String(await processor.process(file))).toBe('<div>\n<span id="xref-a-1"></span> b\n</div>\n')
    expect(String(file)).toBe(file.data.xref!.output)
  })
})

describe('remarkXrefMarkers (tree, size)', () => {
  it('should rewrite 10,000 markers in one paragraph', () => {
    const value = Array.from({length: 10_000}, (_, index) => 'w{{i:t' + index + '}}').join(' ') + '\n'
    const tree = toMarkdown.parse(value) as Root
    toMarkdown.runSync(tree, new VFile(value))
    const paragraph = tree.children[0]
    // Anchor, then the visible text merged with the space after it.
    expect(paragraph.type === 'paragraph' && paragraph.children.length).toBe(20_001)
  })
})
