/**
 * `remarkMdbook` is mdBook's flavour both ways: what `remark-parse` reads
 * with it, `remark-stringify` writes back.
 */

import remarkParse from 'remark-parse'
import remarkStringify from 'remark-stringify'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {remarkMdbook} from '../../src/plugins/remark-mdbook.js'

/** A document with every construct of the flavour, as remark-stringify writes it. */
const document = [
  '# Flavour',
  '',
  '| Crate |     Use |',
  '| :---- | ------: |',
  '| tokio | runtime |',
  '',
  'A ~~struck~~ word, a single \\~tilde\\~, and a call[^note].',
  '',
  '* [x] done',
  '* [ ] to do',
  '',
  '[^note]: A footnote.',
  ''
].join('\n')

describe('remarkMdbook', () => {
  it('should parse and serialise tables, strikethrough, footnotes and task lists', async () => {
    const processor = unified().use(remarkParse).use(remarkMdbook).use(remarkStringify)
    const tree = processor.parse(document)
    expect(tree.children.map((d) => d.type)).toEqual(['heading', 'table', 'paragraph', 'list', 'footnoteDefinition'])
    expect(String(await processor.process(document))).toBe(document)
  })

  it('should keep a single tilde as text (mdBook reads `~~` only), written escaped', async () => {
    const processor = unified().use(remarkParse).use(remarkMdbook).use(remarkStringify)
    const tree = processor.parse('~a~ ~~b~~\n')
    expect(tree.children[0].type === 'paragraph' && tree.children[0].children.map((d) => d.type)).toEqual([
      'text',
      'delete'
    ])
    expect(String(await processor.process('~a~ ~~b~~\n'))).toBe('\\~a\\~ ~~b~~\n')
  })

  it('should throw on a table without the plugin (what it fixes)', async () => {
    const tree = unified().use(remarkParse).use(remarkMdbook).parse(document)
    expect(() => unified().use(remarkStringify).stringify(tree)).toThrow('Cannot handle unknown node `table`')
  })
})
