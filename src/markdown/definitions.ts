/**
 * Blocks of link-reference definitions, parsed fast: the included refs files
 * of a book hold thousands of one-line definitions, which are read here by
 * hand; anything unusual goes to micromark.
 *
 * Offsets are relative to the text given.
 */

import {decodeString} from 'micromark-util-decode-string'
import {parseMarkdown} from './parse-markdown.js'
import {definitionStart, mayOpenSpanningBlock} from './block-start.js'
import {isPunctuation, normalizeLabel} from './labels.js'

/** A link-reference definition, with offsets relative to the parsed text. */
export interface Definition {
  /** Label, decoded as mdast does (`a\]b` → `a]b`). */
  label: string
  /** Normalised label (`normalizeLabel` of the raw label), as mdast’s `identifier`. */
  identifier: string
  /** Destination, escapes and character references decoded. */
  url: string
  /** Title, or `null` when absent or empty. */
  title: string | null
  /** Offset of `[`. */
  start: number
  /** Offset after the definition (trailing whitespace included, as micromark). */
  end: number
  /** Line of `[` (1-indexed). */
  line: number
  /** Column of `[` (1-indexed). */
  column: number
}

/** A range of text (UTF-16 offsets). */
export interface Range {
  /** Start offset. */
  start: number
  /** End offset. */
  end: number
}

/**
 * Parse a block of definitions fast.
 *
 * Each blank-line separated group whose lines are all one-line definitions
 * (`[label]: dest`, `[label]: <dest> "title"`, indented at most three
 * spaces, no tabs) is parsed by hand; any other group is parsed with
 * micromark (`parseMarkdown`), together with the rest of the text when the
 * group could open a fenced code or HTML block that spans blank lines.
 * Known limit: only top-level definitions of micromark groups are returned;
 * their other blocks (lists, quotes, which may hold definitions) are in
 * `other`, for the caller to analyse as prose.
 *
 * @param text
 *   Text (a block of definitions, perhaps with other Markdown).
 * @returns
 *   Definitions in order, and ranges of everything else.
 */
export function parseDefinitions(text: string): {definitions: Definition[]; other: Range[]} {
  const state: ParseState = {
    text,
    definitions: [],
    other: [],
    chunk: undefined
  }
  /** Definitions of the current group, while it is simple. */
  let group: Definition[] = []
  let simple = true
  let groupStart = -1
  let groupLine = 0
  let groupEnd = 0
  let position = 0
  let line = 1

  while (position < text.length) {
    let lineEnd = position
    let code = text.charCodeAt(lineEnd)
    while (lineEnd < text.length && code !== 10 && code !== 13) {
      code = text.charCodeAt(++lineEnd)
    }

    const next = code === 13 && text.charCodeAt(lineEnd + 1) === 10 ? lineEnd + 2 : lineEnd + 1

    if (isBlank(text, position, lineEnd)) {
      if (groupStart !== -1) {
        if (flushGroup(state, group, simple, groupStart, groupLine, groupEnd)) return finish(state)
        group = []
        simple = true
        groupStart = -1
      }
    } else {
      if (groupStart === -1) {
        groupStart = position
        groupLine = line
        // An indented group after text micromark parses may continue a
        // container opened there (`- [a]: b`, blank, `  [c]: d` is in the
        // item): parse it with that text.
        const first = text.charCodeAt(position)
        if (state.chunk && (first === 32 || first === 9)) simple = false
      }

      groupEnd = lineEnd

      if (simple) {
        const definition = parseLine(text, position, lineEnd, line)
        if (definition) group.push(definition)
        else simple = false
      }
    }

    position = next
    line++
  }

  if (groupStart !== -1 && flushGroup(state, group, simple, groupStart, groupLine, groupEnd)) {
    return finish(state)
  }

  flushChunk(state, state.chunk ? state.chunk.end : 0)
  return {definitions: state.definitions, other: state.other}
}

/** State of `parseDefinitions`. */
interface ParseState {
  /** Whole text. */
  text: string
  /** Definitions found. */
  definitions: Definition[]
  /** Other ranges found. */
  other: Range[]
  /** Groups waiting to be parsed with micromark. */
  chunk: {start: number; line: number; end: number} | undefined
}

/**
 * Take a finished group: keep its definitions, or queue it for micromark.
 *
 * @param state
 *   State.
 * @param group
 *   Definitions parsed so far.
 * @param simple
 *   Whether every line was a one-line definition.
 * @param start
 *   Offset of the group.
 * @param line
 *   Line of the group.
 * @param end
 *   End of its last line.
 * @returns
 *   Whether the rest of the text must go to micromark with this group.
 */
function flushGroup(
  state: ParseState,
  group: Definition[],
  simple: boolean,
  start: number,
  line: number,
  end: number
): boolean {
  if (simple) {
    if (state.chunk) flushChunk(state, state.chunk.end)
    for (const definition of group) state.definitions.push(definition)
    return false
  }

  if (!state.chunk) state.chunk = {start, line, end}
  state.chunk.end = end
  return mayOpenSpanningBlock(state.text.slice(start, end))
}

/**
 * Parse the queued groups and the rest of the text with micromark.
 *
 * @param state
 *   State (with a chunk).
 * @returns
 *   Result.
 */
function finish(state: ParseState): {definitions: Definition[]; other: Range[]} {
  flushChunk(state, state.text.length)
  return {definitions: state.definitions, other: state.other}
}

/**
 * Parse queued groups with micromark.
 *
 * @param state
 *   State.
 * @param end
 *   End offset of the chunk.
 * @returns
 *   Nothing.
 */
function flushChunk(state: ParseState, end: number): undefined {
  const chunk = state.chunk
  if (!chunk) return
  state.chunk = undefined
  const tree = parseMarkdown(state.text.slice(chunk.start, end))

  for (const node of tree.children) {
    const position = node.position
    if (!position) continue
    const start = position.start.offset! + chunk.start
    const stop = position.end.offset! + chunk.start

    if (node.type === 'definition') {
      state.definitions.push({
        label: node.label ?? '',
        identifier: node.identifier,
        url: node.url,
        title: node.title ?? null,
        start,
        end: stop,
        line: position.start.line + chunk.line - 1,
        column: position.start.column
      })
    } else {
      state.other.push({start, end: stop})
    }
  }
}

/**
 * Whether a line is blank (only spaces and tabs).
 *
 * @param text
 *   Text.
 * @param start
 *   Line start.
 * @param end
 *   Line end.
 * @returns
 *   Whether it is blank.
 */
function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index)
    if (code !== 32 && code !== 9) return false
  }

  return true
}

/**
 * Parse one line as a one-line definition: `[label]: dest`,
 * `[label]: <dest>`, optionally followed by `"title"`, `'title'` or
 * `(title)`.
 *
 * Anything unusual (a tab, a control character, a destination or title on
 * the next line, a footnote `[^1]:`, unbalanced parentheses) gives
 * `undefined`, so that micromark decides.
 * This function is long because it is one hand-written scanner.
 *
 * @param text
 *   Text.
 * @param lineStart
 *   Line start.
 * @param lineEnd
 *   Line end (before the line ending).
 * @param line
 *   Line number.
 * @returns
 *   Definition, or `undefined`.
 */
function parseLine(
  text: string,
  lineStart: number,
  lineEnd: number,
  line: number
): Definition | undefined {
  let index = definitionStart(text, lineStart, lineEnd)
  if (index === -1) return undefined
  const start = index
  const labelStart = ++index
  let decode = false
  let blank = true

  // Label: `c~tokio~docs`, `a\]b`.
  while (true) {
    if (index >= lineEnd) return undefined
    const code = text.charCodeAt(index)
    if (code === 93 /* `]` */) break
    if (code === 91 /* `[` */ || code < 32 || code === 127) return undefined
    if (code === 92 /* `\` */ && index + 1 < lineEnd && isPunctuation(text.charCodeAt(index + 1))) {
      decode = true
      blank = false
      index += 2
      continue
    }

    if (code === 38 /* `&` */) decode = true
    if (code !== 32) blank = false
    index++
  }

  const labelEnd = index
  // Footnote definitions (`[^1]: …`) and long labels are for micromark.
  if (blank || labelEnd - labelStart > 999 || text.charCodeAt(labelStart) === 94) return undefined
  index++
  if (text.charCodeAt(index) !== 58 /* `:` */ || index >= lineEnd) return undefined
  index++
  while (index < lineEnd && text.charCodeAt(index) === 32) index++
  if (index >= lineEnd) return undefined

  // Destination: `<a b>` or `https://x.y/(z)`.
  let destinationStart: number
  let destinationEnd: number

  if (text.charCodeAt(index) === 60 /* `<` */) {
    destinationStart = ++index
    const found = closing(text, index, lineEnd, 62 /* `>` */, 60 /* `<` */)
    if (!found) return undefined
    decode ||= found.decode
    destinationEnd = found.end
    index = found.end + 1
  } else {
    destinationStart = index
    let depth = 0
    while (index < lineEnd) {
      const code = text.charCodeAt(index)
      if (code === 32) break
      if (code < 32 || code === 127) return undefined
      if (code === 92 && index + 1 < lineEnd && isPunctuation(text.charCodeAt(index + 1))) {
        decode = true
        index += 2
        continue
      }

      if (code === 38) decode = true
      if (code === 40 /* `(` */) depth++
      if (code === 41 /* `)` */) {
        if (depth === 0) return undefined
        depth--
      }

      index++
    }

    if (depth !== 0) return undefined
    destinationEnd = index
  }

  const afterDestination = index
  while (index < lineEnd && text.charCodeAt(index) === 32) index++
  let titleStart = -1
  let titleEnd = -1

  // Title: `"a"`, `'a'`, `(a)`, separated from the destination by spaces.
  if (index < lineEnd) {
    if (index === afterDestination) return undefined
    const open = text.charCodeAt(index)
    const close = open === 34 ? 34 : open === 39 ? 39 : open === 40 ? 41 : -1
    if (close === -1) return undefined
    titleStart = ++index
    // `(` cannot open again inside `(…)`.
    const found = closing(text, index, lineEnd, close, open === 40 ? 40 : -1)
    if (!found) return undefined
    decode ||= found.decode
    titleEnd = found.end
    index = found.end + 1
    while (index < lineEnd && text.charCodeAt(index) === 32) index++
    if (index < lineEnd) return undefined
  }

  const rawLabel = text.slice(labelStart, labelEnd)
  const url = text.slice(destinationStart, destinationEnd)
  // An empty title (`""`) is no title in mdast.
  const title = titleEnd > titleStart ? text.slice(titleStart, titleEnd) : null

  return {
    label: decode ? decodeString(rawLabel) : rawLabel,
    identifier: normalizeLabel(rawLabel),
    url: decode ? decodeString(url) : url,
    title: title !== null && decode ? decodeString(title) : title,
    start,
    end: lineEnd,
    line,
    column: start - lineStart + 1
  }
}

/**
 * Find where an enclosed part of a definition line (`<…>` destination,
 * `"…"`, `'…'` or `(…)` title) closes: a backslash before punctuation
 * escapes it, and an escape or `&` means the part needs decoding.
 *
 * @param text
 *   Text.
 * @param index
 *   Offset after the opening character.
 * @param lineEnd
 *   End of the line.
 * @param close
 *   Closing character code.
 * @param reject
 *   Character code that ends the attempt (`-1` for none).
 * @returns
 *   Offset of the closing character and whether to decode, or `undefined`
 *   when the line ends first or `reject` comes.
 */
function closing(
  text: string,
  index: number,
  lineEnd: number,
  close: number,
  reject: number
): {end: number; decode: boolean} | undefined {
  let decode = false

  while (index < lineEnd) {
    const code = text.charCodeAt(index)
    if (code === close) return {end: index, decode}
    if (code === reject) return undefined

    if (code === 92 && index + 1 < lineEnd && isPunctuation(text.charCodeAt(index + 1))) {
      decode = true
      index += 2
      continue
    }

    if (code === 38) decode = true
    index++
  }

  return undefined
}

// Block starts: where the fast parser judges a block to begin, kept together
// so that one shared judge can replace them.
