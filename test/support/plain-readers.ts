/**
 * Shared by the plain-reader tests (unit, corpus, stress): generated units and the parse they are compared with.
 */

import fc from 'fast-check'
import {parseMarkdownWithLabels} from '../../src/markdown/parse-markdown.js'
import {findMarkers} from '../../src/markdown/markers.js'

/** Labels the generated units may use that count as defined. */
export const defined = ['foo', 'a', 'a`b', 'c~tokio~docs', 'x y']

/**
 * Markers and problems as the parse finds them.
 *
 * @param text
 *   Unit.
 * @returns
 *   Markers and problems.
 */
export function parsed(text: string) {
  return findMarkers(parseMarkdownWithLabels(text, defined), text)
}

/** Inline pieces of plain prose: words, markers, code, brackets, delimiters. */
export const plainPiece = fc.oneof(
  {weight: 6, arbitrary: fc.constantFrom('a', 'tokio', ' ', '⮳', '😀', 'x_y', 'é', '.', ':', '!', '{', '}', '(', ')', '&amp;', '&#91;')},
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.constantFrom('{{hi:', '{{i:', '{{ii:', '{{hi:', '{{{hi:', '`<<hi:`'),
        fc.oneof(
          {weight: 3, arbitrary: fc.constantFrom('x', 'tokio', 'a b', 'x_y', 'Vec!', 'a&amp;b', 'é', 'a{b', 'a:b')},
          {weight: 1, arbitrary: fc.constantFrom('_x', ' ', '', '*a*', '`a`', 'a]', '[a', 'a~~b', 'a|b', '{{i:b}}', '{{#include a.md}}', '{{a', 'a }} {{b')}
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
export const otherPiece = fc.constantFrom('<b>', '<<hi:x>>', '\\<<i:y>>', '\\', '](u)', '<hi:x>', '\r', '\n# ', '\n> ', '\n- ', '\n1. ', '\n    ', '\n---', '\n===', '\n***', '\n```', '\n[a]: /u', '\n[^1]: n', '\n\n', '\n|---|')

/** A stretch of inline pieces: mostly plain, sometimes not. */
export const inline = fc
  .oneof(
    {weight: 3, arbitrary: fc.array(plainPiece, {minLength: 1, maxLength: 9})},
    {weight: 1, arbitrary: fc.array(fc.oneof({weight: 4, arbitrary: plainPiece}, {weight: 1, arbitrary: otherPiece}), {minLength: 1, maxLength: 9})}
  )
  .map((d) => d.join(''))

/** Line-sized inline content (no line endings); a `|` in code still splits cells. */
export const cell = fc
  .array(fc.oneof({weight: 9, arbitrary: plainPiece.filter((d) => !/[\n|]/.test(d))}, {weight: 1, arbitrary: fc.constant('`a|b`')}), {
    minLength: 0,
    maxLength: 4
  })
  .map((d) => d.join(''))

/** Units: paragraphs, one-line-item lists, tables, near misses. */
export const unit = fc.oneof(
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

/** Reference options, as the fast path gives them. */
export const refOptions = {prefixes: ['c-', 'c~', 'cat-', 'cat~'], candidates: defined}
