import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseDefinitions} from '../../src/markdown/definitions.js'
import { micromarkDefinitions} from '../support/references.js'

describe('parseDefinitions', () => {

  it('should agree with micromark on any mix of lines', () => {
    const fragments = [
      '[a]: b', '[a]:  <b c>', '  [A b]: /u "t"', "[x]: y 'q'", '[x]: y (q(r))', '[x]: a)b', '[x]: a(b',
      '[^1]: foot', '[a\\]b]: c', '[a&amp;]: &copy;\\*', '[x]:', 'http://z', '"title"', 'text', '', '',
      '```', '~~~', '<!--', '-->', '- [a]: b', '> [a]: b', '    [a]: b', '\t[a]: b', '[a]: b\t',
      '[a]: b "t" x', '[a]: <b>"t"', '[]: x', '[ ]: x', '[a]: b  ', '[a]: b ""', '===', '| a |',
      '[[a]]: b', '[a]: b "\\""', '[ä]: ü', '[a]: b "t', 'more"', '<div>', '1. x', '[a]:b', '[a]: b"c"'
    ]
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...fragments), {minLength: 1, maxLength: 8}),
        fc.constantFrom('\n', '\r\n', '\r'),
        (lines, eol) => {
          const text = lines.join(eol)
          expect(parseDefinitions(text).definitions).toEqual(micromarkDefinitions(text, true))
        }
      ),
      {seed: Number(process.env.XREF_SEED || 2025), numRuns: Number(process.env.XREF_RUNS || 2000)}
    )
  })

})
