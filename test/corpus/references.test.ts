import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {
  checkDefinitions,
  type ChapterDefinitions,
  type PlacedDefinition
} from '../../src/markdown/definition-checks.js'
import {parseDefinitions} from '../../src/markdown/definitions.js'
import {corpus, rustHowto, rustHowtoOld} from '../corpus.js'
import { micromarkDefinitions} from '../support/references.js'

describe('parseDefinitions', () => {

  describe.skipIf(!corpus)('real refs files', () => {
    for (const book of [rustHowto, rustHowtoOld]) {
      for (const name of ['crate-refs.md', 'other-refs.md', 'category-refs.md', 'link-refs.md']) {
        const file = path.join(book, 'src', 'refs', name)
        it('should give what micromark gives on `' + path.relative(path.dirname(book), file) + '`', () => {
          const text = fs.readFileSync(file, 'utf8')
          const result = parseDefinitions(text)
          expect(result.definitions).toEqual(micromarkDefinitions(text))
          expect(result.definitions.length).toBe(
            {
              'rust_howto/crate-refs.md': 9460,
              'rust_howto/other-refs.md': 1774,
              'rust_howto/category-refs.md': 174,
              'rust_howto-2025-05/crate-refs.md': 7876,
              'rust_howto-2025-05/other-refs.md': 859,
              'rust_howto-2025-05/category-refs.md': 174
            }[path.basename(book) + '/' + name] ?? 0
          )
        })
      }
    }
  })
})

describe.skipIf(!corpus)('real book', () => {
  /** Conflicting labels that the current book has in every chapter. */
  const conflicts = [
    'c~data-encoding::HEXUPPER~docs',
    'c~std::result::Result::err~docs',
    'c~std::result::Result::ok~docs',
    'c~tracing::event~docs'
  ]

  it('should find the conflicting labels of the refs files', () => {
    const definitions: PlacedDefinition[] = []
    // `link-refs.md` includes these three, in this order.
    for (const name of ['category-refs.md', 'crate-refs.md', 'other-refs.md']) {
      const file = 'src/refs/' + name
      for (const d of parseDefinitions(fs.readFileSync(path.join(rustHowto, file), 'utf8')).definitions) {
        definitions.push({label: d.label, url: d.url, identifier: d.identifier, place: {file, line: d.line, column: d.column}})
      }
    }

    const result = checkDefinitions([{chapter: 'a.md', definitions}])
    expect(result.filter((d) => d.ruleId === 'conflicting-definition').map((d) => [d.label, d.place.line, d.note])).toEqual([
      ['c~std::result::Result::err~docs', 7851, 'First defined at `src/refs/crate-refs.md:7845:1` as `c~std::result::Result::Err~docs`, which wins'],
      ['c~std::result::Result::ok~docs', 7858, 'First defined at `src/refs/crate-refs.md:7846:1` as `c~std::result::Result::Ok~docs`, which wins'],
      ['c~data-encoding::HEXUPPER~docs', 773, 'First defined at `src/refs/crate-refs.md:2073:1`, which wins'],
      ['c~tracing::event~docs', 817, 'First defined at `src/refs/other-refs.md:814:1` as `c~tracing::Event~docs`, which wins']
    ])
    expect(result.filter((d) => d.ruleId === 'duplicate-definition').map((d) => d.label)).toEqual([
      'c~std::backtrace~docs',
      'c~std::collections::BTreeMap~docs',
      'opentelemetry~website'
    ])
    const counts: Record<string, number> = {}
    for (const d of result) counts[d.ruleId] = (counts[d.ruleId] || 0) + 1
    expect(counts).toEqual({
      convention: 30,
      'malformed-definition': 10,
      'conflicting-definition': 4,
      'duplicate-definition': 3
    })
  })

  it('should find exactly these conflicts in every chapter of the book', {timeout: 120_000}, () => {
    const chapters = bookChapters(rustHowto)
    expect(chapters.length).toBe(108)
    const perChapter = new Set<string>()

    for (const chapter of chapters) {
      // One chapter at a time: the labels that conflict within it.
      for (const problem of checkDefinitions([chapter], {conventions: false})) {
        if (problem.ruleId === 'conflicting-definition') perChapter.add(problem.label)
      }
    }

    expect([...perChapter].sort()).toEqual(conflicts)
    const all = checkDefinitions(chapters).filter((d) => d.ruleId === 'conflicting-definition')
    expect(all.map((d) => [d.label, d.chapters.length])).toEqual([
      ['c~std::result::Result::err~docs', 107],
      ['c~std::result::Result::ok~docs', 107],
      ['c~data-encoding::HEXUPPER~docs', 107],
      ['c~tracing::event~docs', 107]
    ])
  })
})

/**
 * Definitions of every chapter of a book, with `.md` includes expanded
 * (a small local stand-in for the book module: `{{#include file.md}}`
 * only; refs files parsed with `parseDefinitions`, others with micromark).
 *
 * @param book
 *   Book folder.
 * @returns
 *   Chapters.
 */
function bookChapters(book: string): ChapterDefinitions[] {
  const src = path.join(book, 'src')
  const cache = new Map<string, Array<{offset: number; definition?: PlacedDefinition; include?: string}>>()
  const chapters: ChapterDefinitions[] = []
  walk(src)
  return chapters.sort((a, b) => a.chapter.localeCompare(b.chapter))

  /** Collect chapters (not `*.incl.md`, refs, or `SUMMARY.md`) under a folder. */
  function walk(folder: string): undefined {
    for (const entry of fs.readdirSync(folder, {withFileTypes: true})) {
      const file = path.join(folder, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'refs') walk(file)
      } else if (entry.name.endsWith('.md') && !entry.name.endsWith('.incl.md') && entry.name !== 'SUMMARY.md') {
        chapters.push({chapter: path.relative(src, file), definitions: expand(file, 0)})
      }
    }
  }

  /** Definitions of a file with its includes expanded, in order. */
  function expand(file: string, depth: number): PlacedDefinition[] {
    const result: PlacedDefinition[] = []
    for (const item of own(file)) {
      if (item.definition) result.push(item.definition)
      else if (item.include && depth < 10 && fs.existsSync(item.include)) result.push(...expand(item.include, depth + 1))
    }

    return result
  }

  /** Definitions and `.md` includes of one file, by offset (cached). */
  function own(file: string) {
    let items = cache.get(file)
    if (items) return items
    items = []
    const text = fs.readFileSync(file, 'utf8')
    const relative = path.relative(book, file)
    const found = file.includes(path.sep + 'refs' + path.sep)
      ? parseDefinitions(text).definitions
      : micromarkDefinitions(text)
    for (const d of found) {
      items.push({
        offset: d.start!,
        definition: {label: d.label, url: d.url, identifier: d.identifier, place: {file: relative, line: d.line, column: d.column}}
      })
    }

    for (const match of text.matchAll(/\{\{#include\s+([^}\s]+\.md)\s*\}\}/g)) {
      items.push({offset: match.index, include: path.resolve(path.dirname(file), match[1])})
    }

    items.sort((a, b) => a.offset - b.offset)
    cache.set(file, items)
    return items
  }
}
