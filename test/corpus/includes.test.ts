import {execFileSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {expandIncludes, findBoundary} from '../../src/mdbook/includes.js'
import {root, rustHowto} from '../corpus.js'

const forms = path.join(root, 'fixtures', 'includes-forms')
const mdbook = path.join(root, 'node_modules', '.bin', 'mdbook')
const hasMdbook = fs.existsSync(mdbook)
const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'xref-includes-'))

afterAll(() => {
  fs.rmSync(temporary, {recursive: true, force: true})
})

/**
 * Build a copy of a book with the real mdBook and capture what a
 * preprocessor running after `links` receives.
 *
 * @param book
 *   Book folder.
 * @param name
 *   Name of the copy.
 * @returns
 *   Copy folder, version and chapter contents by path.
 */
function capture(book: string, name: string): {dir: string; version: string; chapters: Map<string, string>} {
  const dir = path.join(temporary, name)
  fs.cpSync(book, dir, {recursive: true})
  fs.chmodSync(dir, 0o755)
  const script = path.join(temporary, name + '-capture.cjs')
  const output = path.join(temporary, name + '-capture.json')
  fs.writeFileSync(
    script,
    [
      "const fs = require('fs')",
      // mdBook 0.4.4 asks `supports html` first: yes.
      "if (process.argv[2] === 'supports') process.exit(0)",
      'const chunks = []',
      "process.stdin.on('data', (d) => chunks.push(d))",
      "process.stdin.on('end', () => {",
      "  const text = Buffer.concat(chunks).toString('utf8')",
      '  fs.writeFileSync(' + JSON.stringify(output) + ', text)',
      '  process.stdout.write(JSON.stringify(JSON.parse(text)[1]))',
      '})'
    ].join('\n')
  )
  const toml = path.join(dir, 'book.toml')
  fs.chmodSync(toml, 0o644)
  fs.appendFileSync(
    toml,
    '\n[preprocessor.capture]\ncommand = ' +
      JSON.stringify('node ' + script) +
      '\nafter = ["links"]\n'
  )
  execFileSync(mdbook, ['build', '--dest-dir', path.join(temporary, name + '-out')], {
    cwd: dir,
    stdio: 'ignore'
  })
  const [context, bookJson] = JSON.parse(fs.readFileSync(output, 'utf8')) as [
    {mdbook_version: string},
    {sections?: unknown[]; items?: unknown[]}
  ]
  const chapters = new Map<string, string>()
  walk(bookJson.sections || bookJson.items || [])
  return {dir, version: context.mdbook_version, chapters}

  function walk(items: unknown[]): undefined {
    for (const item of items) {
      if (typeof item === 'object' && item !== null && 'Chapter' in item) {
        const chapter = (item as {Chapter: {path: string | null; content: string; sub_items: unknown[]}}).Chapter
        if (chapter.path) chapters.set(chapter.path, chapter.content)
        walk(chapter.sub_items)
      }
    }
  }
}

describe('real mdBook', () => {
  it.skipIf(!hasMdbook)('should expand every form of the fixture as mdBook 0.4.4 does (needs node_modules/.bin/mdbook)', () => {
    const captured = capture(forms, 'forms-build')
    expect(captured.chapters.size).toBe(5)

    for (const [chapter, content] of captured.chapters) {
      const result = expandIncludes(path.join(captured.dir, 'src', chapter), {
        boundary: captured.dir,
        mdbookVersion: captured.version
      })
      expect([chapter, result.text]).toEqual([chapter, content])
    }
  })

  describe.skipIf(!rustHowto || !hasMdbook)('the Rust How-to book (needs ../shared and mdbook)', () => {
    let captured: ReturnType<typeof capture>

    beforeAll(() => {
      captured = capture(rustHowto, 'rust-howto-build')
    }, 120_000)

    it('should expand every chapter exactly as mdBook sends it after `links`', () => {
      expect(captured.chapters.size).toBe(108)
      const differing: string[] = []

      for (const [chapter, content] of captured.chapters) {
        const result = expandIncludes(path.join(captured.dir, 'src', chapter), {
          boundary: findBoundary(captured.dir),
          mdbookVersion: captured.version
        })
        if (result.text !== content || result.problems.length > 0) differing.push(chapter)
      }

      expect(differing).toEqual([])
    })

    it('should map a `{{hi:` of an included `.incl.md` file to that file and line', () => {
      const chapter = path.join(captured.dir, 'src', 'language', 'enumerations.md')
      const included = path.join(captured.dir, 'src', 'language', 'enumerations.incl.md')
      const result = expandIncludes(chapter, {boundary: captured.dir})
      const line = fs.readFileSync(included, 'utf8').split('\n')[4]
      const span = result.map.lookup(result.text.indexOf('{{hi:strum}}'))
      expect([span.file, span.line, span.column]).toEqual([included, 5, line.indexOf('{{hi:strum}}') + 1])
      expect(result.text.includes(line)).toBe(true)
    })
  })
})
