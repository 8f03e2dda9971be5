/**
 * Source maps of expanded text: text put together from pieces, each piece
 * pointing at the file and offset it was written at, and the lookup from an
 * offset of the whole back to a file, line and column.
 */

import {bomLength} from '../util/text.js'

/** Where a piece of expanded text was written. */
export interface SourceSpan {
  /** Absolute path of the file. */
  file: string
  /** 1-indexed line in `file`. */
  line: number
  /** 1-indexed column in `file` (UTF-16 units, a BOM not counted). */
  column: number
  /** 0-indexed offset in `file` (UTF-16 units, a BOM counted). */
  offset: number
}

/** Map from offsets in expanded text to where the text was written. */
export interface SourceMap {
  /**
   * Find where the text at `offset` of the expanded text was written.
   * Text that mdBook adds (`# ` of `rustdoc_include`, the fences of
   * `playground`) maps to the line it stands for or to the directive.
   */
  lookup(offset: number): SourceSpan
}

/**
 * Text with pieces: piece `i` covers `starts[i]` up to the next start and
 * was written in file `files[i]` at `offsets[i]`; a negative file (`~index`)
 * marks text mdBook made up, which maps to that one point.
 */
export interface Mapped {
  text: string
  /** Pieces of `text`, when it was put together. */
  parts?: string[]
  starts: number[]
  files: number[]
  offsets: number[]
}

/** Text of a file and, once computed, where its lines start. */
export interface LineIndex {
  text: string
  /** Start of each line (after `\n`), for line/column lookups. */
  lineStarts?: number[]
}

/** A file that pieces point into. */
export interface MappedFile {
  /** Display path (absolute, lexically resolved). */
  path: string
  /** Its text, with line starts kept across the calls of a run. */
  entry: LineIndex
}

/**
 * Where the text at `offset` of mapped text was written.
 *
 * @param mapped
 *   Mapped text.
 * @param offset
 *   Offset in `mapped.text`.
 * @returns
 *   Record index and offset in that file.
 */
export function pointAt(mapped: Mapped, offset: number): {file: number; offset: number} {
  const index = pieceAt(mapped.starts, offset)
  if (index === -1) return {file: 0, offset: 0}
  const file = mapped.files[index]
  if (file < 0) return {file: ~file, offset: mapped.offsets[index]}
  return {file, offset: mapped.offsets[index] + offset - mapped.starts[index]}
}

/**
 * Binary search: the last piece starting at or before `offset` (also used
 * for unit starts and line starts by the book pass).
 *
 * @param starts
 *   Piece starts, ascending.
 * @param offset
 *   Offset.
 * @returns
 *   Piece index, `-1` when there are no pieces.
 */
export function pieceAt(starts: readonly number[], offset: number): number {
  let low = 0
  let high = starts.length - 1
  if (high < 0) return -1

  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (starts[middle] <= offset) low = middle
    else high = middle - 1
  }

  return low
}

/**
 * Part of mapped text.
 *
 * @param mapped
 *   Mapped text.
 * @param from
 *   Start offset.
 * @param to
 *   End offset.
 * @returns
 *   Mapped slice.
 */
export function sliceMapped(mapped: Mapped, from: number, to: number): Mapped {
  const out = new Builder()
  out.copy(mapped, from, to)
  return out.done()
}

/**
 * Point the pieces of cached content at another record index.
 *
 * @param mapped
 *   Content rendered from one file.
 * @param file
 *   Record index of that file in this run.
 * @returns
 *   Content with its pieces re-pointed (same text).
 */
export function repoint(mapped: Mapped, file: number): Mapped {
  return {
    text: mapped.text,
    starts: mapped.starts,
    files: mapped.files.map((d) => (d < 0 ? ~file : file)),
    offsets: mapped.offsets
  }
}

/** Builds mapped text from pieces, merging pieces that continue each other. */
export class Builder {
  parts: string[] = []
  length = 0
  starts: number[] = []
  files: number[] = []
  offsets: number[] = []

  /**
   * Append text written at one place.
   *
   * @param text
   *   Text.
   * @param file
   *   Record index (`~index` for made-up text).
   * @param offset
   *   Offset in that file.
   */
  add(text: string, file: number, offset: number): undefined {
    if (text === '') return
    this.piece(file, offset)
    this.parts.push(text)
    this.length += text.length
  }

  /**
   * Append part of mapped text, with its pieces.
   *
   * @param mapped
   *   Source.
   * @param from
   *   Start offset in `mapped.text`.
   * @param to
   *   End offset.
   */
  copy(mapped: Mapped, from: number, to: number): undefined {
    if (from >= to) return
    let index = pieceAt(mapped.starts, from)
    const base = this.length - from

    while (index < mapped.starts.length && index !== -1) {
      const start = Math.max(mapped.starts[index], from)
      if (start >= to) break
      const file = mapped.files[index]
      const offset = mapped.offsets[index] + (file < 0 ? 0 : start - mapped.starts[index])
      this.length = base + start
      this.piece(file, offset)
      index++
    }

    if (from === 0 && to === mapped.text.length) {
      // Whole: keep its pieces (file texts, flat and the same in every
      // chapter), not its text, a rope that each chapter would flatten anew.
      if (mapped.parts) for (const part of mapped.parts) this.parts.push(part)
      else this.parts.push(mapped.text)
    } else {
      this.parts.push(mapped.text.slice(from, to))
    }

    this.length = base + to
  }

  /**
   * Start a piece at the current length, unless it continues the last one.
   *
   * @param file
   *   Record index (`~index` for made-up text).
   * @param offset
   *   Offset in that file.
   */
  piece(file: number, offset: number): undefined {
    const last = this.starts.length - 1

    if (last !== -1) {
      if (this.starts[last] === this.length) {
        // An empty piece: replace it.
        this.starts.pop()
        this.files.pop()
        this.offsets.pop()
      } else if (
        file >= 0 &&
        this.files[last] === file &&
        this.offsets[last] + this.length - this.starts[last] === offset
      ) {
        return
      }
    }

    this.starts.push(this.length)
    this.files.push(file)
    this.offsets.push(offset)
  }

  /**
   * Finish.
   *
   * @returns
   *   Mapped text.
   */
  done(): Mapped {
    // Concatenation makes a rope that is flattened when first read (a
    // chapter only compared with what mdBook sent is compared piece by
    // piece); `join` would copy every chapter at once.
    let text = ''
    for (const part of this.parts) text += part

    return {
      text,
      parts: this.parts,
      starts: this.starts,
      files: this.files,
      offsets: this.offsets
    }
  }
}

/**
 * Line and column of an offset in a file.
 *
 * @param record
 *   File.
 * @param offset
 *   Offset in its text.
 * @returns
 *   Span.
 */
export function spanOf(record: MappedFile, offset: number): SourceSpan {
  const entry = record.entry
  let lineStarts = entry.lineStarts

  if (!lineStarts) {
    lineStarts = [0]
    let index = -1
    while ((index = entry.text.indexOf('\n', index + 1)) !== -1) lineStarts.push(index + 1)
    entry.lineStarts = lineStarts
  }

  const line = pieceAt(lineStarts, offset)
  let column = offset - lineStarts[line] + 1
  // A BOM takes no column.
  if (line === 0 && offset > 0) column -= bomLength(entry.text)
  return {file: record.path, line: line + 1, column, offset}
}

/**
 * Create the source map of expanded text.
 *
 * @param mapped
 *   Expanded text.
 * @param records
 *   Files of the run.
 * @returns
 *   Source map.
 */
export function createMap(mapped: Mapped, records: readonly MappedFile[]): SourceMap {
  return {
    lookup(offset) {
      const at = pointAt(mapped, Math.max(0, Math.min(offset, mapped.text.length)))
      return spanOf(records[at.file], at.offset)
    }
  }
}
