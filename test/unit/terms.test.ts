import {describe, expect, it} from 'vitest'
import {parseTerm, termPhrasing, termText, visibleText} from '../../src/markdown/terms.js'

/**
 * Displays of the levels of a term.
 *
 * @param term
 *   Term.
 * @returns
 *   Displays.
 */
function displays(term: string): string[] {
  return parseTerm(term).map((level) => level.display)
}

describe('parseTerm: levels (`!`)', () => {
  it('should keep a trailing `!` (`vec!`, `assert_eq!`)', () => {
    expect(parseTerm('vec!')).toEqual([{display: 'vec!', sortKey: undefined}])
    expect(displays('assert_eq!')).toEqual(['assert_eq!'])
  })

  it('should keep a leading `!` (`!=`, `!`)', () => {
    expect(displays('!=')).toEqual(['!='])
    expect(displays('!')).toEqual(['!'])
    expect(displays('!!')).toEqual(['!!'])
  })

  it('should split between two non-blank parts (`a!b`, any depth)', () => {
    expect(displays('a!b')).toEqual(['a', 'b'])
    expect(displays('async ! tokio ! spawn')).toEqual(['async', 'tokio', 'spawn'])
  })

  it('should not split on `\\!`', () => {
    expect(displays('a\\!b')).toEqual(['a!b'])
    expect(displays('\\!')).toEqual(['!'])
  })

  it('should give the rest of a run of `!` to the next part (`a!!b`, `Operators!!=`)', () => {
    expect(displays('a!!b')).toEqual(['a', '!b'])
    expect(displays('Operators!!=')).toEqual(['Operators', '!='])
    expect(displays('macros!vec!')).toEqual(['macros', 'vec!'])
  })

  it('should keep an escaped backslash before `!` (`\\\\!`)', () => {
    // `a\\!b`: the backslash is escaped, so the `!` splits.
    expect(displays('a\\\\!b')).toEqual(['a\\\\', 'b'])
    expect(displays('\\\\!')).toEqual(['\\\\!'])
  })

  it('should not split inside code spans', () => {
    expect(displays('`vec![1, 2]`')).toEqual(['`vec![1, 2]`'])
    expect(displays('macros!`vec![]`')).toEqual(['macros', '`vec![]`'])
    // Unclosed: the backtick is literal, so `!` splits.
    expect(displays('a`b!c')).toEqual(['a`b', 'c'])
    // Backslashes are code inside code spans.
    expect(displays('`a\\!b`')).toEqual(['`a\\!b`'])
  })
})

describe('parseTerm: sort keys (`@`)', () => {
  it('should split a sort key from the display', () => {
    expect(parseTerm('Rust Book@The Rust Book')).toEqual([
      {display: 'The Rust Book', sortKey: 'Rust Book'}
    ])
  })

  it('should allow a sort key per level', () => {
    expect(parseTerm('async@Async!tokio')).toEqual([
      {display: 'Async', sortKey: 'async'},
      {display: 'tokio', sortKey: undefined}
    ])
  })

  it('should keep later `@` in the display (`a@b@c`)', () => {
    expect(parseTerm('a@b@c')).toEqual([{display: 'b@c', sortKey: 'a'}])
  })

  it('should keep a leading or trailing `@`', () => {
    expect(parseTerm('@')).toEqual([{display: '@', sortKey: undefined}])
    expect(parseTerm('@decorator')).toEqual([
      {display: '@decorator', sortKey: undefined}
    ])
    expect(parseTerm('mail@')).toEqual([{display: 'mail@', sortKey: undefined}])
  })

  it('should not split on `\\@`', () => {
    expect(parseTerm('user\\@example.com')).toEqual([
      {display: 'user@example.com', sortKey: undefined}
    ])
  })

  it('should not split `@` inside code spans', () => {
    expect(parseTerm('`a@b`')).toEqual([{display: '`a@b`', sortKey: undefined}])
  })
})

describe('visibleText', () => {
  it('should return the display of the deepest level', () => {
    expect(visibleText('async@Async!tokio')).toBe('tokio')
    expect(visibleText('vec!')).toBe('vec!')
    expect(visibleText('Rust Book@The Rust Book')).toBe('The Rust Book')
  })
})

describe('termPhrasing', () => {
  it('should turn code spans into inline code and keep the rest as text', () => {
    expect(termPhrasing('the `tokio` runtime')).toEqual([
      {type: 'text', value: 'the '},
      {type: 'inlineCode', value: 'tokio'},
      {type: 'text', value: ' runtime'}
    ])
  })

  it('should keep Markdown punctuation and HTML as text', () => {
    expect(termPhrasing('*a* _b_ [c](d) e|f <img src=x>')).toEqual([
      {type: 'text', value: '*a* _b_ [c](d) e|f <img src=x>'}
    ])
  })

  it('should keep a lone backtick as text', () => {
    expect(termPhrasing('a`b')).toEqual([{type: 'text', value: 'a`b'}])
  })

  it('should resolve backslash escapes outside code only', () => {
    expect(termPhrasing('\\*ptr `\\*`')).toEqual([
      {type: 'text', value: '*ptr '},
      {type: 'inlineCode', value: '\\*'}
    ])
  })

  it('should handle longer fences and padding like CommonMark', () => {
    expect(termPhrasing('`` `x` ``')).toEqual([{type: 'inlineCode', value: '`x`'}])
    expect(termPhrasing('` `')).toEqual([{type: 'inlineCode', value: ' '}])
  })

  it('should collapse whitespace runs in text', () => {
    expect(termPhrasing('a \n  b')).toEqual([{type: 'text', value: 'a b'}])
  })
})

describe('termText', () => {
  it('should drop code marks', () => {
    expect(termText('`&str`')).toBe('&str')
    expect(termText('`Vec` and `Box`')).toBe('Vec and Box')
  })
})
