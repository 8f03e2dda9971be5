import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {lintBook} from '../../src/book/lint.js'
import {fixtures} from '../helpers.js'

const book = path.join(fixtures, 'included-table-book')

describe('a marker after `{{#include}}` that joins an included table', () => {
  it('should say the row is from the included file, and how to fix it, at the marker as written', async () => {
    const result = await lintBook(book, {cwd: book})
    const messages = result.files.flatMap((file) =>
      file.messages.filter((d) => d.ruleId === 'marker-dropped').map((d) => file.path + ':' + String(d))
    )

    expect(messages).toEqual([
      "src/guide/strings.md:3:40-3:54: Unexpected marker in cell `3` of a table row from `../tables/strings.incl.md` (the marker follows `{{#include}}` on its line, so it joins the included table's last row), expected the marker on a line of its own",
      // Row and marker both in the included file: the table's own problem.
      'src/slices.incl.md:3:18-3:30: Unexpected marker in cell `2` of a table with `1` columns, expected it in the first `1` cells (mdBook drops the others)',
      "src/slices.md:3:28-3:41: Unexpected marker in cell `4` of a table row from `slices.incl.md` (the marker follows `{{#include}}` on its line, so it joins the included table's last row), expected the marker on a line of its own"
    ])
  })
})
