/**
 * The cheap scan: split a chapter into top-level units that can be parsed
 * on their own, and recognise the blocks of link-reference definitions that
 * every chapter of a large book repeats.
 *
 * Why: mdBook sends each chapter with its includes expanded. In a book like
 * *The Rust How-to Book* that is ~800 KB of definitions in every one of 108
 * chapters, and micromark parses ~0.3–0.8 MB/s. Parsing whole chapters would
 * cost minutes; parsing only the few units that can hold a marker or a
 * broken reference costs well under a second.
 *
 * A unit boundary is the start of a line that follows a blank line, begins
 * at column 0 with a non-blank character, and is not inside a top-level
 * fenced code block or HTML block of kinds 1–5 (the only blocks that run on
 * across a blank line at the top level). At such a line CommonMark has
 * closed every container and leaf, so parsing each unit alone gives the same
 * tree as parsing the chapter, except for link references, which resolve
 * against definitions anywhere in the document: the caller appends the
 * definitions a unit uses (see `analyse-chapter.ts`).
 *
 * To know whether a fence or HTML block is at the top level, a small
 * CommonMark block tracker follows block quotes and list items line by line.
 */

import {
  atxHeading,
  closesFence,
  fenceStart,
  footnoteStart,
  htmlEnds,
  htmlStart,
  interrupts,
  isBlank,
  listItem,
  setextUnderline,
  thematicBreak,
  whitespace
} from '../markdown/block-start.js'

/** A unit: `[start, end)` in the chapter, ending after its last line's EOL. */
export interface Unit {
  start: number
  end: number
  /**
   * Whether a line of it may be a heading (`false`: none is); unknown when
   * absent (see `mayHoldHeading`).
   */
  heading?: boolean
}

/** Result of splitting a chapter. */
export interface Split {
  /** Units in order; together with blank lines between them they cover the chapter. */
  units: Unit[]
}

type Container =
  | {kind: 'quote'}
  /** `blankStart`: the item began with an empty line and has no content yet. */
  | {kind: 'item'; indent: number; blankStart: boolean}

type Leaf =
  | {kind: 'none'}
  | {kind: 'para'; definitions: boolean}
  | {kind: 'fence'; char: number; size: number; indent: number}
  | {kind: 'html'; type: number}
  | {kind: 'code'}

const none: Leaf = {kind: 'none'}

/**
 * A line that may be an ATX heading or a setext underline, after container
 * markers: `# a`, `> - ## a`, `[^1]: # a`, `===`, `  ---`. Over-approximates
 * (`---` is mostly a thematic break); the parse decides.
 */
const headingLine = /^(?:[ \t>*+\-\d.)]|\[\^[^\]\r\n]*\]:)*(?:#{1,6}(?:[ \t]|$)|(?:=+|-+)[ \t]*$)/

/** A list marker, perhaps after block quote markers: `*`, `> 2.`, `- a`. */
const nestedListStart = /^(?:>[ \t]?)*[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/

/**
 * Split a chapter into independently parseable units.
 *
 * @param value
 *   Chapter content.
 * @param skip
 *   Optional check run at each unit start: return the end of a known unit
 *   that starts there (a cached definitions block) to jump over it without
 *   tracking its lines, else `undefined`; with whether it may hold a heading
 *   (`mayHoldHeading`, known once per cached block) when the caller has it.
 * @returns
 *   Units.
 */
export function splitUnits(
  value: string,
  skip?: (start: number) => number | {end: number; heading: boolean} | undefined
): Split {
  const units: Unit[] = []
  const stack: Container[] = []
  let leaf: Leaf = none
  /** Depth (number of containers) the open leaf belongs to. */
  let leafDepth = 0
  let unitStart = -1
  let unitEnd = -1
  /** Whether a line of the current unit may be a heading. */
  let heading = false
  let previousBlank = true
  /** Whether a line of this unit may have started raw HTML (see below). */
  let html = false
  /** Kind (1–5) of an HTML block that may still be open, else 0. */
  let rawHtml = 0
  let position = 0

  while (position < value.length) {
    let lineEnd = value.indexOf('\n', position)
    const next = lineEnd === -1 ? value.length : lineEnd + 1
    if (lineEnd === -1) lineEnd = value.length
    let contentEnd = lineEnd
    if (contentEnd > position && value.charCodeAt(contentEnd - 1) === 13) contentEnd--
    const line = value.slice(position, contentEnd)
    const blank = isBlank(line)

    // A boundary: every container and leaf is closed here.
    const first = line.charCodeAt(0)
    const atTop =
      !blank &&
      rawHtml === 0 &&
      first !== 32 &&
      first !== 9 &&
      (previousBlank
        ? // After top-level indented code and blank lines, micromark still
          // counts the next line as interrupting (`2) x` stays text there):
          // do not split after such code either.
          // An open HTML block of kinds 1–5 at any depth: micromark may
          // have it at the top level (lazy lines), so never split in one.
          !(leafDepth === 0 && (leaf.kind === 'fence' || leaf.kind === 'code')) &&
          !(leaf.kind === 'html' && leaf.type <= 5)
        : // Raw HTML makes micromark's lazy lines subtle: `</pre>` may be
          // text on one line and start an HTML block that swallows the
          // next; only split lists where no line of the unit starts one.
          !html && startsTopItem(line, leaf, leafDepth))

    if (previousBlank) html = false
    if (!html && /^[ \t>*+\-\d.)]*</.test(line)) html = true

    // An HTML block of kinds 1–5 (`<!--`, `<pre>`…) runs across blank lines.
    // Where it sits (a lazy line in a quote or item) is subtle in micromark:
    // wherever one starts, take no boundary until its end.
    if (rawHtml !== 0) {
      if (htmlEnds(line, rawHtml)) rawHtml = 0
    } else if (html) {
      const opener = /^[ \t>*+\-\d.)]*(<.*)$/.exec(line)
      const type = opener ? htmlStart(opener[1], false) : 0
      if (type > 0 && type <= 5 && !htmlEnds(opener![1].slice(1), type)) rawHtml = type
    }

    if (atTop) {
      if (unitStart !== -1) units.push({start: unitStart, end: unitEnd, heading})
      heading = false
      stack.length = 0
      leaf = none
      leafDepth = 0
      unitStart = position

      const skipped = skip ? skip(position) : undefined

      if (skipped !== undefined) {
        const end = typeof skipped === 'number' ? skipped : skipped.end
        const mayHold = typeof skipped === 'number' ? mayHoldHeading(value.slice(position, end)) : skipped.heading
        units.push({start: position, end, heading: mayHold})
        unitStart = -1
        position = end
        previousBlank = true
        continue
      }
    }

    if (unitStart === -1 && !blank) unitStart = position
    if (!blank) unitEnd = next
    const state = {leaf, leafDepth}
    trackLine(line, stack, state)
    leaf = state.leaf
    leafDepth = state.leafDepth
    // Lines of fenced or indented code and HTML blocks are never headings.
    if (!heading && !blank && leaf.kind !== 'fence' && leaf.kind !== 'code' && leaf.kind !== 'html') {
      heading = headingLine.test(line)
    }

    previousBlank = blank
    position = next
  }

  if (unitStart !== -1) units.push({start: unitStart, end: Math.max(unitEnd, unitStart), heading})
  // A unit whose every line was blank after a skip has `end < start`: drop it.
  return {units: units.filter((d) => d.end > d.start)}
}

/**
 * Whether a text may hold a heading, without tracking blocks: any line that
 * looks like one, in code or not.
 *
 * @param text
 *   Text (a unit).
 * @returns
 *   Whether a line may be a heading.
 */
export function mayHoldHeading(text: string): boolean {
  let position = 0

  while (position < text.length) {
    let end = text.indexOf('\n', position)
    if (end === -1) end = text.length
    let contentEnd = end
    if (contentEnd > position && text.charCodeAt(contentEnd - 1) === 13) contentEnd--
    if (headingLine.test(text.slice(position, contentEnd))) return true
    position = end + 1
  }

  return false
}

/**
 * Parts of a chapter joined into one document that parses as the parts do
 * in the chapter: each starts where CommonMark has closed every block, so
 * blank lines between them keep them apart.
 *
 * @param value
 *   Chapter content.
 * @param units
 *   Parts, in order.
 * @param prefix
 *   Text to put first (such as stand-in definitions; default: none).
 * @returns
 *   The document, and the start of each part in it.
 */
export function joinUnits(value: string, units: ReadonlyArray<Unit>, prefix = ''): {source: string; starts: number[]} {
  let source = prefix
  const starts: number[] = []

  for (const unit of units) {
    const text = value.slice(unit.start, unit.end)
    // An indented unit (`    {{hi:x}}`: code after definitions) would go on
    // with a list item of the unit before it (`- a`, blank line): a comment
    // at column 0 closes every block first.
    if (source !== '' && (text.charCodeAt(0) === 32 || text.charCodeAt(0) === 9)) source += '<!-- -->\n\n'
    starts.push(source.length)
    source += text + (text.endsWith('\n') ? '\n' : '\n\n')
  }

  return {source, starts}
}

/**
 * Follow one line through the CommonMark block structure.
 *
 * Only what decides whether a fenced code block or HTML block is open at the
 * top level is tracked: containers (block quotes, list items) and the open
 * leaf's kind.
 *
 * @param line
 *   Line without its EOL.
 * @param stack
 *   Open containers (changed in place).
 * @param state
 *   Open leaf and its depth (changed in place).
 * @returns
 *   Nothing.
 */
function trackLine(
  line: string,
  stack: Container[],
  state: {leaf: Leaf; leafDepth: number}
): undefined {
  let index = 0
  let column = 0
  let matched = 0
  const blankLine = isBlank(line)

  // 1. Continue open containers.
  for (const container of stack) {
    const ws = whitespace(line, index, column)

    if (container.kind === 'quote') {
      if (ws.columns <= 3 && line.charCodeAt(ws.index) === 62 /* `>` */) {
        index = ws.index + 1
        column = ws.column + 1
        // One optional space after `>` belongs to the marker.
        const code = line.charCodeAt(index)
        if (code === 32) {
          index++
          column++
        } else if (code === 9) {
          // Part of a tab: count it as one column consumed; rest stays.
          column++
        }

        matched++
        continue
      }

      break
    }

    if (blankLine) {
      // An item may begin with at most one blank line (`-` then a blank).
      if (container.blankStart) break
      matched++
      continue
    }

    if (ws.columns >= container.indent) {
      container.blankStart = false
      const moved = advance(line, index, column, container.indent)
      index = moved.index
      column = moved.column
      matched++
      continue
    }

    break
  }

  const rest = line.slice(index)
  const restBlank = isBlank(rest)
  const leaf = state.leaf

  if (matched < stack.length) {
    // micromark starts an HTML block on a lazy line *inside* the unmatched
    // containers (`- a` then `</pre>`: the `html` is in the item); the next
    // line that does not match them closes both.
    if (leaf.kind === 'para' && state.leafDepth > matched && !restBlank) {
      const ws = whitespace(line, index, column)
      // Only kind 7 (which may not interrupt a paragraph); kinds 1–6 close
      // the containers like any interrupting block.
      const type = ws.columns < 4 ? htmlStart(line.slice(ws.index), false) : 0

      if (type === 7) {
        state.leaf = {kind: 'html', type}
        return
      }
    }

    // Lazy continuation of a paragraph.
    if (
      leaf.kind === 'para' &&
      state.leafDepth > matched &&
      !restBlank &&
      !interrupts(rest, true, true)
    ) {
      return
    }

    stack.length = matched
    if (state.leafDepth > matched) {
      state.leaf = none
      state.leafDepth = matched
    }
  }

  // 2. Inside a fence or HTML block of this depth: only its end matters.
  if (state.leaf.kind === 'fence' && state.leafDepth === stack.length) {
    const ws = whitespace(line, index, column)
    if (ws.columns <= 3 && closesFence(line.slice(ws.index), state.leaf)) {
      state.leaf = none
    }

    return
  }

  if (state.leaf.kind === 'html' && state.leafDepth === stack.length) {
    const type = state.leaf.type
    if (type >= 6) {
      if (restBlank) state.leaf = none
    } else if (htmlEnds(rest, type)) {
      state.leaf = none
    }

    return
  }

  // micromark lets a line after indented code start only what may interrupt
  // a paragraph (`-` alone, `2) x` are text there).
  let afterCode = false

  if (state.leaf.kind === 'code' && state.leafDepth === stack.length) {
    const ws = whitespace(line, index, column)
    if (restBlank || ws.columns >= 4) return
    state.leaf = none
    afterCode = true
  }

  // 3. New containers.
  for (;;) {
    const ws = whitespace(line, index, column)
    if (ws.columns >= 4) break
    const code = line.charCodeAt(ws.index)

    if (code === 62 /* `>` */) {
      stack.push({kind: 'quote'})
      state.leaf = none
      state.leafDepth = stack.length
      index = ws.index + 1
      column = ws.column + 1
      const after = line.charCodeAt(index)
      if (after === 32) {
        index++
        column++
      } else if (after === 9) {
        column++
      }

      continue
    }

    // A GFM footnote definition is a container too: its content is indented
    // by 4 columns, and it may interrupt a paragraph.
    const footnote = footnoteStart(line.slice(ws.index))
    if (footnote > 0) {
      stack.push({kind: 'item', indent: 4 + ws.column - column, blankStart: false})
      state.leaf = none
      state.leafDepth = stack.length
      index = ws.index + footnote
      column = ws.column + footnote
      continue
    }

    const item = listItem(line, ws.index, ws.column)
    const inParagraph =
      afterCode || (state.leaf.kind === 'para' && state.leafDepth === stack.length)

    if (
      item &&
      !thematicBreak(line.slice(ws.index)) &&
      (!inParagraph || (!item.empty && (item.bullet || item.start === 1)))
    ) {
      // Content indent, relative to where this container begins.
      stack.push({kind: 'item', indent: item.indent - column, blankStart: item.empty})
      state.leaf = none
      state.leafDepth = stack.length
      index = item.contentIndex
      column = item.indent
      if (item.empty) break
      continue
    }

    break
  }

  // 4. The leaf.
  const text = line.slice(index)
  const ws = whitespace(line, index, column)
  const body = line.slice(ws.index)
  const depth = stack.length
  const inParagraph = state.leaf.kind === 'para' && state.leafDepth === depth

  if (isBlank(text)) {
    if (state.leaf.kind === 'para' || state.leaf.kind === 'html') state.leaf = none
    return
  }

  if (ws.columns >= 4) {
    if (!inParagraph) {
      state.leaf = {kind: 'code'}
      state.leafDepth = depth
    }

    return
  }

  const fence = fenceStart(body)
  if (fence) {
    state.leaf = {kind: 'fence', char: fence.char, size: fence.size, indent: ws.columns}
    state.leafDepth = depth
    return
  }

  const html = htmlStart(body, inParagraph)
  if (html) {
    state.leaf = {kind: 'html', type: html}
    state.leafDepth = depth
    if (html <= 5 && htmlEnds(body, html)) state.leaf = none
    return
  }

  if (atxHeading(body) || thematicBreak(body)) {
    state.leaf = none
    state.leafDepth = depth
    return
  }

  if (inParagraph && setextUnderline(body)) {
    // Setext underline: closes the paragraph (now a heading). Not after a
    // paragraph that may be only definitions (`[x]: /url` then `- `): there
    // the line is text; keeping the paragraph open only merges units.
    if (!(state.leaf.kind === 'para' && state.leaf.definitions)) state.leaf = none
    return
  }

  if (!inParagraph) {
    state.leaf = {kind: 'para', definitions: body.charCodeAt(0) === 91 /* `[` */}
    state.leafDepth = depth
  }
}

/**
 * Whether a line at column 0 starts a new top-level list item that closes
 * everything open before it, so that a unit can start there even without a
 * blank line: `- a\n- b` is two units. Lists of one-line items are common
 * in large books, and parsing one item instead of the whole list is what
 * keeps the parse small.
 *
 * @param line
 *   Line (not blank, starting at column 0).
 * @param leaf
 *   Open leaf.
 * @param leafDepth
 *   Its depth.
 * @returns
 *   Whether a unit can start here.
 */
function startsTopItem(line: string, leaf: Leaf, leafDepth: number): boolean {
  const item = listItem(line, 0, 0)
  // An empty item (`-`) may be a setext underline or text: never split there.
  if (!item || item.empty || thematicBreak(line)) return false

  if (leafDepth === 0) {
    // In a top-level fence or HTML block, the line belongs to it.
    if (leaf.kind === 'fence' || leaf.kind === 'html') return false
    // After a top-level paragraph, table or code only an item that may
    // interrupt a paragraph starts a list.
    if (leaf.kind !== 'none' && !(item.bullet || item.start === 1)) return false
    // An item that interrupts a paragraph makes micromark refuse an empty or
    // non-`1` list on the rest of its line (`p\n- *`: `*` is text there, an
    // empty item alone): keep such a line with the paragraph.
    if (leaf.kind !== 'none' && nestedListStart.test(line.slice(item.contentIndex))) return false
  }

  return true
}

/**
 * Move forward by a number of columns of indentation.
 *
 * @param line
 *   Line.
 * @param index
 *   Start index.
 * @param column
 *   Start column.
 * @param columns
 *   Columns to move.
 * @returns
 *   Index and column after.
 */
function advance(
  line: string,
  index: number,
  column: number,
  columns: number
): {index: number; column: number} {
  const target = column + columns

  while (index < line.length && column < target) {
    const code = line.charCodeAt(index)
    if (code === 32) column++
    else if (code === 9) column += 4 - (column % 4)
    else break
    index++
  }

  return {index, column}
}
