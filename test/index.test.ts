import {describe, expect, it} from 'vitest'
import * as api from '../src/index.js'

describe('mdbook-xref', () => {
  it('should expose the public api', () => {
    expect(Object.keys(api).sort()).toEqual([
      'allChapters',
      'applyEdits',
      'buildIndexJson',
      'buildIndexPage',
      'checkCrossReferences',
      'checkDefinitions',
      'createIdState',
      'defaults',
      'expandIncludes',
      'expandText',
      'findMarkers',
      'findNearDuplicates',
      'findReferenceProblems',
      'formatGithub',
      'formatHuman',
      'formatJson',
      'lintBook',
      'normalizeLabel',
      'parseDefinitions',
      'parseInput',
      'parseMarkdown',
      'parseTerm',
      'preprocessBook',
      'processBook',
      'readConfig',
      'remarkMdbook',
      'remarkXrefMarkers',
      'remarkXrefRefs',
      'rewriteMarkers',
      'rules',
      'serializeBook'
    ])
  })
})
