import fs from 'node:fs'
import path from 'node:path'
import type {Nodes, Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {checkCrossReferences, compileIndex, crossReferenceProblems} from '../../src/index/compile.js'
import {buildIndexJson, renderIndexJson} from '../../src/index/json.js'
import {relativeHref} from '../../src/index/links.js'
import {findNearDuplicates, nearDuplicateGroups, nearDuplicateProblems} from '../../src/index/near-duplicates.js'
import {buildIndexPage, indexTree, renderIndexPage} from '../../src/index/page.js'
import type {IndexEntry} from '../../src/markdown/markers.js'
import {rustHowto} from '../corpus.js'

/** Fields of an entry that tests set. */
type Fields = Partial<Omit<IndexEntry, 'term'>>

/**
 * Make entries in book order: each call is the next marker.
 *
 * @returns
 *   Factory: term and fields to entry.
 */
function factory(): (term: string, fields?: Fields) => IndexEntry {
  let count = 0
  return function (term, fields) {
    count++
    return {
      term,
      kind: 'hi',
      id: 'x-' + count,
      chapter: 'a.md',
      chapterName: 'A',
      offset: count * 10,
      line: count,
      column: 1,
      ...fields
    }
  }
}

/**
 * Entries, one per term, all in chapter `a.md`.
 *
 * @param terms
 *   Terms.
 * @returns
 *   Entries.
 */
function entriesOf(...terms: string[]): IndexEntry[] {
  const entry = factory()
  return terms.map((term) => entry(term))
}

/**
 * Lines of the page without the title.
 *
 * @param markdown
 *   Page.
 * @returns
 *   Lines after `# Index` and its blank line.
 */
function body(markdown: string): string[] {
  const lines = markdown.split('\n')
  expect(lines.slice(0, 2)).toEqual(['# Index', ''])
  return lines.slice(2)
}

/**
 * Texts of the top-level entries (first paragraph of each item), per group.
 *
 * @param markdown
 *   Page.
 * @returns
 *   Group label to entry texts, in order.
 */
function outline(markdown: string): Array<[string, string[]]> {
  const tree = parseMarkdown(markdown)
  const result: Array<[string, string[]]> = []

  for (const node of tree.children) {
    if (node.type === 'heading' && node.depth === 2) {
      result.push([toString(node), []])
    } else if (node.type === 'list') {
      for (const item of node.children) {
        const paragraph = item.children[0]
        result[result.length - 1][1].push(
          paragraph.type === 'paragraph' ? termOf(paragraph) : ''
        )
      }
    }
  }

  return result
}

/**
 * Text of the term part of an entry paragraph (before the first link or `, *see*`).
 *
 * @param node
 *   Paragraph.
 * @returns
 *   Term text.
 */
function termOf(node: Nodes): string {
  const value = toString(node, {includeImageAlt: false})
  const links = 'children' in node ? node.children.filter((child) => child.type === 'link') : []
  if (links.length === 0) return value.replace(/, see .*$/, '')
  return value.slice(0, value.length - links.map((link) => toString(link)).join(', ').length - 2)
}

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
    expect(groups.get('Symbols')).toEqual(['!=', '?', '*', '=='])
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
    expect(groups).toContainEqual(['Enum', 'enum', 'Enums'])
    expect(groups.flat()).not.toContain('std::result::Result::Ok')
    expect(groups.length).toBe(18)
  })
})
