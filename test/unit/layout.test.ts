/**
 * The layout of `src/` is a rule, kept here: which folder may import which,
 * which folders stay off the Markdown stack, and no import cycles.
 *
 * Folders, from the bottom up:
 *
 * * `util/`: small helpers (BOM, edit distance, record checks); imports nothing of ours;
 * * `diagnostics/`: the rule table and how findings become vfile messages;
 * * `mdbook/`: what mdBook defines (protocol and its byte codec, `book.toml`,
 *   `{{#include}}` and its source map); never the Markdown stack, so that
 *   `supports` and the protocol load light;
 * * `markdown/`: mdBook’s Markdown and our syntax in it (markers, terms,
 *   labels, definitions, references, crate-label conventions): the judges;
 * * `fast/`: the unit scan and the readers that skip a parse, calling the judges;
 * * `index/`: index entries to one compiled model, the page and the JSON;
 * * `crates/`: the crates a book references, their pages and export;
 * * `plugins/`: the remark plugins;
 * * `book/`: the whole-book pass, lint, fix, loading a book from disk;
 * * `cli/`: the command line; nothing imports it but `bin.ts`.
 *
 * At the root: `bin.ts` (runs the CLI), and entry files that only re-export:
 * `index.ts` and one per subpath export (`remark-preset.ts`, …).
 */

import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {root} from '../helpers.js'

/** Folders each folder may import (besides itself). */
const allowed: Record<string, string[]> = {
  util: [],
  diagnostics: ['util'],
  mdbook: ['util', 'diagnostics'],
  markdown: ['util', 'diagnostics'],
  fast: ['util', 'diagnostics', 'mdbook', 'markdown'],
  index: ['util', 'diagnostics', 'markdown'],
  crates: ['util', 'diagnostics', 'mdbook', 'markdown', 'fast', 'index'],
  plugins: ['util', 'diagnostics', 'mdbook', 'markdown', 'fast', 'index', 'crates'],
  book: ['util', 'diagnostics', 'mdbook', 'markdown', 'fast', 'index', 'crates'],
  cli: ['util', 'diagnostics', 'mdbook', 'markdown', 'fast', 'index', 'crates', 'plugins', 'book'],
  '.': ['util', 'diagnostics', 'mdbook', 'markdown', 'fast', 'index', 'crates', 'plugins', 'book', 'cli']
}

/** Packages of the Markdown stack. */
const markdownStack = /^(?:mdast|micromark|remark|unified|unist)/

/** One import of a source file. */
interface Import {
  /** Specifier as written. */
  specifier: string
  /** Whether only types are imported (nothing loads at run time). */
  typeOnly: boolean
  /** Whether the import is `import()` (loaded when needed). */
  dynamic: boolean
}

const src = path.join(root, 'src')
const files = fs
  .readdirSync(src, {recursive: true, encoding: 'utf8'})
  .filter((name) => name.endsWith('.ts'))
  .map((name) => name.split(path.sep).join('/'))
  .sort()

const imports = new Map(files.map((file) => [file, importsOf(fs.readFileSync(path.join(src, file), 'utf8'))]))

describe('layout of src/', () => {
  it('should keep every file in a known folder, and only re-exports in entry files', () => {
    for (const file of files) expect(Object.keys(allowed), file).toContain(folderOf(file))
    // `index.ts` and the subpath entries (`remark-preset.ts`, …); `bin.ts` runs.
    const entries = files.filter((d) => folderOf(d) === '.' && d !== 'bin.ts')
    expect(entries).toContain('index.ts')
    for (const file of entries) {
      const entry = fs.readFileSync(path.join(src, file), 'utf8')
      const rest = entry
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^export (?:type )?\{[^}]*\} from '\.\/[\w/-]+\.js'$/gm, '')
      expect(rest.trim(), file).toBe('')
    }
  })

  it('should import across folders only downwards', () => {
    const wrong: string[] = []
    for (const [file, list] of imports) {
      const from = folderOf(file)
      for (const {specifier} of list) {
        if (!specifier.startsWith('.')) continue
        const to = folderOf(resolve(file, specifier))
        if (to !== from && !allowed[from].includes(to)) wrong.push(file + ' → ' + specifier)
      }
    }

    expect(wrong).toEqual([])
  })

  it('should keep `util/`, `diagnostics/` and `mdbook/` off the Markdown stack', () => {
    const wrong: string[] = []
    for (const [file, list] of imports) {
      if (!['util', 'diagnostics', 'mdbook'].includes(folderOf(file))) continue
      for (const {specifier, typeOnly} of list) {
        if (!typeOnly && markdownStack.test(specifier)) wrong.push(file + ' → ' + specifier)
      }
    }

    expect(wrong).toEqual([])
  })

  it('should load no Markdown for `supports` and `--help`', () => {
    const loaded = staticClosure('bin.ts')
    expect(loaded.filter((d) => markdownStack.test(d))).toEqual([])
    // The check sees the stack where it is loaded.
    expect(staticClosure('markdown/parse-markdown.ts')).toContain('mdast-util-from-markdown')
  })

  it('should load only what a plugin needs from its subpath entry', () => {
    // No preprocessor, CLI, protocol codec, `book.toml`, or serialiser.
    const heavy = ['smol-toml', 'remark-stringify', 'mdast-util-to-markdown']
    const entries = [
      'remark-mdbook.ts',
      'remark-xref-markers.ts',
      'remark-xref-refs.ts',
      'remark-xref-control.ts',
      'remark-preset.ts'
    ]
    for (const entry of entries) {
      const {files: loaded, packages} = closureOf(entry)
      expect(packages.filter((d) => heavy.includes(d)), entry).toEqual([])
      expect(
        loaded.filter((d) => folderOf(d) === 'cli' || folderOf(d) === 'book' || d === 'mdbook/wire.ts'),
        entry
      ).toEqual([])
    }

    // The check sees them where they are loaded.
    expect(closureOf('index.ts').packages).toContain('remark-stringify')
    expect(closureOf('cli/preprocess.ts').files).toContain('mdbook/wire.ts')
    expect(closureOf('book/load.ts').packages).toContain('smol-toml')
  })

  it('should have no import cycles', () => {
    const cycles: string[] = []
    const state = new Map<string, 'open' | 'done'>()
    const stack: string[] = []
    for (const file of files) visit(file)
    expect(cycles).toEqual([])

    function visit(file: string): undefined {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(file)), file].join(' → '))
        return
      }

      state.set(file, 'open')
      stack.push(file)
      for (const {specifier, typeOnly} of imports.get(file) ?? []) {
        if (!typeOnly && specifier.startsWith('.')) visit(resolve(file, specifier))
      }

      stack.pop()
      state.set(file, 'done')
    }
  })
})

/**
 * Packages a file loads at start-up (see `closureOf`).
 *
 * @param file
 *   File relative to `src/`.
 * @returns
 *   Package specifiers loaded.
 */
function staticClosure(file: string): string[] {
  return closureOf(file).packages
}

/**
 * Modules (our files and packages) a file loads at start-up, following static
 * run-time imports only (`import()` loads later, when asked for).
 *
 * Packages are the ones we import ourselves, not what they import in turn.
 *
 * @param file
 *   File relative to `src/`.
 * @returns
 *   Our files (relative to `src/`, the file itself included) and package
 *   specifiers loaded, sorted.
 */
function closureOf(file: string): {files: string[]; packages: string[]} {
  const seen = new Set<string>()
  const packages = new Set<string>()
  const queue = [file]
  while (queue.length > 0) {
    const next = queue.pop()!
    if (seen.has(next)) continue
    seen.add(next)
    for (const {specifier, typeOnly, dynamic} of imports.get(next) ?? []) {
      if (typeOnly || dynamic) continue
      if (specifier.startsWith('.')) queue.push(resolve(next, specifier))
      else packages.add(specifier)
    }
  }

  return {files: [...seen].sort(), packages: [...packages].sort()}
}

/**
 * Imports of a TypeScript source.
 *
 * @param value
 *   Source.
 * @returns
 *   Imports, in order.
 */
function importsOf(value: string): Import[] {
  const result: Import[] = []
  const code = value.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  for (const match of code.matchAll(/^(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+'([^']+)'/gm)) {
    const names = match[3]
    // `import {type A, type B} from 'x'` loads nothing either.
    const allTypes = /^\{[\s\S]*\}$/.test(names) && names.slice(1, -1).split(',').every((d) => !d.trim() || /^type\s/.test(d.trim()))
    result.push({specifier: match[4], typeOnly: Boolean(match[2]) || allTypes, dynamic: false})
  }

  for (const match of code.matchAll(/^import\s+'([^']+)'/gm)) {
    result.push({specifier: match[1], typeOnly: false, dynamic: false})
  }

  for (const match of code.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) {
    result.push({specifier: match[1], typeOnly: false, dynamic: true})
  }

  return result
}

/**
 * Resolve a relative specifier of a file to a file relative to `src/`.
 *
 * @param file
 *   Importing file.
 * @param specifier
 *   Such as `'../util/text.js'`.
 * @returns
 *   Such as `'util/text.ts'`.
 */
function resolve(file: string, specifier: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.js$/, '.ts')
}

/**
 * Folder of a file relative to `src/`.
 *
 * @param file
 *   Such as `'mdbook/protocol.ts'`.
 * @returns
 *   Such as `'mdbook'`, or `'.'` for `index.ts` and `bin.ts`.
 */
function folderOf(file: string): string {
  return file.includes('/') ? file.slice(0, file.indexOf('/')) : '.'
}
