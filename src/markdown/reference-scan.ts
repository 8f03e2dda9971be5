/**
 * References that do not resolve, and wiki links: remark keeps an undefined
 * reference as text, so the source of each block with inline content is
 * scanned for brackets, with every other inline node masked.
 *
 * Works on a tree plus the source it was parsed from, which may be a *part*
 * of a chapter (see the contract’s performance design), and returns offsets
 * relative to that source.
 */

import type {Nodes, Root} from 'mdast'
import {undefinedReferenceReason, wikiLinkReason} from '../diagnostics/messages.js'
import type {Range} from './definitions.js'
import {createSuggestions, suggestLabel, type Suggestions} from './label-suggestions.js'
import {allowMatcher, defaultPrefixes, isPunctuation, normalizeLabel, type RefOptions} from './labels.js'

/** A problem with a reference. */
export interface RefProblem {
  /** Rule. */
  ruleId: 'undefined-reference' | 'wiki-link'
  /** Label as written (for wiki links: the target). */
  label: string
  /** Reason. */
  reason: string
  /** Start offset of the whole reference (`[text][label]`, `[[target]]`). */
  start: number
  /** End offset. */
  end: number
}

const emptyOptions: Readonly<RefOptions> = {}

/** Inline nodes whose source is analysed; all other inline nodes are masked. */
const transparent = new Set(['text', 'emphasis', 'strong', 'delete', 'break'])


/**
 * Find references that do not resolve, and wiki links.
 *
 * remark keeps an undefined reference as text, so this reads the source of
 * each paragraph, heading and table cell with every non-text inline node
 * (code, HTML, links, references, images, footnote calls) masked.
 * Reported: full (`[text][label]`) and collapsed (`[label][]`) references
 * with any undefined label; shortcut references (`[c~tokio~docs]`) with an
 * undefined label of a family in `prefixes`; `[[target | text]]` wiki links
 * (mdBook renders them literally).
 * Not reported: labels in `allow`, task boxes, alerts (`[!NOTE]`),
 * footnote calls (`[^1]`), other shortcuts (`[x]`), `[text](broken url)`.
 *
 * @param tree
 *   Tree parsed from `source`.
 * @param source
 *   Source of the tree (maybe a part of a chapter).
 * @param isDefined
 *   Whether an identifier (see `normalizeLabel`) is defined.
 * @param options
 *   Configuration.
 * @returns
 *   Problems, in source order, offsets relative to `source`.
 */
export function findReferenceProblems(
  tree: Root,
  source: string,
  isDefined: (identifier: string) => boolean,
  options?: Readonly<RefOptions> | null | undefined
): RefProblem[] {
  const state = createScanState(source, isDefined, options)
  walkBlocks(tree, state)
  return state.problems
}

/**
 * Find references that do not resolve, and wiki links, in stretches of text
 * whose non-text inline nodes are known without a tree: what
 * `findReferenceProblems` does for each paragraph, heading or table cell.
 *
 * @param source
 *   Source.
 * @param ranges
 *   Stretches (paragraphs, cells), each with the ranges of its code, links,
 *   references, images and other non-text nodes, in order.
 * @param isDefined
 *   Whether an identifier (see `normalizeLabel`) is defined.
 * @param options
 *   Configuration.
 * @returns
 *   Problems, in source order.
 */
export function findReferenceProblemsIn(
  source: string,
  ranges: ReadonlyArray<Range & {masks: Range[]}>,
  isDefined: (identifier: string) => boolean,
  options?: Readonly<RefOptions> | null | undefined
): RefProblem[] {
  const state = createScanState(source, isDefined, options)

  for (const range of ranges) {
    const raw = source.slice(range.start, range.end)
    if (raw.includes('[')) scanBrackets(mask(raw, range.start, range.masks), range.start, state)
  }

  return state.problems
}

/**
 * Create the state of a reference scan.
 *
 * @param source
 *   Source.
 * @param isDefined
 *   Whether an identifier is defined.
 * @param options
 *   Configuration.
 * @returns
 *   State.
 */
function createScanState(
  source: string,
  isDefined: (identifier: string) => boolean,
  options: Readonly<RefOptions> | null | undefined
): ScanState {
  const settings = options || emptyOptions
  return {
    source,
    isDefined,
    prefixes: (settings.prefixes || defaultPrefixes).map((d) => d.toLowerCase()),
    limit: typeof settings.limit === 'number' ? settings.limit : Number.POSITIVE_INFINITY,
    candidates: settings.candidates || undefined,
    isAllowed: allowMatcher(settings.allow),
    suggestions: undefined,
    problems: []
  }
}

/** State of `findReferenceProblems`. */
interface ScanState {
  /** Source. */
  source: string
  /** Whether an identifier is defined. */
  isDefined: (identifier: string) => boolean
  /** Lowercase label families. */
  prefixes: string[]
  /** Ignore nodes starting at or after this. */
  limit: number
  /** Candidate labels, as given. */
  candidates: Iterable<string> | (() => Iterable<string>) | undefined
  /** Whether a label, as written, is resolved elsewhere (`allow`). */
  isAllowed: (label: string) => boolean
  /** Candidates, prepared on first use. */
  suggestions: Suggestions | undefined
  /** Problems. */
  problems: RefProblem[]
}

/**
 * Visit blocks with inline content.
 *
 * @param node
 *   Node.
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function walkBlocks(node: Nodes, state: ScanState): undefined {
  // A loop, not recursion: `- - - - …` nests thousands deep.
  const stack: Nodes[] = [node]

  while (stack.length > 0) {
    const current = stack.pop()!

    if (current.type === 'paragraph' || current.type === 'heading' || current.type === 'tableCell') {
      const position = current.position
      if (position && position.start.offset! < state.limit) scanInline(current, state)
      continue
    }

    if (current.type === 'code' || current.type === 'html' || current.type === 'definition') continue

    if ('children' in current) {
      for (let index = current.children.length - 1; index >= 0; index--) stack.push(current.children[index])
    }
  }
}

/**
 * Scan the source of one block with inline content.
 *
 * @param node
 *   Paragraph, heading, or table cell.
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function scanInline(node: Nodes & {children: Nodes[]}, state: ScanState): undefined {
  const start = node.position!.start.offset!
  const end = node.position!.end.offset!
  const raw = state.source.slice(start, end)
  if (!raw.includes('[')) return
  const masks: Range[] = []
  collectMasks(node, masks)
  const masked = mask(raw, start, masks)
  scanBrackets(masked, start, state)
}

/**
 * Collect ranges of inline nodes to mask (everything but text).
 *
 * @param node
 *   Parent.
 * @param masks
 *   Ranges to add to.
 * @returns
 *   Nothing.
 */
function collectMasks(node: Nodes & {children: Nodes[]}, masks: Range[]): undefined {
  // A loop, not recursion: emphasis can nest thousands deep.
  const stack: Nodes[] = [...node.children].reverse()

  while (stack.length > 0) {
    const child = stack.pop()!

    if (transparent.has(child.type)) {
      if ('children' in child) {
        for (let index = child.children.length - 1; index >= 0; index--) stack.push(child.children[index])
      }
    } else if (child.position) {
      masks.push({start: child.position.start.offset!, end: child.position.end.offset!})
    }
  }
}

/**
 * Replace masked ranges with neutral characters, keeping offsets.
 *
 * @param raw
 *   Source of the block.
 * @param base
 *   Offset of `raw` in the source.
 * @param masks
 *   Ranges (source offsets), in order.
 * @returns
 *   Masked text, as long as `raw`.
 */
function mask(raw: string, base: number, masks: Range[]): string {
  if (masks.length === 0) return raw
  let result = ''
  let last = 0

  for (const range of masks) {
    const from = Math.max(range.start - base, last)
    const to = Math.min(range.end - base, raw.length)
    if (to <= from) continue
    result += raw.slice(last, from) + 'x'.repeat(to - from)
    last = to
  }

  return result + raw.slice(last)
}

/** A matched bracket pair in masked text. */
interface Pair {
  /** Offset of `[`. */
  open: number
  /** Offset of `]`. */
  close: number
  /** Whether brackets occur inside. */
  nested: boolean
}

/**
 * Match brackets in masked text and report what does not resolve.
 *
 * @param text
 *   Masked block source.
 * @param base
 *   Offset of `text` in the source.
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function scanBrackets(text: string, base: number, state: ScanState): undefined {
  const pairs: Pair[] = []
  const byClose = new Map<number, Pair>()
  const byOpen = new Map<number, Pair>()
  const stack: Pair[] = []

  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code === 92 /* `\` */ && isPunctuation(text.charCodeAt(index + 1))) {
      index++
    } else if (code === 91 /* `[` */) {
      if (stack.length > 0) stack[stack.length - 1].nested = true
      stack.push({open: index, close: -1, nested: false})
    } else if (code === 93 /* `]` */ && stack.length > 0) {
      const pair = stack.pop()!
      pair.close = index
      if (stack.length > 0) stack[stack.length - 1].nested = true
      pairs.push(pair)
      byClose.set(index, pair)
      byOpen.set(pair.open, pair)
    }
  }

  pairs.sort((a, b) => a.open - b.open)
  const skip = new Set<Pair>()

  for (const pair of pairs) {
    if (skip.has(pair)) continue

    if (pair.nested) {
      wikiLink(text, base, pair, byOpen, skip, state)
      continue
    }

    const content = state.source.slice(base + pair.open + 1, base + pair.close)
    const before = byClose.get(pair.open - 1)

    // Full `[text][label]` or collapsed `[label][]`.
    if (before) {
      if (pair.close === pair.open + 1) {
        if (before.nested) continue
        const label = state.source.slice(base + before.open + 1, base + before.close)
        check(label, base + before.open, base + pair.close + 1, state)
      } else {
        check(content, base + before.open, base + pair.close + 1, state)
      }

      continue
    }

    const after = text.charCodeAt(pair.close + 1)
    // `[text]` of a full reference, or `[text](url)` that is no link.
    if (after === 91 /* `[` */ || after === 40 /* `(` */) continue
    const lower = content.toLowerCase()
    if (state.prefixes.some((d) => lower.startsWith(d))) {
      check(content, base + pair.open, base + pair.close + 1, state)
    }
  }
}

/**
 * Report a wiki link `[[target | text]]` (and skip its inner brackets).
 *
 * @param text
 *   Masked text.
 * @param base
 *   Offset of `text`.
 * @param pair
 *   Outer pair.
 * @param byOpen
 *   Pairs by opening offset.
 * @param skip
 *   Pairs not to check again.
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function wikiLink(
  text: string,
  base: number,
  pair: Pair,
  byOpen: Map<number, Pair>,
  skip: Set<Pair>,
  state: ScanState
): undefined {
  const inner = byOpen.get(pair.open + 1)
  if (!inner || inner.close !== pair.close - 1 || inner.nested) return
  const after = text.charCodeAt(pair.close + 1)
  // `[[a]][b]`, `[[a]](b)`: brackets in link text, not a wiki link.
  if (after === 91 || after === 40) return
  const content = state.source.slice(base + inner.open + 1, base + inner.close)
  const bar = content.indexOf('|')
  const target = (bar === -1 ? content : content.slice(0, bar)).trim()
  if (!target) return
  skip.add(inner)
  const whole = state.source.slice(base + pair.open, base + pair.close + 1)
  state.problems.push({
    ruleId: 'wiki-link',
    label: target,
    reason: wikiLinkReason(whole),
    start: base + pair.open,
    end: base + pair.close + 1
  })
}

/**
 * Report a label if it is not defined.
 *
 * @param label
 *   Label as written.
 * @param start
 *   Start of the reference.
 * @param end
 *   End of the reference.
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function check(label: string, start: number, end: number, state: ScanState): undefined {
  // Footnote calls (`[^1]`) and alerts (`[!NOTE]`) are no references; a
  // blank or too long label is no label.
  const head = label.charCodeAt(0)
  if (head === 94 /* `^` */ || head === 33 /* `!` */ || label.length > 999) return
  const identifier = normalizeLabel(label)
  if (identifier === '' || state.isDefined(identifier) || state.isAllowed(label)) return
  let suggestion: string | undefined

  if (state.candidates) {
    state.suggestions ||= createSuggestions(state.candidates)
    suggestion = suggestLabel(label, identifier, state.suggestions)
  }

  state.problems.push({
    ruleId: 'undefined-reference',
    label,
    reason: undefinedReferenceReason(label, suggestion),
    start,
    end
  })
}

