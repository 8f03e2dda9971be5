/**
 * Shared by the index page tests (unit, corpus): the outline of a rendered page.
 */

import type {Nodes} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'

/**
 * Texts of the top-level entries (first paragraph of each item), per group.
 *
 * @param markdown
 *   Page.
 * @returns
 *   Group label to entry texts, in order.
 */
export function outline(markdown: string): Array<[string, string[]]> {
  const tree = parseMarkdown(markdown)
  const result: Array<[string, string[]]> = []

  for (const node of tree.children) {
    if (node.type === 'heading' && node.depth === 2) {
      result.push([toString(node), []])
    } else if (node.type === 'list') {
      for (const item of node.children) {
        const paragraph = item.children[0]
        result[result.length - 1][1].push(
          paragraph.type === 'paragraph' ? termOf(paragraph) : ''
        )
      }
    }
  }

  return result
}

/**
 * Text of the term part of an entry paragraph (before the first link or `, *see*`).
 *
 * @param node
 *   Paragraph.
 * @returns
 *   Term text.
 */
export function termOf(node: Nodes): string {
  // Entry anchors (`<span id>`) are not part of the term.
  if ('children' in node) {
    node = {...node, children: node.children.filter((child) => child.type !== 'html')} as Nodes
  }
  const value = toString(node, {includeImageAlt: false})
  const links = 'children' in node ? node.children.filter((child) => child.type === 'link') : []
  if (links.length === 0) return value.replace(/, see .*$/, '')
  return value.slice(0, value.length - links.map((link) => toString(link)).join(', ').length - 2)
}
