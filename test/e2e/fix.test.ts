import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it, vi} from 'vitest'
import {ensureBuilt, fixtures, readFixture, runBin, temporaryDirectory} from '../helpers.js'

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

/**
 * Read every file of a folder.
 *
 * @param dir
 *   Folder.
 * @returns
 *   Bytes per relative path.
 */
function snapshot(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {}
  for (const name of fs.readdirSync(dir, {recursive: true, encoding: 'utf8'}).sort()) {
    const file = path.join(dir, name)
    if (fs.statSync(file).isFile()) files[name.split(path.sep).join('/')] = fs.readFileSync(file)
  }

  return files
}

// Each test spawns Node a few times: slow on a busy machine.
vi.setConfig({testTimeout: 30_000})

describe('mdbook-xref lint --fix', () => {
  beforeAll(async () => {
    await ensureBuilt()
  }, 120_000)

  /**
   * Labels of the findings that `lint --format json` reports.
   *
   * @param dir
   *   Book.
   * @returns
   *   `ruleId label` per finding.
   */
  async function findings(dir: string): Promise<string[]> {
    const [, stdout] = await runBin(['lint', '--format', 'json'], {cwd: dir})
    return (JSON.parse(stdout) as Array<{ruleId: string; label: string}>).map((d) => d.ruleId + ' ' + d.label)
  }

  it('should add the missing definitions, report the fixed book, and add nothing on a second run', async () => {
    const dir = copyFixture('fix-book')
    const before = snapshot(dir)

    expect(await findings(dir)).toEqual([
      'undefined-reference cat~caching',
      'undefined-reference c~sled~docs',
      'undefined-reference c~sled~lib.rs',
      'undefined-reference c~sled~lib.rs~badge',
      'undefined-reference c~tokio::spawn~docs'
    ])
    const fixed = await runBin(['lint', '--fix'], {cwd: dir})
    // The report after the `added` lines is that of the fixed book.
    const report = await runBin(['lint'], {cwd: dir})
    expect(fixed).toEqual([
      1,
      'added [cat~caching]: https://crates.io/categories/caching to src/refs/category-refs.md\n' +
        'added [c~sled~docs]: https://docs.rs/sled to src/refs/crate-refs.md\n' +
        'added [c~sled~lib.rs]: https://lib.rs/crates/sled to src/refs/crate-refs.md\n' +
        'added [c~sled~lib.rs~badge]: https://img.shields.io/badge/lib.rs-sled-yellow to src/refs/crate-refs.md\n' +
        report[1],
      ''
    ])
    expect(await findings(dir)).toEqual(['undefined-reference c~tokio::spawn~docs'])

    const after = snapshot(dir)
    // Only the two refs files changed, and only by the new lines.
    expect(Object.keys(after)).toEqual(Object.keys(before))
    for (const name of Object.keys(before)) {
      if (name.startsWith('src/refs/')) continue
      expect(after[name].equals(before[name])).toBe(true)
    }

    expect(after['src/refs/crate-refs.md'].toString('utf8')).toBe(
      [
        '<!-- Crate references, sorted (`LC_ALL=C sort`). -->',
        '',
        '[c~serde~docs]: https://docs.rs/serde',
        '[c~sled~docs]: https://docs.rs/sled',
        '[c~sled~lib.rs]: https://lib.rs/crates/sled',
        '[c~sled~lib.rs~badge]: https://img.shields.io/badge/lib.rs-sled-yellow',
        '[c~tokio~crates.io]: https://crates.io/crates/tokio',
        '[c~tokio~docs]: https://docs.rs/tokio',
        '',
        '<!-- end -->',
        ''
      ].join('\n')
    )
    expect(after['src/refs/category-refs.md'].toString('utf8')).toBe(
      readFixture('fix-book/src/refs/category-refs.md') + '\n[cat~caching]: https://crates.io/categories/caching'
    )

    expect(await runBin(['lint', '--fix'], {cwd: dir})).toEqual(report)
    const again = snapshot(dir)
    for (const name of Object.keys(after)) expect(again[name].equals(after[name])).toBe(true)
  })

  it('should add to the file of `--fix-file` (relative to the working directory)', async () => {
    const dir = copyFixture('fix-book')
    const cwd = path.dirname(dir)
    const target = path.join(path.basename(dir), 'src', 'refs', 'crate-refs.md')
    const [code, stdout, stderr] = await runBin(['lint', dir, '--fix', '--fix-file', target], {cwd})
    // `categories.md` does not include `crate-refs.md`.
    expect([code, stdout.split('\n').slice(0, 4), stderr]).toEqual([
      1,
      [
        'added [cat~caching]: https://crates.io/categories/caching to ' + target,
        'added [c~sled~docs]: https://docs.rs/sled to ' + target,
        'added [c~sled~lib.rs]: https://lib.rs/crates/sled to ' + target,
        'added [c~sled~lib.rs~badge]: https://img.shields.io/badge/lib.rs-sled-yellow to ' + target
      ],
      'mdbook-xref: Unexpected undefined reference `cat~caching` after adding it to `' +
        target +
        '`, expected every chapter that uses it to include that file\n'
    ])
    expect(fs.readFileSync(path.join(dir, 'src', 'refs', 'category-refs.md'), 'utf8')).toBe(
      readFixture('fix-book/src/refs/category-refs.md')
    )
  })

  it('should add to the file of `fix-file` in the config (relative to the book root)', async () => {
    const dir = copyFixture('fix-book')
    fs.appendFileSync(path.join(dir, 'book.toml'), 'fix-file = "src/refs/category-refs.md"\n')
    const [code, stdout] = await runBin(['lint', '--fix'], {cwd: dir})
    expect([code, stdout.split('\n').slice(0, 2)]).toEqual([
      1,
      [
        'added [cat~caching]: https://crates.io/categories/caching to src/refs/category-refs.md',
        'added [c~sled~docs]: https://docs.rs/sled to src/refs/category-refs.md'
      ]
    ])
  })

  it('should say when no file holds definitions of the family', async () => {
    const dir = temporaryDirectory({
      'book.toml': '[book]\ntitle = "T"\n',
      'src/SUMMARY.md': '# Summary\n\n- [A](a.md)\n',
      'src/a.md': '# A\n\nSee [c~sled~docs].\n'
    })
    const [, report] = await runBin(['lint'], {cwd: dir})
    expect(await runBin(['lint', '--fix'], {cwd: dir})).toEqual([
      1,
      report,
      'mdbook-xref: Cannot add `[c~sled~docs]: https://docs.rs/sled`: no refs file has `c~` definitions, expected `--fix-file <path>` or `fix-file` in `[preprocessor.xref]`\n'
    ])
  })

  it('should say when the chapter does not include the file it added to', async () => {
    const dir = temporaryDirectory({
      'book.toml': '[book]\ntitle = "T"\n',
      'src/SUMMARY.md': '# Summary\n\n- [A](a.md)\n',
      'src/a.md': '# A\n\nSee [c~sled~docs].\n',
      'src/refs.md': ''
    })
    const [code, stdout, stderr] = await runBin(['lint', '--fix', '--fix-file', 'src/refs.md'], {cwd: dir})
    expect([code, stdout.split('\n')[0], stderr]).toEqual([
      1,
      'added [c~sled~docs]: https://docs.rs/sled to src/refs.md',
      'mdbook-xref: Unexpected undefined reference `c~sled~docs` after adding it to `src/refs.md`, expected every chapter that uses it to include that file\n'
    ])
    expect(fs.readFileSync(path.join(dir, 'src', 'refs.md'), 'utf8')).toBe('[c~sled~docs]: https://docs.rs/sled\n')
  })

  it('should print added lines on stderr with `--format json`', async () => {
    const dir = copyFixture('fix-book')
    const [code, stdout, stderr] = await runBin(['lint', '--fix', '--format', 'json'], {cwd: dir})
    expect([code, (JSON.parse(stdout) as Array<{label: string}>).map((d) => d.label), stderr.split('\n')[0]]).toEqual([
      1,
      ['c~tokio::spawn~docs'],
      'added [cat~caching]: https://crates.io/categories/caching to src/refs/category-refs.md'
    ])
  })

  it('should refuse `--fix-file` without `--fix`', async () => {
    const dir = copyFixture('fix-book')
    expect(await runBin(['lint', '--fix-file', 'x.md'], {cwd: dir})).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected `--fix-file` without `--fix`, expected both\n'
    ])
  })

  it('should say when the refs file is missing', async () => {
    const dir = copyFixture('fix-book')
    const [code, , stderr] = await runBin(['lint', '--fix', '--fix-file', 'missing.md'], {cwd: dir})
    expect([code, stderr]).toEqual([1, 'mdbook-xref: Cannot read refs file `missing.md`: no such file\n'])
  })
})
