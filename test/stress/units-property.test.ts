import {describe, expect, it} from 'vitest'
import {splitUnits} from '../../src/fast/units.js'
import {crossings} from '../support/units.js'

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
