/**
 * `lint` on the real books: exactly the real findings, at the file and line
 * where the author wrote them.
 */

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {lintBook} from '../../src/book/lint.js'
import {toFindings} from '../../src/diagnostics/report.js'
import {corpus, root, rustHowto, rustHowtoOld} from '../corpus.js'

/**
 * Lint a book and give its findings, paths relative to the project.
 *
 * @param dir
 *   Book root.
 * @returns
 *   Findings.
 */
async function findings(dir: string) {
  const result = await lintBook(dir, {cwd: root})
  return toFindings(result.files)
}

describe.skipIf(!corpus)('lint on the real books', () => {
  it('should report exactly the one broken reference of the current book, where it is written', async () => {
    const found = await findings(rustHowto)
    const undefinedReferences = found.filter((d) => d.ruleId === 'undefined-reference')
    expect(
      undefinedReferences.map((d) => [path.basename(d.file), d.line, d.column, d.label, d.chapters.length > 0])
    ).toEqual([['stack-allocated.incl.md', 6, 3, 'ex~data-structures~heapless', true]])
    expect(found.some((d) => d.severity === 'error')).toBe(true)
  })

  it('should report exactly the 4 conflicting labels of the current book, each once', async () => {
    const found = await findings(rustHowto)
    expect(
      found
        .filter((d) => d.ruleId === 'conflicting-definition')
        .map((d) => d.label)
        .sort()
    ).toEqual([
      'c~data-encoding::HEXUPPER~docs',
      'c~std::result::Result::err~docs',
      'c~std::result::Result::ok~docs',
      'c~tracing::event~docs'
    ])
  })

  it('should expect the conventional URL of a conflict and advise renaming labels that differ only in case', async () => {
    const found = await findings(rustHowto)
    const messages = found.filter((d) => d.ruleId === 'conflicting-definition').map((d) => d.message)
    expect(messages).toContain(
      'Unexpected second definition of `c~data-encoding::HEXUPPER~docs`, expected one definition, with `https://docs.rs/data-encoding/latest/data_encoding/constant.HEXUPPER.html` (the first definition wins, so links go to `https://docs.rs/data-encoding/latest/data-encoding/constant.HEXUPPER.html`, which breaks the URL convention)'
    )
    expect(messages).toContain(
      'Unexpected label `c~std::result::Result::err~docs` for `https://doc.rust-lang.org/std/result/enum.Result.html#method.err`, expected a label that differs from `c~std::result::Result::Err~docs` in more than case (CommonMark ignores case: the first definition wins, so links go to `https://doc.rust-lang.org/std/result/enum.Result.html#variant.Err`)'
    )
  })

  it('should report near-duplicate index terms, with every spelling’s places', async () => {
    const found = await findings(rustHowto)
    const groups = found.filter((d) => d.ruleId === 'index-near-duplicate').map((d) => d.message)
    expect(groups).toContain('Unexpected near-duplicate index terms `Iterator`, `Iterators`, expected one spelling')
    expect(groups).toContain('Unexpected near-duplicate index terms `Path`, `Paths`, expected one spelling')
  })

  it('should report every use of a deleted crate definition at its file and line', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'xref-lint-'))

    try {
      fs.cpSync(rustHowto, copy, {recursive: true})
      const refs = path.join(copy, 'src', 'refs', 'crate-refs.md')
      const text = fs.readFileSync(refs, 'utf8')
      const line = text.split('\n').find((d) => d.startsWith('[c~rand~docs]:'))!
      fs.writeFileSync(refs, text.replace(line + '\n', ''))

      // Every place `[c~rand~docs]` is written outside the refs files.
      const expected: string[] = []
      const src = path.join(copy, 'src')
      for (const file of walk(src)) {
        for (const [index, content] of fs.readFileSync(file, 'utf8').split('\n').entries()) {
          if (/\[c~rand~docs\]/.test(content) && !file.includes('/refs/')) expected.push(path.relative(src, file) + ':' + (index + 1))
        }
      }

      const result = await lintBook(copy, {cwd: copy})
      const places = toFindings(result.files)
        .filter((d) => d.ruleId === 'undefined-reference' && d.label === 'c~rand~docs')
        .map((d) => path.relative('src', d.file) + ':' + d.line)
      expect(expected.length).toBeGreaterThan(5)
      expect([...new Set(places)].sort()).toEqual([...new Set(expected)].sort())
    } finally {
      fs.rmSync(copy, {recursive: true, force: true})
    }
  })

  it('should hold on the old `c-` style book: no undefined reference, its conflicts reported', async () => {
    const found = await findings(rustHowtoOld)
    expect(found.filter((d) => d.ruleId === 'undefined-reference')).toEqual([])
    expect(found.filter((d) => d.ruleId === 'conflicting-definition').length).toBe(3)
  })
})

/**
 * Markdown files under a folder.
 *
 * @param folder
 *   Folder.
 * @returns
 *   Paths.
 */
function walk(folder: string): string[] {
  return fs.readdirSync(folder, {withFileTypes: true}).flatMap((entry) => {
    const file = path.join(folder, entry.name)
    return entry.isDirectory() ? walk(file) : entry.name.endsWith('.md') ? [file] : []
  })
}
