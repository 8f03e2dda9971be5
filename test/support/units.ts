/**
 * Shared by the unit-scan tests (unit, corpus, stress): what a whole parse and a parse per unit disagree on.
 */

import type {Root, RootContent} from 'mdast'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {splitUnits} from '../../src/fast/units.js'

/**
 * Check the invariant the fast path rests on: parsing each unit alone gives
 * the same leaves (text, code, html, definitions…, with their positions) as
 * parsing the whole document.
 *
 * @param value
 *   Markdown.
 * @returns
 *   Leaves that differ, as `type@start:value`.
 */
export function crossings(value: string): string[] {
  const tree = parseMarkdown(value)
  const whole = leaves(tree, 0)
  // References resolve against definitions anywhere: give each unit the
  // document's definitions before it, as the fast path does.
  const labels: string[] = []
  visitDefinitions(tree)
  const parts = splitUnits(value).units.flatMap((d) => {
    const text = value.slice(d.start, d.end)
    const lower = text.toLowerCase()
    const used = labels.filter((label) => lower.includes(label.toLowerCase()))
    const head = used.length > 0 ? used.map((label) => '[' + label + ']: #').join('\n') + '\n\n' : ''
    return leaves(parseMarkdown(head + text), d.start - head.length).filter(
      (leaf) => Number(/@(-?\d+)/.exec(leaf)![1]) >= d.start
    )
  })
  function visitDefinitions(node: Root | RootContent): undefined {
    if (node.type === 'definition') labels.push(node.label ?? node.identifier)
    if ('children' in node) for (const child of node.children) visitDefinitions(child)
  }

  const a = new Set(whole)
  const b = new Set(parts)
  return [...whole.filter((d) => !b.has(d)), ...parts.filter((d) => !a.has(d))]
}

/**
 * Leaves of a tree.
 *
 * @param tree
 *   Tree.
 * @param base
 *   Offset to add.
 * @returns
 *   Leaves as `type@start:value`.
 */
export function leaves(tree: Root, base: number): string[] {
  const result: string[] = []
  visit(tree)
  return result

  function visit(node: Root | RootContent): undefined {
    if ('children' in node && node.children.length > 0) {
      for (const child of node.children) visit(child)
      return
    }

    if (node.type === 'root') return
    // The end of an unclosed fence may differ by trailing blank lines; its
    // start and value may not.
    const start = node.position!.start.offset! + base
    const data = ('value' in node ? node.value : 'url' in node ? node.url : '').replace(/\s+$/, '')
    result.push(node.type + '@' + start + ':' + data)
  }
}
