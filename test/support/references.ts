/**
 * Shared by the reference tests (unit, corpus, stress): definitions as micromark parses them.
 */

import type {Definition as MdastDefinition, Nodes} from 'mdast'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {remarkMdbook} from '../../src/plugins/remark-mdbook.js'

/** `remarkMdbook`, typed for `use` after `remark-parse`. */
export const mdbook = remarkMdbook as () => undefined

/**
 * Definitions as micromark sees them, in the shape of `parseDefinitions`.
 *
 * @param value
 *   Markdown.
 * @param topLevel
 *   Only top-level definitions.
 * @returns
 *   Definitions.
 */
export function micromarkDefinitions(value: string, topLevel = false) {
  const found: MdastDefinition[] = []
  const visit = (node: Nodes) => {
    if (node.type === 'definition') found.push(node)
    else if ('children' in node && !(topLevel && node.type !== 'root')) node.children.forEach(visit)
  }

  visit(parseMarkdown(value))
  return found.map((d) => ({
    label: d.label ?? '',
    identifier: d.identifier,
    url: d.url,
    title: d.title ?? null,
    start: d.position!.start.offset,
    end: d.position!.end.offset,
    line: d.position!.start.line,
    column: d.position!.start.column
  }))
}
