import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {allChapters, parseInput, ProtocolError, serializeBook, type Chapter} from '../../src/mdbook/protocol.js'
import {partsOf, readInput, writeBook, type ContentChange} from '../../src/mdbook/wire.js'
import {readFixture} from '../helpers.js'

/** Exact stdin of mdBook 0.4.4 (captured) and 0.5.4. */
const samples = {
  '0.4': readFixture('protocol/mdbook-0.4.4-input.json'),
  '0.5': readFixture('protocol/mdbook-0.5.4-input.json')
}

/** A block of definitions larger than the cut-off for shared parts. */
const shared =
  Array.from({length: 2500}, (_, index) => '[c~crate' + index + '~docs]: https://docs.rs/crate' + index + '\n').join('') +
  '[quote]: https://example.com/"q"\\back\\slash\n[é]: https://example.com/é⮳😀\n'

/**
 * Make stdin for chapters with the given contents (0.5 shape, compact JSON).
 *
 * @param contents
 *   Contents.
 * @returns
 *   Bytes.
 */
function input(contents: string[]): Buffer {
  const items = contents.map((content, index) => ({
    Chapter: {
      name: 'C' + index,
      content,
      number: [index + 1],
      sub_items: [],
      path: 'c' + index + '.md',
      source_path: 'c' + index + '.md',
      parent_names: []
    }
  }))
  return Buffer.from(JSON.stringify([{root: '/b', config: {book: {}}, renderer: 'html', mdbook_version: '0.5.4'}, {items}]))
}

/**
 * Write a book back and parse what came out.
 *
 * @param bytes
 *   Input.
 * @param edit
 *   Changes to make.
 * @returns
 *   Output text and the input parsed the plain way (with the changes).
 */
function roundTrip(bytes: Buffer, edit: (chapters: Chapter[]) => ContentChange[] = () => []) {
  const wire = readInput(bytes)
  const output = Buffer.concat(writeBook(wire, edit(allChapters(wire.input.book)))).toString('utf8')
  return {wire, output}
}

describe('readInput / writeBook', () => {
  for (const [version, text] of Object.entries(samples)) {
    it('should read the mdBook ' + version + ' sample as `parseInput` does and write its book byte for byte', () => {
      const {wire, output} = roundTrip(Buffer.from(text))
      expect(JSON.parse(JSON.stringify(wire.input))).toEqual(parseInput(text))
      expect(output).toBe(serializeBook(parseInput(text).book))
    })
  }

  it('should keep what `JSON.parse` would change: big integers, `1.0`, spacing, unknown fields', () => {
    const text =
      '[ {"root": "/b", "config": {"book": {}, "x": {"big": 12345678901234567890, "f": 1.0, "content": "not a chapter"}},\n' +
      ' "renderer": "html", "mdbook_version": "0.4.4"} ,\n {"sections": [ {"Chapter": {"name": "A", "content": "a {{hi:x}}",' +
      ' "number": null, "sub_items": [], "path": "a.md", "parent_names": [], "future": 1.50}}, "Separator"],' +
      ' "__non_exhaustive": null, "more": [1e400]} ]\n'
    const wire = readInput(Buffer.from(text))
    expect(wire.input.context.config.x).toEqual({big: 12_345_678_901_234_567_000, f: 1, content: 'not a chapter'})
    const [chapter] = allChapters(wire.input.book)
    const output = Buffer.concat(
      writeBook(wire, [{chapter, content: 'a <a id="x"></a>', edits: [{start: 2, end: 10, value: '<a id="x"></a>'}]}])
    ).toString('utf8')
    expect(output).toBe(
      '{"sections": [ {"Chapter": {"name": "A", "content": "a <a id=\\"x\\"></a>",' +
        ' "number": null, "sub_items": [], "path": "a.md", "parent_names": [], "future": 1.50}}, "Separator"],' +
        ' "__non_exhaustive": null, "more": [1e400]}'
    )
  })

  it('should decode a block shared by chapters once, wherever it sits, and the rest around it', () => {
    const contents = [
      '# One {{hi:a}}\n\n' + shared + '\n<div>after "one"</div>\n',
      '# Two\n\n' + shared,
      shared + '\ntext after, \\ and "quotes" and \u0001\n',
      '# Four 😀\r\n\r\n' + shared + shared,
      'small'
    ]
    const {wire, output} = roundTrip(input(contents))
    const chapters = allChapters(wire.input.book)
    expect(chapters.map((d) => d.content)).toEqual(contents)
    const parts = chapters.map((d) => partsOf(d))
    // The second chapter on: a part that is the very string of the first.
    const block = parts[1].find((d) => d.length > 60_000)
    expect(block).toBeDefined()
    expect(parts[2]).toContain(block)
    expect(parts[3]).toContain(block)
    expect(output).toBe(JSON.stringify({items: JSON.parse(input(contents).toString())[1].items}))
  })

  it('should splice edits anywhere (before, inside and after a shared block) as the plain path writes them', () => {
    const contents = ['a {{hi:x}} b\n\n' + shared + '\nc {{hi:y}}\n', 'd\n\n' + shared + 'e {{hi:z}} é😀 f\n']
    const {output} = roundTrip(input(contents), (chapters) =>
      chapters.map((chapter) => {
        const edits = [...chapter.content.matchAll(/\{\{hi:(\w)\}\}/g)].map((match) => ({
          start: match.index,
          end: match.index + match[0].length,
          value: '<a id="' + match[1] + '"></a>"\n'
        }))
        edits.push({start: chapter.content.indexOf('quote'), end: chapter.content.indexOf('quote') + 5, value: 'QUOTE'})
        edits.sort((a, b) => a.start - b.start)
        let content = ''
        let last = 0
        for (const edit of edits) {
          content += chapter.content.slice(last, edit.start) + edit.value
          last = edit.end
        }

        return {chapter, content: content + chapter.content.slice(last), edits}
      })
    )
    const expected = JSON.parse(input(contents).toString())[1]
    for (const item of expected.items) {
      item.Chapter.content = item.Chapter.content
        .replace(/\{\{hi:(\w)\}\}/g, '<a id="$1"></a>"\n')
        .replace('quote', 'QUOTE')
    }

    expect(output).toBe(JSON.stringify(expected))
  })

  it('should write the whole content when an edit falls inside a surrogate pair', () => {
    const bytes = input(['x😀y'])
    const {output} = roundTrip(bytes, ([chapter]) => [
      {chapter, content: 'x😃y', edits: [{start: 2, end: 3, value: '\uDE03'}]}
    ])
    expect(JSON.parse(output).items[0].Chapter.content).toBe('x😃y')
  })

  it('should read escaped surrogate pairs and split nothing inside them', () => {
    const text = input(['😀' + shared, 'é\n' + shared]).toString().replace(/😀/g, '\\ud83d\\ude00')
    const wire = readInput(Buffer.from(text))
    expect(allChapters(wire.input.book).map((d) => d.content)).toEqual(['😀' + shared, 'é\n' + shared])
  })

  it('should report invalid input as `parseInput` does', () => {
    const cases = ['', '  ', '[', '[{"root": "/b", "config": {}}, {"items": [{"Chapter": {"content": "a\\x"}}]}]', '{}', '[1, 2]']

    for (const text of cases) {
      let expected: unknown
      try {
        parseInput(text)
      } catch (error) {
        expected = error
      }

      expect(expected, text).toBeInstanceOf(ProtocolError)
      expect(() => readInput(Buffer.from(text)), text).toThrow((expected as Error).message)
    }
  })

  it('should read any generated book as `JSON.parse` does and write it back as `JSON.stringify` does (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(shared, shared.slice(0, 70_000), '\n', '\r\n', '"', '\\', '\\n', '😀', 'é', '⮳', '\u0000', '\u2028'),
      fc.string({maxLength: 20})
    )
    const content = fc.array(piece, {maxLength: 8}).map((d) => d.join(''))

    fc.assert(
      fc.property(fc.array(content, {minLength: 1, maxLength: 5}), fc.nat(), (contents, seed) => {
        const bytes = input(contents)
        const changed = new Map<number, string>()
        const {wire, output} = roundTrip(bytes, (chapters) =>
          chapters.flatMap((chapter, index) => {
            const value = chapter.content
            if ((seed + index) % 3 === 0 || value.length === 0) return []
            // Replace one range at a line start with text to escape.
            const start = value.lastIndexOf('\n', (seed * 7919) % value.length) + 1
            const end = Math.min(value.length, start + (seed % 5))
            const replacement = '<"\\é>'
            changed.set(index, value.slice(0, start) + replacement + value.slice(end))
            return [{chapter, content: changed.get(index)!, edits: [{start, end, value: replacement}]}]
          })
        )
        expect(allChapters(wire.input.book).map((d) => d.content)).toEqual(contents)
        const expected = JSON.parse(bytes.toString())[1]
        for (const [index, chapter] of allChapters(expected).entries()) chapter.content = changed.get(index) ?? chapter.content
        expect(output).toBe(JSON.stringify(expected))
      }),
      {numRuns: 60}
    )
  })
})
