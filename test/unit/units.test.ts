import {describe, expect, it} from 'vitest'
import {splitUnits} from '../../src/fast/units.js'
import {crossings} from '../support/units.js'

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

describe('splitUnits', () => {
  it('should split at blank lines before column-0 blocks', () => {
    expect(unitTexts('# A\n\npara\nmore\n\n- x\n')).toEqual(['# A\n', 'para\nmore\n', '- x\n'])
  })

  it('should not split inside a top-level fence with blank lines', () => {
    expect(unitTexts('```\na\n\nb\n```\n\nc\n')).toEqual(['```\na\n\nb\n```\n', 'c\n'])
  })

  it('should not split inside a `~~~` fence closed by a longer fence', () => {
    expect(unitTexts('~~~\na\n\n~~\nb\n~~~~\n\nc\n')).toEqual(['~~~\na\n\n~~\nb\n~~~~\n', 'c\n'])
  })

  it('should run an unclosed top-level fence to the end', () => {
    expect(unitTexts('```\na\n\nb\n')).toEqual(['```\na\n\nb\n'])
  })

  it('should not take a fence inside a list item as top level', () => {
    // The item's fence closes with the item; the later fence is top level.
    const value = '- a\n\n  ```\n  x\n\nb\n\n```\n{{hi:x}}\n\nc\n```\n\nd\n'
    expect(unitTexts(value)).toEqual([
      '- a\n\n  ```\n  x\n',
      'b\n',
      '```\n{{hi:x}}\n\nc\n```\n',
      'd\n'
    ])
    expect(crossings(value)).toEqual([])
  })

  it('should not take a fence inside a block quote as top level', () => {
    const value = '> ```\n> a\n\nb\n\n```\nc\n\nd\n```\n'
    expect(unitTexts(value)).toEqual(['> ```\n> a\n', 'b\n', '```\nc\n\nd\n```\n'])
  })

  it('should take an indented (1–3 spaces) top-level fence as a fence', () => {
    expect(unitTexts('   ```\na\n\nb\n   ```\n\nc\n')).toEqual(['   ```\na\n\nb\n   ```\n', 'c\n'])
  })

  it('should take a lazy paragraph line in a quote as part of it', () => {
    expect(crossings('> a\nb\n```\nc\n\nd\n```\n')).toEqual([])
  })

  it('should keep HTML comments and `<pre>` with blank lines whole', () => {
    expect(unitTexts('<!--\n\nx\n-->\n\n<pre>\n\ny\n</pre>\n\nz\n')).toEqual([
      '<!--\n\nx\n-->\n',
      '<pre>\n\ny\n</pre>\n',
      'z\n'
    ])
  })

  it('should end HTML blocks of kind 6 at a blank line', () => {
    expect(unitTexts('<div>\na\n\nb\n')).toEqual(['<div>\na\n', 'b\n'])
  })

  it('should handle CRLF', () => {
    expect(unitTexts('a\r\n\r\n```\r\nb\r\n\r\nc\r\n```\r\n\r\nd\r\n')).toEqual([
      'a\r\n',
      '```\r\nb\r\n\r\nc\r\n```\r\n',
      'd\r\n'
    ])
  })

  it('should jump over a block the caller knows', () => {
    const value = 'a\n\n[x]: y\n[z]: w\n\nb\n'
    const {units} = splitUnits(value, (start) =>
      value.startsWith('[x]', start) ? start + 14 : undefined
    )
    expect(units.map((d) => value.slice(d.start, d.end))).toEqual(['a\n', '[x]: y\n[z]: w\n', 'b\n'])
  })

  it('should keep every top-level block of tricky documents inside one unit', () => {
    const samples = [
      '- a\n\n      code\n\n  b\n\nc\n',
      '1. a\n\n   ```\n   x\n\n   ```\n\nb\n',
      '> a\n>\n> ```\n> x\n\n> y\n```\n\nz\n```\n',
      '* a\n\n\tb\n\nc\n',
      '- ```\n  a\n\n  b\n  ```\n\nc\n',
      'a\n---\n\nb\n===\n\n***\n\nc\n',
      '<script>\n\n</script>\n\nx\n',
      '| a | b |\n| - | - |\n| c | d |\n\ne\n',
      '[^1]: note\n\n    more\n\nx\n',
      '```\n```\n\nx\n\n````\n```\n\n````\n\ny\n'
    ]

    for (const sample of samples) {
      expect([sample, crossings(sample)]).toEqual([sample, []])
    }
  })

})

