import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {expandIncludes, expandText, findBoundary, maxExpansions, type Expanded} from '../../src/mdbook/includes.js'
import {root} from '../corpus.js'

const forms = path.join(root, 'fixtures', 'includes-forms')
const formsSrc = path.join(forms, 'src')
const mdbook = path.join(root, 'node_modules', '.bin', 'mdbook')
const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'xref-includes-'))

afterAll(() => {
  fs.rmSync(temporary, {recursive: true, force: true})
})

/**
 * Expand a chapter of the forms fixture.
 *
 * @param name
 *   Chapter path in `src`.
 * @param version
 *   mdBook version to match.
 * @returns
 *   Expansion.
 */
function expandForm(name: string, version?: string): Expanded {
  return expandIncludes(path.join(formsSrc, name), {
    boundary: forms,
    ...(version ? {mdbookVersion: version} : {})
  })
}

/**
 * Where the first occurrence of `needle` in an expansion was written.
 *
 * @param result
 *   Expansion.
 * @param needle
 *   Text to find.
 * @param from
 *   Where to start looking.
 * @returns
 *   `relative/path:line:column`.
 */
function where(result: Expanded, needle: string, from = 0): string {
  const offset = result.text.indexOf(needle, from)
  expect(offset).not.toBe(-1)
  const span = result.map.lookup(offset)
  return path.relative(root, span.file).split(path.sep).join('/') + ':' + span.line + ':' + span.column
}

/**
 * Make a folder of files under the temporary folder.
 *
 * @param name
 *   Folder name.
 * @param files
 *   Files (relative path to content).
 * @returns
 *   Folder.
 */
function tree(name: string, files: Record<string, string>): string {
  const folder = path.join(temporary, name)
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, file)), {recursive: true})
    fs.writeFileSync(path.join(folder, file), content)
  }

  return folder
}

describe('expandIncludes: directive forms', () => {
  const result = expandForm('forms.md')
  const text = result.text

  /**
   * The text between `label: [` and the `]` before the next line label.
   *
   * @param label
   *   Line label in `forms.md`.
   * @returns
   *   Expansion of that directive.
   */
  function after(label: string): string {
    const start = text.indexOf('\n' + label + ': [') + label.length + 4
    const end = text.indexOf(']\n', start)
    return text.slice(start, end)
  }

  it('should include a whole file without its final line ending', () => {
    expect(after('whole')).toBe(
      'fn main() {\n    // ANCHOR: outer\n    let a = 1;\n    // ANCHOR: inner\n    let b = 2;\n    // ANCHOR_END: inner\n    let c = 3;\n    // ANCHOR_END: outer\n}'
    )
    expect(after('two colons')).toBe(after('whole'))
  })

  it('should include the lines between `ANCHOR:` and `ANCHOR_END:`, dropping other anchor lines', () => {
    expect(after('anchor')).toBe('    let a = 1;\n    let b = 2;\n    let c = 3;')
    expect(after('inner anchor')).toBe('    let b = 2;')
    expect(after('missing anchor')).toBe('')
  })

  it('should include line ranges as mdBook does (1-indexed, end inclusive)', () => {
    expect(after('one line')).toBe('    // ANCHOR: outer')
    expect(after('from to')).toBe('    // ANCHOR: outer\n    let a = 1;\n    // ANCHOR: inner')
    expect(after('from')).toBe('    let c = 3;\n    // ANCHOR_END: outer\n}')
    expect(after('to')).toBe('fn main() {\n    // ANCHOR: outer\n    let a = 1;')
    expect(after('zero')).toBe('fn main() {')
    expect(after('garbage end')).toBe('    // ANCHOR_END: outer\n}')
    expect(after('past end')).toBe('')
  })

  it('should hide lines outside a `rustdoc_include` range or anchor behind `# `', () => {
    expect(after('rustdoc range')).toBe(
      '# fn main() {\n#     // ANCHOR: outer\n    let a = 1;\n#     // ANCHOR: inner\n#     let b = 2;\n#     // ANCHOR_END: inner\n#     let c = 3;\n#     // ANCHOR_END: outer\n# }'
    )
    expect(after('rustdoc anchor')).toBe('# fn main() {\n#     let a = 1;\n    let b = 2;\n#     let c = 3;\n# }')
  })

  it('should wrap `playground` and `playpen` files in a Rust fence with their attributes', () => {
    expect(after('playground')).toBe('```rust,editable,no_run\nfn main() {}\n```\n')
    expect(after('playpen')).toBe('```rust\nfn main() {}\n```\n')
    expect(after('playground newline')).toBe('```rust\nfn main() {\n}\n```\n')
  })

  it('should add a line ending after any playground file for mdBook before 0.4.6', () => {
    const old = expandForm('forms.md', '0.4.4').text
    const start = old.indexOf('playground newline: [')
    expect(old.slice(start, old.indexOf(']', start) + 1)).toBe('playground newline: [```rust\nfn main() {\n}\n\n```\n]')
  })

  it('should drop the `\\` of an escaped directive and not expand up to the last `}}` of its line', () => {
    expect(after('escaped')).toBe('{{#include lines.rs}} and {{#include nonl.md}}')
  })

  it('should allow spaces inside the braces and ignore words after the path', () => {
    expect(after('spaced')).toBe('no final newline')
  })

  it('should leave unknown directives and missing files as written', () => {
    expect(after('unknown')).toBe('{{#includes nonl.md}}')
    expect(after('missing')).toBe('{{#include missing.md}}')
  })

  it('should resolve nested includes relative to the including file', () => {
    expect(after('sub')).toBe('from sub: no final newline and deeper {{hi:deep}}\n')
  })

  it('should report a missing file once, at the directive', () => {
    expect(result.problems).toEqual([
      {
        ruleId: 'include-error',
        reason: 'Cannot read `missing.md` (`' + path.join(formsSrc, 'missing.md') + '`): no such file',
        file: path.join(formsSrc, 'forms.md'),
        place: {start: {line: 22, column: 11, offset: 793}, end: {line: 22, column: 34, offset: 816}},
        directive: '{{#include missing.md}}'
      }
    ])
  })

  it('should list every file read, the chapter first', () => {
    expect(result.files.map((d) => path.relative(formsSrc, d))).toEqual([
      'forms.md',
      'lines.rs',
      'play.rs',
      'nonl.md',
      path.join('sub', 'inc.md'),
      path.join('sub', 'deeper.md'),
      'play-nl.rs'
    ])
  })
})

describe('expandIncludes: directives inside included files', () => {
  it('should expand directives in playground files and keep one `\\` of a doubled escape', () => {
    const folder = tree('inside', {
      'a.md': '{{#playground p.rs}}\\\\{{#include x.md}}',
      'p.rs': 'fn main() {} // {{#include x.md}} \\{{#include x.md}}\n',
      'x.md': 'X\n'
    })
    const result = expandIncludes(path.join(folder, 'a.md'), {boundary: folder})
    expect(result.text).toBe('```rust\nfn main() {} // X {{#include x.md}}\n```\n\\{{#include x.md}}')
    const old = expandIncludes(path.join(folder, 'a.md'), {boundary: folder, mdbookVersion: '0.4.4'})
    expect(old.text).toBe('```rust\nfn main() {} // X {{#include x.md}}\n\n```\n\\{{#include x.md}}')
  })
})

describe('expandIncludes: titles, line endings, BOMs', () => {
  it('should remove `{{#title …}}` and return the title', () => {
    const folder = tree('title', {'a.md': '{{#title My  Title }}\n# A\n'})
    const result = expandIncludes(path.join(folder, 'a.md'), {boundary: folder})
    expect([result.text, result.title]).toEqual(['\n# A\n', 'My  Title '])
  })

  it('should keep `{{#title …}}` for mdBook before 0.4.8', () => {
    const folder = tree('title-old', {'a.md': '{{#title T}}\n'})
    const result = expandIncludes(path.join(folder, 'a.md'), {boundary: folder, mdbookVersion: '0.4.4'})
    expect([result.text, result.title]).toEqual(['{{#title T}}\n', undefined])
  })

  it('should join included CRLF lines with `\\n` and keep the chapter’s own CRLFs', () => {
    const result = expandForm('endings.md')
    expect(result.text).toBe('# Endings\r\n\r\n[crlf one\ncrlf two {{hi:crlf}}]\r\n[\uFEFFbom {{hi:bom}}]\r\n')
  })

  it('should drop a chapter BOM, except for mdBook before 0.4.6', () => {
    expect(expandForm('bom-chapter.md').text).toBe('# BOM chapter\n\nno final newline\n')
    expect(expandForm('bom-chapter.md', '0.4.4').text).toBe('\uFEFF# BOM chapter\n\nno final newline\n')
  })

  it('should map CRLF and BOM files to their lines and columns', () => {
    const result = expandForm('endings.md')
    expect([
      where(result, '# Endings'),
      where(result, '{{hi:crlf}}'),
      where(result, '\ncrlf two'),
      where(result, ']\r\n['),
      where(result, '\uFEFF'),
      where(result, '{{hi:bom}}')
    ]).toEqual([
      'fixtures/includes-forms/src/endings.md:1:1',
      'fixtures/includes-forms/src/crlf.md:2:10',
      'fixtures/includes-forms/src/crlf.md:1:9',
      'fixtures/includes-forms/src/endings.md:3:22',
      'fixtures/includes-forms/src/bom.md:1:1',
      'fixtures/includes-forms/src/bom.md:1:5'
    ])
  })

  it('should place text after a dropped chapter BOM at column 1', () => {
    const result = expandForm('bom-chapter.md')
    expect([where(result, '# BOM'), where(result, 'no final')]).toEqual([
      'fixtures/includes-forms/src/bom-chapter.md:1:1',
      'fixtures/includes-forms/src/nonl.md:1:1'
    ])
  })
})

describe('expandIncludes: source map', () => {
  it('should map text of nested includes to the file and line it was written in', () => {
    const result = expandForm(path.join('sub', 'nested.md'))
    expect(result.text).toBe('# Nested\n\nfrom sub: no final newline and deeper {{hi:deep}}\n\n')
    expect([
      where(result, '# Nested'),
      where(result, 'from sub'),
      where(result, 'no final'),
      where(result, ' and deeper'),
      where(result, '{{hi:deep}}'),
      where(result, '\n', result.text.length - 2),
      where(result, '\n', result.text.length - 1)
    ]).toEqual([
      'fixtures/includes-forms/src/sub/nested.md:1:1',
      'fixtures/includes-forms/src/sub/inc.md:1:1',
      'fixtures/includes-forms/src/nonl.md:1:1',
      'fixtures/includes-forms/src/sub/inc.md:1:34',
      'fixtures/includes-forms/src/sub/deeper.md:1:8',
      'fixtures/includes-forms/src/sub/deeper.md:1:19',
      'fixtures/includes-forms/src/sub/nested.md:3:20'
    ])
  })

  it('should map made-up text to the line or directive it stands for', () => {
    const result = expandForm('forms.md')
    const rustdoc = result.text.indexOf('rustdoc anchor: [')
    const playground = result.text.indexOf('playground: [')
    expect([
      where(result, '# fn main', rustdoc),
      where(result, 'fn main', rustdoc),
      where(result, '    let b = 2;', rustdoc),
      where(result, '```rust,editable', playground),
      where(result, 'fn main() {}', playground),
      where(result, '\n```\n', playground),
      where(result, '```\n]', playground),
      where(result, '{{#include lines.rs}} and'),
      where(result, 'sub: [')
    ]).toEqual([
      'fixtures/includes-forms/src/lines.rs:1:1',
      'fixtures/includes-forms/src/lines.rs:1:1',
      'fixtures/includes-forms/src/lines.rs:5:1',
      'fixtures/includes-forms/src/forms.md:17:14',
      'fixtures/includes-forms/src/play.rs:1:1',
      'fixtures/includes-forms/src/play.rs:1:13',
      'fixtures/includes-forms/src/forms.md:17:14',
      'fixtures/includes-forms/src/forms.md:19:12',
      'fixtures/includes-forms/src/forms.md:23:1'
    ])
  })

  it('should clamp offsets outside the text', () => {
    const result = expandForm('cycle.md')
    expect([result.map.lookup(-5), result.map.lookup(1e9)].map((d) => [d.line, d.column])).toEqual([
      [1, 1],
      [2, 1]
    ])
  })
})

describe('expandIncludes: depth, cycles, boundaries', () => {
  it('should expand a self-include ten times, drop the eleventh and name the cycle', () => {
    const result = expandForm('cycle.md')
    expect(result.text).toBe('C C C C C C C C C C C \n')
    expect(result.problems.map((d) => [d.reason, d.place.start.line, d.place.start.column])).toEqual([
      [
        'Unexpected include nested deeper than `10` levels (dropped, as mdBook does), expected no include cycle; likely cycle: `src/cycle.md` → `src/cycle.md`',
        1,
        3
      ]
    ])
  })

  it('should name a two-file cycle', () => {
    const folder = tree('cycle-two', {'a.md': 'a{{#include b.md}}', 'b.md': 'b{{#include a.md}}'})
    const result = expandIncludes(path.join(folder, 'a.md'), {boundary: folder})
    expect(result.text).toBe('abababababa')
    expect(result.problems.map((d) => [path.basename(d.file), d.reason])).toEqual([
      [
        'a.md',
        'Unexpected include nested deeper than `10` levels (dropped, as mdBook does), expected no include cycle; likely cycle: `a.md` → `b.md` → `a.md`'
      ]
    ])
  })

  it('should drop what is nested deeper than ten levels without a cycle', () => {
    const files: Record<string, string> = {}
    for (let index = 0; index < 13; index++) files['d' + index + '.md'] = index + ' {{#include d' + (index + 1) + '.md}}'
    files['d13.md'] = 'end'
    const folder = tree('deep', files)
    const result = expandIncludes(path.join(folder, 'd0.md'), {boundary: folder})
    expect(result.text).toBe('0 1 2 3 4 5 6 7 8 9 10 ')
    expect(result.problems.map((d) => [path.basename(d.file), d.reason])).toEqual([
      [
        'd10.md',
        'Unexpected include nested deeper than `10` levels (dropped, as mdBook does), expected at most `10` levels'
      ]
    ])
  })

  it('should stop a runaway include tree after `maxExpansions` expansions', () => {
    const folder = tree('runaway', {'a.md': '{{#include a.md}}{{#include a.md}}{{#include a.md}}{{#include a.md}}x'})
    const result = expandIncludes(path.join(folder, 'a.md'), {boundary: folder})
    expect(maxExpansions).toBe(100_000)
    expect(result.problems.map((d) => d.reason.replace(/;.*/, ''))).toContain(
      'Unexpected more than `100000` include expansions in one chapter, expected fewer'
    )
  })

  it('should refuse a file outside the boundary, also through a symlink, unless allowed', () => {
    const outside = tree('outside', {'secret.md': 'secret'})
    const folder = tree('bounded', {
      'book/src/a.md': '[{{#include ../../../outside/secret.md}}] [{{#include link.md}}]'
    })
    fs.symlinkSync(path.join(outside, 'secret.md'), path.join(folder, 'book', 'src', 'link.md'))
    const chapter = path.join(folder, 'book', 'src', 'a.md')
    const refused = expandIncludes(chapter, {boundary: path.join(folder, 'book')})
    expect(refused.text).toBe('[{{#include ../../../outside/secret.md}}] [{{#include link.md}}]')
    const real = fs.realpathSync(path.join(outside, 'secret.md'))
    const boundary = fs.realpathSync(path.join(folder, 'book'))
    expect(refused.problems.map((d) => d.reason)).toEqual([
      'Unexpected include of `../../../outside/secret.md` (`' +
        real +
        '`) outside `' +
        boundary +
        '`, expected a file inside the repository (pass `--allow-outside-root` to allow it)',
      'Unexpected include of `link.md` (`' +
        real +
        '`) outside `' +
        boundary +
        '`, expected a file inside the repository (pass `--allow-outside-root` to allow it)'
    ])
    const allowed = expandIncludes(chapter, {boundary: path.join(folder, 'book'), allowOutsideRoot: true})
    expect([allowed.text, allowed.problems]).toEqual(['[secret] [secret]', []])
  })

  it('should report a symlink loop instead of hanging', () => {
    const folder = tree('loop', {'a.md': 'x {{#include one.md}} y'})
    fs.symlinkSync(path.join(folder, 'two.md'), path.join(folder, 'one.md'))
    fs.symlinkSync(path.join(folder, 'one.md'), path.join(folder, 'two.md'))
    const result = expandIncludes(path.join(folder, 'a.md'), {boundary: folder})
    expect([result.text, result.problems.map((d) => d.reason)]).toEqual([
      'x {{#include one.md}} y',
      ['Cannot read `one.md` (`' + path.join(folder, 'one.md') + '`): symlink loop']
    ])
  })

  it('should report a file that is not UTF-8 and keep the directive', () => {
    const folder = tree('binary', {'a.md': '{{#include b.bin}}'})
    fs.writeFileSync(path.join(folder, 'b.bin'), Buffer.from([0xff, 0xfe, 0x00, 0xc3]))
    const result = expandIncludes(path.join(folder, 'a.md'), {boundary: folder})
    expect([result.text, result.problems.map((d) => d.reason)]).toEqual([
      '{{#include b.bin}}',
      ['Cannot read `b.bin` (`' + path.join(folder, 'b.bin') + '`): not valid UTF-8']
    ])
  })

  it('should throw when the chapter itself cannot be read', () => {
    expect(() => expandIncludes(path.join(temporary, 'nope.md'), {boundary: temporary})).toThrow(
      'Cannot read chapter `' + path.join(temporary, 'nope.md') + '`: no such file'
    )
  })

  it('should find the boundary at the nearest `.git`, else at the book root', () => {
    const folder = tree('repo', {'.git/HEAD': 'ref: refs/heads/main\n', 'docs/book/book.toml': ''})
    const plain = tree('no-repo', {'book/book.toml': ''})
    expect(findBoundary(path.join(folder, 'docs', 'book'))).toBe(folder)
    expect(findBoundary(path.join(plain, 'book'))).toBe(path.join(plain, 'book'))
  })
})

describe('expandText', () => {
  it('should expand text in memory with an injected reader, reading each file once', () => {
    const reads: string[] = []
    const files: Record<string, string> = {
      '/book/src/refs.md': '[a]: https://a.example\n',
      '/book/src/part.md': 'part {{#include refs.md}} {{#include refs.md}}'
    }
    const result = expandText(
      '\uFEFFtop\n{{#include part.md}}\n{{#include refs.md}}\n',
      '/book/src/chapter.md',
      {
        boundary: '/book',
        read(file) {
          reads.push(file)
          if (!(file in files)) throw Object.assign(new Error('nope'), {code: 'ENOENT'})
          return files[file]
        }
      }
    )
    expect(result.text).toBe(
      'top\npart [a]: https://a.example [a]: https://a.example\n[a]: https://a.example\n'
    )
    expect(reads).toEqual(['/book/src/part.md', '/book/src/refs.md'])
    const top = result.map.lookup(result.text.indexOf('top'))
    expect([top.file, top.line, top.column]).toEqual(['/book/src/chapter.md', 1, 1])
    expect(result.map.lookup(result.text.lastIndexOf('[a]')).file).toBe('/book/src/refs.md')
  })
})

