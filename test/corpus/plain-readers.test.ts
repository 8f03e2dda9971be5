/**
 * Markers in plain units, read without a parse, equal what `findMarkers`
 * finds in the parsed unit; anything else is left to the parse.
 */

import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseMarkdownWithLabels} from '../../src/markdown/parse-markdown.js'
import {findMarkers} from '../../src/markdown/markers.js'
import {findPlainMarkers, findPlainReferenceProblems} from '../../src/fast/plain-readers.js'
import {normalizeLabel} from '../../src/markdown/labels.js'
import {findReferenceProblems} from '../../src/markdown/reference-scan.js'
import {splitUnits} from '../../src/fast/units.js'
import {stripBom} from '../../src/util/text.js'
import {corpus, markdownFiles} from '../corpus.js'
import { parsed, unit, refOptions} from '../support/plain-readers.js'

describe('plain units', () => {

  it.skipIf(!corpus)('should agree with the parse on every unit of the real books it judges (needs ../shared)', () => {
    const files = markdownFiles()
    // Each book's refs files define its labels.
    const byBook = new Map<string, (identifier: string) => boolean>()
    let markers = 0
    let references = 0

    for (const file of files) {
      const src = file.slice(0, file.lastIndexOf(path.sep + 'src' + path.sep) + 4)
      let isBookDefined = byBook.get(src)

      if (!isBookDefined) {
        const refs = path.join(src, 'refs')
        const text = fs.existsSync(refs)
          ? fs.readdirSync(refs).map((d) => fs.readFileSync(path.join(refs, d), 'utf8')).join('\n')
          : ''
        const known = new Set([...text.matchAll(/^\[([^\]]+)\]:/gm)].map((d) => normalizeLabel(d[1])))
        isBookDefined = (identifier: string) => known.has(identifier)
        byBook.set(src, isBookDefined)
      }

      const value = stripBom(fs.readFileSync(file, 'utf8'))

      for (const unit of splitUnits(value).units) {
        const text = value.slice(unit.start, unit.end)
        if (!/\[|\{\{|<</.test(text)) continue
        const plain = findPlainMarkers(text)
        const problems = findPlainReferenceProblems(text, isBookDefined, refOptions)
        if (!plain && !problems) continue
        const used = [...text.matchAll(/\[([^[\]]{1,999})\]/g)].map((d) => d[1]).filter((d) => isBookDefined(normalizeLabel(d)))
        const tree = parseMarkdownWithLabels(text, used)

        if (plain) {
          markers += plain.markers.length
          expect({file, text, ...plain}).toEqual({file, text, ...findMarkers(tree, text)})
        }

        if (problems) {
          references += problems.length
          expect({file, text, problems}).toEqual({
            file,
            text,
            problems: findReferenceProblems(tree, text, isBookDefined, refOptions)
          })
        }
      }
    }

    // Most of the books' markers and wiki links are read this way.
    expect(markers).toBeGreaterThan(1000)
    expect(references).toBeGreaterThan(300)
  })

})
