/**
 * Collect the crates a book references (see `model.ts`).
 */

import type {CrateIndex} from './model.js'

/** A chapter as the collector reads it. */
export interface CrateChapter {
  /** Chapter path (`path` of the mdBook chapter), `null` for drafts (skipped). */
  path: string | null
  /** Chapter name. */
  name: string
  /** Content with includes expanded, before markers are rewritten (a BOM is stripped by the caller). */
  content: string
}

/** Configuration. */
export interface CrateOptions {
  /** Whether crates of the standard library (`std`, `core`, `alloc`, `proc_macro`) are kept (default: `true`). */
  standard?: boolean | null | undefined
  /** Label prefixes the book configures (default: the conventions’ own). */
  prefixes?: ReadonlyArray<string> | null | undefined
  /** Places of chapters whose references do not count (crate and index pages), in book order (default: none). */
  skip?: ReadonlyArray<number> | null | undefined
  /** Book language, for sorting (default: `en`). */
  language?: string | null | undefined
}

/**
 * Collect every crate the chapters reference, with its places and categories.
 *
 * @param chapters
 *   Chapters in book order.
 * @param options
 *   Configuration.
 * @returns
 *   The crates of the book.
 */
export function collectCrates(
  chapters: ReadonlyArray<CrateChapter>,
  options?: Readonly<CrateOptions> | null | undefined
): CrateIndex {
  void chapters
  void options
  return {crates: [], categories: [], unreferenced: [], undefined: []}
}
