import path from 'node:path'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {locateInContent, processBook} from '../../src/book/pass.js'
import {formatHuman, formatJson} from '../../src/diagnostics/report.js'
import {resolveOptions} from '../../src/mdbook/config.js'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {editDistance} from '../../src/util/did-you-mean.js'
import {
  checkDefinition,
  checkDefinitions,
  findUnused,
  type ChapterDefinitions,
  type PlacedDefinition
} from '../../src/markdown/definition-checks.js'
import {parseDefinitions} from '../../src/markdown/definitions.js'
import {normalizeLabel, type RefOptions} from '../../src/markdown/labels.js'
import {findMalformedDefinitions} from '../../src/markdown/malformed-definitions.js'
import {findReferenceProblems} from '../../src/markdown/reference-scan.js'
import {remarkXrefRefs} from '../../src/plugins/remark-xref-refs.js'
import {mdbook, micromarkDefinitions} from '../support/references.js'

/**
 * Reference problems of a document, with the source they cover.
 *
 * @param value
 *   Markdown (its own definitions count as defined).
 * @param options
 *   Options.
 * @returns
 *   `[ruleId, source, reason]`.
 */
function problems(value: string, options?: RefOptions) {
  const tree = parseMarkdown(value)
  const defined = new Set(micromarkDefinitions(value).map((d) => d.identifier))
  return findReferenceProblems(tree, value, (d) => defined.has(d), options).map((d) => [
    d.ruleId,
    value.slice(d.start, d.end),
    d.reason
  ])
}

/**
 * A placed definition.
 *
 * @param label
 *   Label.
 * @param url
 *   URL.
 * @param file
 *   File.
 * @param line
 *   Line.
 * @returns
 *   Definition.
 */
function placed(label: string, url: string, file = 'refs.md', line = 1): PlacedDefinition {
  return {label, url, place: {file, line, column: 1}}
}

describe('normalizeLabel', () => {
  it('should match labels as CommonMark does, in mdast’s form', () => {
    expect(normalizeLabel('c~Tokio~docs')).toBe('c~tokio~docs')
    expect(normalizeLabel('  a \t\n b ')).toBe('a b')
    expect(normalizeLabel('ẞ')).toBe('ss')
    expect(normalizeLabel('c~tracing::Event~docs')).toBe(normalizeLabel('c~tracing::event~docs'))
  })
})

describe('parseDefinitions', () => {
  it('should parse one-line definitions', () => {
    const text = '[c~tokio~docs]: https://docs.rs/tokio\n  [A  b]: <x y> "t"\n[c]: /u \'s\'\n[d]: /v (p)\n'
    expect(parseDefinitions(text)).toEqual({
      definitions: [
        {label: 'c~tokio~docs', identifier: 'c~tokio~docs', url: 'https://docs.rs/tokio', title: null, start: 0, end: 37, line: 1, column: 1},
        {label: 'A  b', identifier: 'a b', url: 'x y', title: 't', start: 40, end: 57, line: 2, column: 3},
        {label: 'c', identifier: 'c', url: '/u', title: 's', start: 58, end: 69, line: 3, column: 1},
        {label: 'd', identifier: 'd', url: '/v', title: 'p', start: 70, end: 81, line: 4, column: 1}
      ],
      other: []
    })
  })

  it('should decode escapes and character references like micromark', () => {
    const text = '[a\\]b&amp;]: https://x.y/?a=1&amp;b=\\* "t \\"q\\" &copy;"\n[e]: <> ""'
    expect(parseDefinitions(text).definitions).toEqual(micromarkDefinitions(text))
    expect(parseDefinitions(text).definitions.map((d) => [d.label, d.identifier, d.url, d.title])).toEqual([
      ['a]b&', 'a\\]b&amp;', 'https://x.y/?a=1&b=*', 't "q" ©'],
      ['e', 'e', '', null]
    ])
  })

  it('should handle CRLF and CR line endings', () => {
    const text = '[a]: /a\r\n[b]: /b\r\rtext\r\n[c]: /c\r\n'
    expect(parseDefinitions(text).definitions).toEqual(micromarkDefinitions(text))
    expect(parseDefinitions(text).definitions.map((d) => [d.label, d.line, d.start, d.end])).toEqual([
      ['a', 1, 0, 7],
      ['b', 2, 9, 16]
    ])
    expect(parseDefinitions(text).other).toEqual([{start: 18, end: 31}])
  })

  it('should leave to micromark what is not a one-line definition', () => {
    const text = [
      '[a]: /a',
      '"title on the next line"',
      '',
      '[b]: /b',
      'text ends the run',
      '[c]: /c',
      '',
      '[^1]: footnote',
      '',
      '- [d]: /d',
      '',
      '[e]:',
      '  /e',
      ''
    ].join('\n')
    const result = parseDefinitions(text)
    expect(result.definitions).toEqual(micromarkDefinitions(text, true))
    expect(result.definitions.map((d) => [d.label, d.url, d.title])).toEqual([
      ['a', '/a', 'title on the next line'],
      ['b', '/b', null],
      ['e', '/e', null]
    ])
    expect(result.other.map((d) => text.slice(d.start, d.end))).toEqual([
      'text ends the run\n[c]: /c',
      '[^1]: footnote',
      '- [d]: /d'
    ])
  })

  it('should not take definitions from a fence that spans blank lines', () => {
    const text = '```md\n\n[a]: /a\n\n```\n\n[b]: /b\n'
    expect(parseDefinitions(text).definitions.map((d) => d.label)).toEqual(['b'])
    expect(parseDefinitions(text).definitions).toEqual(micromarkDefinitions(text))
  })

  it('should leave a definition inside a list item (after a blank line) to micromark', () => {
    const text = '- [a]: b\n\n  [A b]: /u "t"'
    expect(parseDefinitions(text).definitions).toEqual(micromarkDefinitions(text, true))
    expect(parseDefinitions(text).definitions).toEqual([])
  })

})

describe('findReferenceProblems', () => {
  it('should report undefined full and collapsed references', () => {
    expect(problems('See [tokio][c~tokio~docs], [x][nope] and [Err][].\n')).toEqual([
      ['undefined-reference', '[tokio][c~tokio~docs]', 'Unexpected undefined reference `c~tokio~docs`, expected a definition'],
      ['undefined-reference', '[x][nope]', 'Unexpected undefined reference `nope`, expected a definition'],
      ['undefined-reference', '[Err][]', 'Unexpected undefined reference `Err`, expected a definition']
    ])
  })

  it('should not report defined references', () => {
    expect(problems('[a][c~A~docs] [c~a~docs][] [c~a~docs] ![i][c~a~docs]\n\n[c~a~docs]: /a\n')).toEqual([])
  })

  it('should report undefined shortcut references of a family only', () => {
    expect(problems('[c~tokio~docs], [c-serde], [cat~science], [CAT-x], [other], [x] and [ ].\n')).toEqual([
      ['undefined-reference', '[c~tokio~docs]', 'Unexpected undefined reference `c~tokio~docs`, expected a definition'],
      ['undefined-reference', '[c-serde]', 'Unexpected undefined reference `c-serde`, expected a definition'],
      ['undefined-reference', '[cat~science]', 'Unexpected undefined reference `cat~science`, expected a definition'],
      ['undefined-reference', '[CAT-x]', 'Unexpected undefined reference `CAT-x`, expected a definition']
    ])
    expect(problems('[ex~a]\n', {prefixes: ['ex~']})).toEqual([
      ['undefined-reference', '[ex~a]', 'Unexpected undefined reference `ex~a`, expected a definition']
    ])
  })

  it('should read the label of a reference whose text has code', () => {
    expect(problems('[`tokio` and `]`][c~tokio~docs] [`x`][]\n')).toEqual([
      ['undefined-reference', '[`tokio` and `]`][c~tokio~docs]', 'Unexpected undefined reference `c~tokio~docs`, expected a definition'],
      ['undefined-reference', '[`x`][]', 'Unexpected undefined reference ``x``, expected a definition']
    ])
  })

  it('should report images and references with nested brackets', () => {
    expect(problems('![logo][c~a~badge] [a [b] c][c~x]\n')).toEqual([
      ['undefined-reference', '[logo][c~a~badge]', 'Unexpected undefined reference `c~a~badge`, expected a definition'],
      ['undefined-reference', '[a [b] c][c~x]', 'Unexpected undefined reference `c~x`, expected a definition']
    ])
  })

  it('should not report task boxes, alerts, footnotes, code, HTML or escapes', () => {
    const value = [
      '- [x] done',
      '- [ ] todo',
      '',
      '> [!NOTE]',
      '> A note[^1] and [^2].',
      '',
      '`[c~a][c~b]` <span title="[c~a][b]">x</span> \\[c~a\\] <https://x.y/[c~a]>',
      '',
      '```',
      '[c~a][b]',
      '```',
      '',
      '<div>',
      '[c~a][b]',
      '</div>',
      '',
      '[a](<u v>) [c~a](broken url)',
      '',
      '[^1]: Note.',
      ''
    ].join('\n')
    expect(problems(value)).toEqual([])
  })

  it('should look in headings, table cells, emphasis and quotes', () => {
    const value = '# [c~a]\n\n| [b][c~b] |\n| - |\n| *[c~c]* |\n\n> - **[x][c~d]**\n'
    expect(problems(value).map((d) => d[1])).toEqual(['[c~a]', '[b][c~b]', '[c~c]', '[x][c~d]'])
  })

  it('should report wiki links once, not their inner brackets', () => {
    expect(problems('See [[builder_pattern | builder pattern]], [[c~tokio~docs]] and [[a]][c~x].\n')).toEqual([
      [
        'wiki-link',
        '[[builder_pattern | builder pattern]]',
        'Unexpected wiki link `[[builder_pattern | builder pattern]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)'
      ],
      [
        'wiki-link',
        '[[c~tokio~docs]]',
        'Unexpected wiki link `[[c~tokio~docs]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)'
      ],
      ['undefined-reference', '[[a]][c~x]', 'Unexpected undefined reference `c~x`, expected a definition']
    ])
    const tree = parseMarkdown('[[a | b]]')
    expect(findReferenceProblems(tree, '[[a | b]]', () => false, {})[0]).toMatchObject({label: 'a', start: 0, end: 9})
  })

  it('should give offsets in the source, with CRLF', () => {
    const value = 'a\r\n\r\nb [c~x]\r\nc [d][e]\r\n'
    const tree = parseMarkdown(value)
    expect(findReferenceProblems(tree, value, () => false, {})).toEqual([
      {ruleId: 'undefined-reference', label: 'c~x', reason: 'Unexpected undefined reference `c~x`, expected a definition', start: 7, end: 12},
      {ruleId: 'undefined-reference', label: 'e', reason: 'Unexpected undefined reference `e`, expected a definition', start: 16, end: 22}
    ])
  })

  it('should ignore nodes at or after `limit`', () => {
    const text = '[c~a] x\n\n[c~b]\n'
    const source = text + '\n[c~c]\n'
    const tree = parseMarkdown(source)
    expect(findReferenceProblems(tree, source, () => false, {limit: text.length}).map((d) => d.label)).toEqual([
      'c~a',
      'c~b'
    ])
    expect(findReferenceProblems(tree, source, () => false, {limit: 9}).map((d) => d.label)).toEqual(['c~a'])
  })

  it('should suggest a close label, reading candidates only on a problem', () => {
    let reads = 0
    const candidates = () => {
      reads++
      return ['c~tokio~docs', 'c~serde~docs', 'c~actix-web~docs']
    }

    expect(problems('[c~serde~docs]\n\n[c~serde~docs]: /s\n', {candidates})).toEqual([])
    expect(reads).toBe(0)
    expect(problems('[c~tokyo~docs] [c-actix_web] [c~zzz~docs] [c~serde~docs]', {candidates})).toEqual([
      ['undefined-reference', '[c~tokyo~docs]', 'Cannot find definition for `c~tokyo~docs`; did you mean `c~tokio~docs`'],
      ['undefined-reference', '[c-actix_web]', 'Cannot find definition for `c-actix_web`; did you mean `c~actix-web~docs`'],
      ['undefined-reference', '[c~zzz~docs]', 'Unexpected undefined reference `c~zzz~docs`, expected a definition'],
      // A candidate that is the missing label itself is no suggestion.
      ['undefined-reference', '[c~serde~docs]', 'Unexpected undefined reference `c~serde~docs`, expected a definition']
    ])
    expect(reads).toBe(1)
  })

  it('should bound edit distances', () => {
    expect(editDistance('kitten', 'sitting', 5)).toBe(3)
    expect(editDistance('kitten', 'sitting', 2)).toBe(3)
    expect(editDistance('a', 'abcdef', 2)).toBe(3)
    expect(editDistance('', '', 0)).toBe(0)
  })
})

describe('findMalformedDefinitions', () => {
  /**
   * Malformed lines of a document.
   *
   * @param value
   *   Markdown.
   * @returns
   *   `[line, reason]`.
   */
  function malformed(value: string) {
    return findMalformedDefinitions(parseMarkdown(value), value).map((d) => [value.slice(d.start, d.end), d.reason])
  }

  it('should report definition-looking lines that are text', () => {
    const value = [
      '[c~a~docs]: https://docs.rs/a b',
      '',
      'Some text',
      '[c~b~docs]: https://docs.rs/b',
      '',
      '[c~c~docs: https://docs.rs/c',
      '',
      '[[c~d~docs]]: https://docs.rs/d',
      '',
      '[c~e~docs]:',
      '',
      '> quote',
      '> [c~f~docs]: https://docs.rs/f',
      ''
    ].join('\n')
    expect(malformed(value)).toEqual([
      ['[c~a~docs]: https://docs.rs/a b', 'Unexpected space in the destination of `[c~a~docs]:`, expected `%20` or `<…>` around it (or a quoted title)'],
      ['[c~b~docs]: https://docs.rs/b', 'Unexpected definition `[c~b~docs]:` inside a paragraph, expected a blank line before it (a definition cannot interrupt a paragraph)'],
      ['[c~c~docs: https://docs.rs/c', 'Unexpected unclosed label `[c~c~docs`, expected `[c~c~docs]:`'],
      ['[[c~d~docs]]: https://docs.rs/d', 'Unexpected brackets in `[[c~d~docs]]:`, expected `[c~d~docs]:`'],
      ['[c~e~docs]:', 'Unexpected missing destination after `[c~e~docs]:`, expected a URL'],
      ['[c~f~docs]: https://docs.rs/f', 'Unexpected definition `[c~f~docs]:` inside a paragraph, expected a blank line before it (a definition cannot interrupt a paragraph)']
    ])
  })

  it('should leave prose alone', () => {
    const value = [
      '[Note]: this is prose.',
      '',
      '- [[cloud | Cloud]]: load balancers.',
      '',
      'A list [a]: b c',
      '[see below]: more prose',
      '',
      '[^1]: A footnote.',
      ''
    ].join('\n')
    expect(malformed(value)).toEqual([])
  })
})

describe('checkDefinition', () => {
  it('should report unsafe URLs', () => {
    expect(checkDefinition('a', 'javascript:alert(1)')).toEqual([
      {ruleId: 'unsafe-url', reason: 'Unexpected `javascript:` URL for `a`, expected a `https:` or relative URL'}
    ])
    expect(checkDefinition('a', ' JaVa\tScript:x').map((d) => d.ruleId)).toEqual(['unsafe-url'])
    expect(checkDefinition('a', 'vbscript:x').map((d) => d.ruleId)).toEqual(['unsafe-url'])
    expect(checkDefinition('a', 'data:text/html;base64,xx').map((d) => d.ruleId)).toEqual(['unsafe-url'])
    expect(checkDefinition('a', 'data:image/png;base64,xx')).toEqual([])
    expect(checkDefinition('a', '../x.md#javascript:')).toEqual([])
  })

  it('should report a stray `~` in a URL', () => {
    expect(checkDefinition('c~concat-string~docs', 'https://docs.rs/concat~string')).toEqual([
      {
        ruleId: 'malformed-definition',
        reason:
          'Unexpected `~` in URL `https://docs.rs/concat~string` of `c~concat-string~docs`, expected `-` (`~` only starts a user path such as `/~user`)'
      }
    ])
    expect(checkDefinition('c~oorandom~repo', 'https://hg.sr.ht/~icefox/oorandom')).toEqual([])
  })

  it('should check conventions unless turned off', () => {
    expect(checkDefinition('c~xml~docs', 'https://docs.rs/xml-rs')).toEqual([
      {ruleId: 'convention', reason: 'Unexpected crate `xml-rs` in the URL of `c~xml~docs`, expected `xml`'}
    ])
    expect(checkDefinition('c~xml~docs', 'https://docs.rs/xml-rs', {conventions: false})).toEqual([])
    expect(checkDefinition('c~xml~crates.io', 'https://lib.rs/crates/xml')).toEqual([
      {
        ruleId: 'convention',
        reason: 'Unexpected URL `https://lib.rs/crates/xml` for `c~xml~crates.io`, expected `https://crates.io/crates/xml`',
        expected: ['https://crates.io/crates/xml']
      }
    ])
  })
})

describe('checkDefinitions', () => {
  it('should report duplicates and conflicts within a chapter, first wins', () => {
    const result = checkDefinitions([
      {
        chapter: 'a.md',
        definitions: [placed('x', '/1', 'a.md', 1), placed('X', '/1', 'a.md', 2), placed('x', '/2', 'a.md', 3)]
      }
    ])
    expect(result).toEqual([
      {
        ruleId: 'duplicate-definition',
        reason: 'Unexpected duplicate definition `X`, expected one definition per label',
        label: 'X',
        place: {file: 'a.md', line: 2, column: 1},
        chapters: ['a.md'],
        note: 'First defined at `a.md:1:1` as `x`, which wins',
        related: {label: 'x', place: {file: 'a.md', line: 1, column: 1}}
      },
      {
        ruleId: 'conflicting-definition',
        reason:
          'Unexpected second definition of `x` with `/2`, expected one definition per label (the first definition wins, so links go to `/1`)',
        label: 'x',
        place: {file: 'a.md', line: 3, column: 1},
        chapters: ['a.md'],
        note: 'First defined at `a.md:1:1`, which wins',
        related: {label: 'x', place: {file: 'a.md', line: 1, column: 1}}
      }
    ])
  })

  it('should not report the same label with other URLs in other chapters', () => {
    expect(
      checkDefinitions([
        {chapter: 'a.md', definitions: [placed('x', '/1', 'a.md')]},
        {chapter: 'b.md', definitions: [placed('x', '/2', 'b.md')]}
      ])
    ).toEqual([])
  })

  it('should report a place once, with every chapter it affects', () => {
    // `refs.md` is included in three chapters; `b.md` includes `extra.md` too
    // (nested: `b.md` → `more.md` → `extra.md`).
    const refs = [placed('c~a~docs', 'https://docs.rs/a', 'refs.md', 1), placed('c~b~docs', 'https://docs.rs/b', 'refs.md', 2)]
    const chapters: ChapterDefinitions[] = [
      {chapter: 'a.md', definitions: refs},
      {chapter: 'b.md', definitions: [...refs, placed('c~a~docs', 'https://docs.rs/a/latest/a/', 'extra.md', 7)]},
      {chapter: 'c.md', definitions: [placed('c~b~docs', 'https://docs.rs/b', 'c.md', 3), ...refs.map((d) => ({...d}))]},
      {chapter: 'd.md', definitions: [placed('c~a~docs', 'https://docs.rs/a/latest/a/', 'extra.md', 7), ...refs]}
    ]
    expect(checkDefinitions(chapters).map((d) => [d.ruleId, d.place.file + ':' + d.place.line, d.chapters, d.note])).toEqual([
      ['duplicate-definition', 'refs.md:2', ['c.md'], 'First defined at `c.md:3:1`, which wins'],
      ['conflicting-definition', 'extra.md:7', ['b.md'], 'First defined at `refs.md:1:1`, which wins'],
      ['conflicting-definition', 'refs.md:1', ['d.md'], 'First defined at `extra.md:7:1`, which wins']
    ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))))
  })

  it('should report a file included twice in a chapter', () => {
    const refs = [placed('a', '/a', 'refs.md', 1)]
    expect(
      checkDefinitions([{chapter: 'a.md', definitions: [...refs, ...refs]}]).map((d) => [d.ruleId, d.chapters, d.note])
    ).toEqual([['duplicate-definition', ['a.md'], 'First defined at `refs.md:1:1` (the same place, included twice), which wins']])
  })

  it('should treat labels that differ in case only as the same', () => {
    const result = checkDefinitions([
      {
        chapter: 'a.md',
        definitions: [
          placed('c~tracing::Event~docs', 'https://docs.rs/tracing/latest/tracing/struct.Event.html', 'refs.md', 1),
          placed('c~tracing::event~docs', 'https://docs.rs/tracing/latest/tracing/macro.event.html', 'refs.md', 2)
        ]
      }
    ])
    expect(result.map((d) => [d.ruleId, d.label, d.note])).toEqual([
      ['conflicting-definition', 'c~tracing::event~docs', 'First defined at `refs.md:1:1` as `c~tracing::Event~docs`, which wins']
    ])
  })

  it('should check each definition once, against its registry crate', () => {
    const definitions = [
      placed('c-cargo_flamegraph-crates.io', 'https://crates.io/crates/flamegraph', 'refs.md', 1),
      placed('c-cargo_flamegraph-lib.rs', 'https://lib.rs/crates/flamegraph', 'refs.md', 2),
      placed('c-cargo_flamegraph', 'https://docs.rs/flamegraph', 'refs.md', 3),
      placed('c~xml~crates.io', 'https://crates.io/crates/xml', 'refs.md', 4),
      placed('c~xml~docs', 'https://docs.rs/xml-rs', 'refs.md', 5),
      placed('c~bad~crates.io', 'https://crates.io/crates/other', 'refs.md', 6),
      placed('c~bad~docs', 'https://docs.rs/bad', 'refs.md', 7),
      placed('u', 'javascript:x', 'refs.md', 8)
    ]
    expect(
      checkDefinitions([
        {chapter: 'a.md', definitions},
        {chapter: 'b.md', definitions}
      ]).map((d) => [d.ruleId, d.label, d.chapters, d.expected])
    ).toEqual([
      ['convention', 'c~xml~docs', ['a.md', 'b.md'], undefined],
      ['convention', 'c~bad~crates.io', ['a.md', 'b.md'], ['https://crates.io/crates/bad']],
      ['unsafe-url', 'u', ['a.md', 'b.md'], undefined]
    ])
  })

  it('should report malformed lines once per place', () => {
    const line = {label: 'x', reason: 'Unexpected x, expected y', place: {file: 'refs.md', line: 3, column: 1}}
    expect(
      checkDefinitions([
        {chapter: 'a.md', definitions: [], malformed: [line]},
        {chapter: 'b.md', definitions: [], malformed: [line]}
      ])
    ).toEqual([{ruleId: 'malformed-definition', reason: 'Unexpected x, expected y', label: 'x', place: line.place, chapters: ['a.md', 'b.md']}])
  })
})

describe('findUnused', () => {
  it('should list definitions no reference uses', () => {
    const definitions = [placed('A', '/a'), {...placed('b', '/b'), identifier: 'b'}, placed('c', '/c')]
    expect(findUnused(definitions, new Set(['a', 'c'])).map((d) => d.label)).toEqual(['b'])
  })
})

describe('remarkXrefRefs', () => {
  it('should report on a whole document', async () => {
    const value = [
      '# Title [c~tokyo~docs]',
      '',
      'See [tokio][c~tokio~docs], [`Vec`][c~std::vec::Vec~docs], [Err][] and [[builder | the builder]].',
      '',
      '- [x] done',
      '- [ ] [c-missing] open',
      '',
      '[c~tokio~docs]: https://docs.rs/tokio',
      '[c~Tokio~docs]: https://docs.rs/tokio',
      '[c~tokio~crates.io]: https://crates.io/crates/tokyo',
      '[unused]: javascript:alert(1)',
      '[a]: https://x.y/a b',
      ''
    ].join('\n')
    const file = new VFile({path: 'ch.md', value})
    const processor = unified()
      .use(remarkParse)
      .use(mdbook)
      .use(remarkXrefRefs, {levels: {'unused-definition': 'warn'}})
    await processor.run(processor.parse(file), file)

    expect(file.messages.map((d) => [String(d), d.ruleId, d.fatal])).toEqual([
      ['1:9-1:23: Cannot find definition for `c~tokyo~docs`; did you mean `c~tokio~docs`', 'undefined-reference', true],
      ['3:28-3:57: Unexpected undefined reference `c~std::vec::Vec~docs`, expected a definition', 'undefined-reference', true],
      ['3:59-3:66: Unexpected undefined reference `Err`, expected a definition', 'undefined-reference', true],
      ['3:71-3:96: Unexpected wiki link `[[builder | the builder]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)', 'wiki-link', false],
      ['6:7-6:18: Unexpected undefined reference `c-missing`, expected a definition', 'undefined-reference', true],
      ['9:1: Unexpected duplicate definition `c~Tokio~docs`, expected one definition per label', 'duplicate-definition', false],
      ['10:1: Unexpected URL `https://crates.io/crates/tokyo` for `c~tokio~crates.io`, expected `https://crates.io/crates/tokio`', 'convention', false],
      ['11:1: Unexpected `javascript:` URL for `unused`, expected a `https:` or relative URL', 'unsafe-url', true],
      ['12:1: Unexpected space in the destination of `[a]:`, expected `%20` or `<…>` around it (or a quoted title)', 'malformed-definition', false],
      ['10:1: Unexpected unused definition `c~tokio~crates.io`, expected a reference to it', 'unused-definition', false],
      ['11:1: Unexpected unused definition `unused`, expected a reference to it', 'unused-definition', false]
    ])
    expect(file.messages[5]).toMatchObject({
      source: 'mdbook-xref',
      url: 'https://github.com/mdbook-xref/mdbook-xref#duplicate-definition',
      note: 'First defined at `ch.md:8:1` as `c~tokio~docs`, which wins'
    })
    expect(file.messages[6].expected).toEqual(['https://crates.io/crates/tokio'])
  })

  it('should put the first definition of a duplicate in `cause`', async () => {
    const file = new VFile({path: 'ch.md', value: '[a]: /1\n[A]: /2\n'})
    const processor = unified().use(remarkParse).use(mdbook).use(remarkXrefRefs)
    await processor.run(processor.parse(file), file)
    const cause = file.messages[0].cause
    expect(cause).toBeInstanceOf(Error)
    expect(cause).toMatchObject({
      reason: 'First definition of `a`, which wins',
      file: 'ch.md',
      line: 1,
      column: 1,
      ruleId: 'conflicting-definition',
      source: 'mdbook-xref'
    })
    expect(file.messages[0].note).toBe('First defined at `ch.md:1:1` as `a`, which wins')
  })

  it('should give the same reference problems as `findReferenceProblems`', async () => {
    const value = 'a [b][c] [c~d]\n\n[[e]]\n'
    const file = new VFile({value})
    const processor = unified().use(remarkParse).use(mdbook).use(remarkXrefRefs)
    await processor.run(processor.parse(file), file)
    expect(file.messages.map((d) => d.place)).toEqual(
      findReferenceProblems(parseMarkdown(value), value, () => false, {}).map((d) => ({
        start: {line: 1 + value.slice(0, d.start).split('\n').length - 1, column: d.start - value.lastIndexOf('\n', d.start - 1), offset: d.start},
        end: {line: 1 + value.slice(0, d.end).split('\n').length - 1, column: d.end - value.lastIndexOf('\n', d.end - 1), offset: d.end}
      }))
    )
  })

  it('should place problems in a file that starts with a BOM as in one without', async () => {
    const places = []

    for (const value of ['a [c~nope]\n\n[[w]]\n', '\uFEFFa [c~nope]\n\n[[w]]\n']) {
      const file = new VFile({value})
      const processor = unified().use(remarkParse).use(mdbook).use(remarkXrefRefs)
      await processor.run(processor.parse(file), file)
      places.push(file.messages.map((d) => [d.ruleId, d.place]))
    }

    expect(places[0].length).toBe(2)
    expect(places[1]).toEqual(places[0])
  })
})

describe('processBook definitions', () => {
  it('should give duplicates the wording of the plugin, the first definition in `cause`', () => {
    const chapters = [{name: 'a', path: 'a.md', content: 'x [a]\n\n[a]: /1\n[b]: /2\n[A]: /1\n[B]: /3\n'}]
    const {options} = resolveOptions({})
    const result = processBook(chapters, options, locateInContent(chapters.map((d) => ({...d})), 'src'), 'en')
    const messages = result.files.flatMap((d) => d.messages)
    expect(messages.map((d) => [String(d), d.note])).toEqual([
      [
        '5:1-5:4: Unexpected duplicate definition `A`, expected one definition per label',
        'First defined at `src/a.md:3:1` as `a`, which wins'
      ],
      [
        '6:1-6:4: Unexpected label `B` for `/3`, expected a label that differs from `b` in more than case (CommonMark ignores case: the first definition wins, so links go to `/2`)',
        'First defined at `src/a.md:4:1` as `b`, which wins'
      ]
    ])
    expect(messages.map((d) => d.cause)).toMatchObject([
      {reason: 'First definition of `a`, which wins', file: 'src/a.md', line: 3, column: 1},
      {reason: 'First definition of `b`, which wins', file: 'src/a.md', line: 4, column: 1}
    ])
    // Reporters show the note, not the cause.
    expect(formatJson(result.files)).not.toContain('cause')
    expect(formatHuman(result.files)).not.toContain('First definition of')
  })
})
