import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {lintBook} from '../../src/book/lint.js'
import {run} from '../../src/cli/main.js'
import {temporaryDirectory} from '../helpers.js'

/**
 * A book: one chapter with crate references, a refs file every chapter
 * includes, and a crate page with the directive (whose references do not
 * count).
 *
 * @param toml
 *   More of `book.toml`.
 * @returns
 *   Book folder.
 */
function book(toml = ''): string {
  return temporaryDirectory({
    'book.toml': '[book]\ntitle = "Crates"\n' + toml,
    'src/SUMMARY.md': '# Summary\n\n- [Async](async.md)\n- [Crates](crates.md)\n',
    'src/async.md':
      '# Async\n\n[Tokio][c~tokio~docs], `[c~smol~docs]`, [c~parking_lot::Mutex~docs].\n\n{{#include refs.md}}\n',
    'src/crates.md': '# Crates\n\n{{#xref-crates}}\n\n[c~smol~docs]\n\n{{#include refs.md}}\n',
    'src/refs.md': [
      '[c~tokio~docs]: https://docs.rs/tokio',
      '[c~smol~docs]: https://docs.rs/smol',
      '[c~parking_lot::Mutex~docs]: https://docs.rs/parking_lot/latest/parking_lot/type.Mutex.html',
      ''
    ].join('\n')
  })
}

describe('lint --crates', () => {
  it('should report nothing about crates without the flag', async () => {
    const dir = book()
    const result = await lintBook(dir, {cwd: dir, env: {}})
    expect(result.files.flatMap((d) => d.messages.map(String))).toEqual([])
    expect(result.crates).toBe(undefined)
  })

  it('should report crates without a docs label and crate labels no chapter references', async () => {
    const dir = book()
    const result = await lintBook(dir, {cwd: dir, env: {}, crates: true})
    expect(result.files.flatMap((d) => d.messages.map((m) => [m.file + ':' + String(m), m.ruleId, m.fatal]))).toEqual([
      [
        'src/async.md:3:41: Unexpected crate `parking_lot` without a docs label, expected a definition of `c~parking_lot~docs`',
        'crate-undefined',
        false
      ],
      [
        'src/refs.md:2:1: Unexpected crate `smol` that no chapter references, expected a reference to `c~smol~docs` or no definition',
        'crate-unreferenced',
        false
      ]
    ])
    expect(result.crates?.crates.map((d) => d.name)).toEqual(['parking_lot', 'tokio'])
  })

  it('should count a chapter that only mentions the directive (in code), as the preprocessor does', async () => {
    const dir = book()
    fs.appendFileSync(path.join(dir, 'src', 'async.md'), '\nWrite `{{#xref-crates}}` on a line of its own.\n')
    const result = await lintBook(dir, {cwd: dir, env: {}, crates: true})
    expect(result.crates?.crates.map((d) => d.name)).toEqual(['parking_lot', 'tokio'])
  })

  it('should follow the levels `book.toml` sets', async () => {
    const dir = book('\n[preprocessor.xref]\nrules = {crate-undefined = "error", crate-unreferenced = "off"}\n')
    const result = await lintBook(dir, {cwd: dir, env: {}})
    expect(result.files.flatMap((d) => d.messages.map((m) => [m.ruleId, m.fatal]))).toEqual([['crate-undefined', true]])
  })

  it('should write the crates as JSON, and report in every format', async () => {
    const dir = book()
    const io = {cwd: dir, env: {}, readStdin: async () => Buffer.from('')}
    const json = await run(['lint', dir, '--crates', '--format', 'json', '--crates-json', 'crates.json'], io)
    expect([json.code, json.stderr]).toEqual([0, ''])
    expect((JSON.parse(String(json.stdout)) as Array<{ruleId: string}>).map((d) => d.ruleId)).toEqual([
      'crate-undefined',
      'crate-unreferenced'
    ])
    const data = JSON.parse(fs.readFileSync(path.join(dir, 'crates.json'), 'utf8'))
    expect(data).toEqual({
      version: 1,
      crates: [
        {
          name: 'parking_lot',
          key: 'parking_lot',
          standard: false,
          link: null,
          badge: null,
          categories: [],
          references: [
            {chapter: 'async.md', chapterName: 'Async', section: 'Async', sectionId: 'async', via: 'label', written: 'c~parking_lot::Mutex~docs'}
          ]
        },
        {
          name: 'tokio',
          key: 'tokio',
          standard: false,
          link: 'c~tokio~docs',
          badge: null,
          categories: [],
          references: [
            {chapter: 'async.md', chapterName: 'Async', section: 'Async', sectionId: 'async', via: 'label', written: 'c~tokio~docs'}
          ]
        }
      ],
      categories: [],
      unreferenced: ['smol'],
      undefined: ['parking_lot']
    })

    const github = await run(['lint', dir, '--crates', '--format', 'github'], io)
    expect(String(github.stdout).trim().split('\n').map((d) => /^::(\w+) file=([^,]+),.*title=([\w-]+)::/.exec(d)?.slice(1))).toEqual([
      ['warning', 'src/async.md', 'crate-undefined'],
      ['warning', 'src/refs.md', 'crate-unreferenced']
    ])

    // Only the JSON, no findings.
    const quiet = await run(['lint', dir, '--crates-json', 'only.json'], io)
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, 'no issues found\n', ''])
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'only.json'), 'utf8')).unreferenced).toEqual(['smol'])
  })
})
