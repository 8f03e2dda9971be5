import fs from 'node:fs'
import path from 'node:path'
import {TomlError} from 'smol-toml'
import {beforeAll, describe, expect, it, vi} from 'vitest'
import {addAdditionalCss} from '../../src/mdbook/init-css.js'
import {initToml, InitError} from '../../src/mdbook/init-toml.js'
import {ensureBuilt, fixtures, readFixture, root, runBin, temporaryDirectory} from '../helpers.js'

/** What `initToml` adds to a book without a table of ours. */
const table = '[preprocessor.xref]\ncommand = "mdbook-xref"\nafter = ["links"]\n'

/** The stylesheet that `init` copies into a book. */
const stylesheet = fs.readFileSync(path.join(root, 'mdbook-xref.css'), 'utf8')

/** Change line of an added table. */
const addedTable = 'added [preprocessor.xref] with command = "mdbook-xref" and after = ["links"]'

/**
 * Run `initToml` twice and check that the second run changes nothing.
 *
 * @param text
 *   `book.toml`.
 * @param fromIndexing
 *   Whether to carry over `[preprocessor.indexing]`.
 * @returns
 *   Result of the first run.
 */
function init(text: string, fromIndexing = false): ReturnType<typeof initToml> {
  const result = initToml(text, {fromIndexing})
  const again = initToml(result.text, {fromIndexing})
  expect(again.text).toBe(result.text)
  expect(again.changes).toEqual([])
  return result
}

/**
 * Copy a fixture folder into a temporary directory.
 *
 * @param name
 *   Folder under `fixtures/`.
 * @returns
 *   Path of the copy.
 */
function copyFixture(name: string): string {
  const dir = temporaryDirectory()
  fs.cpSync(path.join(fixtures, name), dir, {recursive: true})
  return dir
}

describe('initToml: adding the table', () => {
  it('should add the table to an empty file', () => {
    expect(init('')).toEqual({text: table, changes: [addedTable], notes: [], table: 'xref'})
  })

  it('should add the table at the end, after one blank line', () => {
    const text = '[book]\ntitle = "T" # comment\n\n# Output\n[output.html]\n'
    expect(init(text).text).toBe(text + '\n' + table)
    expect(init(text + '\n').text).toBe(text + '\n' + table)
  })

  it('should end a last line that has no line ending first', () => {
    expect(init('[book]\ntitle = "T"').text).toBe('[book]\ntitle = "T"\n\n' + table)
  })

  it('should add the table after the last `[preprocessor.*]` table, leaving every other byte alone', () => {
    const text = readFixture('init-plain/book.toml')
    const result = init(text)
    expect(result.changes).toEqual([addedTable])
    expect(result.text).toBe(
      [
        '# Book settings: comments, order and spacing must survive `init`.',
        '[book]',
        'title    = "Plain"   # aligned',
        'authors  = ["A. Author"]',
        'language = "en"',
        '',
        '[preprocessor.links2]',
        'command = "mdbook-links2" # another preprocessor',
        '',
        '[preprocessor.xref]',
        'command = "mdbook-xref"',
        'after = ["links"]',
        '',
        '# HTML output',
        '[output.html]',
        'git-repository-url = "https://example.com/plain"',
        ''
      ].join('\n')
    )
  })

  it('should keep CRLF line endings', () => {
    expect(init('[book]\r\ntitle = "T"\r\n').text).toBe(
      '[book]\r\ntitle = "T"\r\n\r\n[preprocessor.xref]\r\ncommand = "mdbook-xref"\r\nafter = ["links"]\r\n'
    )
  })

  it('should keep a byte order mark', () => {
    expect(init('\uFEFF[book]\n').text).toBe('\uFEFF[book]\n\n' + table)
  })

  it('should not take a header inside a multi-line string for a table', () => {
    const text = '[book]\ndescription = """\n[preprocessor.fake]\n"""\n'
    expect(init(text).text).toBe(text + '\n' + table)
  })
})

describe('initToml: an existing table', () => {
  it('should change nothing when `after` has `links`', () => {
    const text = '[preprocessor.xref]\nafter = ["links"] # ok\n'
    expect(initToml(text)).toEqual({text, changes: [], notes: [], table: 'xref'})
  })

  it('should add `after` under `command` of a table whose command runs mdbook-xref', () => {
    const text = '[preprocessor.index]\n  command = "npx mdbook-xref"\n  renderers = ["html"]\n'
    expect(init(text)).toEqual({
      text: '[preprocessor.index]\n  command = "npx mdbook-xref"\n  after = ["links"]\n  renderers = ["html"]\n',
      changes: ['added after = ["links"] to [preprocessor.index]'],
      notes: [],
      table: 'index'
    })
  })

  it('should add `after` under the header of `[preprocessor.xref]` without a command', () => {
    expect(init('[preprocessor.xref]\ndeny = true\n').text).toBe('[preprocessor.xref]\nafter = ["links"]\ndeny = true\n')
  })

  it('should add `after` at the end of a file that ends without a line ending', () => {
    expect(init('[preprocessor.xref]\ncommand = "mdbook-xref"').text).toBe(
      '[preprocessor.xref]\ncommand = "mdbook-xref"\nafter = ["links"]\n'
    )
  })

  it('should add `"links"` to an `after` array, keeping its layout', () => {
    expect(init('[preprocessor.xref]\nafter = [ "index" ] # c\n')).toEqual({
      text: '[preprocessor.xref]\nafter = [ "index", "links" ] # c\n',
      changes: ['added "links" to after of [preprocessor.xref]'],
      notes: [],
      table: 'xref'
    })
    expect(init('[preprocessor.xref]\nafter = []\n').text).toBe('[preprocessor.xref]\nafter = ["links"]\n')
    expect(init('[preprocessor.xref]\nafter = [\n  "index",\n  # later\n]\n').text).toBe(
      '[preprocessor.xref]\nafter = [\n  "index", "links",\n  # later\n]\n'
    )
  })

  it('should turn a string `after` into an array', () => {
    expect(init('[preprocessor.xref]\nafter = "index"\n')).toEqual({
      text: '[preprocessor.xref]\nafter = ["index", "links"]\n',
      changes: ['replaced after = "index" with after = ["index", "links"] in [preprocessor.xref]'],
      notes: [],
      table: 'xref'
    })
  })

  it('should refuse to edit a table written as dotted keys', () => {
    expect(() => initToml('preprocessor.xref.command = "mdbook-xref"\n')).toThrow(
      new InitError(
        'Cannot edit `[preprocessor.xref]`: it is written as an inline table or dotted keys, expected a `[preprocessor.xref]` header; add `after = ["links"]` to it by hand'
      )
    )
  })

  it('should leave a table written as an inline table alone when it has `links`', () => {
    const text = '[preprocessor]\nxref = {command = "mdbook-xref", after = ["links"]}\n'
    expect(initToml(text).text).toBe(text)
  })

  it('should note an indexing table without `--from-indexing`', () => {
    const text = '[preprocessor.indexing]\n'
    expect(init(text)).toEqual({
      text: text + '\n' + table,
      changes: [addedTable],
      notes: [
        'note: [preprocessor.indexing] also turns {{i:…}} markers into anchors; run `mdbook-xref init --from-indexing` to replace it'
      ],
      table: 'xref'
    })
  })

  it('should throw a `TomlError` on invalid TOML', () => {
    expect(() => initToml('[book\n')).toThrow(TomlError)
  })
})

describe('initToml: `--from-indexing`', () => {
  it('should rename `[preprocessor.indexing]` and its sub-tables, keeping comments and options', () => {
    const result = init(readFixture('init-indexing/book.toml'), true)
    expect(result.changes).toEqual([
      'renamed [preprocessor.indexing] to [preprocessor.xref]',
      'set command = "mdbook-xref" in [preprocessor.xref]',
      'added after = ["links"] to [preprocessor.xref]',
      'replaced use_chapter_names = true with link_labels = "name"',
      'dropped suppress_head = true: mdbook-xref has no such option',
      'renamed [preprocessor.indexing.see_instead] to [preprocessor.xref.see_instead]',
      'renamed [preprocessor.indexing.nest_under] to [preprocessor.xref.nest_under]'
    ])
    expect(result.text).toBe(
      [
        '[book]',
        'title = "Test Book for mdbook-indexing"',
        'authors = ["David Drysdale"]',
        'language = "en"',
        '',
        '[build]',
        'create-missing = false',
        '',
        '# The index: every {{i:…}} marker.',
        '[preprocessor.xref]',
        'command = "mdbook-xref"',
        'after = ["links"]',
        'link_labels = "name"   # chapter names as link text',
        '',
        '[preprocessor.xref.see_instead]',
        '"PAIR" = "protocol, PAIR"',
        '"RiiR" = "Rewrite it in Rust"',
        '',
        '[preprocessor.xref.nest_under]',
        '"protocol, PAIR" = "protocol"',
        '"test, unit" = "test"',
        '',
        '[output.html]',
        ''
      ].join('\n')
    )
  })

  it('should replace the command, keep mdBook keys, and translate `skip_renderer`', () => {
    const text = [
      '[preprocessor."indexing"]',
      'command = "mdbook-indexing"',
      'before = ["katex"]',
      'after = ["links"]',
      'use_chapter_names = false',
      'skip_renderer = "pdf, epub"',
      'see_instead.PAIR = "protocol"',
      'see_instead.PUSH = "protocol"',
      'unknown = [',
      '  1, # spans lines',
      ']',
      ''
    ].join('\n')
    expect(init(text, true)).toEqual({
      text: [
        '[preprocessor.xref]',
        'command = "mdbook-xref"',
        'before = ["katex"]',
        'after = ["links"]',
        'link_labels = "number"',
        'skip_renderers = ["pdf", "epub"]',
        'see_instead.PAIR = "protocol"',
        'see_instead.PUSH = "protocol"',
        ''
      ].join('\n'),
      changes: [
        'renamed [preprocessor.indexing] to [preprocessor.xref]',
        'set command = "mdbook-xref" in [preprocessor.xref]',
        'replaced use_chapter_names = false with link_labels = "number"',
        'replaced skip_renderer = "pdf, epub" with skip_renderers = ["pdf", "epub"]',
        'dropped unknown: mdbook-xref has no such option'
      ],
      notes: [],
      table: 'xref'
    })
  })

  it('should add the table before the sub-tables when only those are written', () => {
    expect(init('[preprocessor.indexing.see_instead]\n"a" = "b"\n', true)).toEqual({
      text: table + '\n[preprocessor.xref.see_instead]\n"a" = "b"\n',
      changes: [addedTable, 'renamed [preprocessor.indexing.see_instead] to [preprocessor.xref.see_instead]'],
      notes: [],
      table: 'xref'
    })
  })

  it('should move options into an existing table of ours and remove the indexing table', () => {
    const text = [
      '[preprocessor.xref]',
      'command = "mdbook-xref"',
      'after = ["links"]',
      '',
      '# Old index',
      '[preprocessor.indexing]',
      'command = "mdbook-indexing"',
      'use_chapter_names = false',
      'nest_under = {"test, unit" = "test"}',
      '',
      '[preprocessor.indexing.see_instead]',
      '"a" = "b"',
      ''
    ].join('\n')
    expect(init(text, true)).toEqual({
      text: [
        '[preprocessor.xref]',
        'command = "mdbook-xref"',
        'after = ["links"]',
        'link_labels = "number"',
        'nest_under = {"test, unit" = "test"}',
        '',
        '# Old index',
        '[preprocessor.xref.see_instead]',
        '"a" = "b"',
        ''
      ].join('\n'),
      changes: [
        'moved use_chapter_names = false from [preprocessor.indexing] to [preprocessor.xref] as link_labels = "number"',
        'moved nest_under from [preprocessor.indexing] to [preprocessor.xref]',
        'renamed [preprocessor.indexing.see_instead] to [preprocessor.xref.see_instead]',
        'removed [preprocessor.indexing]'
      ],
      notes: [],
      table: 'xref'
    })
  })

  it('should refuse to merge an option that both tables set', () => {
    const text = '[preprocessor.xref]\nsee-instead = {a = "b"}\n\n[preprocessor.indexing.see_instead]\nc = "d"\n'
    expect(() => initToml(text, {fromIndexing: true})).toThrow(
      new InitError(
        'Unexpected `see_instead` in both `[preprocessor.indexing]` and `[preprocessor.xref]`, expected it in one of them; merge them by hand'
      )
    )
  })

  it('should add a new table and say so when there is no indexing table', () => {
    expect(init('', true)).toEqual({
      text: table,
      changes: [addedTable],
      notes: ['note: no [preprocessor.indexing] table to carry over'],
      table: 'xref'
    })
  })
})

// Each test spawns Node a few times: slow on a busy machine.
vi.setConfig({testTimeout: 30_000})

describe('mdbook-xref init', () => {
  beforeAll(async () => {
    await ensureBuilt()
  }, 120_000)

  it('should add the table and the stylesheet, print what it did, and change nothing on a second run', async () => {
    const dir = copyFixture('init-plain')
    const file = path.join(dir, 'book.toml')
    const original = fs.readFileSync(file, 'utf8')

    expect(await runBin(['init'], {cwd: dir})).toEqual([
      0,
      [addedTable, 'wrote mdbook-xref.css', 'added additional-css = ["mdbook-xref.css"] to [output.html]', ''].join('\n'),
      ''
    ])
    const once = fs.readFileSync(file, 'utf8')
    expect(once).toBe(addAdditionalCss(initToml(original).text, 'mdbook-xref.css').text)
    expect(fs.readFileSync(path.join(dir, 'mdbook-xref.css'), 'utf8')).toBe(stylesheet)

    // From elsewhere, with the book folder as argument.
    const cwd = temporaryDirectory()
    expect(await runBin(['init', dir], {cwd})).toEqual([
      0,
      'nothing to change in ' + path.relative(cwd, file) + ': [preprocessor.xref] has after = ["links"]\n',
      ''
    ])
    expect(fs.readFileSync(file, 'utf8')).toBe(once)
  })

  it('should replace an outdated stylesheet and leave `book.toml` alone', async () => {
    const dir = copyFixture('init-plain')
    expect((await runBin(['init'], {cwd: dir}))[0]).toBe(0)
    const css = path.join(dir, 'mdbook-xref.css')
    fs.writeFileSync(css, '/* an older mdbook-xref.css */\n')
    expect(await runBin(['init'], {cwd: dir})).toEqual([
      0,
      'updated mdbook-xref.css\nnothing to change in book.toml: [preprocessor.xref] has after = ["links"]\n',
      ''
    ])
    expect(fs.readFileSync(css, 'utf8')).toBe(stylesheet)
  })

  it('should copy no stylesheet into a book that renders no HTML, and say what to do', async () => {
    const dir = temporaryDirectory({'book.toml': '[book]\ntitle = "T"\n\n[output.linkcheck]\n'})
    expect(await runBin(['init'], {cwd: dir})).toEqual([
      0,
      addedTable +
        '\nnote: book.toml renders no HTML ([output.html] is missing); to style index targets, add "mdbook-xref.css" to additional-css of [output.html] by hand\n',
      ''
    ])
    expect(fs.existsSync(path.join(dir, 'mdbook-xref.css'))).toBe(false)
  })

  it('should carry over `[preprocessor.indexing]` with `--from-indexing`', async () => {
    const dir = copyFixture('init-indexing')
    const [code, stdout, stderr] = await runBin(['init', '.', '--from-indexing'], {cwd: dir})
    expect([code, stdout.split('\n')[0], stderr]).toEqual([0, 'renamed [preprocessor.indexing] to [preprocessor.xref]', ''])
    expect(fs.readFileSync(path.join(dir, 'book.toml'), 'utf8')).toBe(
      addAdditionalCss(initToml(readFixture('init-indexing/book.toml'), {fromIndexing: true}).text, 'mdbook-xref.css').text
    )
    expect(await runBin(['init', '--from-indexing'], {cwd: dir})).toEqual([
      0,
      'nothing to change in book.toml: [preprocessor.xref] has after = ["links"]\n',
      ''
    ])
  })

  it('should fail with exit code 2 when `book.toml` is missing', async () => {
    const dir = temporaryDirectory()
    expect(await runBin(['init', 'nope'], {cwd: dir})).toEqual([
      2,
      '',
      'mdbook-xref: nope/book.toml:1:1: Cannot read `book.toml`: no such file\n'
    ])
  })

  it('should fail with exit code 2 and a place on invalid TOML, leaving the file alone', async () => {
    const text = '[book]\ntitle = "T\n'
    const dir = temporaryDirectory({'book.toml': text})
    expect(await runBin(['init'], {cwd: dir})).toEqual([
      2,
      '',
      'mdbook-xref: book.toml:2:11: Unexpected invalid TOML (control characters are not allowed in strings), expected a valid `book.toml`\n'
    ])
    expect(fs.readFileSync(path.join(dir, 'book.toml'), 'utf8')).toBe(text)
  })

  it('should fail with exit code 1 on a table it cannot edit as text', async () => {
    const text = 'preprocessor.xref.command = "mdbook-xref"\n'
    const dir = temporaryDirectory({'book.toml': text})
    expect(await runBin(['init'], {cwd: dir})).toEqual([
      1,
      '',
      'mdbook-xref: book.toml: Cannot edit `[preprocessor.xref]`: it is written as an inline table or dotted keys, expected a `[preprocessor.xref]` header; add `after = ["links"]` to it by hand\n'
    ])
    expect(fs.readFileSync(path.join(dir, 'book.toml'), 'utf8')).toBe(text)
  })
})
