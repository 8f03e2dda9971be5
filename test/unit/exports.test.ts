import {describe, expect, it} from 'vitest'
import * as api from '../../src/index.js'

describe('mdbook-xref', () => {
  it('should expose the public api', () => {
    expect(Object.keys(api).sort()).toEqual([
      'buildIndexJson',
      'buildIndexPage',
      'lintBook',
      'remarkMdbook',
      'remarkXrefMarkers',
      'remarkXrefRefs',
      'rules'
    ])
  })
})
