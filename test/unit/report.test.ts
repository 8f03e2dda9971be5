import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {report} from '../../src/diagnostics/rules.js'
import {
  escapeData,
  escapeProperty,
  formatGithub,
  formatHuman,
  formatJson,
  formatSummary,
  toFindings
} from '../../src/diagnostics/report.js'

/**
 * Two files with findings: a chapter with its text, and a refs file without.
 *
 * @returns
 *   Files.
 */
function sample(): VFile[] {
  const chapter = new VFile({
    path: 'src/a.md',
    value: '# A\n\nSee [tokio][c~tokio] and\n\tthe {{hi:}} marker.\n'
  })
  // Made out of order: reporters sort by place.
  report(chapter, {
    ruleId: 'marker-empty',
    reason: 'Unexpected empty marker `{{hi:}}`, expected a term',
    place: {start: {line: 4, column: 6}, end: {line: 4, column: 13}}
  })
  report(chapter, {
    ruleId: 'undefined-reference',
    reason: 'Cannot find definition `c~tokio`; did you mean `c~tokio~docs`',
    place: {start: {line: 3, column: 5}, end: {line: 3, column: 24}},
    label: 'c~tokio',
    chapters: ['a.md', 'b.md'],
    note: 'Defined in other chapters only'
  })
  const refs = new VFile({path: 'src/refs, v2: all.md'})
  report(refs, {ruleId: 'unused-definition', reason: 'Unexpected unused definition `x`'}, {'unused-definition': 'warn'})
  const info = report(refs, {ruleId: 'convention', reason: 'Unexpected 100% match,\r\nsee notes', place: {line: 7, column: 1}})
  if (info) info.fatal = undefined
  const clean = new VFile({path: 'src/clean.md', value: 'ok\n'})
  return [chapter, refs, clean]
}

describe('toFindings and formatJson', () => {
  it('should give every field of every finding, file by file, sorted by place', () => {
    expect(toFindings(sample())).toEqual([
      {
        ruleId: 'undefined-reference',
        severity: 'error',
        file: 'src/a.md',
        line: 3,
        column: 5,
        endLine: 3,
        endColumn: 24,
        label: 'c~tokio',
        message: 'Cannot find definition `c~tokio`; did you mean `c~tokio~docs`',
        chapters: ['a.md', 'b.md'],
        note: 'Defined in other chapters only',
        url: 'https://github.com/mdbook-xref/mdbook-xref#undefined-reference'
      },
      {
        ruleId: 'marker-empty',
        severity: 'warning',
        file: 'src/a.md',
        line: 4,
        column: 6,
        endLine: 4,
        endColumn: 13,
        label: null,
        message: 'Unexpected empty marker `{{hi:}}`, expected a term',
        chapters: [],
        note: null,
        url: 'https://github.com/mdbook-xref/mdbook-xref#marker-empty'
      },
      {
        ruleId: 'unused-definition',
        severity: 'warning',
        file: 'src/refs, v2: all.md',
        line: null,
        column: null,
        endLine: null,
        endColumn: null,
        label: null,
        message: 'Unexpected unused definition `x`',
        chapters: [],
        note: null,
        url: 'https://github.com/mdbook-xref/mdbook-xref#unused-definition'
      },
      {
        ruleId: 'convention',
        severity: 'info',
        file: 'src/refs, v2: all.md',
        line: 7,
        column: 1,
        endLine: null,
        endColumn: null,
        label: null,
        message: 'Unexpected 100% match,\r\nsee notes',
        chapters: [],
        note: null,
        url: 'https://github.com/mdbook-xref/mdbook-xref#convention'
      }
    ])
  })

  it('should serialise the findings as indented JSON', () => {
    const files = sample()
    expect(formatJson(files)).toBe(JSON.stringify(toFindings(files), null, 2))
    expect(JSON.parse(formatJson([new VFile({path: 'x.md'})]))).toEqual([])
  })
})

describe('formatGithub', () => {
  it('should write one workflow command per finding, escaping data and properties', () => {
    expect(formatGithub(sample()).split('\n')).toEqual([
      '::error file=src/a.md,line=3,col=5,endLine=3,endColumn=24,title=undefined-reference::Cannot find definition `c~tokio`; did you mean `c~tokio~docs`',
      '::warning file=src/a.md,line=4,col=6,endLine=4,endColumn=13,title=marker-empty::Unexpected empty marker `{{hi:}}`, expected a term',
      '::warning file=src/refs%2C v2%3A all.md,title=unused-definition::Unexpected unused definition `x`',
      '::notice file=src/refs%2C v2%3A all.md,line=7,col=1,title=convention::Unexpected 100%25 match,%0D%0Asee notes'
    ])
  })

  it('should make absolute paths relative to `cwd`', () => {
    const file = new VFile({path: '/repo/book/src/a.md'})
    report(file, {ruleId: 'wiki-link', reason: 'Unexpected wiki link', place: {line: 1, column: 2}})
    expect([formatGithub([file], {cwd: '/repo'}), formatGithub([file])]).toEqual([
      '::warning file=book/src/a.md,line=1,col=2,title=wiki-link::Unexpected wiki link',
      '::warning file=/repo/book/src/a.md,line=1,col=2,title=wiki-link::Unexpected wiki link'
    ])
  })

  it('should escape as GitHub’s `escapeData` and `escapeProperty` do', () => {
    expect([escapeData('a%b\rc\nd:e,f'), escapeProperty('a%b\rc\nd:e,f'), escapeData('%0A')]).toEqual([
      'a%25b%0Dc%0Ad:e,f',
      'a%25b%0Dc%0Ad%3Ae%2Cf',
      '%250A'
    ])
  })

  it('should give nothing without findings', () => {
    expect(formatGithub([new VFile({path: 'a.md'})])).toBe('')
  })
})

describe('formatHuman', () => {
  it('should group by file, show the source line with a caret, and count', () => {
    expect(formatHuman(sample())).toBe(
      [
        'src/a.md',
        '  3:5  error    Cannot find definition `c~tokio`; did you mean `c~tokio~docs`  undefined-reference',
        '    3 | See [tokio][c~tokio] and',
        '      |     ^^^^^^^^^^^^^^^^^^^',
        '    Defined in other chapters only',
        '  4:6  warning  Unexpected empty marker `{{hi:}}`, expected a term  marker-empty',
        '    4 | \tthe {{hi:}} marker.',
        '      | \t    ^^^^^^^',
        '',
        'src/refs, v2: all.md',
        '  0:0  warning  Unexpected unused definition `x`  unused-definition',
        '  7:1  info     Unexpected 100% match,\r\nsee notes  convention',
        '',
        '1 error, 2 warnings, 1 info'
      ].join('\n')
    )
  })

  it('should colour severities, rules and carets when asked', () => {
    const file = new VFile({path: 'a.md', value: 'x [y]\n'})
    report(file, {
      ruleId: 'undefined-reference',
      reason: 'Cannot find definition `y`',
      place: {start: {line: 1, column: 3}, end: {line: 2, column: 1}}
    })
    expect(formatHuman([file], {color: true})).toBe(
      [
        '\u001B[4ma.md\u001B[24m',
        '  1:3  \u001B[31merror  \u001B[39m  Cannot find definition `y`  \u001B[2mundefined-reference\u001B[22m',
        '    \u001B[2m1 | \u001B[22mx [y]',
        '    \u001B[2m  | \u001B[22m  \u001B[31m^\u001B[39m',
        '',
        '1 error'
      ].join('\n')
    )
  })

  it('should say so when there are no findings', () => {
    expect(formatHuman([new VFile({path: 'a.md', value: 'ok'})])).toBe('no issues found')
  })
})

describe('report', () => {
  it('should put a related place in `cause`, which reporters leave out', () => {
    const plain = sample()
    const related = sample()
    const message = report(related[0], {
      ruleId: 'duplicate-definition',
      reason: 'Unexpected duplicate definition `A`, expected one definition per label',
      place: {line: 2, column: 1},
      note: 'First defined at `src/refs.md:1:1` as `a`, which wins',
      cause: {reason: 'First definition of `a`, which wins', file: 'src/refs.md', place: {line: 1, column: 1}}
    })
    report(plain[0], {
      ruleId: 'duplicate-definition',
      reason: 'Unexpected duplicate definition `A`, expected one definition per label',
      place: {line: 2, column: 1},
      note: 'First defined at `src/refs.md:1:1` as `a`, which wins'
    })
    expect(message?.cause).toMatchObject({
      reason: 'First definition of `a`, which wins',
      file: 'src/refs.md',
      line: 1,
      column: 1,
      ruleId: 'duplicate-definition',
      source: 'mdbook-xref'
    })
    expect(formatJson(related)).toBe(formatJson(plain))
    expect(formatHuman(related)).toBe(formatHuman(plain))
    expect(formatGithub(related)).toBe(formatGithub(plain))
  })
})

describe('formatSummary', () => {
  it('should show errors in full, and the rest one line per rule with files, warnings first', () => {
    expect(formatSummary(sample())).toBe(
      [
        'src/a.md',
        '  3:5  error    Cannot find definition `c~tokio`; did you mean `c~tokio~docs`  undefined-reference',
        '    3 | See [tokio][c~tokio] and',
        '      |     ^^^^^^^^^^^^^^^^^^^',
        '    Defined in other chapters only',
        '',
        '  1 warning  in 1 file  marker-empty',
        '  1 warning  in 1 file  unused-definition',
        '  1 info     in 1 file  convention',
        '',
        '1 error, 2 warnings, 1 info'
      ].join('\n')
    )
  })

  it('should count files per rule and leave out errors when there are none', () => {
    const files = ['a.md', 'b.md'].map((path) => new VFile({path}))
    for (const file of files) report(file, {ruleId: 'wiki-link', reason: 'Unexpected wiki link'})
    report(files[0], {ruleId: 'wiki-link', reason: 'Unexpected wiki link'})
    expect(formatSummary(files, {color: true})).toBe(
      '  3 warnings  in 2 files  \u001B[2mwiki-link\u001B[22m\n\n3 warnings'
    )
  })

  it('should say so when there are no findings', () => {
    expect(formatSummary([new VFile({path: 'a.md', value: 'ok'})])).toBe('no issues found')
  })
})
