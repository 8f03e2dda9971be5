import type {Root} from 'mdast'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {parseMarkdown, parseMarkdownWithLabels} from '../../src/markdown/parse-markdown.js'

/**
 * Kinds of the nodes of a tree, in order.
 *
 * @param tree
 *   Tree.
 * @returns
 *   Node types.
 */
function kinds(tree: Root): string[] {
  const result: string[] = []
  visit(tree, (node) => {
    result.push(node.type)
  })
  return result
}

describe('parseMarkdownWithLabels', () => {
  const text = '- [`tokio`][c~Tokio  Docs]⮳ and [a][] and [b] and [x][nope]\n\n> [q][a]\n'

  it('should parse as if the labels were defined in the document', () => {
    expect(kinds(parseMarkdownWithLabels(text, ['C~tokio docs', 'a', 'B']))).toEqual(
      kinds(parseMarkdown(text + '\n[c~tokio docs]: #\n[a]: #\n[b]: #\n')).filter((d) => d !== 'definition')
    )
  })

  it('should leave references to other labels as text, and keep positions', () => {
    const tree = parseMarkdownWithLabels(text, ['a'])
    const references: string[] = []
    visit(tree, 'linkReference', (node) => {
      references.push(text.slice(node.position!.start.offset, node.position!.end.offset))
    })
    expect(references).toEqual(['[a][]', '[q][a]'])
  })
})
