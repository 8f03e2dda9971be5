import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {preprocessBook} from '../../src/book/preprocess.js'
import {readConfig, resolveOptions} from '../../src/mdbook/config.js'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xref-log-'))

/**
 * The preprocessor's report on a two-chapter book with three wiki links
 * (warnings, in two files) and an undefined reference (an error).
 *
 * @param table
 *   `[preprocessor.xref]`.
 * @param env
 *   Environment.
 * @returns
 *   Report.
 */
function report(table: Record<string, unknown>, env: Record<string, string> = {}): string {
  const config = {book: {src: 'src'}, preprocessor: {xref: table}}
  const chapter = (name: string, content: string) => ({
    Chapter: {name, content, number: [1], sub_items: [], path: name + '.md', parent_names: []}
  })
  const input = {
    context: {root, config, renderer: 'html', mdbook_version: '0.4.52'},
    book: {
      sections: [chapter('a', 'See [[x]] and [[y]].\n'), chapter('b', 'See [[z]] and [b][nope].\n')]
    }
  }
  return preprocessBook(input, readConfig(config, env).options).report
}

const all =
  'src/a.md\n' +
  '  1:5   warning  Unexpected wiki link `[[x]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)  wiki-link\n' +
  '  1:15  warning  Unexpected wiki link `[[y]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)  wiki-link\n' +
  '\n' +
  'src/b.md\n' +
  '  1:5   warning  Unexpected wiki link `[[z]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)  wiki-link\n' +
  '  1:15  error    Unexpected undefined reference `nope`, expected a definition  undefined-reference\n' +
  '\n' +
  '1 error, 3 warnings\n'

const summary =
  'src/b.md\n' +
  '  1:15  error    Unexpected undefined reference `nope`, expected a definition  undefined-reference\n' +
  '\n' +
  '  3 warnings  in 2 files  wiki-link\n' +
  '\n' +
  '1 error, 3 warnings\n' +
  'Run `mdbook-xref lint` to list every warning, or set `warnings = "all"` (or `MDBOOK_XREF_WARNINGS=all`) to show them here\n'

describe('build log', () => {
  it('should show errors in full and warnings per rule by default', () => {
    expect(report({})).toBe(summary)
    expect(report({warnings: 'summary'})).toBe(summary)
  })

  it('should show every finding with `warnings = "all"`', () => {
    expect(report({warnings: 'all'})).toBe(all)
  })

  it('should show every finding with `MDBOOK_XREF_WARNINGS=all`, over `book.toml`', () => {
    expect(report({}, {MDBOOK_XREF_WARNINGS: 'all'})).toBe(all)
    expect(report({warnings: 'all'}, {MDBOOK_XREF_WARNINGS: 'summary'})).toBe(summary)
  })

  it('should show only errors, without a hint, when there are no warnings', () => {
    const config = {book: {src: 'src'}, preprocessor: {xref: {}}}
    const chapter = {name: 'a', content: '[b][nope]\n', number: [1], sub_items: [], path: 'a.md', parent_names: []}
    const input = {
      context: {root, config, renderer: 'html', mdbook_version: '0.4.52'},
      book: {sections: [{Chapter: chapter}]}
    }
    expect(preprocessBook(input, readConfig(config).options).report).toBe(
      'src/a.md\n  1:1  error    Unexpected undefined reference `nope`, expected a definition  undefined-reference\n\n1 error\n'
    )
  })
})

describe('`warnings`', () => {
  it('should accept `summary` and `all`, and warn on anything else', () => {
    expect(resolveOptions({warnings: 'all'}).options.warnings).toBe('all')
    expect(resolveOptions({}).options.warnings).toBe('summary')
    expect(resolveOptions({warnings: 'some'})).toEqual({
      options: expect.objectContaining({warnings: 'summary'}),
      warnings: [
        'Unexpected `"some"` for `warnings` in `[preprocessor.xref]`, expected `"summary"` or `"all"`; using the default'
      ]
    })
  })

  it('should warn on other values of `MDBOOK_XREF_WARNINGS` and keep `book.toml`’s', () => {
    const config = {preprocessor: {xref: {warnings: 'all'}}}
    expect(readConfig(config, {MDBOOK_XREF_WARNINGS: '1'})).toEqual({
      options: expect.objectContaining({warnings: 'all'}),
      warnings: ['Unexpected `1` for `MDBOOK_XREF_WARNINGS`, expected `all` or `summary`; using `all`'],
      table: 'xref'
    })
    expect(readConfig({}, {MDBOOK_XREF_WARNINGS: ''}).warnings).toEqual([])
  })
})
