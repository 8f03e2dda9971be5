import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {remarkXrefMarkers} from '../../src/plugins/remark-xref-markers.js'
import {remarkXrefRefs} from '../../src/plugins/remark-xref-refs.js'

describe('messages of the plugins', () => {
  it('should carry `ancestors`, `ruleId`, `source`, `url` and `place`, as remark-lint messages do', async () => {
    const file = new VFile({path: 'ch.md', value: '# A\n\n* b [x][] {{hi:}}\n\n[y]: /u\n'})
    const processor = unified().use(remarkParse).use(remarkXrefMarkers).use(remarkXrefRefs)
    await processor.run(processor.parse(file), file)
    expect(
      file.messages.map((d) => [
        d.ruleId,
        d.source,
        d.url,
        d.place && 'start' in d.place ? d.place.start.line : d.place?.line,
        d.ancestors?.map((node) => node.type)
      ])
    ).toEqual([
      ['marker-empty', 'mdbook-xref', 'https://github.com/mdbook-xref/mdbook-xref#marker-empty', 3, ['root', 'list', 'listItem', 'paragraph', 'text']],
      ['undefined-reference', 'mdbook-xref', 'https://github.com/mdbook-xref/mdbook-xref#undefined-reference', 3, ['root', 'list', 'listItem', 'paragraph', 'text']]
    ])
  })

  it('should give a definition finding the definition node', async () => {
    const file = new VFile({path: 'ch.md', value: '[a]: /u\n'})
    const processor = unified().use(remarkParse).use(remarkXrefRefs, {levels: {'unused-definition': 'warn'}})
    await processor.run(processor.parse(file), file)
    expect(file.messages.map((d) => [d.ruleId, d.ancestors?.map((node) => node.type)])).toEqual([
      ['unused-definition', ['root', 'definition']]
    ])
  })
})
