import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseMarkdownWithLabels} from '../../src/markdown/parse-markdown.js'
import {findPlainMarkers, findPlainReferenceProblems} from '../../src/fast/plain-readers.js'
import {normalizeLabel} from '../../src/markdown/labels.js'
import {findReferenceProblems} from '../../src/markdown/reference-scan.js'
import {defined, parsed, unit, refOptions} from '../support/plain-readers.js'

/** Whether an identifier is defined. */
const identifiers = new Set(defined.map((d) => normalizeLabel(d)))
const isDefined = (identifier: string) => identifiers.has(identifier)

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
