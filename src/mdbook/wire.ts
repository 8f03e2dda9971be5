/**
 * The bytes of the preprocessor protocol: read `[context, book]` from stdin
 * without decoding each chapter's content as one JSON string, and write the
 * book back by splicing only what changed into the bytes as they came.
 *
 * Every chapter carries its includes expanded, and a large book includes the
 * same file of definitions in each: parts of contents shared between
 * chapters are decoded once (see `readInput`).
 */

import {
  allChapters,
  checkInput,
  parseInput,
  ProtocolError,
  serializeBook,
  type Chapter,
  type PreprocessorInput
} from './protocol.js'

/** A change to a chapter's content, for `writeBook`. */
export interface ContentChange {
  /** The chapter (an object of `WireInput.input`). */
  chapter: Chapter
  /** New content. */
  content: string
  /**
   * The change, as edits of the old content (code unit offsets; sorted, not
   * overlapping): only these are encoded, the rest is copied as bytes.
   */
  edits: Array<{start: number; end: number; value: string}>
}

/**
 * The input as mdBook sent it: the parsed request, plus where each chapter's
 * content is in the bytes, so that the book can be written back by splicing.
 */
export interface WireInput {
  /** Context and book; chapter contents are read from the bytes. */
  input: PreprocessorInput
  /** The bytes, or `undefined` when the input was parsed as a whole string. */
  bytes: Buffer | undefined
  /** Byte range of the book in `bytes`. */
  book: Token
  /** Content string token of each chapter, with its length in code units. */
  contents: Map<Chapter, ContentToken>
}

/** A chapter's content in the bytes. */
interface ContentToken extends Token {
  /** Length of the value in code units. */
  length: number
  /** Places where the bytes and code units are known to line up (its parts). */
  marks: Array<{byte: number; unit: number}>
}

/** A JSON value in the input bytes: `start` inclusive, `end` exclusive. */
interface Token {
  start: number
  end: number
}

/**
 * Strings this long (in bytes) are cut out of the text given to `JSON.parse`
 * and decoded apart; so are all chapter contents.
 */
const longString = 1 << 16

/** Earlier contents searched for bytes a content shares (an included file). */
const referenceCount = 8

/**
 * Parse the bytes mdBook writes on stdin.
 *
 * Every chapter carries its includes expanded, and a large book includes the
 * same file of definitions in each (the Rust How-to book: 108 × 800 KB). The
 * text around the chapter contents is parsed with `JSON.parse`; each content
 * is decoded from its bytes, and a long run of bytes a content shares with
 * an earlier one (the same included file) is decoded once and shared.
 * Writing back (`writeBook`) copies the bytes and re-encodes only what
 * changed, so fields we do not know (and numbers JavaScript cannot hold
 * exactly) come back as they were.
 *
 * @param bytes
 *   Whole stdin (valid UTF-8).
 * @returns
 *   Parsed input with byte ranges.
 * @throws {ProtocolError}
 *   When the bytes are not a preprocessor request.
 */
export function readInput(bytes: Buffer): WireInput {
  let wire: WireInput | undefined

  try {
    wire = readBytes(bytes)
  } catch {
    // Not a valid request: the whole-string parse names what and where
    // (invalid JSON first, as `parseInput` does).
  }

  if (wire) return wire

  let text: string

  try {
    text = bytes.toString('utf8')
  } catch {
    throw new ProtocolError(
      'Unexpected invalid JSON on stdin (' +
        bytes.length +
        ' bytes, too long to show where), expected `[context, book]` from mdBook'
    )
  }

  // Throws the error; a request it accepts is read without bytes.
  const input = parseInput(text)
  return {input, bytes: undefined, book: {start: 0, end: 0}, contents: new Map()}
}

/**
 * Write the book back: its bytes as they came, with changed contents spliced
 * in.
 *
 * @param wire
 *   Input, from `readInput`.
 * @param changes
 *   Changed chapter contents.
 * @returns
 *   Chunks of the JSON text of the book.
 */
export function writeBook(wire: WireInput, changes: ContentChange[]): Buffer[] {
  const bytes = wire.bytes
  if (!bytes) {
    for (const change of changes) change.chapter.content = change.content
    return [Buffer.from(serializeBook(wire.input.book))]
  }

  const spliced = changes
    .map((change) => ({change, token: wire.contents.get(change.chapter)}))
    .sort((a, b) => (a.token?.start ?? 0) - (b.token?.start ?? 0))
  const chunks: Buffer[] = []
  let at = wire.book.start

  for (const {change, token} of spliced) {
    if (!token) throw new Error('Cannot write a chapter that is not in the input')
    const cursor = {token, byte: token.start + 1, unit: 0}
    const own: Buffer[] = []
    let last = at

    for (const edit of change.edits) {
      const from = seek(bytes, cursor, edit.start)
      const to = seek(bytes, cursor, edit.end)

      // An edit inside a surrogate pair (a character of 4 bytes) or out of
      // order: write the whole content.
      if (from === -1 || to === -1 || from < last) {
        own.length = 0
        own.push(bytes.subarray(at, token.start), Buffer.from(JSON.stringify(change.content)))
        last = token.end
        break
      }

      own.push(bytes.subarray(last, from), Buffer.from(JSON.stringify(edit.value).slice(1, -1)))
      last = to
    }

    chunks.push(...own)
    at = last
  }

  chunks.push(bytes.subarray(at, wire.book.end))
  return chunks
}

/**
 * Move a cursor over a content token to a code unit offset of its value.
 *
 * @param bytes
 *   Bytes.
 * @param cursor
 *   Cursor (moves forward only).
 * @param units
 *   Offset in code units, at or after the cursor.
 * @returns
 *   Byte offset, or `-1` when `units` is inside a character of 4 bytes.
 */
function seek(bytes: Buffer, cursor: {token: ContentToken; byte: number; unit: number}, units: number): number {
  // Jump to the last part that starts at or before `units`.
  for (const mark of cursor.token.marks) {
    if (mark.unit > units) break
    if (mark.unit > cursor.unit) {
      cursor.byte = mark.byte
      cursor.unit = mark.unit
    }
  }

  let index = cursor.byte
  let count = cursor.unit

  while (count < units) {
    const code = bytes[index]

    if (code === 0x5c /* `\` */) {
      index += bytes[index + 1] === 0x75 /* `u` */ ? 6 : 2
      count++
    } else if (code < 0x80) {
      index++
      count++
    } else if (code >= 0xf0) {
      index += 4
      count += 2
    } else {
      index += code >= 0xe0 ? 3 : 2
      count++
    }
  }

  cursor.byte = index
  cursor.unit = count
  return count === units ? index : -1
}

/**
 * Parse the bytes, decoding contents apart.
 *
 * @param bytes
 *   Bytes.
 * @returns
 *   Parsed input, or `undefined` when the bytes are not valid JSON.
 * @throws {ProtocolError}
 *   When the JSON is not a preprocessor request.
 * @throws {SyntaxError}
 *   When the bytes are not valid JSON.
 */
function readBytes(bytes: Buffer): WireInput | undefined {
  const scan = scanTokens(bytes)
  if (!scan || scan.book.end === 0) return undefined
  const {cut} = scan

  // The text without long strings and contents: each stands in as a string
  // that no input holds.
  const tag = 'mdbook-xref-' + Math.random().toString(36).slice(2) + '-'
  const pieces: Buffer[] = []
  let at = scan.start

  for (const [index, token] of cut.entries()) {
    pieces.push(bytes.subarray(at, token.start), Buffer.from('"\\u0000' + tag + index + '"'))
    at = token.end
  }

  pieces.push(bytes.subarray(at))
  const input = checkInput(JSON.parse(Buffer.concat(pieces).toString('utf8')))
  const prefix = '\u0000' + tag
  const cutIndex = (value: unknown): number =>
    typeof value === 'string' && value.startsWith(prefix) ? Number(value.slice(prefix.length)) : -1

  // Chapter contents: decoded into parts, read lazily.
  const contentTokens = new Map<number, Chapter>()
  for (const chapter of allChapters(input.book)) {
    const index = cutIndex(chapter.content)
    if (index !== -1) contentTokens.set(index, chapter)
  }

  // Other cut strings: decode in place.
  restore(input)

  const decoder = createDecoder(bytes)
  const contents = new Map<Chapter, ContentToken>()

  for (const [index, chapter] of contentTokens) {
    const token = cut[index]
    const {parts, starts} = decoder(token)
    const marks = [{byte: token.start + 1, unit: 0}]
    let length = 0

    for (const [index, part] of parts.entries()) {
      if (index > 0) marks.push({byte: starts[index], unit: length})
      length += part.length
    }

    contents.set(chapter, {...token, length, marks})
    defineContent(chapter, parts)
  }

  return {input, bytes, book: scan.book, contents}

  function restore(value: unknown): unknown {
    if (typeof value === 'string') {
      const index = cutIndex(value)
      if (index === -1 || contentTokens.has(index)) return value
      const token = cut[index]
      return JSON.parse(bytes.toString('utf8', token.start, token.end)) as string
    }

    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) value[index] = restore(value[index])
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>
      for (const key of Object.keys(record)) record[key] = restore(record[key])
    }

    return value
  }
}

/** Parts of the contents of chapters read from bytes. */
const contentParts = new WeakMap<Chapter, {parts: string[]; get: () => string}>()

/**
 * The content of a chapter as the parts it was decoded in (a part decoded
 * once for many chapters is the same string in each).
 *
 * @param chapter
 *   Chapter.
 * @returns
 *   Parts whose concatenation is `chapter.content`.
 */
export function partsOf(chapter: Chapter): string[] {
  const known = contentParts.get(chapter)
  // Not read from bytes, or given new content since.
  return known && Object.getOwnPropertyDescriptor(chapter, 'content')?.get === known.get
    ? known.parts
    : [chapter.content]
}

/**
 * Give a chapter its content from parts: read joins them (each read makes a
 * new string, so a flat copy made while analysing one chapter does not stay
 * in memory); write replaces them.
 *
 * @param chapter
 *   Chapter.
 * @param parts
 *   Parts (one shared with other chapters).
 * @returns
 *   Nothing.
 */
function defineContent(chapter: Chapter, parts: string[]): undefined {
  const get = function (): string {
    // Concatenation makes a rope; `join` would copy.
    let value = parts[0]
    for (let index = 1; index < parts.length; index++) value += parts[index]
    return value
  }

  contentParts.set(chapter, {parts, get})
  Object.defineProperty(chapter, 'content', {
    configurable: true,
    enumerable: true,
    get,
    set(value: string) {
      Object.defineProperty(chapter, 'content', {configurable: true, enumerable: true, writable: true, value})
    }
  })
}

/**
 * Find the string tokens to cut out of the text: chapter contents (values of
 * `content` keys) and long strings; and the byte range of the book.
 *
 * Outside strings JSON has no `"`: string tokens are found by searching for
 * quotes, skipping those after an odd run of `\`.
 *
 * @param bytes
 *   Bytes.
 * @returns
 *   Tokens, book range and where the text starts (after a BOM); `undefined`
 *   when a string does not end.
 */
function scanTokens(
  bytes: Buffer
): {cut: Token[]; book: Token; start: number} | undefined {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  const cut: Token[] = []
  let depth = 0
  let bookStart = -1
  let bookEnd = -1
  /** 0: nothing; 1: after a `"content"` string; 2: after its `:`. */
  let state = 0
  let at = start

  while (true) {
    const quote = bytes.indexOf(0x22, at)
    const gapEnd = quote === -1 ? bytes.length : quote

    for (let index = at; index < gapEnd; index++) {
      const code = bytes[index]
      if (isWhitespace(code)) continue

      if (code === 0x3a /* `:` */ && state === 1) {
        state = 2
        continue
      }

      state = 0

      if (code === 0x5b || code === 0x7b) depth++
      else if (code === 0x5d || code === 0x7d) {
        depth--
        if (depth === 0 && bookEnd === -1) bookEnd = index
      } else if (code === 0x2c && depth === 1 && bookStart === -1) bookStart = index + 1
    }

    if (quote === -1) break

    let end = quote + 1

    while (true) {
      end = bytes.indexOf(0x22, end)
      if (end === -1) return undefined
      let before = end - 1
      while (bytes[before] === 0x5c) before--
      if ((end - before) % 2 === 1) break
      end++
    }

    end++
    const token = {start: quote, end}
    const isContent = state === 2

    state =
      end - quote === 9 && bytes.toString('latin1', quote, end) === '"content"' ? 1 : 0

    if (isContent || end - quote > longString) cut.push(token)
    at = end
  }

  if (bookStart === -1 || bookEnd === -1 || bookEnd <= bookStart) return {cut, book: {start: 0, end: 0}, start}
  return {cut, book: trim(bytes, {start: bookStart, end: bookEnd}), start}
}

/**
 * Trim JSON whitespace off a range.
 *
 * @param bytes
 *   Bytes.
 * @param range
 *   Range.
 * @returns
 *   Trimmed range.
 */
function trim(bytes: Buffer, range: Token): Token {
  let {start, end} = range
  while (start < end && isWhitespace(bytes[start])) start++
  while (end > start && isWhitespace(bytes[end - 1])) end--
  return {start, end}
}

/**
 * @param code
 *   Byte.
 * @returns
 *   Whether it is JSON whitespace.
 */
function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09
}

/** A run of bytes found in more than one content, decoded once. */
interface SharedBlock {
  /** Where the bytes are (in the first content that has them). */
  start: number
  end: number
  /** First bytes, to find the block in other contents. */
  probe: Buffer
  /** Decoded text. */
  text: string
}

/** Bytes searched for to find where a content shares bytes with another. */
const probeSize = 64

/**
 * Make a decoder of content tokens that decodes the long runs of bytes they
 * have in common (an included file of definitions) once.
 *
 * A run is found by looking up a few samples of a content in the contents
 * decoded before and growing the match both ways; it is cut to start and end
 * right after an escaped line ending (`\n`), so that the parts around it
 * decode apart.
 *
 * @param bytes
 *   Bytes.
 * @returns
 *   Decode a token to parts whose concatenation is its value.
 */
function createDecoder(bytes: Buffer): (token: Token) => {parts: string[]; starts: number[]} {
  const blocks: SharedBlock[] = []
  /** Long tokens without a known block, most recent first. */
  const references: Token[] = []

  return function (token) {
    if (token.end - token.start <= longString) return whole(token)

    for (const block of blocks) {
      const at = findBlock(block, token)
      if (at !== -1) return around(token, at, block)
    }

    for (const reference of references) {
      const block = findShared(token, reference)

      if (block) {
        blocks.push(block)
        return around(token, block.start, block)
      }
    }

    references.unshift(token)
    if (references.length > referenceCount) references.pop()
    return whole(token)
  }

  /**
   * Decode a token as one part.
   */
  function whole(token: Token): {parts: string[]; starts: number[]} {
    return {parts: [decode(token.start, token.end)], starts: [token.start + 1]}
  }

  /**
   * Decode a token as its head, a block and its tail.
   */
  function around(token: Token, at: number, block: SharedBlock): {parts: string[]; starts: number[]} {
    const after = at + block.end - block.start
    return {
      parts: [decode(token.start, at, '"'), block.text, decode(after, token.end, '', '"')],
      starts: [token.start + 1, at, after]
    }
  }

  /**
   * Decode bytes as a JSON string, adding quotes where the range has none.
   */
  function decode(start: number, end: number, after = '', before = ''): string {
    return JSON.parse(before + bytes.toString('utf8', start, end) + after) as string
  }

  /**
   * Find a known block in a token.
   */
  function findBlock(block: SharedBlock, token: Token): number {
    const size = block.end - block.start
    const range = bytes.subarray(token.start, token.end)
    let at = token.start

    while (true) {
      const found = range.indexOf(block.probe, at - token.start)
      if (found === -1) return -1
      at = token.start + found
      // The block must end before the closing quote.
      if (at + size >= token.end) return -1

      if (
        canSplit(at, token.start) &&
        bytes.compare(bytes, block.start, block.end, at, at + size) === 0
      ) {
        return at
      }

      at++
    }
  }

  /**
   * Find a long run of bytes a token shares with an earlier one.
   */
  function findShared(token: Token, reference: Token): SharedBlock | undefined {
    const length = token.end - token.start

    const range = bytes.subarray(reference.start, reference.end)

    for (const fraction of [0.5, 0.25, 0.75]) {
      const sample = token.start + Math.floor(length * fraction)
      const probe = bytes.subarray(sample, sample + probeSize)
      let found = reference.start

      for (let tries = 0; tries < 4; tries++) {
        const index = range.indexOf(probe, found - reference.start)
        if (index === -1) break
        found = reference.start + index
        const back = commonRun(sample, found, sample - token.start - 1, found - reference.start - 1, -1)
        const ahead = commonRun(sample, found, token.end - sample - 1, reference.end - found - 1, 1)
        // Start at the start of the value or after the first escaped line
        // ending, end after the last.
        const start =
          sample - back === token.start + 1 ? token.start + 1 : splitAfter(sample - back, sample + ahead, token.start)
        const end = splitBefore(sample - back, sample + ahead, token.start)

        if (start !== -1 && end - start >= longString) {
          return {
            start,
            end,
            probe: bytes.subarray(start, start + probeSize),
            text: decode(start, end, '"', '"')
          }
        }

        found++
      }
    }

    return undefined
  }

  /**
   * Count equal bytes from two places, going one way, up to a limit.
   */
  function commonRun(a: number, b: number, limitA: number, limitB: number, step: 1 | -1): number {
    const max = Math.min(limitA, limitB)
    let done = 0
    let chunk = 4096

    while (done < max) {
      const size = Math.min(chunk, max - done)

      if (!same(done, size)) {
        let low = done
        let high = done + size
        while (high - low > 1) {
          const middle = (low + high) >>> 1
          if (same(done, middle - done)) low = middle
          else high = middle
        }

        return low
      }

      done += size
      chunk = Math.min(chunk * 2, longString)
    }

    return done

    function same(skip: number, size: number): boolean {
      return step === 1
        ? bytes.compare(bytes, b + skip, b + skip + size, a + skip, a + skip + size) === 0
        : bytes.compare(bytes, b - skip - size, b - skip, a - skip - size, a - skip) === 0
    }
  }

  /**
   * Whether a token can be cut at `at`: right after an escaped line ending.
   */
  function canSplit(at: number, start: number): boolean {
    // A `\` after anything but `\` starts an escape.
    return (
      at === start + 1 ||
      (at - 3 > start && bytes[at - 2] === 0x5c && bytes[at - 1] === 0x6e && bytes[at - 3] !== 0x5c)
    )
  }

  /**
   * First place in a range to cut at, or `-1`.
   */
  function splitAfter(from: number, to: number, start: number): number {
    let index = Math.max(from, start + 1)

    while (true) {
      index = bytes.indexOf('\\n', index, 'latin1')
      if (index === -1 || index + 2 > to) return -1
      if (index - 1 >= from && canSplit(index + 2, start)) return index + 2
      index++
    }
  }

  /**
   * Last place in a range to cut at (after `from`), or `-1`.
   */
  function splitBefore(from: number, to: number, start: number): number {
    let index = to - 2

    while (index > from) {
      index = bytes.lastIndexOf('\\n', index, 'latin1')
      if (index === -1 || index - 1 < from) return -1
      if (canSplit(index + 2, start)) return index + 2
      index--
    }

    return -1
  }
}

