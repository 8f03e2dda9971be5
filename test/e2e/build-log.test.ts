/**
 * End to end: the build log of `fixtures/warnings-book` through the real
 * mdBook 0.4.4: errors in full and warnings per rule by default, every
 * finding when the book (`warnings = "all"`) or the environment
 * (`MDBOOK_XREF_WARNINGS=all`, or mdBook's own
 * `MDBOOK_PREPROCESSOR__XREF__WARNINGS=all`) asks; `lint` lists them all.
 */

import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it, vi} from 'vitest'
import {bin, buildBook, ensureBuilt, fixtures, runBin, temporaryDirectory} from '../helpers.js'

const book = path.join(fixtures, 'warnings-book')

// `preprocessorStderr` drops blank lines along with mdBook's own log.
const summary =
  'src/workers.md\n' +
  '  3:36  error    Unexpected undefined reference `queues-docs`, expected a definition  undefined-reference\n' +
  '  3 warnings  in 2 files  wiki-link\n' +
  '1 error, 3 warnings\n' +
  'Run `mdbook-xref lint` to list every warning, or set `warnings = "all"` (or `MDBOOK_XREF_WARNINGS=all`) to show them here\n'

const all =
  'src/queues.md\n' +
  '  3:15  warning  Unexpected wiki link `[[messages]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)  wiki-link\n' +
  '  3:36  warning  Unexpected wiki link `[[worker]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)  wiki-link\n' +
  'src/workers.md\n' +
  '  3:16  warning  Unexpected wiki link `[[messages]]`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)  wiki-link\n' +
  '  3:36  error    Unexpected undefined reference `queues-docs`, expected a definition  undefined-reference\n' +
  '1 error, 3 warnings\n'

/**
 * Copy the book with `warnings = "all"` in its table, running our binary by
 * its absolute path (the copy is elsewhere).
 *
 * @returns
 *   Root of the copy.
 */
function withAllWarnings(): string {
  const copy = temporaryDirectory()
  fs.cpSync(book, copy, {recursive: true, filter: (from) => from !== path.join(book, 'book')})
  const toml = fs.readFileSync(path.join(copy, 'book.toml'), 'utf8')
  const changed = toml.replace(
    'command = "node ../../dist/bin.js"',
    'command = ' + JSON.stringify('node ' + bin) + '\nwarnings = "all"'
  )
  expect(changed).not.toBe(toml)
  fs.writeFileSync(path.join(copy, 'book.toml'), changed)
  return copy
}

vi.setConfig({testTimeout: 30_000})

beforeAll(async () => {
  await ensureBuilt()
}, 120_000)

describe('build log of warnings-book', () => {
  it('should show errors in full and warnings per rule by default', async () => {
    const built = await buildBook(book)
    expect([built.code, built.preprocessorStderr]).toEqual([0, summary])
  })

  it('should show every finding with `warnings = "all"` in `book.toml`', async () => {
    const built = await buildBook(withAllWarnings())
    expect([built.code, built.preprocessorStderr]).toEqual([0, all])
  })

  it('should show every finding with `MDBOOK_XREF_WARNINGS=all`', async () => {
    const built = await buildBook(book, {MDBOOK_XREF_WARNINGS: 'all'})
    expect([built.code, built.preprocessorStderr]).toEqual([0, all])
  })

  it('should show every finding with mdBook’s `MDBOOK_PREPROCESSOR__XREF__WARNINGS=all`', async () => {
    const built = await buildBook(book, {MDBOOK_PREPROCESSOR__XREF__WARNINGS: 'all'})
    expect([built.code, built.preprocessorStderr]).toEqual([0, all])
  })

  it('should list every finding in `lint`', async () => {
    const [code, stdout] = await runBin(['lint', book, '--format', 'json'])
    const findings = JSON.parse(stdout) as Array<{ruleId: string}>
    expect([code, findings.map((d) => d.ruleId)]).toEqual([
      1,
      ['wiki-link', 'wiki-link', 'wiki-link', 'undefined-reference']
    ])
  })
})
