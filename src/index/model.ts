/**
 * The compiled index: the types every step from entries to page shares.
 *
 * One model per book (`compileIndex`) feeds the page, the JSON export, the
 * cross-reference checks and the near-duplicate check.
 */

import type {IndexEntry} from '../markdown/markers.js'

/** A finding about `seeInstead` / `seeAlso`. */
export interface CrossReferenceProblem {
  ruleId: 'index-dangling-see'
  /** “Cannot find `x` …; did you mean `y`” or “Unexpected see loop …”. */
  reason: string
  /** Config key (term) the problem is about, as written. */
  term: string
  /** Target as written. */
  target: string
  /** Suggested targets (existing terms), if any. */
  expected: string[]
}

/** Settings with defaults filled in. */
export interface Settings {
  title: string
  indexPath: string
  language: string
  mergeCase: boolean
  labels: 'name' | 'number'
  seeInstead: Array<[string, string]>
  seeAlso: Array<[string, string[]]>
  nestUnder: Array<[string, string]>
  collator: Intl.Collator
}

/** One level of a term path, with its identity key. */
export interface Level {
  display: string
  sortKey: string | undefined
  /** Identity: display, first letter lowercased when merging case. */
  key: string
  /** From configuration (`nestUnder`, see target) rather than from a marker. */
  synthetic: boolean
}

/** An entry with its place in book order. */
export interface Occurrence {
  entry: IndexEntry
  chapterIndex: number
}

/** An occurrence on its way into the tree. */
export interface Item {
  occurrence: Occurrence
  /** Path as written. */
  written: Level[]
  /** Path after nesting, before see moves. */
  nested: Level[]
  /** Final path. */
  levels: Level[]
}

/** A `seeInstead` rule. */
export interface SeeRule extends NestRule {
  toKey: string
  state: 'active' | 'dangling' | 'loop'
}

/** A rewrite rule (`nestUnder`, or the base of a `seeInstead` rule). */
export interface NestRule {
  /** Key as written in the configuration. */
  name: string
  /** Target as written in the configuration. */
  target: string
  from: Level[]
  fromKey: string
  to: Level[]
  /** Keep the matched prefix after `to` (`nestUnder`) or replace it (see). */
  insert: boolean
}

/** A cross-reference on a node. */
export interface Target {
  /** Target path as configured (after nesting). */
  written: Level[]
  /** Final path key, when it exists. */
  final: string | undefined
}

/** A node of the index tree. */
export interface Node {
  key: string
  pathKey: string
  depth: number
  parent: Node | undefined
  fallback: Level | undefined
  italic: boolean
  occurrences: Occurrence[]
  children: Map<string, Node>
  see: Target | undefined
  seeAlso: Target[]
  display: string
  sortText: string
  group: string
}

/**
 * Everything computed from entries and options (what differs between the page
 * and the JSON export, the title and the index path, is applied when
 * rendering: see `IndexView`).
 */
export interface IndexModel {
  settings: Settings
  /** Every occurrence with a term, drafts included, in book order. */
  parsed: Item[]
  /** Nesting rules, loops cut. */
  nestRules: NestRule[]
  /** See rules, settled over the occurrences that are not drafts. */
  seeRules: SeeRule[]
  roots: Node[]
  nodes: Map<string, Node>
  /** Letter groups, in order. */
  groups: Array<{label: string; nodes: Node[]}>
  problems: CrossReferenceProblem[]
}

/** Separator of level keys in a path key (never in a term). */
export const sep = '\u0000'
