/**
 * Index term syntax: what is inside a marker after `hi:`, `i:` or `ii:`.
 *
 * * Levels: `async!tokio` files “tokio” under “async” (any depth). A `!`
 *   splits only between two non-blank parts, so `vec!`, `assert_eq!`, `!=`
 *   and `!` are single literal terms. In a run of `!`s the first one splits
 *   and the rest belong to the next part: `Operators!!=` is “!=” under
 *   “Operators”. `\!` is always a literal `!`.
 * * Sort keys (makeindex style): `Rust Book@The Rust Book` shows “The Rust
 *   Book” and sorts as “Rust Book”; each level may carry its own key
 *   (`async@Async!tokio`). An `@` splits only between two non-blank parts
 *   (`a@b@c` is key `a`, display `b@c`); `\@` is always a literal `@`.
 * * Code spans are atomic: in `` `vec![1]` `` or `` `a@b` `` nothing splits.
 * * Everything else is Markdown source as written: `termPhrasing` turns it
 *   into the nodes the index shows (code spans as code, all other characters
 *   as literal text).
 */

import type {InlineCode, Text} from 'mdast'

/** One level of a term. */
export interface TermLevel {
  /** What the index shows (Markdown source as written, term escapes resolved, trimmed). */
  display: string
  /** Explicit sort key (`key@display`), or `undefined`. */
  sortKey: string | undefined
}

/** A code span found in a term: offsets of the whole span and of its content. */
export interface CodeSpan {
  start: number
  end: number
  contentStart: number
  contentEnd: number
}

/**
 * Parse a term into its levels.
 *
 * @param term
 *   Term as written in the marker, such as `async@Async!tokio`.
 * @returns
 *   Levels, outermost first; at least one.
 */
export function parseTerm(term: string): TermLevel[] {
  const levels: TermLevel[] = []

  for (const part of split(term, '!')) {
    const pieces = split(part, '@')
    // `a@b@c`: the first `@` separates the key; later ones are literal.
    const sortKey = pieces.length > 1 ? unescape(pieces[0]).trim() : undefined
    const display = unescape(
      pieces.length > 1 ? pieces.slice(1).join('@') : pieces[0]
    ).trim()
    levels.push({display, sortKey})
  }

  return levels
}

/**
 * Text a term shows where an `{{i:…}}` marker stood: the display of its
 * deepest level.
 *
 * @param term
 *   Term as written.
 * @returns
 *   Visible text (Markdown source).
 */
export function visibleText(term: string): string {
  const levels = parseTerm(term)
  return levels[levels.length - 1].display
}

/**
 * Nodes that show a display literally: code spans become `inlineCode`, every
 * other character (`*`, `_`, `[`, `|`, `<img …>`, a lone `` ` ``) is text.
 *
 * Backslash escapes before ASCII punctuation (`\*`) are resolved, as Markdown
 * would; whitespace runs collapse to one space.
 *
 * @param display
 *   Display of a level, such as ``the `tokio` runtime``.
 * @returns
 *   Phrasing nodes (without positions).
 */
export function termPhrasing(display: string): Array<InlineCode | Text> {
  const nodes: Array<InlineCode | Text> = []
  let last = 0

  for (const span of codeSpans(display)) {
    pushText(nodes, display.slice(last, span.start))
    nodes.push({
      type: 'inlineCode',
      value: codeValue(display.slice(span.contentStart, span.contentEnd))
    })
    last = span.end
  }

  pushText(nodes, display.slice(last))
  return nodes
}

/**
 * Plain text of a display: what `termPhrasing` shows, without code marks.
 *
 * @param display
 *   Display, such as `` `&str` ``.
 * @returns
 *   Text, such as `&str`.
 */
export function termText(display: string): string {
  return termPhrasing(display)
    .map((node) => node.value)
    .join('')
}

/**
 * Add a text node for a piece of display outside code spans.
 *
 * @param nodes
 *   Nodes to add to.
 * @param value
 *   Source text, such as `\*ptr`.
 */
function pushText(nodes: Array<InlineCode | Text>, value: string): void {
  const text = value
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/[ \t\r\n]+/g, ' ')
  if (text === '') return
  const previous = nodes[nodes.length - 1]
  if (previous && previous.type === 'text') previous.value += text
  else nodes.push({type: 'text', value: text})
}

/**
 * Value of a code span as CommonMark defines it: line endings become
 * spaces; one space is stripped from both sides if both are there and the
 * content is not all spaces (`` `` `x` `` `` shows “`x`”).
 *
 * @param value
 *   Content between the backtick runs.
 * @returns
 *   Code value.
 */
function codeValue(value: string): string {
  const result = value.replace(/\r\n|\r|\n/g, ' ')
  if (
    result.length > 2 &&
    result.startsWith(' ') &&
    result.endsWith(' ') &&
    result.trim() !== ''
  ) {
    return result.slice(1, -1)
  }

  return result
}

/**
 * Find code spans: a run of backticks closed by the next run of the same
 * length. An escaped backtick (`` \` ``) opens nothing; an unclosed run is
 * literal text.
 *
 * @param value
 *   Text (one inline context).
 * @returns
 *   Spans, in order.
 */
export function codeSpans(value: string): CodeSpan[] {
  const spans: CodeSpan[] = []
  let index = 0

  while (index < value.length) {
    const code = value.charCodeAt(index)

    if (code === 92 /* `\` */) {
      index += 2
      continue
    }

    if (code !== 96 /* `` ` `` */) {
      index++
      continue
    }

    const size = runSize(value, index)
    const contentStart = index + size
    let close = contentStart
    let found = -1

    while (close < value.length) {
      if (value.charCodeAt(close) === 96) {
        const closeSize = runSize(value, close)
        if (closeSize === size) {
          found = close
          break
        }

        close += closeSize
      } else {
        close++
      }
    }

    if (found === -1) {
      index = contentStart
    } else {
      spans.push({
        start: index,
        end: found + size,
        contentStart,
        contentEnd: found
      })
      index = found + size
    }
  }

  return spans
}

/**
 * Length of the backtick run at `index`.
 *
 * @param value
 *   Text.
 * @param index
 *   Offset of a backtick.
 * @returns
 *   Run length.
 */
function runSize(value: string, index: number): number {
  let end = index
  while (end < value.length && value.charCodeAt(end) === 96) end++
  return end - index
}

/**
 * Split on unescaped `separator`s outside code spans that stand between two
 * non-blank parts.
 *
 * @param value
 *   Text, such as `vec!` (one part), `async!tokio` (two) or `a!!b` (`a`, `!b`).
 * @param separator
 *   `!` or `@`.
 * @returns
 *   Parts, with escapes still in place.
 */
function split(value: string, separator: '!' | '@'): string[] {
  const parts: string[] = []
  const spans = codeSpans(value)
  let span = 0
  let start = 0
  let index = 0

  while (index < value.length) {
    // Inside `` `vec![1]` ``: skip the whole span.
    if (span < spans.length && spans[span].start === index) {
      index = spans[span].end
      span++
      continue
    }

    if (value.charCodeAt(index) === 92 /* `\` */) {
      index += 2
      continue
    }

    // The text before must be non-blank, so in `a!!b` only the first `!`
    // splits and the second is literal text of the next part.
    if (
      value[index] === separator &&
      value.slice(start, index).trim() !== '' &&
      value.slice(index + 1).trim() !== ''
    ) {
      parts.push(value.slice(start, index))
      start = index + 1
    }

    index++
  }

  parts.push(value.slice(start))
  return parts
}

/**
 * Resolve `\!` and `\@` outside code spans; other backslashes stay (they are
 * Markdown), and an escaped backslash stays escaped (`\\!` is a backslash and
 * a `!`). In `` `a\!b` `` the backslash is code and stays.
 *
 * @param value
 *   Text.
 * @returns
 *   Text without term escapes.
 */
function unescape(value: string): string {
  let result = ''
  let last = 0

  for (const span of codeSpans(value)) {
    result += unescapeText(value.slice(last, span.start))
    result += value.slice(span.start, span.end)
    last = span.end
  }

  return result + unescapeText(value.slice(last))
}

/**
 * Resolve term escapes in text outside code spans.
 *
 * @param value
 *   Text, such as `a\!b`.
 * @returns
 *   Text, such as `a!b`.
 */
function unescapeText(value: string): string {
  return value.replace(/\\([\\!@])/g, (all, character: string) =>
    character === '\\' ? all : character
  )
}
