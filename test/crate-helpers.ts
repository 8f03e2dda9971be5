/**
 * Helpers of the crate tests: the reference path (a whole chapter parsed at
 * once, then judged) and a comparable form of references.
 */

import {visit} from 'unist-util-visit'
import {judgeTree, type FoundReference} from '../src/crates/judge.js'
import {labelJudge} from '../src/crates/names.js'
import {parseMarkdown} from '../src/markdown/parse-markdown.js'

/**
 * Judge a whole chapter, parsed at once.
 *
 * @param content
 *   Chapter.
 * @returns
 *   References.
 */
export function whole(content: string): FoundReference[] {
  const tree = parseMarkdown(content)
  const definitions = new Map<string, {label: string; url: string}>()
  visit(tree, 'definition', (node) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, {label: node.label ?? node.identifier, url: node.url})
  })
  return judgeTree(tree, {definition: (id) => definitions.get(id), label: labelJudge()})
}

/**
 * References with groups numbered by first appearance (parts of a chapter
 * count fewer paragraphs than the whole).
 *
 * @param references
 *   References.
 * @returns
 *   Comparable rows.
 */
export function comparable(references: FoundReference[]): unknown[] {
  const groups = new Map<number, number>()
  return references.map((d) => {
    if (d.group !== undefined && !groups.has(d.group)) groups.set(d.group, groups.size)
    return [d.family, d.name, d.via, d.written, d.start, d.end, d.group === undefined ? undefined : groups.get(d.group)]
  })
}
