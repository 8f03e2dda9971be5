/**
 * Block starts: whether a line can start a CommonMark (and GFM) block, and
 * which. One place for what the unit scan (`fast/units.ts`), the plain reader
 * (`fast/plain-readers.ts`) and the chapter analysis (`fast/analyse-chapter.ts`) need to
 * know about the start of a line.
 *
 * Every function takes a line without its line ending; those named for a
 * block take its `body`, the text after at most 3 columns of indentation
 * (see `whitespace`).
 */

/** A fence run: three or more backticks or tildes. */
const fenceRun = /^(`{3,}|~{3,})/

/** A GFM footnote definition start with the one optional space after it: `[^1]: `. */
const footnote = /^\[\^[^\]\s]+\]:[ \t]?/

/** Looks like the start of a definition: `[label]:`. */
const definitionExpression = /^ {0,3}\[(?:[^\[\]\\]|\\[\s\S])+\]:/

/** A definition-looking line anywhere (in a container, after text lines). */
const definitionLine = /^[ \t>*+\-\d.)]*\[(?:[^\[\]\\\n]|\\.)+\]:/m

/** Whether a line is indented as code: 4 columns, or a tab after 0–3 spaces. */
const indentedExpression = /^(?: {0,3}\t| {4})/

/** HTML block kind 1 start: `<script`, `<pre`, `<style`, `<textarea`. */
const htmlRaw = /^<(script|pre|style|textarea)(?=[\s>]|$)/i
const htmlRawEnd = /<\/(script|pre|style|textarea)>/i

/** HTML block kind 6 tag names (CommonMark 0.31). */
const htmlBlockNames = new Set(
  (
    'address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt ' +
    'fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link ' +
    'main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th thead ' +
    'title tr track ul'
  ).split(' ')
)

/** HTML block kind 7: a complete open or closing tag alone on the line. */
const htmlComplete =
  /^(?:<[A-Za-z][A-Za-z\d-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z\d-]*\s*>)\s*$/

/**
 * Whether a line may start a block other than a paragraph, or end one that
 * is open: loose, for readers that leave such lines to a parse. Any `#`, `>`,
 * `=` or `<` first, any list marker, a fence run, `[^`, `[…]:`, a thematic
 * break.
 *
 * @param line
 *   Line.
 * @returns
 *   Whether it may.
 */
export function mayStartBlock(line: string): boolean {
  const ws = whitespace(line, 0, 0)
  if (ws.columns >= 4) return false
  const body = line.slice(ws.index)
  const code = body.charCodeAt(0)

  return (
    code === 35 /* `#` */ ||
    code === 62 /* `>` */ ||
    code === 61 /* `=` */ ||
    code === 60 /* `<` */ ||
    listItem(line, ws.index, ws.column) !== undefined ||
    /^(?:`{3}|~{3}|\[\^|\[[^\]]*\]:)/.test(body) ||
    thematicBreak(body)
  )
}

/**
 * Whether a line is indented as code (4 columns or more before its text).
 *
 * @param line
 *   Line.
 * @returns
 *   Whether it is.
 */
export function indented(line: string): boolean {
  return indentedExpression.test(line)
}

/**
 * Whether text starts with a link-reference definition start (`[label]:`,
 * up to 3 spaces in), as a block of definitions does.
 *
 * @param text
 *   Text.
 * @returns
 *   Whether it does.
 */
export function startsDefinition(text: string): boolean {
  return definitionExpression.test(text)
}

/**
 * Whether some line of text looks like a definition start, in a container
 * (`> - [a]: /u`) or after other lines.
 *
 * @param text
 *   Text.
 * @returns
 *   Whether one does.
 */
export function hasDefinitionLine(text: string): boolean {
  return definitionLine.test(text)
}

/**
 * Fence that a body opens (`` ``` ``, `~~~~`); a backtick fence may have no
 * backtick in its info string.
 *
 * @param body
 *   Text after indentation.
 * @returns
 *   Fence character and size, or `undefined`.
 */
export function fenceStart(body: string): {char: number; size: number} | undefined {
  const fence = fenceRun.exec(body)
  if (!fence || (fence[1][0] === '`' && body.slice(fence[1].length).includes('`'))) return undefined
  return {char: fence[1].charCodeAt(0), size: fence[1].length}
}

/**
 * Whether a body is an ATX heading start (`# a`, `###`).
 *
 * @param body
 *   Text after indentation.
 * @returns
 *   Whether it is.
 */
export function atxHeading(body: string): boolean {
  return /^#{1,6}(?:[ \t]|$)/.test(body)
}

/**
 * Whether a body is a setext underline (`===`, `--`), which makes an open
 * paragraph a heading.
 *
 * @param body
 *   Text after indentation.
 * @returns
 *   Whether it is.
 */
export function setextUnderline(body: string): boolean {
  return /^(?:=+|-+)[ \t]*$/.test(body)
}

/**
 * Length of a GFM footnote definition start (`[^1]: `, with one optional
 * space or tab).
 *
 * @param body
 *   Text after indentation.
 * @returns
 *   Length, `0` when there is none.
 */
export function footnoteStart(body: string): number {
  const match = footnote.exec(body)
  return match ? match[0].length : 0
}

/**
 * Whether a line would start a block that interrupts a paragraph (so it is
 * not a lazy continuation line).
 *
 * @param rest
 *   Line after the matched containers.
 * @param inParagraph
 *   Whether a paragraph is open.
 * @param lazy
 *   Whether the paragraph is in a container that did not match.
 * @returns
 *   Whether it interrupts.
 */
export function interrupts(rest: string, inParagraph: boolean, lazy = false): boolean {
  const ws = whitespace(rest, 0, 0)
  if (ws.columns >= 4) return false
  const body = rest.slice(ws.index)
  if (body.charCodeAt(0) === 62) return true
  if (footnoteStart(body) > 0) return true
  // Any fence run, even `` ```a`b `` (no fence): that only ends a lazy
  // paragraph early.
  if (fenceRun.test(body)) return true
  if (atxHeading(body)) return true
  if (thematicBreak(body)) return true
  // micromark lets any HTML block start on a lazy line, kind 7 included.
  if (htmlStart(body, inParagraph && !lazy)) return true
  const item = listItem(rest, ws.index, ws.column)
  // The paragraph of a lazy line is in a container that did not match: any
  // list item starts there (CommonMark checks the last matched container).
  return Boolean(item && (lazy || (!item.empty && (item.bullet || item.start === 1))))
}

/**
 * Check a list item marker.
 *
 * @param line
 *   Line.
 * @param index
 *   Index of the marker's first character.
 * @param column
 *   Its column.
 * @returns
 *   Marker info, or `undefined`.
 */
export function listItem(
  line: string,
  index: number,
  column: number
):
  | {bullet: boolean; start: number; empty: boolean; indent: number; contentIndex: number}
  | undefined {
  const match = /^(?:([-+*])|(\d{1,9})[.)])/.exec(line.slice(index))
  if (!match) return undefined
  const after = index + match[0].length
  const code = line.charCodeAt(after)
  if (!(Number.isNaN(code) || code === 32 || code === 9)) return undefined
  const markerEnd = column + match[0].length
  const ws = whitespace(line, after, markerEnd)
  const empty = isBlank(line.slice(after))
  let spaces = ws.columns
  let contentIndex = ws.index

  if (empty) {
    spaces = 1
    contentIndex = line.length
  } else if (spaces >= 5) {
    // Indented code inside the item: the content starts one column in.
    spaces = 1
    contentIndex = after + 1
  }

  return {
    bullet: Boolean(match[1]),
    start: match[2] ? Number(match[2]) : 0,
    empty,
    indent: markerEnd + spaces,
    contentIndex
  }
}

/**
 * Whether text is a thematic break (`***`, `- - -`, `___`).
 *
 * @param body
 *   Text after indentation.
 * @returns
 *   Whether it is one.
 */
export function thematicBreak(body: string): boolean {
  return /^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$/.test(body)
}

/**
 * Kind (1–7) of HTML block that a line starts, or 0.
 *
 * @param body
 *   Text after indentation.
 * @param inParagraph
 *   Whether a paragraph is open (kind 7 cannot interrupt one).
 * @returns
 *   Kind or 0.
 */
export function htmlStart(body: string, inParagraph: boolean): number {
  if (body.charCodeAt(0) !== 60 /* `<` */) return 0
  if (htmlRaw.test(body)) return 1
  if (body.startsWith('<!--')) return 2
  if (body.startsWith('<?')) return 3
  if (/^<![A-Za-z]/.test(body)) return 4
  if (body.startsWith('<![CDATA[')) return 5
  const name = /^<\/?([A-Za-z][A-Za-z\d-]*)(?=[\s/>]|$)/.exec(body)
  if (name && htmlBlockNames.has(name[1].toLowerCase())) {
    // `</x` may not be followed by `/>`-less junk, but `/>` and `>` and space are fine.
    if (!/^<\/?[A-Za-z][A-Za-z\d-]*(?:[\s>]|\/>|$)/.test(body)) return 0
    return 6
  }

  if (!inParagraph && htmlComplete.test(body) && !htmlRaw.test(body)) return 7
  return 0
}

/**
 * Whether a line ends an HTML block of kind 1–5.
 *
 * @param text
 *   Line.
 * @param type
 *   Kind.
 * @returns
 *   Whether it ends here.
 */
export function htmlEnds(text: string, type: number): boolean {
  switch (type) {
    case 1: {
      return htmlRawEnd.test(text)
    }

    case 2: {
      return text.includes('-->')
    }

    case 3: {
      return text.includes('?>')
    }

    case 4: {
      return text.includes('>')
    }

    case 5: {
      return text.includes(']]>')
    }

    default: {
      return false
    }
  }
}

/**
 * Whether a line closes a fence.
 *
 * @param body
 *   Text after up to 3 columns of indentation.
 * @param fence
 *   Open fence.
 * @returns
 *   Whether it closes it.
 */
export function closesFence(body: string, fence: {char: number; size: number}): boolean {
  let size = 0
  while (body.charCodeAt(size) === fence.char) size++
  return size >= fence.size && isBlank(body.slice(size))
}

/**
 * Measure whitespace.
 *
 * @param line
 *   Line.
 * @param index
 *   Start index.
 * @param column
 *   Column at `index` (tabs stop every 4 columns).
 * @returns
 *   Columns of whitespace, index and column after it.
 */
export function whitespace(
  line: string,
  index: number,
  column: number
): {columns: number; index: number; column: number} {
  const start = column

  while (index < line.length) {
    const code = line.charCodeAt(index)
    if (code === 32) column++
    else if (code === 9) column += 4 - (column % 4)
    else break
    index++
  }

  return {columns: column - start, index, column}
}

/**
 * Whether text is only whitespace.
 *
 * @param value
 *   Text.
 * @returns
 *   Whether blank.
 */
export function isBlank(value: string): boolean {
  return /^[ \t\r]*$/.test(value)
}

/**
 * Where a line may start a definition: its `[` after at most three spaces
 * (a tab, or more indentation, is left to micromark).
 *
 * @param text
 *   Text.
 * @param lineStart
 *   Line start.
 * @param lineEnd
 *   Line end.
 * @returns
 *   Offset of `[`, or `-1`.
 */
export function definitionStart(text: string, lineStart: number, lineEnd: number): number {
  let index = lineStart
  while (index < lineEnd && text.charCodeAt(index) === 32) index++
  return index - lineStart > 3 || text.charCodeAt(index) !== 91 /* `[` */ ? -1 : index
}

/**
 * A fallback group that may open a construct spanning blank lines (a fenced
 * code block, or an HTML block of kind 1–5): after it, later groups cannot
 * be read on their own.
 */
const spanning = /`{3}|~{3}|<!--|<\?|<![A-Za-z[]|<(?:script|pre|style|textarea)(?=[\s>]|$)/i

/**
 * Whether a group of lines may open a construct spanning blank lines
 * (`` ``` ``, `~~~`, `<!--`, `<script>`…).
 *
 * @param group
 *   Text of the group.
 * @returns
 *   Whether it may.
 */
export function mayOpenSpanningBlock(group: string): boolean {
  return spanning.test(group)
}
