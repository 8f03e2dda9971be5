/**
 * Index term syntax: what is inside a marker after `hi:`, `i:` or `ii:`.
 *
 * * Levels: `async!tokio` files “tokio” under “async” (any depth). A `!`
 *   splits only between two non-empty parts, so `vec!`, `assert_eq!`, `!=`
 *   and `!` are single literal terms. `\!` is always a literal `!`.
 * * Sort keys (makeindex style): `Rust Book@The Rust Book` shows “The Rust
 *   Book” and sorts as “Rust Book”; each level may carry its own key
 *   (`async@Async!tokio`). An `@` splits only between two non-empty parts;
 *   `\@` is always a literal `@`.
 */

/** One level of a term. */
export interface TermLevel {
  /** What the index shows (Markdown source as written, escapes resolved). */
  display: string
  /** Explicit sort key (`key@display`), or `undefined`. */
  sortKey: string | undefined
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
 * Split on unescaped `separator`s that stand between two non-empty parts.
 *
 * @param value
 *   Text, such as `vec!` (one part) or `async!tokio` (two).
 * @param separator
 *   `!` or `@`.
 * @returns
 *   Parts, with escapes still in place.
 */
function split(value: string, separator: '!' | '@'): string[] {
  const parts: string[] = []
  let start = 0
  let index = 0

  while (index < value.length) {
    const code = value.charCodeAt(index)

    if (code === 92 /* `\` */) {
      index += 2
      continue
    }

    if (
      value[index] === separator &&
      value.slice(start, index).trim() !== '' &&
      value.slice(index + 1).trim() !== '' &&
      // `a!!b`, `a@@b`: a doubled separator is literal text of the next part.
      value[index + 1] !== separator
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
 * Resolve `\!` and `\@`; other backslashes stay (they are Markdown).
 *
 * @param value
 *   Text.
 * @returns
 *   Text without term escapes.
 */
function unescape(value: string): string {
  return value.replace(/\\([!@])/g, '$1')
}
