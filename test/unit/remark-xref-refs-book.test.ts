import fs from 'node:fs'
import path from 'node:path'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {createSuggestions, suggestLabel} from '../../src/markdown/label-suggestions.js'
import type {RefOptions} from '../../src/markdown/labels.js'
import {remarkXrefRefs} from '../../src/plugins/remark-xref-refs.js'
import {fixtures} from '../helpers.js'

/** The fixture book. */
const book = path.join(fixtures, 'remark-book')

/**
 * Run `remarkXrefRefs` on a file.
 *
 * @param file
 *   File.
 * @param options
 *   Options.
 * @returns
 *   Messages as strings.
 */
function check(file: VFile, options?: RefOptions): string[] {
  const processor = unified().use(remarkParse).use(remarkXrefRefs, options)
  processor.runSync(processor.parse(file), file)
  return file.messages.map(String)
}

/**
 * A chapter of the fixture book, as read from disk.
 *
 * @param name
 *   File name in `src/`.
 * @returns
 *   File, its path relative to `cwd`.
 */
function chapter(name: string): VFile {
  const file = path.join('src', name)
  return new VFile({cwd: book, path: file, value: fs.readFileSync(path.join(book, file), 'utf8')})
}

describe('remarkXrefRefs `book`', () => {
  it('should report every reference of included definitions without `book`', () => {
    expect(check(chapter('chapter.md'))).toEqual([
      '3:6-3:22: Unexpected undefined reference `c-tokio`, expected a definition',
      '3:24-3:33: Unexpected undefined reference `c-serde`, expected a definition',
      '3:38-3:49: Unexpected undefined reference `c-missing`, expected a definition'
    ])
  })

  it('should count included definitions with `book`, and report at the file’s own places', () => {
    // `[c-elsewhere]` is written in `snippet.md`: a finding of that file.
    expect(check(chapter('chapter.md'), {book})).toEqual([
      '3:38-3:49: Unexpected undefined reference `c-missing`, expected a definition'
    ])
  })

  it('should report this file’s include errors, and a definition an included one shadows, with the included place as `cause`', () => {
    const file = chapter('other.md')
    expect(check(file, {book})).toEqual([
      '5:1-5:24: Cannot read `missing.md` (`' + path.join(book, 'src', 'missing.md') + '`): no such file',
      '9:1: Unexpected duplicate definition `c-serde`, expected one definition per label'
    ])
    expect(file.messages.map((d) => d.ruleId)).toEqual(['include-error', 'duplicate-definition'])
    expect(file.messages[1].note).toBe('First defined at `src/refs.md:2:1`, which wins')
    expect(file.messages[1].cause).toMatchObject({file: 'src/refs.md', line: 2, column: 1})
  })

  it('should read the file’s text as given, its includes from disk', () => {
    const file = new VFile({cwd: book, path: 'src/chapter.md', value: '[c-serde] and [c-tokio]\n\n{{#include refs.md}}\n'})
    expect(check(file, {book})).toEqual([])
  })

  it('should behave as without `book` for a file without a path', () => {
    expect(check(new VFile({value: '[c-tokio]\n\n{{#include refs.md}}\n'}), {book})).toEqual([
      '1:1-1:10: Unexpected undefined reference `c-tokio`, expected a definition'
    ])
  })

  it('should resolve a relative `book` from the file’s `cwd`', () => {
    const file = chapter('chapter.md')
    file.cwd = fixtures
    file.path = path.join('remark-book', 'src', 'chapter.md')
    expect(check(file, {book: 'remark-book'})).toEqual([
      '3:38-3:49: Unexpected undefined reference `c-missing`, expected a definition'
    ])
  })
})

describe('remarkXrefRefs `definitions`', () => {
  it('should count labels given as a list as defined', () => {
    expect(check(new VFile({value: '[c-tokio] and [c-Serde] and [c-mio]\n'}), {definitions: ['c-tokio', 'C-serde']})).toEqual([
      '1:29-1:36: Unexpected undefined reference `c-mio`, expected a definition'
    ])
  })

  it('should count labels given by a function as defined, and suggest them', () => {
    const definitions = () => new Set(['c-tokio'])
    expect(check(new VFile({value: '[c-tokio] and [c-tokip]\n'}), {definitions})).toEqual([
      '1:15-1:24: Cannot find definition for `c-tokip`; did you mean `c-tokio`'
    ])
  })

  it('should add to included definitions with `book`', () => {
    expect(check(chapter('chapter.md'), {book, definitions: ['c-missing']})).toEqual([])
  })
})

describe('did you mean', () => {
  it('should not suggest the missing label itself', () => {
    expect(check(new VFile({value: '[c-missing]\n'}), {candidates: ['c-missing', 'c-Missing']})).toEqual([
      '1:1-1:12: Unexpected undefined reference `c-missing`, expected a definition'
    ])
    const suggestions = createSuggestions(['c~tokio~docs', 'c-tokio', 'c-tokyo'])
    expect(suggestLabel('c-tokio', 'c-tokio', suggestions)).toBe('c~tokio~docs')
    expect(suggestLabel('c-tokyo', 'c-tokyo', createSuggestions(['c-tokyo', 'c-tokio']))).toBe('c-tokio')
  })
})
