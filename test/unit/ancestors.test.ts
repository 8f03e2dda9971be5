import type {Heading, Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import type {Node} from 'unist'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {ancestorsAt} from '../../src/diagnostics/ancestors.js'
import {report} from '../../src/diagnostics/rules.js'

const tree: Root = unified().use(remarkParse).parse('# Title\n\n* a *b [x][] c*\n\n`d`\n\n[x]: /u\n')

/**
 * Types of nodes.
 *
 * @param nodes
 *   Nodes.
 * @returns
 *   Their types.
 */
function types(nodes: readonly Node[] | undefined): string[] | undefined {
  return nodes && nodes.map((d) => d.type)
}

describe('ancestorsAt', () => {
  it('should give the nodes from the root to the deepest node at a point', () => {
    expect(types(ancestorsAt(tree, {line: 3, column: 9}))).toEqual([
      'root',
      'list',
      'listItem',
      'paragraph',
      'emphasis',
      'linkReference',
      'text'
    ])
    const heading = tree.children[0] as Heading
    expect(ancestorsAt(tree, {line: 1, column: 1})).toEqual([tree, heading])
    expect(ancestorsAt(tree, {line: 1, column: 3})).toEqual([tree, heading, heading.children[0]])
  })

  it('should take the second of two adjacent nodes (end is exclusive)', () => {
    // The text `b ` ends at 3:8, where the reference starts.
    expect(types(ancestorsAt(tree, {line: 3, column: 8}))).toEqual([
      'root',
      'list',
      'listItem',
      'paragraph',
      'emphasis',
      'linkReference'
    ])
  })

  it('should stop at the parent when no child holds the point', () => {
    expect(types(ancestorsAt(tree, {line: 2, column: 1}))).toEqual(['root'])
    expect(types(ancestorsAt(tree, {line: 9, column: 1}))).toEqual(['root'])
    // Between the bullet and its paragraph.
    expect(types(ancestorsAt(tree, {line: 3, column: 2}))).toEqual(['root', 'list', 'listItem'])
    // The end of the last line is the end of every node on it.
    expect(types(ancestorsAt(tree, {line: 3, column: 16}))).toEqual(['root'])
  })

  it('should not enter nodes without position', () => {
    const bare: Root = {type: 'root', children: [{type: 'paragraph', children: []}]}
    expect(ancestorsAt(bare, {line: 1, column: 1})).toEqual([bare])
  })
})

describe('report', () => {
  it('should set `ancestors` from a tree and the start of the place', () => {
    const file = new VFile({path: 'ch.md'})
    const message = report(
      file,
      {ruleId: 'undefined-reference', reason: 'x', place: {start: {line: 5, column: 2}, end: {line: 5, column: 3}}},
      undefined,
      tree
    )
    expect(types(message?.ancestors)).toEqual(['root', 'paragraph', 'inlineCode'])
    const point = report(file, {ruleId: 'wiki-link', reason: 'y', place: {line: 3, column: 3}}, undefined, tree)
    expect(types(point?.ancestors)).toEqual(['root', 'list', 'listItem', 'paragraph', 'text'])
  })

  it('should prefer given `ancestors`, and leave them out without tree or place', () => {
    const file = new VFile()
    const given = report(file, {ruleId: 'wiki-link', reason: 'x', place: {line: 1, column: 1}, ancestors: [tree]}, null, tree)
    expect(given?.ancestors).toEqual([tree])
    expect(report(file, {ruleId: 'wiki-link', reason: 'x'}, null, tree)?.ancestors).toBe(undefined)
    expect(report(file, {ruleId: 'wiki-link', reason: 'x', place: {line: 1, column: 1}})?.ancestors).toBe(undefined)
  })

  it('should make warnings, fatal only at level `error` (as remark-lint does for severity 2)', () => {
    const file = new VFile({path: 'ch.md'})
    report(file, {ruleId: 'wiki-link', reason: 'a'})
    report(file, {ruleId: 'undefined-reference', reason: 'b'})
    report(file, {ruleId: 'wiki-link', reason: 'c'}, {'wiki-link': 'error'})
    report(file, {ruleId: 'undefined-reference', reason: 'd'}, {'undefined-reference': 'warn'})
    expect(report(file, {ruleId: 'wiki-link', reason: 'e'}, {'wiki-link': 'off'})).toBe(undefined)
    expect(file.messages.map((d) => [d.reason, d.fatal, d.ruleId, d.source, d.url, d.file])).toEqual([
      ['a', false, 'wiki-link', 'mdbook-xref', 'https://github.com/mdbook-xref/mdbook-xref#wiki-link', 'ch.md'],
      ['b', true, 'undefined-reference', 'mdbook-xref', 'https://github.com/mdbook-xref/mdbook-xref#undefined-reference', 'ch.md'],
      ['c', true, 'wiki-link', 'mdbook-xref', 'https://github.com/mdbook-xref/mdbook-xref#wiki-link', 'ch.md'],
      ['d', false, 'undefined-reference', 'mdbook-xref', 'https://github.com/mdbook-xref/mdbook-xref#undefined-reference', 'ch.md']
    ])
  })
})
