import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import * as api from '../../src/index.js'
import * as mdbook from '../../src/remark-mdbook.js'
import * as preset from '../../src/remark-preset.js'
import * as markers from '../../src/remark-xref-markers.js'
import * as control from '../../src/remark-xref-control.js'
import * as refs from '../../src/remark-xref-refs.js'
import {root} from '../helpers.js'

describe('mdbook-xref', () => {
  it('should expose the public api', () => {
    expect(Object.keys(api).sort()).toEqual([
      'buildIndexJson',
      'buildIndexPage',
      'lintBook',
      'remarkMdbook',
      'remarkXrefControl',
      'remarkXrefMarkers',
      'remarkXrefRefs',
      'rules'
    ])
  })
})

describe('subpath entries', () => {
  it('should expose each plugin as the only (default) export of its subpath', () => {
    expect([Object.keys(mdbook), Object.keys(markers), Object.keys(refs), Object.keys(control), Object.keys(preset)]).toEqual([
      ['default'],
      ['default'],
      ['default'],
      ['default'],
      ['default']
    ])
    expect(control.default).toBe(api.remarkXrefControl)
    expect(mdbook.default).toBe(api.remarkMdbook)
    expect(markers.default).toBe(api.remarkXrefMarkers)
    expect(refs.default).toBe(api.remarkXrefRefs)
  })

  it('should expose a preset of the plugins at `mdbook-xref/remark-preset`, comment control last', () => {
    expect(preset.default).toEqual({
      plugins: [api.remarkMdbook, api.remarkXrefMarkers, api.remarkXrefRefs, api.remarkXrefControl]
    })
  })

  it('should map each entry file at `src/` to a subpath in `package.json`, and the stylesheet to its own', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, {types: string; default: string} | string>
    }
    const entries = fs
      .readdirSync(path.join(root, 'src'))
      .filter((d) => d.endsWith('.ts') && d !== 'bin.ts')
      .map((d) => d.slice(0, -3))
      .sort()
    const expected: Record<string, {types: string; default: string} | string> = {'./mdbook-xref.css': './mdbook-xref.css'}
    for (const name of entries) {
      expected[name === 'index' ? '.' : './' + name] = {types: './dist/' + name + '.d.ts', default: './dist/' + name + '.js'}
    }

    expect(pkg.exports).toEqual(expected)
  })
})
