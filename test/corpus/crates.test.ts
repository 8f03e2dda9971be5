/**
 * The crates of the real books: every crate the rendered chapters of the
 * Rust How-to Book reference, checked against an independent count (a
 * plain read of the chapters with code and definitions blanked out).
 */

import {describe, expect, it} from 'vitest'
import {loadBook} from '../../src/book/load.js'
import {collectCrates, type CrateChapter} from '../../src/crates/collect.js'
import {foldCrate} from '../../src/markdown/crate-labels.js'
import {expandIncludes, findBoundary} from '../../src/mdbook/includes.js'
import {stripBom} from '../../src/util/text.js'
import {corpus, rustHowto, rustHowtoOld} from '../corpus.js'
import {comparable, whole} from '../crate-helpers.js'
import {createReadState, readChapter} from '../../src/crates/read-chapter.js'

/**
 * Chapters of a book with includes expanded, and the places of its index
 * pages (`src/indices/`).
 *
 * @param dir
 *   Book root.
 * @returns
 *   Chapters and places to skip.
 */
async function read(dir: string): Promise<{chapters: CrateChapter[]; skip: number[]}> {
  const book = await loadBook(dir)
  const boundary = findBoundary(book.root)
  const chapters = book.chapters.map((d) => ({
    path: d.path,
    name: d.name,
    content: d.file ? stripBom(expandIncludes(d.file, {boundary}).text) : ''
  }))
  const skip = chapters.flatMap((d, index) => (d.path?.startsWith('indices/') ? [index] : []))
  return {chapters, skip}
}

/**
 * Count crates the plain way: blank out fenced code, definition lines,
 * comments and code spans, then take every bracketed crate label that the
 * book defines. Blind to what a parse knows (lazy lines, HTML blocks,
 * nesting), which is why it is an independent check.
 *
 * @param chapters
 *   Chapters.
 * @param skip
 *   Places not to count.
 * @returns
 *   Crate keys of crate-level labels, and of item labels only.
 */
function plainCount(chapters: CrateChapter[], skip: number[]): {crates: Set<string>; items: Set<string>} {
  const defined = new Set<string>()
  const crates = new Set<string>()
  const items = new Set<string>()

  for (const chapter of chapters) {
    for (const match of chapter.content.matchAll(/^ {0,3}\[([^\]]+)\]:/gm)) defined.add(match[1].trim().toLowerCase())
  }

  for (const [index, chapter] of chapters.entries()) {
    if (skip.includes(index) || chapter.path === null) continue
    let fence: string | undefined
    const lines = chapter.content.split('\n').map(function (line) {
      const marker = /^[ >]*(`{3,}|~{3,})/.exec(line)?.[1]
      if (fence) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim().replace(/^[> ]*/, '') === marker) fence = undefined
        return ''
      }
      if (marker) {
        fence = marker
        return ''
      }
      return /^ {0,3}\[[^\]]+\]:/.test(line) ? '' : line
    })
    const text = lines
      .join('\n')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/(`+)(?:(?!\1)[\s\S])+?\1/g, '')

    for (const match of text.matchAll(/\[([^[\]]+)\]/g)) {
      const label = match[1].trim()
      if (!defined.has(label.toLowerCase())) continue
      const name = /^c~([^~]+)~/.exec(label)?.[1]
      if (!name) continue
      const crate = name.split('::')[0]
      // Primitive types are no crates.
      if (/^(?:[iuf]\d+|[iu]size|bool|char|str|slice)$/.test(crate)) continue
      ;(name.includes('::') ? items : crates).add(foldCrate(crate))
    }
  }

  for (const crate of crates) items.delete(crate)
  return {crates, items}
}

describe.skipIf(!corpus)('crates of the real book', () => {
  it('should find the crates of the rendered chapters, as a plain count does', async () => {
    const {chapters, skip} = await read(rustHowto)
    const index = collectCrates(chapters, {skip, language: 'en'})
    const keys = index.crates.map((d) => d.key)
    const plain = plainCount(chapters, skip)

    // 119 crates of crate-level labels, the 4 of the standard library, and
    // 3 referenced through item labels only.
    expect(plain.crates.size).toBe(123)
    expect([...plain.items].sort()).toEqual(['digest', 'parking_lot', 'serde_json'])
    expect(keys.length).toBe(126)
    expect([...keys].sort()).toEqual([...plain.crates, ...plain.items].sort())
    expect(index.crates.filter((d) => d.standard).map((d) => d.name)).toEqual(['alloc', 'core', 'proc_macro', 'std'])

    for (const name of ['thiserror', 'syn', 'tantivy', 'ulid', 'blake3', 'digest', 'parking_lot', 'serde_json']) {
      expect(keys).toContain(name)
    }

    // Never from the crate pages and word index themselves.
    for (const crate of index.crates) {
      for (const reference of crate.references) expect(reference.chapter.startsWith('indices/')).toBe(false)
    }

    // The book defines a docs label for every crate it references, items too.
    expect(index.undefined).toEqual([])
    expect(index.categories.length).toBeGreaterThan(0)
  })

  it('should find the crates of the old `c-` style book', async () => {
    const {chapters, skip} = await read(rustHowtoOld)
    const index = collectCrates(chapters, {skip})
    expect(index.crates.map((d) => d.name)).toEqual([
      'actix_web',
      'axum',
      'glommio',
      'hyper',
      'mio',
      'ngrok',
      'pingora',
      'rathole',
      'reqwest',
      'serde',
      'smol',
      'std',
      'tokio',
      'tokio_tungstenite',
      'tungstenite',
      'warp'
    ])
    expect(index.undefined).toEqual([])
  })

  it('should judge the chapters that reference most crates as a whole parse does (definitions trimmed to those used)', async () => {
    const {chapters, skip} = await read(rustHowto)
    const counted = chapters.filter((d, index) => d.path !== null && !skip.includes(index))
    const busiest = counted
      .map((d) => ({chapter: d, count: d.content.split('][c~').length}))
      .sort((a, b) => b.count - a.count || (a.chapter.path! < b.chapter.path! ? -1 : 1))
      .slice(0, 4)
      .map((d) => d.chapter)
    let total = 0

    for (const chapter of [...busiest, counted[10], counted[50]]) {
      const content = trimDefinitions(chapter.content)
      const state = createReadState()
      const fast = readChapter(content, state, true).references
      total += fast.length
      expect([chapter.path, comparable(fast)]).toEqual([chapter.path, comparable(whole(content))])
    }

    expect(total).toBeGreaterThan(300)
  })
})

/**
 * Keep only the definitions whose label the rest of a chapter writes in
 * brackets (a whole parse of ~800 KB of definitions takes seconds).
 *
 * @param content
 *   Chapter.
 * @returns
 *   Chapter with fewer definitions.
 */
function trimDefinitions(content: string): string {
  const definition = /^ {0,3}\[([^\]]+)\]:/
  const lines = content.split('\n')
  const prose = lines.filter((d) => !definition.test(d)).join('\n').toLowerCase()
  return lines
    .filter(function (line) {
      const label = definition.exec(line)?.[1]
      return label === undefined || prose.includes('[' + label.toLowerCase() + ']')
    })
    .join('\n')
}
