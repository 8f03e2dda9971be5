/**
 * The published types work for a TypeScript user of the plugins: a consumer
 * that uses the three subpaths and the preset, with options, compiles under
 * `tsc --strict` without Node types, against the built `dist/` installed as
 * `node_modules/mdbook-xref` next to only the packages in `dependencies`.
 *
 * So a public `.d.ts` that names `Buffer`, `NodeJS.*` or `node:*`, or imports
 * types from a package that a user does not get installed (a
 * devDependency), fails here. Checked with TypeScript 5 (the one installed);
 * TypeScript 7 (the Go port) is not installed, so not checked.
 */

import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {ensureBuilt, root, temporaryDirectory} from '../helpers.js'

/**
 * Packages our public types import that are not yet in `dependencies`;
 * linked for the consumer as if they were. Each must move to `dependencies`.
 */
const pendingDependencies: string[] = []

/** A user's module: every subpath, options typed and checked, data typed. */
const consumer = `import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {remarkXrefRefs, rules, type RuleId} from 'mdbook-xref'
import remarkMdbook from 'mdbook-xref/remark-mdbook'
import remarkPreset from 'mdbook-xref/remark-preset'
import remarkXrefMarkers, {
  type IndexEntry,
  type Options as MarkerOptions,
  type XrefMarkersData
} from 'mdbook-xref/remark-xref-markers'
import remarkXrefRefsDefault, {type Options as RefOptions} from 'mdbook-xref/remark-xref-refs'

const markerOptions: MarkerOptions = {html: true, levels: {'marker-empty': 'error'}}
const refOptions: RefOptions = {
  prefixes: ['c~'],
  conventions: false,
  candidates: () => ['c~tokio~docs'],
  levels: {'unused-definition': 'warn'}
}

const processor = unified()
  .use(remarkParse)
  .use(remarkMdbook)
  .use(remarkXrefMarkers, markerOptions)
  .use(remarkXrefRefsDefault, refOptions)
const preset = unified().use(remarkParse).use(remarkPreset)
const file = new VFile({path: 'example.md', value: '# {{i:Async}} Rust\\n'})
await processor.run(processor.parse(file), file)
await preset.run(preset.parse(file), file)

const data: XrefMarkersData | undefined = file.data.xref
if (!data) throw new Error('Expected \`file.data.xref\`')
const entries: IndexEntry[] = data.entries
const ids: string[] = entries.map((d) => d.id)
const output: string = data.output
const rule: RuleId = 'undefined-reference'
const severity: 'off' | 'warn' | 'error' = rules[rule].severity
const same: boolean = remarkXrefRefs === remarkXrefRefsDefault

// @ts-expect-error: options are checked.
unified().use(remarkXrefMarkers, {html: 'yes'})
// @ts-expect-error: rule ids are checked.
const wrong: RefOptions = {levels: {'no-such-rule': 'warn'}}

export {ids, output, same, severity, wrong}
`

/** Proof that the compile sees no Node types (else the directive is unused). */
const probe = `// @ts-expect-error: no Node types for the consumer.
export const bytes: Buffer | undefined = undefined
`

describe('types', () => {
  let folder: string

  beforeAll(async () => {
    await ensureBuilt()
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    folder = temporaryDirectory({
      'package.json': '{"name": "consumer", "private": true, "type": "module"}\n',
      'tsconfig.json':
        JSON.stringify({
          compilerOptions: {
            target: 'es2022',
            module: 'node16',
            moduleResolution: 'node16',
            // vfile's own types name \`URL\` (from the DOM lib or Node's).
            lib: ['es2022', 'dom'],
            types: [],
            strict: true,
            exactOptionalPropertyTypes: true,
            skipLibCheck: false,
            noEmit: true
          },
          include: ['*.ts']
        }) + '\n',
      'consumer.ts': consumer,
      'probe.ts': probe
    })
    const installed = path.join(folder, 'node_modules', 'mdbook-xref')
    fs.mkdirSync(installed, {recursive: true})
    fs.copyFileSync(path.join(root, 'package.json'), path.join(installed, 'package.json'))
    fs.cpSync(path.join(root, 'dist'), path.join(installed, 'dist'), {recursive: true})
    // Only what a user gets: our dependencies (their own come with them).
    for (const name of [...Object.keys(pkg.dependencies), ...pendingDependencies]) {
      const to = path.join(folder, 'node_modules', name)
      fs.mkdirSync(path.dirname(to), {recursive: true})
      fs.symlinkSync(path.join(root, 'node_modules', name), to, 'dir')
    }
  })

  it('should list as pending only packages not yet in `dependencies`', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(pendingDependencies.filter((d) => d in pkg.dependencies)).toEqual([])
  })

  it('should compile a strict consumer of every subpath without Node types (TypeScript 5)', () => {
    expect(compile(path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), 5)).toEqual([0, ''])
  })

  it('should compile a strict consumer of every subpath without Node types (TypeScript 7)', () => {
    // TypeScript 7 is not the project's compiler: installed apart, for this check.
    const other = temporaryDirectory({'package.json': '{"name": "typescript-7", "private": true}\n'})
    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', 'typescript@^7.0.2'], {
      cwd: other,
      encoding: 'utf8'
    })
    expect(install.status, install.stderr).toBe(0)
    expect(compile(path.join(other, 'node_modules', 'typescript', 'bin', 'tsc'), 7)).toEqual([0, ''])
  }, 300_000)

  /**
   * Compile the consumer.
   *
   * @param tsc
   *   Path of a `tsc` script.
   * @param major
   *   Its major version (checked).
   * @returns
   *   Exit code and output.
   */
  function compile(tsc: string, major: number): [number | null, string] {
    const version = spawnSync(process.execPath, [tsc, '--version'], {encoding: 'utf8'})
    expect(version.stdout).toMatch(new RegExp('^Version ' + major + '\\.'))
    const result = spawnSync(process.execPath, [tsc, '-p', folder], {cwd: folder, encoding: 'utf8'})
    return [result.status, result.stdout + result.stderr]
  }
})
