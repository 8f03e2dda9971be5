import {TomlError} from 'smol-toml'
import {describe, expect, it} from 'vitest'
import {addAdditionalCss} from '../../src/mdbook/init-css.js'

/** Our stylesheet. */
const css = 'mdbook-xref.css'

/**
 * Run `addAdditionalCss` twice and check that the second run changes nothing.
 *
 * @param text
 *   `book.toml`.
 * @returns
 *   Result of the first run.
 */
function add(text: string): ReturnType<typeof addAdditionalCss> {
  const result = addAdditionalCss(text, css)
  const again = addAdditionalCss(result.text, css)
  expect([again.text, again.changes]).toEqual([result.text, []])
  return result
}

describe('addAdditionalCss', () => {
  it('should add `[output.html]` at the end of a book with no `[output]` table', () => {
    expect(add('[book]\ntitle = "T"\n')).toEqual({
      text: '[book]\ntitle = "T"\n\n[output.html]\nadditional-css = ["mdbook-xref.css"]\n',
      changes: ['added [output.html] with additional-css = ["mdbook-xref.css"]'],
      notes: []
    })
    expect(add('').text).toBe('[output.html]\nadditional-css = ["mdbook-xref.css"]\n')
  })

  it('should add `additional-css` after the last entry of `[output.html]`, leaving every other byte alone', () => {
    const text = '[output.html]\ndefault-theme = "rust" # comment\n\n# Search\n[output.html.search]\nlimit-results = 20\n'
    expect(add(text)).toEqual({
      text:
        '[output.html]\ndefault-theme = "rust" # comment\nadditional-css = ["mdbook-xref.css"]\n\n# Search\n[output.html.search]\nlimit-results = 20\n',
      changes: ['added additional-css = ["mdbook-xref.css"] to [output.html]'],
      notes: []
    })
  })

  it('should add to an array, keeping the author’s entries and layout', () => {
    expect(add('[output.html]\nadditional-css = ["theme/a.css"]\n').text).toBe(
      '[output.html]\nadditional-css = ["theme/a.css", "mdbook-xref.css"]\n'
    )
    expect(add('[output.html]\nadditional-css = [\n  "theme/a.css", # ours\n  "b.css",\n]\n').text).toBe(
      '[output.html]\nadditional-css = [\n  "theme/a.css", # ours\n  "b.css", "mdbook-xref.css",\n]\n'
    )
    expect(add('[output.html]\nadditional-css = []\n').text).toBe('[output.html]\nadditional-css = ["mdbook-xref.css"]\n')
    expect(add('[output.html]\nadditional_css = ["a.css"]\n').changes).toEqual([
      'added "mdbook-xref.css" to additional-css of [output.html]'
    ])
  })

  it('should turn a string into an array', () => {
    expect(add('[output.html]\nadditional-css = "a.css"\n')).toEqual({
      text: '[output.html]\nadditional-css = ["a.css", "mdbook-xref.css"]\n',
      changes: ['replaced additional-css = "a.css" with additional-css = ["a.css", "mdbook-xref.css"] in [output.html]'],
      notes: []
    })
  })

  it('should change nothing when the stylesheet is listed, also as `./mdbook-xref.css`', () => {
    for (const text of [
      '[output.html]\nadditional-css = ["mdbook-xref.css"]\n',
      '[output.html]\nadditional-css = ["./mdbook-xref.css"]\n',
      'output.html.additional-css = ["a.css", "mdbook-xref.css"]\n'
    ]) {
      expect(addAdditionalCss(text, css)).toEqual({text, changes: [], notes: []})
    }
  })

  it('should keep CRLF line endings and a byte order mark', () => {
    expect(add('\uFEFF[output.html]\r\nmathjax-support = true\r\n').text).toBe(
      '\uFEFF[output.html]\r\nmathjax-support = true\r\nadditional-css = ["mdbook-xref.css"]\r\n'
    )
  })

  it('should change nothing, with a note, in a book that renders no HTML', () => {
    const text = '[output.linkcheck]\n'
    expect(addAdditionalCss(text, css)).toEqual({
      text,
      changes: [],
      notes: [
        'note: book.toml renders no HTML ([output.html] is missing); to style index targets, add "mdbook-xref.css" to additional-css of [output.html] by hand'
      ]
    })
  })

  it('should change nothing, with a note, when `[output.html]` is written as dotted keys or an inline table', () => {
    const note =
      'note: [output.html] is written as an inline table or dotted keys; add "mdbook-xref.css" to additional-css of [output.html] by hand'
    for (const text of ['output.html.additional-css = ["a.css"]\n', '[output]\nhtml = {additional-css = ["a.css"]}\n']) {
      expect(addAdditionalCss(text, css)).toEqual({text, changes: [], notes: [note]})
    }
  })

  it('should throw a `TomlError` on invalid TOML', () => {
    expect(() => addAdditionalCss('[output.html\n', css)).toThrow(TomlError)
  })
})
