/**
 * A finding of the book pass before it is placed: an offset in a chapter’s
 * content, turned into a file, line and column when files are made.
 */

import type {RuleId} from '../diagnostics/rules.js'
import type {Place} from './pass.js'

/** A finding before it is placed. */
export interface Finding {
  /** Rule. */
  ruleId: RuleId
  /** Reason. */
  reason: string
  /** Chapter (index in book order). */
  chapter: number
  /** Start offset in the chapter’s content. */
  start: number
  /** End offset. */
  end: number
  /** Label or term the finding is about. */
  label?: string | undefined
  /** The first definition of a duplicate: where it is and its label. */
  related?: {chapter: number; offset: number; label: string} | undefined
  /** Other chapters with the same text (a block included in many). */
  also?: number[] | undefined
  /** Extra information. */
  note?: string | undefined
  /** Place outside the chapters (`book.toml`), used instead of `chapter` and `start`. */
  place?: Place | undefined
}
