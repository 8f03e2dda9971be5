/**
 * Markers in plain units, read without a parse, equal what `findMarkers`
 * finds in the parsed unit; anything else is left to the parse.
 */

import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseMarkdownWithLabels} from '../../src/markdown/parse-markdown.js'
import {findMarkers} from '../../src/markdown/markers.js'
import {findPlainMarkers, findPlainReferenceProblems} from '../../src/fast/plain-readers.js'
import {normalizeLabel} from '../../src/markdown/labels.js'
import {findReferenceProblems} from '../../src/markdown/reference-scan.js'
import {splitUnits} from '../../src/fast/units.js'
import {stripBom} from '../../src/util/text.js'
import {corpus, markdownFiles} from '../corpus.js'

/** Labels the generated units may use that count as defined. */
const defined = ['foo', 'a', 'a`b', 'c~tokio~docs', 'x y']

/** Whether an identifier is defined. */
const identifiers = new Set(defined.map((d) => normalizeLabel(d)))
const isDefined = (identifier: string) => identifiers.has(identifier)

/** Reference options, as the fast path gives them. */
const refOptions = {prefixes: ['c-', 'c~', 'cat-', 'cat~'], candidates: defined}

/**
 * Markers and problems as the parse finds them.
 *
 * @param text
 *   Unit.
 * @returns
 *   Markers and problems.
 */
function parsed(text: string) {
  return findMarkers(parseMarkdownWithLabels(text, defined), text)
}

/** Inline pieces of plain prose: words, markers, code, brackets, delimiters. */
const plainPiece = fc.oneof(
  {weight: 6, arbitrary: fc.constantFrom('a', 'tokio', ' ', '⮳', '😀', 'x_y', 'é', '.', ':', '!', '{', '}', '(', ')', '&amp;', '&#91;')},
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.constantFrom('{{hi:', '{{i:', '{{ii:', '{{hi:', '{{{hi:', '`<<hi:`'),
        fc.oneof(
          {weight: 3, arbitrary: fc.constantFrom('x', 'tokio', 'a b', 'x_y', 'Vec!', 'a&amp;b', 'é', 'a{b', 'a:b')},
          {weight: 1, arbitrary: fc.constantFrom('_x', ' ', '', '*a*', '`a`', 'a]', '[a', 'a~~b', 'a|b', '{{i:b}}')}
        ),
        fc.constantFrom('}}', '}}', '}}', '}}', '}}}', '}', '')
      )
      .map(([open, term, close]) => open + term + close)
  },
  {weight: 2, arbitrary: fc.constantFrom('`', '``', '`a`', '`{{hi:c}}`', '``a`b``', '` `', '`Box<T>`', '`a\\`', '`](u)`', '`<b>{{hi:c}}`')},
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '[', ']', '[foo]', '[a][]', '[t][foo]', '[nope]', '![alt][a]', '[^1]', '[[foo]]', '[c~tokio~docs]', '[c~nope]',
      '[x][c~nope]', '[c~nope][]', '[[wiki | x]]', '[[c~x]]', '[a][b][c]', '[x][a`b]', '[a`b][]', '[`a`][foo]', '[ ][]',
      '[a][ ]', '[X  Y]', '[t][ foo ]', '![c~nope]', '[[a]]', '[c~a [b] c]', '[t][nope]'
    )
  },
  {weight: 2, arbitrary: fc.constantFrom('*', '**', '_', '__', '~~', '~', '|')},
  {weight: 1, arbitrary: fc.constant('\n')}
)

/** Pieces that make a unit more than plain: HTML, escapes, block starts. */
const otherPiece = fc.constantFrom('<b>', '<<hi:x>>', '\\<<i:y>>', '\\', '](u)', '<hi:x>', '\r', '\n# ', '\n> ', '\n- ', '\n1. ', '\n    ', '\n---', '\n===', '\n***', '\n```', '\n[a]: /u', '\n[^1]: n', '\n\n', '\n|---|')

/** A stretch of inline pieces: mostly plain, sometimes not. */
const inline = fc
  .oneof(
    {weight: 3, arbitrary: fc.array(plainPiece, {minLength: 1, maxLength: 9})},
    {weight: 1, arbitrary: fc.array(fc.oneof({weight: 4, arbitrary: plainPiece}, {weight: 1, arbitrary: otherPiece}), {minLength: 1, maxLength: 9})}
  )
  .map((d) => d.join(''))

/** Line-sized inline content (no line endings); a `|` in code still splits cells. */
const cell = fc
  .array(fc.oneof({weight: 9, arbitrary: plainPiece.filter((d) => !/[\n|]/.test(d))}, {weight: 1, arbitrary: fc.constant('`a|b`')}), {
    minLength: 0,
    maxLength: 4
  })
  .map((d) => d.join(''))

/** Units: paragraphs, one-line-item lists, tables, near misses. */
const unit = fc.oneof(
  {weight: 3, arbitrary: inline},
  {
    weight: 2,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom('- ', '* ', '+ ', '1. ', '2) ', '-  ', '- [ ] ', '- # ', '- - '), inline.map((d) => d.replace(/\n/g, ' '))), {minLength: 1, maxLength: 4})
      .map((items) => items.map(([bullet, text]) => bullet + text).join('\n'))
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.array(cell, {minLength: 1, maxLength: 3}),
        fc.constantFrom('---', ':-:', ' --- ', '-'),
        fc.array(fc.array(cell, {minLength: 1, maxLength: 4}), {minLength: 0, maxLength: 3}),
        fc.constantFrom('| ', '', '|'),
        fc.constantFrom(' |', '', '|', ' | '),
        fc.integer({min: -1, max: 1})
      )
      .map(([head, delimiter, rows, before, after, skew]) =>
        [
          before + head.join(' | ') + after,
          before + Array.from({length: Math.max(1, head.length + skew)}, () => delimiter).join('|') + after,
          ...rows.map((row) => before + row.join(' | ') + after)
        ].join('\n')
      )
  }
).map((d) => d + '\n')

describe('plain units', () => {

  it('should read prose, one-line lists and tables', () => {
    for (const text of [
      'The [`tokio`][c~tokio~docs]⮳{{hi:tokio}} runtime.\n',
      '- [`a`][foo]{{hi:a}}: b\n- c{{i:d}}\n',
      '| a | b |\n|---|---|\n| x{{hi:x}} | y |\n| 1 | 2 | z{{hi:z}} |\n',
      '`{{hi:code}}` then {{hi:text}}\n'
    ]) {
      const plain = findPlainMarkers(text)
      expect(plain).toBeDefined()
      expect(plain).toEqual(parsed(text))
    }
  })

  it('should leave to the parse what it cannot read off the characters', () => {
    for (const text of [
      '# Heading {{hi:x}}\n',
      '[t]({{hi:x}})\n',
      '[{{hi:x}}]\n',
      '<span>{{hi:x}}</span>\n',
      '\\{{hi:x}}\n',
      'a *{{hi:x*}}\n',
      '{{hi:a\nb}}\n',
      '{{hi: }}\n',
      'text\n---\n',
      '| a |\n|---|---|\n{{hi:x}}\n',
      '- a\n  {{hi:x}}\n',
      '[a]: /u\n{{hi:x}}\n'
    ]) {
      expect(findPlainMarkers(text)).toBeUndefined()
    }
  })
})
