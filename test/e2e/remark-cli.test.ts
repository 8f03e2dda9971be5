/**
 * The plugins where remark users run them: remark-cli, on small documents.
 * Exit codes as remark-lint's: 0 with warnings, 1 with `--frail`, 1 with an
 * error-level (fatal) finding.
 */

import {spawn} from 'node:child_process'
import path from 'node:path'
import process from 'node:process'
import {pathToFileURL} from 'node:url'
import {beforeAll, describe, expect, it, vi} from 'vitest'
import {ensureBuilt, root, temporaryDirectory} from '../helpers.js'

const cli = path.join(root, 'node_modules', 'remark-cli', 'cli.js')

/**
 * A module that default-exports a named plugin of `dist/plugins/`, as
 * `remark --use` needs a default export.
 *
 * @param file
 *   Module in `dist/plugins/`, such as `remark-xref-refs.js`.
 * @param name
 *   Export, such as `remarkXrefRefs`.
 * @returns
 *   Module text.
 */
function wrapper(file: string, name: string): string {
  const url = pathToFileURL(path.join(root, 'dist', 'plugins', file)).href
  return 'export {' + name + ' as default} from ' + JSON.stringify(url) + '\n'
}

/** Folder with the documents and the plugin wrappers. */
let cwd = ''

/**
 * Run remark-cli in `cwd`, without configuration files, colour or stdout.
 *
 * @param args
 *   Files and flags.
 * @returns
 *   `[exitCode, stderr]`.
 */
async function remark(args: string[]): Promise<[number | null, string]> {
  const child = spawn(process.execPath, [cli, '--no-config', '--no-ignore', '--no-color', '--no-stdout', ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe']
  })
  const err: Buffer[] = []
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', resolve)
  })
  return [code, Buffer.concat(err).toString('utf8')]
}

// Each test spawns Node: slow on a busy machine.
vi.setConfig({testTimeout: 30_000})

beforeAll(async () => {
  await ensureBuilt()
  cwd = temporaryDirectory({
    'markers.mjs': wrapper('remark-xref-markers.js', 'remarkXrefMarkers'),
    'refs.mjs': wrapper('remark-xref-refs.js', 'remarkXrefRefs'),
    'control.mjs': wrapper('remark-xref-control.js', 'remarkXrefControl'),
    'warn.md': 'a {{hi:}} b\n',
    'error.md': 'a [x][] b\n',
    'off.md': '<!-- mdbook-xref disable undefined-reference -->\n\na [x][] b\n\n<!-- mdbook-xref ignore foo -->\n'
  })
}, 120_000)

describe('remark-cli', () => {
  it('should exit 0 with warnings only', async () => {
    expect(await remark(['warn.md', '--use', './markers.mjs'])).toEqual([
      0,
      [
        'warn.md',
        '1:3-1:10 warning Unexpected empty term in `{{hi:}}`, expected a term such as `{{hi:tokio}}` marker-empty mdbook-xref',
        '',
        '⚠ 1 warning',
        ''
      ].join('\n')
    ])
  })

  it('should exit 1 with warnings and `--frail`', async () => {
    const [code, stderr] = await remark(['warn.md', '--use', './markers.mjs', '--frail'])
    expect([code, stderr.split('\n').at(-2)]).toEqual([1, '⚠ 1 warning'])
  })

  it('should exit 1 with an error-level finding', async () => {
    expect(await remark(['error.md', '--use', './refs.mjs'])).toEqual([
      1,
      [
        'error.md',
        '1:3-1:8 error Unexpected undefined reference `x`, expected a definition undefined-reference mdbook-xref',
        '',
        '✖ 1 error',
        ''
      ].join('\n')
    ])
  })

  it('should exit 0 with an error-level finding set to `warn`', async () => {
    const [code, stderr] = await remark([
      'error.md',
      '--use',
      './refs.mjs=levels:{"undefined-reference":"warn"}'
    ])
    expect([code, stderr.split('\n')[1]]).toEqual([
      0,
      '1:3-1:8 warning Unexpected undefined reference `x`, expected a definition undefined-reference mdbook-xref'
    ])
  })

  it('should drop findings turned off by a comment, and warn about unknown rules', async () => {
    expect(await remark(['off.md', '--use', './control.mjs', '--use', './refs.mjs'])).toEqual([
      0,
      [
        'off.md',
        "5:1-5:32 warning Cannot ignore `'foo'`, it’s not known known unified-message-control",
        '',
        '⚠ 1 warning',
        ''
      ].join('\n')
    ])
  })
})
