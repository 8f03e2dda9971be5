/**
 * The error of a book that cannot be loaded (`book.toml`, `SUMMARY.md`):
 * one line that names the place, as compilers do.
 */

/** A book that cannot be loaded; the message is one line: `file:line:column: reason`. */
export class BookError extends Error {
  override name = 'BookError'
  /** File at fault. */
  file: string
  /** 1-indexed line. */
  line: number
  /** 1-indexed column. */
  column: number

  /**
   * Create an error.
   *
   * @param file
   *   File at fault.
   * @param line
   *   Line.
   * @param column
   *   Column.
   * @param reason
   *   Reason (“Unexpected …, expected …”).
   */
  constructor(file: string, line: number, column: number, reason: string) {
    super(file + ':' + line + ':' + column + ': ' + reason)
    this.file = file
    this.line = line
    this.column = column
  }
}
