import {describe, expect, it} from 'vitest'
import {findPlainMarkers} from '../../src/fast/plain-readers.js'
import { parsed} from '../support/plain-readers.js'

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
      '{{hi:{{#includes }}}}\n',
      '{{hi:a {{b}}\n',
      'text\n---\n',
      '| a |\n|---|---|\n{{hi:x}}\n',
      '- a\n  {{hi:x}}\n',
      '[a]: /u\n{{hi:x}}\n'
    ]) {
      expect(findPlainMarkers(text)).toBeUndefined()
    }
  })
})
