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
  it('should find what the parse finds, for every unit it judges', () => {
    let judged = 0
    let markers = 0
    let dropped = 0

    fc.assert(
      fc.property(unit, (text) => {
        const plain = findPlainMarkers(text)
        if (!plain) return
        judged++
        markers += plain.markers.length
        dropped += plain.problems.length
        expect(plain).toEqual(parsed(text))
      }),
      {seed: 7, numRuns: 4000}
    )

    // The property must not hold by refusing everything.
    expect(judged).toBeGreaterThan(800)
    expect(markers).toBeGreaterThan(300)
    expect(dropped).toBeGreaterThan(5)
  })

  it('should find the reference problems the parse finds, for every unit it judges', () => {
    let judged = 0
    let problems = 0

    fc.assert(
      fc.property(unit, (text) => {
        const plain = findPlainReferenceProblems(text, isDefined, refOptions)
        if (!plain) return
        judged++
        problems += plain.length
        expect(plain).toEqual(findReferenceProblems(parseMarkdownWithLabels(text, defined), text, isDefined, refOptions))
      }),
      {seed: 7, numRuns: 4000}
    )

    expect(judged).toBeGreaterThan(800)
    expect(problems).toBeGreaterThan(200)
  })

})
