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
  if (!('children' in node)) return toString(node)
  const before: Nodes[] = []

  for (const child of node.children) {
    if (child.type === 'link') break
    // Entry anchors (`<span id>`) are not part of the term.
    if (child.type !== 'html') before.push(child)
  }

  const value = toString({type: 'paragraph', children: before} as Nodes, {includeImageAlt: false})
  // Drop what follows the term: `, ` before a link, `, Chapter (` before a
  // chapter's sections, `, see …` (a dangling target is plain text).
  return before.length === node.children.length
    ? value.replace(/, see .*$/, '')
    : value.replace(/, (?:.* \(|see (?:also )?)?$/, '')
}
