/**
 * The published package works without the development tree: pack it,
 * install the tarball in an empty folder, run the binary, import it, and run
 * remark-cli with the preset as a remark user does.
 */

import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {ensureBuilt, root, temporaryDirectory} from '../helpers.js'

describe('npm pack', () => {
  let folder: string
  let files: string[]

  beforeAll(async () => {
    await ensureBuilt()
    const out = temporaryDirectory()
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', out], {cwd: root, encoding: 'utf8'})
    expect(pack.status, pack.stderr).toBe(0)
    const [info] = JSON.parse(pack.stdout) as Array<{filename: string; files: Array<{path: string}>}>
    files = info.files.map((d) => d.path).sort()
    folder = temporaryDirectory({'package.json': '{"name": "consumer", "private": true}\n'})
    const install = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(out, info.filename)],
      {cwd: folder, encoding: 'utf8'}
    )
    expect(install.status, install.stderr).toBe(0)
  }, 300_000)

  it('should ship only what users need', () => {
    expect(files.filter((d) => !/^dist\/(?:[\w-]+\/)?[\w-]+\.(?:js|d\.ts)$/.test(d))).toEqual([
      'LICENSE',
      'README.md',
      'mdbook-xref.css',
      'package.json'
    ])
    expect(files).toContain('dist/bin.js')
    expect(files).toContain('dist/index.d.ts')
  })

  it('should run `npx mdbook-xref --help` and `supports html` from the installed tarball', () => {
    const help = spawnSync('npx', ['--no-install', 'mdbook-xref', '--help'], {cwd: folder, encoding: 'utf8'})
    expect([help.status, help.stdout.split('\n')[0]]).toEqual([0, 'Usage: mdbook-xref [command] [options]'])
    const supports = spawnSync('npx', ['--no-install', 'mdbook-xref', 'supports', 'html'], {cwd: folder, encoding: 'utf8'})
    expect(supports.status).toBe(0)
  })

  it('should import the library by its name', () => {
    const script = "import('mdbook-xref').then((d) => console.log(typeof d.remarkXrefMarkers, typeof d.lintBook))"
    const result = spawnSync(process.execPath, ['-e', script], {cwd: folder, encoding: 'utf8'})
    expect([result.status, result.stdout]).toEqual([0, 'function function\n'])
  })

  it('should import each plugin subpath as its default export', () => {
    const script =
      "Promise.all(['remark-mdbook', 'remark-xref-markers', 'remark-xref-refs', 'remark-preset']" +
      ".map((d) => import('mdbook-xref/' + d))).then((d) => console.log(d.map((m) => Object.keys(m).join() + ':' + typeof m.default).join(' ')))"
    const result = spawnSync(process.execPath, ['-e', script], {cwd: folder, encoding: 'utf8'})
    expect([result.status, result.stdout, result.stderr]).toEqual([
      0,
      'default:function default:function default:function default:object\n',
      ''
    ])
  })

  it('should run `remark --use mdbook-xref/remark-preset`: warnings exit 0, `--frail` exits 1', () => {
    fs.writeFileSync(path.join(folder, 'warn.md'), '# {{i:}} Rust\n')
    const warn = remark(['--no-color', '--use', 'mdbook-xref/remark-preset', 'warn.md'])
    expect([warn.status, warn.stderr]).toEqual([
      0,
      [
        'warn.md',
        '1:3-1:9 warning Unexpected empty term in `{{i:}}`, expected a term such as `{{i:tokio}}` marker-empty mdbook-xref',
        '',
        '⚠ 1 warning',
        ''
      ].join('\n')
    ])
    const frail = remark(['--no-color', '--frail', '--use', 'mdbook-xref/remark-preset', 'warn.md'])
    expect(frail.status).toBe(1)
  })

  it('should run `remark` with a `.remarkrc.json` naming the preset: errors exit 1', () => {
    const work = path.join(folder, 'rc')
    fs.mkdirSync(work, {recursive: true})
    fs.writeFileSync(path.join(work, '.remarkrc.json'), '{"plugins": ["mdbook-xref/remark-preset"]}\n')
    fs.writeFileSync(path.join(work, 'error.md'), 'See [`smol`][c~smol~docs].\n')
    const result = remark(['--no-color', 'error.md'], work)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      '1:5-1:26 error Unexpected undefined reference `c~smol~docs`, expected a definition undefined-reference mdbook-xref'
    )
  })

  it('should copy the packaged stylesheet into a book with `init`, and export it', () => {
    const book = path.join(folder, 'book')
    fs.mkdirSync(book, {recursive: true})
    fs.writeFileSync(path.join(book, 'book.toml'), '[book]\ntitle = "T"\n')
    const init = spawnSync('npx', ['--no-install', 'mdbook-xref', 'init', 'book'], {cwd: folder, encoding: 'utf8'})
    expect([init.status, init.stderr]).toEqual([0, ''])
    expect(init.stdout).toContain('wrote book/mdbook-xref.css\n')
    const packaged = fs.readFileSync(path.join(root, 'mdbook-xref.css'), 'utf8')
    expect(fs.readFileSync(path.join(book, 'mdbook-xref.css'), 'utf8')).toBe(packaged)
    const script = "console.log(import.meta.resolve('mdbook-xref/mdbook-xref.css'))"
    const resolved = spawnSync(process.execPath, ['--input-type=module', '-e', script], {cwd: folder, encoding: 'utf8'})
    expect([resolved.status, resolved.stdout.trim().endsWith('/node_modules/mdbook-xref/mdbook-xref.css')]).toEqual([0, true])
  })

  it('should not ship the development tree', () => {
    expect(fs.existsSync(path.join(folder, 'node_modules', 'mdbook-xref', 'src'))).toBe(false)
    expect(fs.existsSync(path.join(folder, 'node_modules', 'mdbook-xref', 'test'))).toBe(false)
  })

  /**
   * Run remark-cli (of the development tree) in the consumer folder, which
   * resolves plugins from its own `node_modules`.
   *
   * @param args
   *   Arguments.
   * @param cwd
   *   Working directory (default: the consumer folder).
   * @returns
   *   Exit code, stdout, stderr.
   */
  function remark(args: string[], cwd = folder): {status: number | null; stdout: string; stderr: string} {
    const cli = path.join(root, 'node_modules', 'remark-cli', 'cli.js')
    return spawnSync(process.execPath, [cli, ...args], {cwd, encoding: 'utf8'})
  }
})
