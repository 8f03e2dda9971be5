/**
 * The published package works without the development tree: pack it,
 * install the tarball in an empty folder, run the binary.
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

  it('should not ship the development tree', () => {
    expect(fs.existsSync(path.join(folder, 'node_modules', 'mdbook-xref', 'src'))).toBe(false)
    expect(fs.existsSync(path.join(folder, 'node_modules', 'mdbook-xref', 'test'))).toBe(false)
  })
})
