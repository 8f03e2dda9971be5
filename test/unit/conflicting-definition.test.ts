import {describe, expect, it} from 'vitest'
import {checkDefinitions, type PlacedDefinition} from '../../src/markdown/definition-checks.js'

/** Definitions of one chapter, one a line, from `[label, url]` pairs. */
function conflicts(pairs: Array<[string, string]>): Array<[string, string[] | undefined]> {
  const definitions: PlacedDefinition[] = pairs.map(([label, url], index) => ({
    label,
    url,
    place: {file: 'refs.md', line: index + 1, column: 1}
  }))
  return checkDefinitions([{chapter: 'a.md', definitions}])
    .filter((problem) => problem.ruleId === 'conflicting-definition')
    .map((problem) => [problem.reason, problem.expected])
}

describe('conflicting-definition', () => {
  it('should expect the first URL when only it fits the convention', () => {
    expect(conflicts([['c~tokio~docs', 'https://docs.rs/tokio'], ['c~tokio~docs', 'https://docs.rs/tokyo']])).toEqual([
      [
        'Unexpected URL `https://docs.rs/tokyo` for `c~tokio~docs`, expected `https://docs.rs/tokio` (the first definition wins, so links go to `https://docs.rs/tokio`)',
        ['https://docs.rs/tokio']
      ]
    ])
  })

  it('should expect the later URL when only it fits, saying links go to the first', () => {
    const wrong = 'https://docs.rs/data-encoding/latest/data-encoding/constant.HEXUPPER.html'
    const right = 'https://docs.rs/data-encoding/latest/data_encoding/constant.HEXUPPER.html'
    expect(conflicts([['c~data-encoding::HEXUPPER~docs', wrong], ['c~data-encoding::HEXUPPER~docs', right]])).toEqual([
      [
        'Unexpected second definition of `c~data-encoding::HEXUPPER~docs`, expected one definition, with `' +
          right +
          '` (the first definition wins, so links go to `' +
          wrong +
          '`, which breaks the URL convention)',
        [right]
      ]
    ])
  })

  it('should expect no URL when the convention cannot tell', () => {
    expect(conflicts([['docs', 'https://a.example'], ['docs', 'https://b.example']])).toEqual([
      [
        'Unexpected second definition of `docs` with `https://b.example`, expected one definition per label (the first definition wins, so links go to `https://a.example`)',
        undefined
      ]
    ])
  })

  it('should expect no URL when conventions are off', () => {
    const definitions: PlacedDefinition[] = [
      {label: 'c~tokio~docs', url: 'https://docs.rs/tokio', place: {file: 'refs.md', line: 1, column: 1}},
      {label: 'c~tokio~docs', url: 'https://docs.rs/tokyo', place: {file: 'refs.md', line: 2, column: 1}}
    ]
    const [problem] = checkDefinitions([{chapter: 'a.md', definitions}], {conventions: false})
    expect([problem.reason, problem.expected]).toEqual([
      'Unexpected second definition of `c~tokio~docs` with `https://docs.rs/tokyo`, expected one definition per label (the first definition wins, so links go to `https://docs.rs/tokio`)',
      undefined
    ])
  })

  it('should say to rename one of two item labels that differ only in case', () => {
    const variant = 'https://doc.rust-lang.org/std/result/enum.Result.html#variant.Err'
    const method = 'https://doc.rust-lang.org/std/result/enum.Result.html#method.err'
    expect(
      conflicts([
        ['c~std::result::Result::Err~docs', variant],
        ['c~std::result::Result::err~docs', method]
      ])
    ).toEqual([
      [
        'Unexpected label `c~std::result::Result::err~docs` for `' +
          method +
          '`, expected a label that differs from `c~std::result::Result::Err~docs` in more than case (CommonMark ignores case: the first definition wins, so links go to `' +
          variant +
          '`)',
        undefined
      ]
    ])
  })

  it('should not say to rename crate labels that name one crate in another case', () => {
    expect(
      conflicts([
        ['c~tokio~docs', 'https://docs.rs/tokio'],
        ['c~Tokio~docs', 'https://docs.rs/tokyo']
      ])
    ).toEqual([
      [
        'Unexpected URL `https://docs.rs/tokyo` for `c~Tokio~docs`, expected `https://docs.rs/tokio` (the first definition wins, so links go to `https://docs.rs/tokio`)',
        ['https://docs.rs/tokio']
      ]
    ])
  })
})
