import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {remarkXrefControl, type ControlOptions} from '../../src/plugins/remark-xref-control.js'
import {remarkXrefRefs} from '../../src/plugins/remark-xref-refs.js'

/**
 * Messages of a document checked by `remarkXrefRefs` with comment control
 * used first (as a preset may list it).
 *
 * @param value
 *   Markdown.
 * @param options
 *   Options of `remarkXrefControl`.
 * @returns
 *   Messages, as strings.
 */
async function check(value: string, options?: ControlOptions): Promise<string[]> {
  const file = new VFile({path: 'ch.md', value})
  const processor = unified().use(remarkParse).use(remarkXrefControl, options).use(remarkXrefRefs)
  await processor.run(processor.parse(file), file)
  return file.messages.map(String)
}

describe('remarkXrefControl', () => {
  it('should drop messages of a rule after `disable` until `enable`, after the rules whatever the order', async () => {
    expect(
      await check(
        [
          'a [x][]',
          '',
          '<!-- mdbook-xref disable undefined-reference -->',
          '',
          'b [y][] [[wiki]]',
          '',
          '<!-- mdbook-xref enable undefined-reference -->',
          '',
          'c [z][]',
          ''
        ].join('\n')
      )
    ).toEqual([
      '1:3-1:8: Unexpected undefined reference `x`, expected a definition',
      '5:9-5:17: Unexpected wiki link `[[wiki]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)',
      '9:3-9:8: Unexpected undefined reference `z`, expected a definition'
    ])
  })

  it('should drop messages of the next node only after `ignore`', async () => {
    expect(
      await check(
        ['<!-- mdbook-xref ignore undefined-reference -->', 'a [x][]', '', 'b [y][]', ''].join('\n')
      )
    ).toEqual(['4:3-4:8: Unexpected undefined reference `y`, expected a definition'])
  })

  it('should drop every message of the next node after `ignore` without rules', async () => {
    expect(await check(['<!-- mdbook-xref ignore -->', '[[a]] [x][]', '', '[y][]', ''].join('\n'))).toEqual([
      '4:1-4:6: Unexpected undefined reference `y`, expected a definition'
    ])
  })

  it('should warn about rules it does not know', async () => {
    const file = new VFile({path: 'ch.md', value: '<!-- mdbook-xref disable undefined-refs -->\n'})
    const processor = unified().use(remarkParse).use(remarkXrefControl).use(remarkXrefRefs)
    await processor.run(processor.parse(file), file)
    expect(file.messages.map((d) => [String(d), d.ruleId, d.source, d.fatal])).toEqual([
      ["ch.md:1:1-1:44: Cannot disable `'undefined-refs'`, it’s not known", 'known', 'unified-message-control', false]
    ])
  })

  it('should leave comments of other names and messages of other sources alone', async () => {
    expect(await check(['<!-- lint disable undefined-reference -->', '', 'a [x][]', ''].join('\n'))).toEqual([
      '3:3-3:8: Unexpected undefined reference `x`, expected a definition'
    ])
  })

  it('should take `disable`, and `reset` with `enable`, as the state at the start', async () => {
    const value = '[[a]] [x][]\n\n<!-- mdbook-xref enable wiki-link -->\n\n[[b]]\n'
    expect(await check(value, {disable: ['undefined-reference']})).toEqual([
      '1:1-1:6: Unexpected wiki link `[[a]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)',
      '5:1-5:6: Unexpected wiki link `[[b]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)'
    ])
    expect(await check(value, {reset: true, enable: ['undefined-reference']})).toEqual([
      '1:7-1:12: Unexpected undefined reference `x`, expected a definition',
      '5:1-5:6: Unexpected wiki link `[[b]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)'
    ])
  })
})
