import {describe, expect, it} from 'vitest'
import {
  defaults,
  findTable,
  readConfig,
  resolveOptions,
  supportsRenderer
} from '../../src/mdbook/config.js'
import {suggest} from '../../src/util/did-you-mean.js'

/**
 * A `book.toml` (as JSON) with one preprocessor table.
 *
 * @param table
 *   Keys of `[preprocessor.xref]`.
 * @returns
 *   Config.
 */
function withXref(table: Record<string, unknown>): Record<string, unknown> {
  return {book: {title: 'T'}, preprocessor: {xref: {command: 'mdbook-xref', ...table}}}
}

describe('readConfig', () => {
  it('should give the defaults without a table', () => {
    expect(readConfig({book: {title: 'T'}})).toEqual({options: defaults, warnings: [], table: undefined})
    expect(readConfig(undefined)).toEqual({options: defaults, warnings: [], table: undefined})
  })

  it('should give the defaults for a table with only mdBook keys', () => {
    const config = withXref({after: ['links'], before: [], optional: true})
    expect(readConfig(config)).toEqual({options: defaults, warnings: [], table: 'xref'})
  })

  it('should have these defaults', () => {
    expect(defaults).toEqual({
      renderers: ['html', 'markdown', 'test'],
      skipRenderers: [],
      markers: true,
      htmlMarkers: false,
      indexChapter: undefined,
      indexTitle: undefined,
      mergeCase: true,
      linkLabels: 'name',
      seeInstead: {},
      seeAlso: {},
      nestUnder: {},
      indexJson: undefined,
      refs: true,
      prefixes: ['c-', 'c~', 'cat-', 'cat~'],
      rules: {},
      deny: false,
      warnings: 'summary',
      allowLabels: [],
      cratesStandard: true,
      cratesJson: undefined
    })
  })

  it('should not share default objects between results', () => {
    const first = readConfig({}).options
    first.prefixes.push('x-')
    first.seeInstead.a = 'b'
    expect(readConfig({}).options.prefixes).toEqual(['c-', 'c~', 'cat-', 'cat~'])
    expect(readConfig({}).options.seeInstead).toEqual({})
  })

  it('should read kebab-case keys', () => {
    const {options, warnings} = readConfig(
      withXref({
        'skip-renderers': ['markdown'],
        'html-markers': true,
        'index-chapter': 'index-page.md',
        'index-title': 'Index of Terms',
        'merge-case': false,
        'link-labels': 'number',
        'see-instead': {mq: 'message queue'},
        'see-also': {queue: 'channel', channel: ['queue', 'pipe']},
        'nest-under': {tokio: 'runtime'},
        'index-json': 'book/index.json',
        refs: false,
        markers: false,
        prefixes: ['c~'],
        deny: true
      })
    )
    expect(warnings).toEqual([])
    expect(options).toEqual({
      ...defaults,
      skipRenderers: ['markdown'],
      htmlMarkers: true,
      indexChapter: 'index-page.md',
      indexTitle: 'Index of Terms',
      mergeCase: false,
      linkLabels: 'number',
      seeInstead: {mq: 'message queue'},
      seeAlso: {queue: ['channel'], channel: ['queue', 'pipe']},
      nestUnder: {tokio: 'runtime'},
      indexJson: 'book/index.json',
      refs: false,
      markers: false,
      prefixes: ['c~'],
      deny: true
    })
  })

  it('should read snake_case keys (an mdbook-indexing table renamed)', () => {
    const {options, warnings} = readConfig(
      withXref({
        see_instead: {'async fn': 'async'},
        nest_under: {tokio: 'runtime'},
        skip_renderers: ['test'],
        use_chapter_names: true
      })
    )
    expect(warnings).toEqual([])
    expect(options.seeInstead).toEqual({'async fn': 'async'})
    expect(options.nestUnder).toEqual({tokio: 'runtime'})
    expect(options.skipRenderers).toEqual(['test'])
  })

  it('should name the key and the expected type on a type error, and use the default', () => {
    const {options, warnings} = readConfig(
      withXref({
        markers: 'yes',
        renderers: 'html',
        prefixes: ['c~', 3],
        'index-chapter': 12,
        'link-labels': 'title',
        see_instead: {mq: ['message queue']},
        'see-also': ['queue'],
        rules: 'strict'
      })
    )
    expect(warnings).toEqual([
      'Unexpected `"yes"` for `markers` in `[preprocessor.xref]`, expected `true` or `false`; using the default',
      'Unexpected `"html"` for `renderers` in `[preprocessor.xref]`, expected an array of strings; using the default',
      'Unexpected array for `prefixes` in `[preprocessor.xref]`, expected an array of strings; using the default',
      'Unexpected `12` for `index-chapter` in `[preprocessor.xref]`, expected a string; using the default',
      'Unexpected `"title"` for `link-labels` in `[preprocessor.xref]`, expected `"name"` or `"number"`; using the default',
      'Unexpected table for `see_instead` in `[preprocessor.xref]`, expected a table of strings; using the default',
      'Unexpected array for `see-also` in `[preprocessor.xref]`, expected a table; using the default',
      'Unexpected `"strict"` for `rules` in `[preprocessor.xref]`, expected a table of rule ids; using the default'
    ])
    expect(options).toEqual(defaults)
  })

  it('should warn on an unknown key, naming the closest valid key', () => {
    const {options, warnings} = readConfig(
      withXref({see_insted: {a: 'b'}, 'index-chaptre': 'x.md', prefix: ['c~']})
    )
    expect(warnings).toEqual([
      'Unexpected key `see_insted` in `[preprocessor.xref]`, expected `see-instead`; ignoring it',
      'Unexpected key `index-chaptre` in `[preprocessor.xref]`, expected `index-chapter`; ignoring it',
      'Unexpected key `prefix` in `[preprocessor.xref]`, expected `prefixes`; ignoring it'
    ])
    expect(options).toEqual(defaults)
  })

  it('should not suggest a key that is not near an unknown key', () => {
    // The keys of mdBook's own protocol compatibility book.
    const {warnings} = readConfig(withXref({'custom-config': true, 'custom-table': {extra: 'abc'}}))
    expect(warnings).toEqual([
      'Unexpected key `custom-config` in `[preprocessor.xref]`, expected one of the documented keys; ignoring it',
      'Unexpected key `custom-table` in `[preprocessor.xref]`, expected one of the documented keys; ignoring it'
    ])
  })

  it('should name the table in messages', () => {
    const config = {preprocessor: {index: {command: 'npx mdbook-xref', marker: false}}}
    expect(readConfig(config).warnings).toEqual([
      'Unexpected key `marker` in `[preprocessor.index]`, expected `markers`; ignoring it'
    ])
  })

  it('should read `rules` levels: `"off"`, `"warn"`, `"error"`, `false`, `true`', () => {
    const {options, warnings} = readConfig(
      withXref({
        rules: {
          'undefined-reference': 'warn',
          'wiki-link': false,
          convention: true,
          'marker-empty': 'error',
          'unused-definition': 'off'
        }
      })
    )
    expect(warnings).toEqual([])
    expect(options.rules).toEqual({
      'undefined-reference': 'warn',
      'wiki-link': 'off',
      convention: 'warn',
      'marker-empty': 'error',
      'unused-definition': 'off'
    })
  })

  it('should warn on an unknown rule or level and keep the others', () => {
    const {options, warnings} = readConfig(
      withXref({
        rules: {
          'undefined-refrence': 'off',
          'no-such-rule-at-all': 'off',
          'wiki-link': 'fatal',
          convention: 2,
          'marker-nested': 'error'
        }
      })
    )
    expect(warnings).toEqual([
      'Unexpected rule `undefined-refrence`, expected `undefined-reference` in `[preprocessor.xref].rules`',
      'Unexpected rule `no-such-rule-at-all`, expected a rule id of the documentation in `[preprocessor.xref].rules`',
      'Unexpected `"fatal"` for rule `wiki-link`, expected `"off"`, `"warn"` or `"error"` in `[preprocessor.xref].rules`',
      'Unexpected `2` for rule `convention`, expected `"off"`, `"warn"` or `"error"` in `[preprocessor.xref].rules`'
    ])
    expect(options.rules).toEqual({'marker-nested': 'error'})
  })

  it('should set `deny` from `MDBOOK_XREF_DENY`', () => {
    expect(readConfig({}, {MDBOOK_XREF_DENY: '1'}).options.deny).toBe(true)
    expect(readConfig({}, {MDBOOK_XREF_DENY: 'true'}).options.deny).toBe(true)
    expect(readConfig({}, {MDBOOK_XREF_DENY: '0'}).options.deny).toBe(false)
    expect(readConfig({}, {MDBOOK_XREF_DENY: ''}).options.deny).toBe(false)
    expect(readConfig({}, {}).options.deny).toBe(false)
    expect(readConfig(withXref({deny: false}), {MDBOOK_XREF_DENY: '1'}).options.deny).toBe(true)
  })
})

describe('findTable', () => {
  it('should find `[preprocessor.xref]`', () => {
    expect(findTable(withXref({refs: false}))).toEqual({
      name: 'xref',
      table: {command: 'mdbook-xref', refs: false}
    })
    expect(findTable({preprocessor: {xref: {}}})).toEqual({name: 'xref', table: {}})
  })

  it('should find a table by its `command`, whatever its name', () => {
    expect(findTable({preprocessor: {index: {command: 'npx mdbook-xref'}}})?.name).toBe('index')
    expect(findTable({preprocessor: {words: {command: 'node ../../dist/bin.js'}}})?.name).toBe(
      'words'
    )
    expect(
      findTable({preprocessor: {xref: {}, indexing: {command: '/usr/local/bin/mdbook-xref'}}})?.name
    ).toBe('indexing')
  })

  it('should not take a table that runs another program', () => {
    expect(findTable({preprocessor: {indexing: {command: 'mdbook-indexing'}}})).toBe(undefined)
    expect(findTable({preprocessor: {xref: {command: 'python3 xref.py'}}})).toBe(undefined)
  })

  it('should find nothing in a config without preprocessors', () => {
    expect(findTable({})).toBe(undefined)
    expect(findTable({preprocessor: 'xref'})).toBe(undefined)
    expect(findTable(null)).toBe(undefined)
  })
})

describe('resolveOptions', () => {
  it('should use the given table name in messages', () => {
    expect(resolveOptions({refs: 'no'}, 'words').warnings).toEqual([
      'Unexpected `"no"` for `refs` in `[preprocessor.words]`, expected `true` or `false`; using the default'
    ])
  })
})

describe('supportsRenderer', () => {
  it('should run for `html`, `markdown` and `test` by default, not for others', () => {
    expect(['html', 'markdown', 'test', 'epub', 'pdf'].map((d) => supportsRenderer(d, defaults))).toEqual([
      true,
      true,
      true,
      false,
      false
    ])
  })

  it('should honour `renderers` and `skip-renderers`', () => {
    const {options} = readConfig(withXref({renderers: ['html', 'epub'], 'skip-renderers': ['html']}))
    expect(supportsRenderer('epub', options)).toBe(true)
    expect(supportsRenderer('html', options)).toBe(false)
    expect(supportsRenderer('markdown', options)).toBe(false)
  })
})

describe('suggest', () => {
  it('should give a near candidate only', () => {
    expect(suggest('suports', ['supports', 'lint', 'init'])).toBe('supports')
    expect(suggest('lnt', ['supports', 'lint', 'init'])).toBe('lint')
    expect(suggest('frobnicate', ['supports', 'lint', 'init'])).toBe(undefined)
    expect(suggest('x', [])).toBe(undefined)
  })
})
