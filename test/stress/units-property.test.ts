import fs from 'node:fs'
import path from 'node:path'
import type {Root, RootContent} from 'mdast'
import {describe, expect, it} from 'vitest'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {stripBom} from '../../src/util/text.js'
import {splitUnits} from '../../src/fast/units.js'
import {corpus, markdownFiles} from '../corpus.js'

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
function crossings(value: string): string[] {
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
function leaves(tree: Root, base: number): string[] {
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

/**
 * Texts of the units of a document.
 *
 * @param value
 *   Markdown.
 * @returns
 *   Unit texts.
 */
function unitTexts(value: string): string[] {
  return splitUnits(value).units.map((d) => value.slice(d.start, d.end))
}

describe('splitUnits (property)', () => {
  it('should never let a top-level block cross a unit boundary', async () => {
    const fc = await import('fast-check')
    const line = fc.constantFrom(
      '',
      '',
      'text',
      'more *text*',
      '- item',
      '  - nested',
      '1. one',
      '2) two',
      '> quote',
      '>',
      '```',
      '~~~',
      '   ```',
      '  ```',
      '    code',
      '\tcode',
      '<!--',
      '-->',
      '<div>',
      '<pre>',
      '</pre>',
      '---',
      '===',
      '# head',
      '| a | b |',
      '| - | - |',
      '[x]: /url',
      '[^1]: note',
      '  text',
      '   > q',
      '- ```',
      '* * *',
      '-',
      '- ',
      '3. three',
      '1.',
      '+ plus',
      'a | b',
      '- x | y'
    )
    fc.assert(
      fc.property(fc.array(line, {maxLength: 30}), (lines) => {
        const value = lines.join('\n') + '\n'
        expect([value, crossings(value)]).toEqual([value, []])
      }),
      {seed: Number(process.env.XREF_SEED || 7), numRuns: Number(process.env.XREF_RUNS || 4000)}
    )
  })
})
