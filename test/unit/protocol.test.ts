import {describe, expect, it} from 'vitest'
import {
  allChapters,
  bookItems,
  chapterSourcePath,
  checkVersion,
  isChapterItem,
  parseInput,
  ProtocolError,
  serializeBook,
  type BookItem,
  type BookV04,
  type BookV05
} from '../../src/mdbook/protocol.js'
import {readFixture, splitInput} from '../helpers.js'

/** Exact stdin of mdBook 0.4.4 (captured) and 0.5.4 (same book, 0.5 shape). */
const v04 = readFixture('protocol/mdbook-0.4.4-input.json')
const v05 = readFixture('protocol/mdbook-0.5.4-input.json')

/** Names of every chapter, in reading order. */
const names = ['Foreword', 'Knots', 'Weather Signs', 'Moorings', 'Tide Gauges', 'Afterword']

/**
 * Message of the error `parseInput` throws for a text.
 *
 * @param text
 *   Stdin.
 * @returns
 *   Message, or `undefined` when nothing was thrown.
 */
function errorOf(text: string): string | undefined {
  try {
    parseInput(text)
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError)
    return (error as Error).message
  }

  return undefined
}

/**
 * The 0.4.4 input with its book changed.
 *
 * @param change
 *   Function that edits the parsed book.
 * @returns
 *   New stdin text.
 */
function withBook(change: (book: BookV04) => void): string {
  const [context, book] = JSON.parse(v04) as [unknown, BookV04]
  change(book)
  return JSON.stringify([context, book])
}

describe('parseInput', () => {
  it('should parse the mdBook 0.4 shape (`sections`, `__non_exhaustive`)', () => {
    const {context, book} = parseInput(v04)
    expect(context.root).toBe('/home/user/pier-notes')
    expect(context.renderer).toBe('html')
    expect(context.mdbook_version).toBe('0.4.4')
    expect(context.config.book?.title).toBe('Pier Notes')
    expect(Object.keys(book)).toEqual(['sections', '__non_exhaustive'])
    expect((book as BookV04).__non_exhaustive).toBe(null)
    expect(bookItems(book)).toBe((book as BookV04).sections)
  })

  it('should parse the mdBook 0.5 shape (`items`, `source_path`)', () => {
    const {context, book} = parseInput(v05)
    expect(context.root).toBe('/home/user/pier-notes')
    expect(context.mdbook_version).toBe('0.5.4')
    expect(context.config.preprocessor?.xref?.optional).toBe(true)
    expect(Object.keys(book)).toEqual(['items'])
    expect(bookItems(book)).toBe((book as BookV05).items)
  })

  it('should keep a part title and a separator as items', () => {
    const items = bookItems(parseInput(v04).book)
    expect(items.map((item) => (isChapterItem(item) ? 'Chapter' : item))).toEqual([
      'Chapter',
      'Chapter',
      'Chapter',
      {PartTitle: 'The Harbour'},
      'Chapter',
      'Separator',
      'Chapter'
    ])
  })

  it('should accept a byte order mark', () => {
    expect(serializeBook(parseInput('\uFEFF' + v04).book)).toBe(splitInput(v04).book)
  })

  it('should accept item kinds it does not know and keep them', () => {
    const text = withBook((book) => {
      // Kinds from a future mdBook: not in our `BookItem` type.
      const future = ['Spacer', {Appendix: {name: 'Charts', sub_items: 3}}] as unknown as BookItem[]
      book.sections.splice(1, 0, ...future)
    })
    const {book} = parseInput(text)
    expect(bookItems(book)[1]).toBe('Spacer')
    expect(bookItems(book)[2]).toEqual({Appendix: {name: 'Charts', sub_items: 3}})
    expect(allChapters(book).map((d) => d.name)).toEqual(names)
    expect(serializeBook(book)).toBe(splitInput(text).book)
  })

  it('should throw on empty stdin', () => {
    expect(errorOf('')).toBe(
      'Unexpected empty input, expected `[context, book]` JSON on stdin from mdBook'
    )
    expect(errorOf(' \n')).toBe(
      'Unexpected empty input, expected `[context, book]` JSON on stdin from mdBook'
    )
  })

  it('should throw on truncated JSON', () => {
    // Cut after `"sections":[`: the end of input, the same message in every Node.
    expect(errorOf(v04.slice(0, v04.indexOf('"sections":[') + 12))).toBe(
      'Unexpected invalid JSON on stdin (Unexpected end of JSON input), expected `[context, book]` from mdBook'
    )
  })

  it('should throw on JSON that is not an array', () => {
    expect(errorOf('{"sections": []}')).toBe(
      'Unexpected object on stdin, expected a `[context, book]` array'
    )
    expect(errorOf('null')).toBe('Unexpected `null` on stdin, expected a `[context, book]` array')
    expect(errorOf('"book"')).toBe('Unexpected string on stdin, expected a `[context, book]` array')
  })

  it('should throw on an array of the wrong arity', () => {
    const [context, book] = JSON.parse(v04) as [unknown, unknown]
    expect(errorOf(JSON.stringify([context]))).toBe(
      'Unexpected array of 1 item on stdin, expected a `[context, book]` array'
    )
    expect(errorOf(JSON.stringify([context, book, {}]))).toBe(
      'Unexpected array of 3 items on stdin, expected a `[context, book]` array'
    )
  })

  it('should throw on a context without `root` or `config`', () => {
    const [, book] = JSON.parse(v04) as [unknown, unknown]
    expect(errorOf(JSON.stringify([{root: '/x'}, book]))).toBe(
      'Unexpected context object, expected an object with `root` and `config`'
    )
    expect(errorOf(JSON.stringify([7, book]))).toBe(
      'Unexpected context `7`, expected an object with `root` and `config`'
    )
  })

  it('should throw on a book without `items` or `sections`', () => {
    const [context] = JSON.parse(v04) as [unknown]
    expect(errorOf(JSON.stringify([context, {chapters: []}]))).toBe(
      'Unexpected book without `items` or `sections`, expected an mdBook 0.4 or 0.5 book'
    )
    expect(errorOf(JSON.stringify([context, []]))).toBe(
      'Unexpected book array of 0 items, expected an object'
    )
  })

  it('should throw on chapter content that is not a string, naming the chapter and place', () => {
    const top = withBook((book) => {
      ;(book.sections[1] as {Chapter: {content: unknown}}).Chapter.content = null
    })
    expect(errorOf(top)).toBe(
      'Unexpected `null` as `content` of chapter `Knots` at `sections[1]`, expected a string'
    )

    const nested = withBook((book) => {
      const parent = (book.sections[4] as {Chapter: {sub_items: Array<{Chapter: {content: unknown}}>}})
        .Chapter
      parent.sub_items[0].Chapter.content = 3
    })
    expect(errorOf(nested)).toBe(
      'Unexpected `3` as `content` of chapter `Tide Gauges` at `sections[4].sub_items[0]`, expected a string'
    )

    const v05Text = v05.replace('"content":"# Afterword\\n"', '"content":["# Afterword"]')
    expect(errorOf(v05Text)).toBe(
      'Unexpected array of 1 item as `content` of chapter `Afterword` at `items[6]`, expected a string'
    )
  })

  it('should throw on a chapter without `sub_items` or that is not an object', () => {
    const missing = withBook((book) => {
      delete (book.sections[0] as {Chapter: {sub_items?: unknown}}).Chapter.sub_items
    })
    expect(errorOf(missing)).toBe(
      'Unexpected `undefined` as `sub_items` of chapter `Foreword` at `sections[0]`, expected an array'
    )

    const scalar = withBook((book) => {
      book.sections[0] = {Chapter: 'Foreword'}
    })
    expect(errorOf(scalar)).toBe(
      'Unexpected chapter string at `sections[0]`, expected an object'
    )
  })
})

describe('allChapters', () => {
  it('should list every chapter depth first, with sub chapters and drafts', () => {
    for (const text of [v04, v05]) {
      const chapters = allChapters(parseInput(text).book)
      expect(chapters.map((d) => d.name)).toEqual(names)
      expect(chapters.map((d) => d.number)).toEqual([null, [1], [2], [3], [3, 1], null])
      expect(chapters.map((d) => d.parent_names)).toEqual([[], [], [], [], ['Moorings'], []])
    }
  })

  it('should give drafts a `null` path and empty content', () => {
    for (const text of [v04, v05]) {
      const draft = allChapters(parseInput(text).book)[2]
      expect([draft.name, draft.path, draft.content, chapterSourcePath(draft)]).toEqual([
        'Weather Signs',
        null,
        '',
        null
      ])
    }
  })

  it('should prefer `source_path` (0.5) and fall back to `path` (0.4)', () => {
    const paths = [
      'foreword.md',
      'knots.md',
      null,
      'harbour/moorings.md',
      'harbour/tide-gauges.md',
      'afterword.md'
    ]
    expect(allChapters(parseInput(v04).book).map(chapterSourcePath)).toEqual(paths)
    expect(allChapters(parseInput(v05).book).map(chapterSourcePath)).toEqual(paths)

    const renamed = v05.replace('"source_path":"knots.md"', '"source_path":"rope/knots.md"')
    expect(chapterSourcePath(allChapters(parseInput(renamed).book)[1])).toBe('rope/knots.md')
  })

  it('should give the chapters themselves, so that edits reach the book', () => {
    const {book} = parseInput(v04)
    allChapters(book)[4].content = '# Tide Gauges\n\nEdited.\n'
    expect(serializeBook(book)).toBe(
      splitInput(v04).book.replace(
        '"content":"# Tide Gauges\\n"',
        '"content":"# Tide Gauges\\n\\nEdited.\\n"'
      )
    )
  })

  it('should give nothing for a book without chapters', () => {
    const [context] = JSON.parse(v04) as [unknown]
    const text = JSON.stringify([context, {sections: ['Separator', {PartTitle: 'Only'}]}])
    expect(allChapters(parseInput(text).book)).toEqual([])
  })
})

describe('serializeBook', () => {
  it('should round-trip the mdBook 0.4 input byte for byte', () => {
    expect(serializeBook(parseInput(v04).book)).toBe(splitInput(v04).book)
  })

  it('should round-trip the mdBook 0.5 input byte for byte', () => {
    expect(serializeBook(parseInput(v05).book)).toBe(splitInput(v05).book)
  })

  it('should keep `__non_exhaustive` and fields it does not know', () => {
    const text = withBook((book) => {
      ;(book as Record<string, unknown>).future = {kept: [1, 2]}
      ;(book.sections[0] as {Chapter: Record<string, unknown>}).Chapter.source_path = 'foreword.md'
      ;(book.sections[0] as {Chapter: Record<string, unknown>}).Chapter.extra = {a: null}
    })
    const book = parseInput(text).book
    expect(serializeBook(book)).toBe(splitInput(text).book)
    expect(serializeBook(book)).toContain('"__non_exhaustive":null,"future":{"kept":[1,2]}')
    expect(serializeBook(book)).toContain('"source_path":"foreword.md","extra":{"a":null}')
  })
})

describe('checkVersion', () => {
  it('should not warn for the tested versions', () => {
    expect(checkVersion('0.4.4')).toBe(undefined)
    expect(checkVersion('0.4.52')).toBe(undefined)
    expect(checkVersion('0.5.4')).toBe(undefined)
    expect(checkVersion('0.5.0-beta.1')).toBe(undefined)
  })

  it('should warn, not fail, for an older or newer version', () => {
    expect(checkVersion('0.3.1')).toBe(
      'Unexpected mdBook version `0.3.1`, expected `0.4.x` or `0.5.x`; continuing'
    )
    expect(checkVersion('0.6.0')).toBe(
      'Unexpected mdBook version `0.6.0`, expected `0.4.x` or `0.5.x`; continuing'
    )
  })

  it('should warn for a missing version', () => {
    expect(checkVersion(undefined)).toBe(
      'Unexpected missing `mdbook_version`, expected `0.4.x` or `0.5.x`; continuing'
    )
  })
})
