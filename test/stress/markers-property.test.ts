import fc from 'fast-check'
import type {Nodes} from 'mdast'
import {describe, expect, it} from 'vitest'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {applyEdits, createIdState, rewriteMarkers, type Edit} from '../../src/markdown/marker-rewrite.js'
import {findMarkers} from '../../src/markdown/markers.js'

/** Opener syntax, as the finder knows it. */
const opener = /(?:\{\{|<<)(?:hi|ii|i):/g

/** Terms, well-formed and not. */
const term = fc.constantFrom('x', 'async!tokio', '`Vec`', '*a*', 'a b', '', ' ', 'Rust Book@The Rust Book', 'a\\!b', '{', '<', '{{a}}', 'x {{y {{z}}}} w', '{{b', '<<c>>')

/** Markers of every form, broken ones, escapes. */
const marker = fc.oneof(
  fc
    .tuple(fc.constantFrom('{{hi:', '{{i:', '{{ii:', '<<hi:', '<<i:', '<<ii:'), term)
    .map(([open, value]) => open + value + (open.startsWith('{') ? '}}' : '>>')),
  fc.constantFrom(
    '{{hi:',
    '{{hi:x',
    '<<ii:y',
    '}}',
    '>>',
    '{{hi:{{i:x}}}}',
    '<<hi:a>b>>',
    '\\{{hi:x}}',
    '\\<<hi:y>>',
    '\\\\{{hi:z}}',
    '\\{{i:',
    '{{#include a.md}}',
    '{{foo}}',
    '{{hi:{{#includes }}}}',
    '{{hi:a {{b}}'
  )
)

/** Other inline text. */
const word = fc.constantFrom(
  'a',
  'tokio',
  ' ',
  ' ',
  '⮳',
  '😀',
  '{',
  '}',
  '<',
  '>',
  '\\',
  '*',
  '|',
  '`{{hi:c}}`',
  '`a`',
  '<b>',
  '<span a="{{hi:h}}">',
  '[l](/{{hi:d}} "{{hi:t}}")',
  '![{{hi:e}}](u)',
  '<https://a/{{hi:f}}>',
  '[r]',
  '[{{hi:q}}]',
  '\n',
  '\r\n'
)

/** Inline content, with one level of emphasis, strong, strikethrough or link around some of it. */
const inline = fc
  .array(
    fc.oneof(
      {weight: 3, arbitrary: marker},
      {weight: 3, arbitrary: word},
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.constantFrom(['*', '*'], ['**', '**'], ['~~', '~~'], ['[', '](https://x "y")'], ['[', '][r]']), fc.array(fc.oneof(marker, word), {maxLength: 4}))
          .map(([[open, close], parts]) => open + parts.join('') + close)
      }
    ),
    {maxLength: 8}
  )
  .map((parts) => parts.join(''))

/** Blocks. */
const block = fc.oneof(
  inline,
  inline.map((d) => '# ' + d),
  inline.map((d) => '## ' + d + ' ##'),
  inline.map((d) => d + '\n==='),
  inline.map((d) => '> ' + d),
  inline.map((d) => '> # ' + d),
  inline.map((d) => '- ' + d),
  inline.map((d) => '- # ' + d),
  inline.map((d) => '1. ' + d),
  fc
    .tuple(inline, inline, inline, inline)
    .map(([a, b, c, d]) => '| ' + a + ' | b |\n|---|---|\n| ' + c + ' | ' + d + ' | ' + a + ' |'),
  inline.map((d) => '```\n' + d + '\n```'),
  inline.map((d) => '    ' + d),
  inline.map((d) => '<div>\n' + d + '\n</div>'),
  fc.constant('[r]: /u "{{hi:r}}"\n[{{hi:q}}]: /q'),
  inline.map((d) => '[^n]: ' + d)
)

/** Documents. */
const document = fc
  .tuple(fc.array(block, {maxLength: 6}), fc.array(fc.constantFrom('\n\n', '\r\n\r\n', '\n'), {minLength: 6, maxLength: 6}))
  .map(([blocks, separators]) => blocks.map((d, index) => d + separators[index]).join(''))

/**
 * Find and rewrite.
 *
 * @param value
 *   Markdown.
 * @returns
 *   Result.
 */
function run(value: string) {
  const found = findMarkers(parseMarkdown(value), value)
  const {edits} = rewriteMarkers(found.markers, value, createIdState())
  return {...found, edits, output: applyEdits(value, edits)}
}

/**
 * Check that `output` is `input` with only `edits` applied.
 *
 * @param input
 *   Source.
 * @param output
 *   Result.
 * @param edits
 *   Sorted edits.
 * @returns
 *   Whether every character outside the edits is kept.
 */
function keptOutsideEdits(input: string, output: string, edits: Edit[]): boolean {
  let from = 0
  let to = 0

  for (const edit of edits) {
    const kept = input.slice(from, edit.start)
    if (output.slice(to, to + kept.length) !== kept) return false
    to += kept.length
    if (output.slice(to, to + edit.value.length) !== edit.value) return false
    to += edit.value.length
    from = edit.end
  }

  return output.slice(to) === input.slice(from)
}

/**
 * Offsets of openers that CommonMark sees as text: in text nodes of
 * paragraphs, headings and table cells, not in autolinks (an oracle
 * independent of the finder’s range merging).
 *
 * @param value
 *   Markdown.
 * @returns
 *   Offsets.
 */
function openersInText(value: string): number[] {
  const texts: Array<[number, number]> = []
  walk(parseMarkdown(value), false)
  const result: number[] = []

  for (const match of value.matchAll(opener)) {
    const offset = match.index
    if (texts.some(([start, end]) => start <= offset && offset < end)) result.push(offset)
  }

  return result

  /**
   * Collect text nodes.
   *
   * @param node
   *   Node.
   * @param inText
   *   Whether in a paragraph, heading or cell.
   * @returns
   *   Nothing.
   */
  function walk(node: Nodes, inText: boolean): undefined {
    const start = node.position?.start.offset ?? 0
    if (node.type === 'text' && inText) texts.push([start, node.position?.end.offset ?? 0])
    if (node.type === 'link' && value.charCodeAt(start) === 60) return
    if (!('children' in node)) return
    const next = inText || node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell'
    for (const child of node.children) walk(child, next)
  }
}

describe('markers (property)', () => {
  it('should keep text outside edits, handle every opener in text, and be idempotent', () => {
    fc.assert(
      fc.property(document, (value) => {
        const first = run(value)
        expect(keptOutsideEdits(value, first.output, first.edits)).toBe(true)

        for (const offset of openersInText(value)) {
          const handled =
            first.edits.some((d) => d.start <= offset && offset < Math.max(d.end, d.start + 1)) ||
            first.problems.some((d) => d.start <= offset && offset < d.end)
          expect({offset, handled}).toEqual({offset, handled: true})
        }

        const second = run(first.output)
        expect(second.markers).toEqual([])
        expect(second.edits).toEqual([])
        expect(second.output).toBe(first.output)
      }),
      {seed: 42, numRuns: 300}
    )
  })

  it('should never throw on arbitrary text with marker syntax', () => {
    const noise = fc
      .array(fc.constantFrom('{{hi:', '{{i:', '<<ii:', '{{', '}}', '>>', '\\', '`', '*', '[', '](u)', '<', '>', '\n', '\r', '# ', '| ', 'x', ' '), {
        maxLength: 40
      })
      .map((d) => d.join(''))
    fc.assert(
      fc.property(noise, (value) => {
        const first = run(value)
        expect(keptOutsideEdits(value, first.output, first.edits)).toBe(true)
      }),
      {seed: 42, numRuns: 300}
    )
  })
})
