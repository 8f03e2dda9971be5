import path from 'node:path'
import { describe, expect, it, vi} from 'vitest'
import {applyFixes, definitionStats, familyFile, labelFamily, planFixes} from '../../src/book/fix.js'
import {lintBook} from '../../src/book/lint.js'
import { fixtures} from '../helpers.js'

/**
 * An undefined-reference finding, as `lint` reports it.
 *
 * @param label
 *   Label.
 * @returns
 *   Finding.
 */
function undefinedRef(label: string): {ruleId: string; label: string} {
  return {ruleId: 'undefined-reference', label}
}

describe('planFixes', () => {
  it('should generate the conventional URL of each undefined crate and category label', () => {
    expect(
      planFixes([
        undefinedRef('c~tokio~docs'),
        undefinedRef('c~tokio~crates.io~badge'),
        undefinedRef('c-serde_json'),
        undefinedRef('cat~caching'),
        undefinedRef('c~std~docs')
      ])
    ).toEqual({
      definitions: [
        {label: 'c-serde_json', url: 'https://docs.rs/serde_json'},
        {label: 'cat~caching', url: 'https://crates.io/categories/caching'},
        {label: 'c~std~docs', url: 'https://doc.rust-lang.org/std'},
        {label: 'c~tokio~crates.io~badge', url: 'https://img.shields.io/badge/crates.io-tokio-crimson'},
        {label: 'c~tokio~docs', url: 'https://docs.rs/tokio'}
      ],
      unfixable: []
    })
  })

  it('should list labels without a convention, and skip other rules and repeated labels', () => {
    expect(
      planFixes([
        undefinedRef('c~tokio::spawn~docs'),
        undefinedRef('c~tokio~repo'),
        undefinedRef('ex~chapter~x'),
        undefinedRef('c~a\\_b~docs'),
        {ruleId: 'wiki-link', label: 'c~sled~docs'},
        {ruleId: 'undefined-reference'},
        undefinedRef('c~sled~docs'),
        undefinedRef('C~Sled~Docs')
      ])
    ).toEqual({
      definitions: [{label: 'c~sled~docs', url: 'https://docs.rs/sled'}],
      unfixable: ['c~tokio::spawn~docs', 'c~tokio~repo', 'ex~chapter~x', 'c~a\\_b~docs']
    })
  })

  it('should use the crate that registry definitions name', () => {
    expect(planFixes([undefinedRef('c-actix_web-lib.rs')], {crates: new Map([['actix_web', 'actix-web']])})).toEqual({
      definitions: [{label: 'c-actix_web-lib.rs', url: 'https://lib.rs/crates/actix-web'}],
      unfixable: []
    })
  })
})

describe('applyFixes', () => {
  const sorted = '# Refs\n\n[c~a~docs]: https://docs.rs/a\n[c~m~docs]: https://docs.rs/m\n\n<!-- end -->\n'

  it('should insert each line at its sorted place in a sorted file', () => {
    const result = applyFixes(sorted, [
      {label: 'c~z~docs', url: 'https://docs.rs/z'},
      {label: 'c~b~docs', url: 'https://docs.rs/b'},
      {label: 'c~Q~docs', url: 'https://docs.rs/q'},
      // The same label as `c~b~docs` (labels ignore case).
      {label: 'c~B~docs', url: 'https://docs.rs/b'}
    ])
    expect(result).toEqual({
      text:
        '# Refs\n\n[c~B~docs]: https://docs.rs/b\n[c~Q~docs]: https://docs.rs/q\n[c~a~docs]: https://docs.rs/a\n' +
        '[c~m~docs]: https://docs.rs/m\n[c~z~docs]: https://docs.rs/z\n\n<!-- end -->\n',
      added: [
        {label: 'c~B~docs', url: 'https://docs.rs/b'},
        {label: 'c~Q~docs', url: 'https://docs.rs/q'},
        {label: 'c~z~docs', url: 'https://docs.rs/z'}
      ]
    })
  })

  it('should add nothing for labels the file defines (a second run)', () => {
    const once = applyFixes(sorted, [{label: 'c~b~docs', url: 'https://docs.rs/b'}])
    expect(applyFixes(once.text, [{label: 'C~B~DOCS', url: 'https://docs.rs/b'}])).toEqual({text: once.text, added: []})
  })

  it('should sort by code unit like `LC_ALL=C sort` (`_` before `~`)', () => {
    const text = '[c~serde_json~docs]: https://docs.rs/serde_json\n[c~serde~docs]: https://docs.rs/serde\n'
    expect(applyFixes(text, [{label: 'c~serde-x~docs', url: 'https://docs.rs/serde-x'}]).text).toBe(
      '[c~serde-x~docs]: https://docs.rs/serde-x\n' + text
    )
  })

  it('should keep a file sorted by `~`-separated parts in that order', () => {
    const text = '[c~serde~docs]: https://docs.rs/serde\n[c~serde_json~docs]: https://docs.rs/serde_json\n[c~tokio~docs]: https://docs.rs/tokio\n'
    expect(applyFixes(text, [{label: 'c~serde~crates.io', url: 'https://crates.io/crates/serde'}, {label: 'c~sled~docs', url: 'https://docs.rs/sled'}]).text).toBe(
      '[c~serde~crates.io]: https://crates.io/crates/serde\n[c~serde~docs]: https://docs.rs/serde\n' +
        '[c~serde_json~docs]: https://docs.rs/serde_json\n[c~sled~docs]: https://docs.rs/sled\n[c~tokio~docs]: https://docs.rs/tokio\n'
    )
  })

  it('should append to an unsorted file, keeping its missing final newline', () => {
    const text = '[cat~science]: https://crates.io/categories/science\n[cat~asynchronous]: https://crates.io/categories/asynchronous'
    expect(applyFixes(text, [{label: 'cat~caching', url: 'https://crates.io/categories/caching'}]).text).toBe(
      text + '\n[cat~caching]: https://crates.io/categories/caching'
    )
  })

  it('should append after the last definition of a sorted file that ends without a line ending', () => {
    expect(applyFixes('[c~a~docs]: https://docs.rs/a', [{label: 'c~b~docs', url: 'https://docs.rs/b'}]).text).toBe(
      '[c~a~docs]: https://docs.rs/a\n[c~b~docs]: https://docs.rs/b'
    )
  })

  it('should keep CRLF line endings and a byte order mark', () => {
    expect(
      applyFixes('\uFEFF[c~a~docs]: https://docs.rs/a\r\n[c~c~docs]: https://docs.rs/c\r\n', [
        {label: 'c~b~docs', url: 'https://docs.rs/b'},
        {label: 'c~d~docs', url: 'https://docs.rs/d'}
      ]).text
    ).toBe(
      '\uFEFF[c~a~docs]: https://docs.rs/a\r\n[c~b~docs]: https://docs.rs/b\r\n[c~c~docs]: https://docs.rs/c\r\n[c~d~docs]: https://docs.rs/d\r\n'
    )
  })

  it('should add to an empty file and to a file without definitions', () => {
    const definitions = [{label: 'c~b~docs', url: 'https://docs.rs/b'}]
    expect(applyFixes('', definitions).text).toBe('[c~b~docs]: https://docs.rs/b\n')
    expect(applyFixes('# Refs\n', definitions).text).toBe('# Refs\n[c~b~docs]: https://docs.rs/b\n')
  })

  it('should not count a definition-like line in a code block', () => {
    const text = '```\n[c~z~docs]: x\n```\n\n[c~m~docs]: https://docs.rs/m\n'
    expect(applyFixes(text, [{label: 'c~a~docs', url: 'https://docs.rs/a'}]).text).toBe(
      '```\n[c~z~docs]: x\n```\n\n[c~a~docs]: https://docs.rs/a\n[c~m~docs]: https://docs.rs/m\n'
    )
  })
})

describe('labelFamily, definitionStats, familyFile', () => {
  it('should name the family of crate and category labels', () => {
    expect(['c~tokio~docs', 'cat~science', 'c-tokio', 'cat-science', 'ex~x', 'c~'].map((d) => labelFamily(d))).toEqual([
      'c~',
      'cat~',
      'c-',
      'cat-',
      undefined,
      undefined
    ])
  })

  it('should count definitions where they are written, once per place', async () => {
    const dir = path.join(fixtures, 'fix-book')
    const result = await lintBook(dir, {cwd: dir})
    const stats = definitionStats(result.sources)
    expect(stats).toEqual({
      files: new Map([
        ['c~', new Map([[path.join(dir, 'src', 'refs', 'crate-refs.md'), 3]])],
        ['cat~', new Map([[path.join(dir, 'src', 'refs', 'category-refs.md'), 2]])]
      ]),
      crates: new Map([['tokio', 'tokio']])
    })
    expect(familyFile(stats, 'c~')).toBe(path.join(dir, 'src', 'refs', 'crate-refs.md'))
    expect(familyFile(stats, 'c-')).toBe(undefined)
  })

  it('should pick the file with most definitions, the first path on a tie', () => {
    const stats = {files: new Map([['c~', new Map([['/b.md', 2], ['/a.md', 2], ['/c.md', 1]])]]), crates: new Map()}
    expect(familyFile(stats, 'c~')).toBe('/a.md')
  })
})

// Each test spawns Node a few times: slow on a busy machine.
vi.setConfig({testTimeout: 30_000})

