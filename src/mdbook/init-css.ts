/**
 * List our stylesheet in `[output.html] additional-css` of a `book.toml`
 * (`mdbook-xref init`), editing the text as `init-toml.ts` does: everything
 * else stays byte for byte, and the result is parsed again and checked.
 *
 * * No `[output]` table at all (mdBook renders HTML by default): add
 *   `[output.html]` with `additional-css = ["mdbook-xref.css"]` at the end.
 * * An `[output.html]` header: add `additional-css` to it, or our file to
 *   its array (`["theme/custom.css"]` → `["theme/custom.css",
 *   "mdbook-xref.css"]`).
 * * Other renderers only, or `[output.html]` written as an inline table or
 *   dotted keys: change nothing, and say what to add by hand.
 *
 * A second run changes nothing.
 */

import {parse} from 'smol-toml'
import {applyEdits, scanArray, scanToml, type Edit, type Section} from './toml-text.js'
import {isRecord} from '../util/record.js'
import {bomLength, stripBom} from '../util/text.js'

/** Result of `addAdditionalCss`. */
export interface CssResult {
  /** New text of `book.toml` (the input itself when nothing changed). */
  text: string
  /** What was done, one line each. */
  changes: string[]
  /** Advice that changes nothing (`note: …`). */
  notes: string[]
}

/**
 * Make sure `[output.html] additional-css` lists a stylesheet.
 *
 * @param text
 *   `book.toml`, valid TOML (a BOM is kept).
 * @param file
 *   Path of the stylesheet relative to the book root, as mdBook reads
 *   `additional-css` (`mdbook-xref.css`).
 * @returns
 *   New text and what changed.
 * @throws {TomlError}
 *   On invalid TOML.
 */
export function addAdditionalCss(text: string, file: string): CssResult {
  const bom = text.slice(0, bomLength(text))
  const body = bom ? text.slice(1) : text
  const data = parse(body) as Record<string, unknown>
  const output = data.output
  const html = isRecord(output) ? output.html : undefined
  const current = isRecord(html) ? (html['additional-css'] ?? html.additional_css) : undefined
  const entry = JSON.stringify(file)
  const byHand = 'add ' + entry + ' to additional-css of [output.html] by hand'

  // `additional-css = ["./mdbook-xref.css"]` names the same file.
  if (Array.isArray(current) && current.some((d) => typeof d === 'string' && d.replace(/^\.\//, '') === file)) {
    return {text, changes: [], notes: []}
  }

  if (isRecord(output) && !isRecord(html)) {
    return {text, changes: [], notes: ['note: book.toml renders no HTML ([output.html] is missing); to style index targets, ' + byHand]}
  }

  const eol = body.includes('\r\n') ? '\r\n' : '\n'
  const sections = scanToml(body)
  const edits: Edit[] = []
  let change: string

  if (!isRecord(output)) {
    // Separate from what comes before by one blank line.
    const gap = body.trim() === '' ? '' : body.endsWith(eol + eol) ? '' : body.endsWith('\n') ? eol : eol + eol
    edits.push({start: body.length, end: body.length, value: gap + '[output.html]' + eol + 'additional-css = [' + entry + ']' + eol})
    change = 'added [output.html] with additional-css = [' + entry + ']'
  } else {
    const section = sections.find(
      (d) => !d.array && d.key.length === 2 && d.key[0].value === 'output' && d.key[1].value === 'html'
    )
    const found = section?.entries.find(
      (d) => d.key.length === 1 && (d.key[0].value === 'additional-css' || d.key[0].value === 'additional_css')
    )

    if (!section || (current !== undefined && !found)) {
      return {text, changes: [], notes: ['note: [output.html] is written as an inline table or dotted keys; ' + byHand]}
    }

    if (!found) {
      const at = contentEnd(section)
      const before = at > 0 && body.charCodeAt(at - 1) !== 10 ? eol : ''
      edits.push({start: at, end: at, value: before + 'additional-css = [' + entry + ']' + eol})
      change = 'added additional-css = [' + entry + '] to [output.html]'
    } else if (Array.isArray(current)) {
      const array = scanArray(body, found.valueStart)
      const last = array.elements[array.elements.length - 1]

      if (!last) {
        // `additional-css = []`.
        edits.push({start: found.valueStart + 1, end: found.valueStart + 1, value: entry})
      } else if (array.comma === undefined) {
        edits.push({start: last.end, end: last.end, value: ', ' + entry})
      } else {
        // A trailing comma, as multi-line arrays are often written.
        edits.push({start: array.comma + 1, end: array.comma + 1, value: ' ' + entry + ','})
      }

      change = 'added ' + entry + ' to additional-css of [output.html]'
    } else {
      // mdBook wants an array: `additional-css = "a.css"` is an error there.
      const items = typeof current === 'string' ? [JSON.stringify(current), entry] : [entry]
      const replacement = '[' + items.join(', ') + ']'
      edits.push({start: found.valueStart, end: found.valueEnd, value: replacement})
      change =
        'replaced additional-css = ' + body.slice(found.valueStart, found.valueEnd) + ' with additional-css = ' + replacement + ' in [output.html]'
    }
  }

  const result = bom + applyEdits(body, edits)
  if (!verify(data, result, file)) return {text, changes: [], notes: ['note: cannot edit [output.html] as text; ' + byHand]}
  return {text: result, changes: [change], notes: []}
}

/**
 * Check the result: valid TOML, the stylesheet listed, everything else
 * unchanged.
 *
 * @param before
 *   Parsed input.
 * @param output
 *   New text.
 * @param file
 *   Stylesheet.
 * @returns
 *   Whether the edit is right.
 */
function verify(before: Record<string, unknown>, output: string, file: string): boolean {
  let after: Record<string, unknown>

  try {
    after = parse(stripBom(output)) as Record<string, unknown>
  } catch {
    return false
  }

  const rest = function (data: Record<string, unknown>): string {
    const copy = structuredClone(data)
    const html = isRecord(copy.output) ? copy.output.html : undefined
    if (isRecord(html)) {
      for (const key of ['additional-css', 'additional_css']) {
        if (typeof html[key] === 'string') html[key] = [html[key]]
        if (Array.isArray(html[key])) html[key] = (html[key] as unknown[]).filter((d) => d !== file)
        if (html[key] === undefined || (Array.isArray(html[key]) && (html[key] as unknown[]).length === 0)) delete html[key]
      }

      // `[output.html]` appears with our key when the book had no `[output]`.
      if (Object.keys(html).length === 0) delete (copy.output as Record<string, unknown>).html
      if (Object.keys(copy.output as Record<string, unknown>).length === 0) delete copy.output
    }

    return JSON.stringify(copy)
  }

  const html = isRecord(after.output) ? after.output.html : undefined
  const list = isRecord(html) ? (html['additional-css'] ?? html.additional_css) : undefined
  return Array.isArray(list) && list.includes(file) && rest(before) === rest(after)
}

/**
 * End of a section's content: after its last entry, else after its header.
 *
 * @param section
 *   Section.
 * @returns
 *   Offset.
 */
function contentEnd(section: Section): number {
  const last = section.entries[section.entries.length - 1]
  return last ? last.end : section.headerEnd
}
