import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {findNearDuplicates} from '../../src/index/near-duplicates.js'
import {buildIndexPage} from '../../src/index/page.js'
import type {IndexEntry} from '../../src/markdown/markers.js'
import {rustHowto} from '../corpus.js'
import {outline} from '../support/index-page.js'

describe('the real book (rust_howto)', () => {
  const src = rustHowto ? path.join(rustHowto, 'src') : ''
  const available = src !== '' && fs.existsSync(src)
  if (!available) console.warn('Skipping the real-book test: ../shared/corpus/rust_howto is missing')

  /**
   * Index entries of the real book, from a plain scan of `{{hi|i|ii:…}}`.
   *
   * @returns
   *   Entries, files in path order.
   */
  function realEntries(): IndexEntry[] {
    const files: string[] = []
    const walk = (folder: string): void => {
      for (const dirent of fs.readdirSync(folder, {withFileTypes: true})) {
        const file = path.join(folder, dirent.name)
        if (dirent.isDirectory()) walk(file)
        else if (dirent.name.endsWith('.md')) files.push(file)
      }
    }

    walk(src)
    const entries: IndexEntry[] = []

    for (const file of files.sort()) {
      const text = fs.readFileSync(file, 'utf8')
      const chapter = path.relative(src, file).split(path.sep).join('/')
      let count = 0

      for (const match of text.matchAll(/\{\{(hi|i|ii):([^}]*)\}\}/g)) {
        const before = text.slice(0, match.index)
        entries.push({
          term: match[2],
          kind: match[1] as IndexEntry['kind'],
          id: 'xref-' + ++count,
          chapter,
          chapterName: path.basename(chapter, '.md'),
          offset: match.index,
          line: before.split('\n').length,
          column: match.index - before.lastIndexOf('\n')
        })
      }
    }

    return entries
  }

  it.skipIf(!available)('should index the real terms with `!=` and `?` under Symbols', () => {
    const entries = realEntries()
    expect(entries.length).toBe(1544)
    expect(new Set(entries.map((entry) => entry.term)).size).toBe(736)

    const markdown = buildIndexPage(entries, {indexPath: 'indices/word_index.md'})
    const groups = new Map(outline(markdown))
    expect(groups.get('Symbols')).toEqual(['!=', '*', '==', '?'])
    expect(groups.get('S')).toContain('std::result::Result::Ok')
    expect(groups.get('S')).toContain('std::result::Result::ok')
    expect(groups.get('G')).toContain('.gitignore')
    expect(markdown).toBe(buildIndexPage([...entries], {indexPath: 'indices/word_index.md'}))
  })

  it.skipIf(!available)('should find the real near-duplicates', () => {
    const groups = findNearDuplicates(realEntries()).map((group) =>
      group.terms.map((term) => term.term)
    )

    expect(groups).toContainEqual(['Path', 'Paths'])
    expect(groups).toContainEqual(['Iterator', 'Iterators'])
    expect(groups).toContainEqual(['Trait', 'Traits'])
    expect(groups).toContainEqual(['No_std', 'No-std'])
    expect(groups).toContainEqual(['File systems', 'Filesystem'])
    expect(groups).toContainEqual(['Gitignore', '.gitignore'])
    // `Enum` and `enum` are one entry, shown as `enum`.
    expect(groups).toContainEqual(['enum', 'Enums'])
    expect(groups.flat()).not.toContain('std::result::Result::Ok')
    expect(groups.length).toBe(18)
  })
})
