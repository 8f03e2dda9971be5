/**
 * A scanner of TOML text: where each table header, key and value of a
 * `book.toml` is written, so that it can be edited as text (comments, order
 * and formatting of everything else kept byte for byte). It only finds
 * places in text that smol-toml has already parsed as valid: it does not
 * validate.
 */

/** One segment of a (dotted) TOML key, as written. */
interface KeySegment {
  /** Key, unquoted. */
  value: string
  /** Offset of its first character (a quote for quoted keys). */
  start: number
  /** Offset after it. */
  end: number
}

/** A `key = value` line (or lines, for multi-line values). */
export interface Entry {
  /** Key segments (`see_instead."unit type"` has two). */
  key: KeySegment[]
  /** Start of its line. */
  start: number
  /** Offset of the value. */
  valueStart: number
  /** Offset after the value. */
  valueEnd: number
  /** Offset after the line ending of its last line (or the end of the text). */
  end: number
}

/** A table: its header and the entries under it. */
export interface Section {
  /** Key of the header (`[]` for the root table). */
  key: KeySegment[]
  /** Whether it is an array of tables (`[[…]]`). */
  array: boolean
  /** Start of the header line (`0` for the root table). */
  start: number
  /** Offset after the header line (`0` for the root table). */
  headerEnd: number
  /** Entries, in order. */
  entries: Entry[]
}

/** A text edit. */
export interface Edit {
  /** Start offset. */
  start: number
  /** End offset (`start` for an insertion). */
  end: number
  /** Replacement. */
  value: string
}

/**
 * Apply edits (insertions at one offset keep their order).
 *
 * @param text
 *   Text.
 * @param edits
 *   Non-overlapping edits.
 * @returns
 *   New text.
 */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = edits
    .map((edit, index) => ({edit, index}))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
  let result = ''
  let position = 0

  for (const {edit} of sorted) {
    result += text.slice(position, edit.start) + edit.value
    position = Math.max(position, edit.end)
  }

  return result + text.slice(position)
}

/**
 * Values of key segments.
 *
 * @param key
 *   Segments.
 * @returns
 *   Values.
 */
export function names(key: KeySegment[]): string[] {
  return key.map((d) => d.value)
}

/**
 * A table header for messages: `[preprocessor.indexing.see_instead]`.
 *
 * @param key
 *   Key values.
 * @returns
 *   Header.
 */
export function header(key: string[]): string {
  return '[' + key.map((d) => bareKey(d)).join('.') + ']'
}

/**
 * A key as TOML writes it: bare when it can be, else quoted.
 *
 * @param value
 *   Key.
 * @returns
 *   TOML key.
 */
export function bareKey(value: string): string {
  return /^[A-Za-z\d_-]+$/.test(value) ? value : JSON.stringify(value)
}

/**
 * Find where each table header and key of a (valid) TOML text is written.
 *
 * Handles comments, quoted and dotted keys, `[[array tables]]`, multi-line
 * strings and arrays, and inline tables; the text must be valid TOML (the
 * caller parsed it first).
 *
 * @param text
 *   TOML.
 * @returns
 *   Sections in order, the root table first.
 */
export function scanToml(text: string): Section[] {
  const sections: Section[] = [{key: [], array: false, start: 0, headerEnd: 0, entries: []}]
  let position = 0

  while (position < text.length) {
    const lineStart = position
    position = skipSpace(text, position)
    const code = text.charCodeAt(position)

    if (position >= text.length) break

    // Blank line or comment.
    if (code === 10 || code === 13 || code === 35 /* `#` */) {
      position = afterLine(text, position)
      continue
    }

    if (code === 91 /* `[` */) {
      const array = text.charCodeAt(position + 1) === 91
      const key = scanKey(text, position + (array ? 2 : 1))
      position = afterLine(text, key.end)
      sections.push({key: key.segments, array, start: lineStart, headerEnd: position, entries: []})
      continue
    }

    const key = scanKey(text, position)
    // `key = value`: `scanKey` stops at `=`.
    const valueStart = skipSpace(text, key.end + 1)
    const valueEnd = skipValue(text, valueStart)
    position = afterLine(text, valueEnd)
    sections[sections.length - 1].entries.push({key: key.segments, start: lineStart, valueStart, valueEnd, end: position})
  }

  return sections
}

/**
 * Where a key is written: the deepest key or table header on the way to
 * `path` (`see-also = {Enum = […]}` is found at `see-also` for
 * `preprocessor.xref.see-also.Enum`), and, given `value`, that string in its
 * value (`["Enums"]`), so that a finding about configuration points at it.
 *
 * @param text
 *   TOML (valid).
 * @param path
 *   Key segments, each with the spellings it may have (`see-also`, `see_also`).
 * @param value
 *   String value to find in the entry (optional).
 * @returns
 *   Offset and how many segments of `path` were found, or `undefined`.
 */
export function findKeyPlace(
  text: string,
  path: ReadonlyArray<ReadonlyArray<string>>,
  value?: string | undefined
): {offset: number; depth: number} | undefined {
  /** Whether written segments are a prefix of `path`. */
  const matches = (key: string[]) => key.length <= path.length && key.every((d, index) => path[index].includes(d))
  let best: {offset: number; depth: number; entry?: Entry} | undefined

  for (const section of scanToml(text)) {
    const head = names(section.key)
    if (section.array || !matches(head)) continue
    if (head.length > 0 && (!best || head.length > best.depth)) {
      best = {offset: skipSpace(text, section.start), depth: head.length}
    }

    for (const entry of section.entries) {
      const key = [...head, ...names(entry.key)]
      if (matches(key) && (!best || key.length > best.depth)) {
        best = {offset: entry.key[0].start, depth: key.length, entry}
      }
    }
  }

  if (!best) return undefined

  if (value !== undefined && best.entry) {
    const written = text.slice(best.entry.valueStart, best.entry.valueEnd)
    // `"Enums"` or `'Enums'`; a string with escapes is found at its key.
    for (const quoted of [JSON.stringify(value), "'" + value + "'"]) {
      const index = written.indexOf(quoted)
      if (index !== -1) return {offset: best.entry.valueStart + index, depth: best.depth}
    }
  }

  return {offset: best.offset, depth: best.depth}
}

/**
 * Scan a (dotted) key: `a`, `"a b".c`, `'x'`.
 *
 * @param text
 *   TOML.
 * @param start
 *   Offset of the key (or whitespace before it).
 * @returns
 *   Segments and the offset after the key and the whitespace after it.
 */
function scanKey(text: string, start: number): {segments: KeySegment[]; end: number} {
  const segments: KeySegment[] = []
  let position = start

  while (position < text.length) {
    position = skipSpace(text, position)
    const code = text.charCodeAt(position)
    const segmentStart = position

    if (code === 34 /* `"` */ || code === 39 /* `'` */) {
      position = skipValue(text, position)
      const raw = text.slice(segmentStart, position)
      segments.push({value: code === 34 ? unescapeBasic(raw.slice(1, -1)) : raw.slice(1, -1), start: segmentStart, end: position})
    } else {
      while (position < text.length && !/[\s.=\]#"']/.test(text.charAt(position))) position++
      segments.push({value: text.slice(segmentStart, position), start: segmentStart, end: position})
    }

    position = skipSpace(text, position)
    if (text.charCodeAt(position) !== 46 /* `.` */) break
    position++
  }

  return {segments, end: position}
}

/**
 * Skip a value: a string of any kind, an array, an inline table, or a
 * scalar (`true`, `1_000`, `1979-05-27 07:32:00`).
 *
 * @param text
 *   TOML.
 * @param start
 *   Offset of the value.
 * @returns
 *   Offset after it.
 */
function skipValue(text: string, start: number): number {
  let position = start

  if (text.startsWith('"""', position) || text.startsWith("'''", position)) {
    const quote = text.charAt(position)
    position += 3

    while (position < text.length) {
      if (quote === '"' && text.charCodeAt(position) === 92 /* `\` */) {
        position += 2
      } else if (text.startsWith(quote.repeat(3), position)) {
        position += 3
        // Up to two quotes may end the content: `"""a"""""`.
        for (let count = 0; count < 2 && text.charAt(position) === quote; count++) position++
        return position
      } else {
        position++
      }
    }

    return position
  }

  const code = text.charCodeAt(position)

  if (code === 34 /* `"` */) {
    position++
    while (position < text.length && text.charCodeAt(position) !== 34) {
      position += text.charCodeAt(position) === 92 ? 2 : 1
    }

    return position + 1
  }

  if (code === 39 /* `'` */) return text.indexOf("'", position + 1) + 1

  if (code === 91 /* `[` */ || code === 123 /* `{` */) {
    position++

    while (position < text.length) {
      position = skipBlank(text, position)
      const inner = text.charCodeAt(position)
      if (inner === 93 /* `]` */ || inner === 125 /* `}` */) return position + 1
      // Separators in arrays and inline tables: `,` and `=` (keys are
      // skipped as values: `{a = 1, "b" = 2}`).
      if (inner === 44 || inner === 61) {
        position++
        continue
      }

      position = skipValue(text, position)
    }

    return position
  }

  while (position < text.length && !/[,\]}#=\r\n]/.test(text.charAt(position))) position++
  // `1979-05-27 07:32:00 # comment`: the space before the comment is no value.
  while (position > start && /[ \t]/.test(text.charAt(position - 1))) position--
  return position
}

/**
 * Elements of an array value, and its trailing comma, if any.
 *
 * @param text
 *   TOML.
 * @param start
 *   Offset of `[`.
 * @returns
 *   Element ranges and the offset of a comma after the last one.
 */
export function scanArray(text: string, start: number): {elements: Array<{start: number; end: number}>; comma: number | undefined} {
  const elements: Array<{start: number; end: number}> = []
  let comma: number | undefined
  let position = start + 1

  while (position < text.length) {
    position = skipBlank(text, position)
    const code = text.charCodeAt(position)
    if (code === 93 /* `]` */) break

    if (code === 44 /* `,` */) {
      comma = position
      position++
      continue
    }

    const end = skipValue(text, position)
    elements.push({start: position, end})
    comma = undefined
    position = end
  }

  return {elements, comma}
}

/**
 * Skip spaces and tabs.
 *
 * @param text
 *   Text.
 * @param position
 *   Offset.
 * @returns
 *   Offset of the next other character.
 */
function skipSpace(text: string, position: number): number {
  while (text.charCodeAt(position) === 32 || text.charCodeAt(position) === 9) position++
  return position
}

/**
 * Skip whitespace, line endings and comments (inside arrays and inline
 * tables).
 *
 * @param text
 *   Text.
 * @param position
 *   Offset.
 * @returns
 *   Offset of the next other character.
 */
function skipBlank(text: string, position: number): number {
  while (position < text.length) {
    const code = text.charCodeAt(position)
    if (code === 32 || code === 9 || code === 10 || code === 13) position++
    else if (code === 35) position = afterLine(text, position)
    else break
  }

  return position
}

/**
 * Offset after the line ending of the line at an offset.
 *
 * @param text
 *   Text.
 * @param position
 *   Offset.
 * @returns
 *   Start of the next line (or the end of the text).
 */
export function afterLine(text: string, position: number): number {
  const index = text.indexOf('\n', position)
  return index === -1 ? text.length : index + 1
}

/**
 * Unescape the content of a basic string key (`"a\tb"`, `"\u00e9"`).
 *
 * @param value
 *   Content between the quotes.
 * @returns
 *   Value.
 */
function unescapeBasic(value: string): string {
  const simple: Record<string, string> = {b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001B', '"': '"', '\\': '\\'}
  return value.replace(/\\(u[\dA-Fa-f]{4}|U[\dA-Fa-f]{8}|.)/g, (_, code: string) =>
    code.length > 1 ? String.fromCodePoint(Number.parseInt(code.slice(1), 16)) : simple[code] ?? code
  )
}
