/**
 * Readable names of the characters of a term without letter or number, for
 * ids: `!=` → `excl-eq`, `→` → `u2192`. The chapter anchors and the index
 * entries spell symbols the same way.
 */

/** Names of ASCII punctuation. */
const symbolNames: Record<string, string> = {
  '!': 'excl', '"': 'quot', '#': 'hash', $: 'dollar', '%': 'percent',
  '&': 'amp', "'": 'apos', '(': 'lparen', ')': 'rparen', '*': 'star',
  '+': 'plus', ',': 'comma', '-': 'minus', '.': 'dot', '/': 'slash',
  ':': 'colon', ';': 'semi', '<': 'lt', '=': 'eq', '>': 'gt',
  '?': 'question', '@': 'at', '[': 'lbracket', '\\': 'backslash',
  ']': 'rbracket', '^': 'caret', _: 'underscore', '`': 'backtick',
  '{': 'lbrace', '|': 'pipe', '}': 'rbrace', '~': 'tilde'
}

/**
 * Spell the characters of a value, whitespace left out: ASCII punctuation by
 * name, anything else as `u` and its code point in hex.
 *
 * @param value
 *   Text without letter or number, such as `!=`.
 * @returns
 *   Slug, such as `excl-eq`.
 */
export function spellSymbols(value: string): string {
  return [...value]
    .filter((character) => !/\s/u.test(character))
    .map(
      (character) =>
        symbolNames[character] ||
        'u' + (character.codePointAt(0) as number).toString(16)
    )
    .join('-')
}
