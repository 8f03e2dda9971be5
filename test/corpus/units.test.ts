import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {stripBom} from '../../src/util/text.js'
import {splitUnits} from '../../src/fast/units.js'
import {corpus, markdownFiles} from '../corpus.js'
import {crossings} from '../support/units.js'

describe('splitUnits', () => {

  it.skipIf(!corpus)('should keep every top-level block of every corpus file inside one unit', () => {
    const bad: string[] = []

    for (const file of markdownFiles()) {
      const value = stripBom(fs.readFileSync(file, 'utf8'))
      for (const crossing of crossings(value)) bad.push(path.basename(file) + ': ' + crossing)
    }

    expect(bad).toEqual([])
  })
})

