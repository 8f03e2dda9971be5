import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {lintBook} from '../../src/book/lint.js'
import {preprocessBook} from '../../src/book/preprocess.js'
import {parseConfig} from '../../src/mdbook/book-toml.js'
import {readConfig} from '../../src/mdbook/config.js'
import {findKeyPlace} from '../../src/mdbook/toml-text.js'

const toml = [
  '[book]',
  'title = "See"',
  'src = "src"',
  '',
  '[preprocessor.xref]',
  'command = "node ../../dist/bin.js"',
  'see-instead = {Enums = "Enumz"}',
  '',
  '[preprocessor.xref.see_also]',
  'Enum = [',
  '  "Struct",',
  '  "Variant",',
  ']',
  ''
].join('\n')

/**
 * A book whose `see-instead` and `see-also` name terms no marker defines,
 * with an empty index chapter.
 *
 * @returns
 *   Book root.
 */
function makeBook(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'xref-config-place-'))
  fs.mkdirSync(path.join(root, 'src'))
  fs.writeFileSync(path.join(root, 'book.toml'), toml)
  fs.writeFileSync(path.join(root, 'src', 'SUMMARY.md'), '# Summary\n\n- [Types](types.md)\n- [Index](word_index.md)\n')
  fs.writeFileSync(path.join(root, 'src', 'types.md'), '# Types\n\nAn {{hi:Enum}}, a {{hi:Struct}}, {{hi:Enums}}.\n')
  fs.writeFileSync(path.join(root, 'src', 'word_index.md'), '')
  return root
}

describe('cross-reference findings', () => {
  it('should be reported at the `book.toml` line that configures them in `lint`', async () => {
    const root = makeBook()
    const result = await lintBook(root, {cwd: root})
    const messages = result.files.flatMap((file) =>
      file.messages.filter((d) => d.ruleId === 'index-dangling-see').map((d) => file.path + ':' + String(d))
    )
    expect(messages).toEqual([
      'book.toml:7:24: Cannot find index term `Enumz` for see from `Enums`',
      'book.toml:12:3: Cannot find index term `Variant` for see also from `Enum`'
    ])
  })

  it('should be reported at the `book.toml` line in the preprocessor’s log', () => {
    const root = makeBook()
    const config = parseConfig(toml, 'book.toml')
    const chapter = (name: string, file: string, number: number) => ({
      Chapter: {
        name,
        content: fs.readFileSync(path.join(root, 'src', file), 'utf8'),
        number: [number],
        sub_items: [],
        path: file,
        parent_names: []
      }
    })
    const input = {
      context: {root, config, renderer: 'html', mdbook_version: '0.4.4'},
      book: {sections: [chapter('Types', 'types.md', 1), chapter('Index', 'word_index.md', 2)]}
    }
    const text = preprocessBook(input, {...readConfig(config).options, warnings: 'all'}).report
    expect(text.split('\n').slice(0, 3)).toEqual([
      'book.toml',
      '  7:24  warning  Cannot find index term `Enumz` for see from `Enums`  index-dangling-see',
      '  12:3  warning  Cannot find index term `Variant` for see also from `Enum`  index-dangling-see'
    ])
  })
})

describe('configuration warnings', () => {
  it('should be reported at the key in `book.toml` in `lint`', async () => {
    const root = makeBook()
    const text = toml.replace('see-instead =', 'warnings = "some"\nseeInstead = true\nsee-instead =')
    fs.writeFileSync(path.join(root, 'book.toml'), text)
    const result = await lintBook(root, {cwd: root, env: {MDBOOK_XREF_WARNINGS: 'most'}})
    const messages = result.files.flatMap((file) =>
      file.messages.filter((d) => d.ruleId === 'config').map((d) => file.path + ':' + String(d))
    )
    expect(messages).toEqual([
      'book.toml:7:1: Unexpected `"some"` for `warnings` in `[preprocessor.xref]`, expected `"summary"` or `"all"`; using the default',
      'book.toml:8:1: Unexpected key `seeInstead` in `[preprocessor.xref]`, expected `see-instead`; ignoring it',
      'book.toml:1:1: Unexpected `most` for `MDBOOK_XREF_WARNINGS`, expected `all` or `summary`; using `summary`'
    ])
  })
})

describe('findKeyPlace', () => {
  const path = [['preprocessor'], ['xref'], ['see-also', 'see_also'], ['Enum']]

  it('should find a string in an entry of a table', () => {
    expect(findKeyPlace(toml, path, 'Variant')).toEqual({offset: toml.indexOf('"Variant"'), depth: 4})
  })

  it('should find the entry when the string is not there', () => {
    expect(findKeyPlace(toml, path, 'Other')).toEqual({offset: toml.indexOf('Enum = ['), depth: 4})
  })

  it('should find the key of an inline table, and a dotted key', () => {
    const inline = '[preprocessor.xref]\nsee-also = {Enum = ["Variant"]}\n'
    expect(findKeyPlace(inline, path, 'Variant')).toEqual({offset: inline.indexOf('"Variant"'), depth: 3})
    const dotted = "[preprocessor]\nxref.see-also.Enum = ['Variant']\n"
    expect(findKeyPlace(dotted, path, 'Variant')).toEqual({offset: dotted.indexOf("'Variant'"), depth: 4})
  })

  it('should find the table header, or nothing', () => {
    expect(findKeyPlace('[preprocessor.xref]\n', path)).toEqual({offset: 0, depth: 2})
    expect(findKeyPlace('[book]\n', path)).toBeUndefined()
  })
})
