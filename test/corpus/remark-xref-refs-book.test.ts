/**
 * `remarkXrefRefs` with `book` on a chapter of the real book: definitions
 * come from included refs files, findings land in the chapter itself.
 */

import fs from 'node:fs'
import path from 'node:path'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {remarkXrefRefs} from '../../src/plugins/remark-xref-refs.js'
import {rustHowtoOld} from '../corpus.js'
import {temporaryDirectory} from '../helpers.js'

/** The chapter, relative to the book root. */
const chapter = path.join('src', 'categories', 'network-programming', 'index.md')

/**
 * Check the chapter of a book with `{book}`.
 *
 * @param book
 *   Book root.
 * @returns
 *   Messages.
 */
function check(book: string): VFile['messages'] {
  const file = new VFile({cwd: book, path: chapter, value: fs.readFileSync(path.join(book, chapter), 'utf8')})
  const processor = unified().use(remarkParse).use(remarkXrefRefs, {book})
  processor.runSync(processor.parse(file), file)
  return file.messages
}

/**
 * Make a copied tree writable (the corpus is read-only, and so are copies of it).
 *
 * @param folder
 *   Folder.
 * @returns
 *   Nothing.
 */
function makeWritable(folder: string): undefined {
  fs.chmodSync(folder, 0o755)
  for (const entry of fs.readdirSync(folder, {withFileTypes: true})) {
    const file = path.join(folder, entry.name)
    if (entry.isDirectory()) makeWritable(file)
    else fs.chmodSync(file, 0o644)
  }
}

describe.skipIf(!rustHowtoOld)('remarkXrefRefs `book` on the May 2025 Networking chapter (needs ../shared)', () => {
  it('should find every definition in the included refs files (no message at all)', () => {
    expect(check(rustHowtoOld).map(String)).toEqual([])
  })

  it('should report exactly the uses of a definition deleted from a refs file, at their places in the chapter', () => {
    const book = path.join(temporaryDirectory(), 'book')
    fs.cpSync(rustHowtoOld, book, {recursive: true})
    makeWritable(book)
    const refs = path.join(book, 'src', 'refs', 'crate-refs.md')
    const lines = fs.readFileSync(refs, 'utf8').split('\n')
    const kept = lines.filter((d) => !d.startsWith('[c-tokio]:'))
    expect(lines.length - kept.length).toBe(1)
    fs.writeFileSync(refs, kept.join('\n'))

    // Each use is `` [`tokio`][c-tokio] ``: from its `[` to after `[c-tokio]`.
    const text = fs.readFileSync(path.join(book, chapter), 'utf8')
    const expected: string[] = []
    let index = -1
    while ((index = text.indexOf('][c-tokio]', index + 1)) !== -1) {
      const start = text.lastIndexOf('[', index)
      const end = index + '][c-tokio]'.length
      expected.push(point(text, start) + '-' + point(text, end) + ': Unexpected undefined reference `c-tokio`, expected a definition')
    }

    expect(expected.length).toBeGreaterThan(1)
    const messages = check(book).filter((d) => d.ruleId === 'undefined-reference')
    expect(messages.map(String)).toEqual(expected)
  })
})

/**
 * `line:column` of an offset.
 *
 * @param text
 *   Text.
 * @param offset
 *   Offset.
 * @returns
 *   Point as vfile writes it.
 */
function point(text: string, offset: number): string {
  const before = text.slice(0, offset)
  return before.split('\n').length + ':' + (offset - before.lastIndexOf('\n'))
}
