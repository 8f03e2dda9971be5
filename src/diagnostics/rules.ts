/**
 * Diagnostics: the rule table, how findings become vfile messages, and the
 * three reporters (human, `json`, `github`).
 *
 * A finding is a `VFileMessage` with `source: 'mdbook-xref'`, a `ruleId` from
 * `rules`, a `place` in the file where the author wrote the text, and `url`
 * pointing at the rule's README section.
 */

import type {Node} from 'unist'
import type {VFile} from 'vfile'
import {location, type Location} from 'vfile-location'
import {VFileMessage} from 'vfile-message'
import {stripBom} from '../util/text.js'
import {ancestorsAt} from './ancestors.js'

/** Name used as `source` on every message. */
export const source = 'mdbook-xref'

const readme = 'https://github.com/mdbook-xref/mdbook-xref#'

/** Severity a rule can be set to. */
export type Severity = 'off' | 'warn' | 'error'

/**
 * Every rule: its default severity and documentation anchor.
 *
 * Rule ids are kebab-case and stable: they are the names users put in
 * `book.toml` to turn rules off or up.
 */
export const rules = {
  'marker-empty': {severity: 'warn', url: readme + 'marker-empty'},
  'marker-unterminated': {severity: 'warn', url: readme + 'marker-unterminated'},
  'marker-nested': {severity: 'warn', url: readme + 'marker-nested'},
  'marker-dropped': {severity: 'warn', url: readme + 'marker-dropped'},
  'index-near-duplicate': {severity: 'warn', url: readme + 'index-near-duplicate'},
  'index-dangling-see': {severity: 'warn', url: readme + 'index-dangling-see'},
  'index-chapter-missing': {severity: 'warn', url: readme + 'index-chapter-missing'},
  'undefined-reference': {severity: 'error', url: readme + 'undefined-reference'},
  'wiki-link': {severity: 'warn', url: readme + 'wiki-link'},
  'duplicate-definition': {severity: 'warn', url: readme + 'duplicate-definition'},
  'conflicting-definition': {severity: 'error', url: readme + 'conflicting-definition'},
  convention: {severity: 'warn', url: readme + 'convention'},
  'malformed-definition': {severity: 'warn', url: readme + 'malformed-definition'},
  'unsafe-url': {severity: 'error', url: readme + 'unsafe-url'},
  'unused-definition': {severity: 'off', url: readme + 'unused-definition'},
  'crate-undefined': {severity: 'off', url: readme + 'crate-undefined'},
  'crate-unreferenced': {severity: 'off', url: readme + 'crate-unreferenced'},
  'include-error': {severity: 'error', url: readme + 'include-error'},
  'crates-directive': {severity: 'warn', url: readme + 'crates-directive'},
  config: {severity: 'warn', url: readme + 'configuration'}
} as const satisfies Record<string, {severity: Severity; url: string}>

/** Id of a rule. */
export type RuleId = keyof typeof rules

/** Severity per rule, as configured. */
export type RuleLevels = Partial<Record<RuleId, Severity>>

/** A place in a source file (1-indexed line and column). */
export interface Point {
  line: number
  column: number
  offset?: number | undefined
}

/** Fields for a new finding. */
export interface FindingFields {
  /** Rule. */
  ruleId: RuleId
  /** Reason: “Unexpected …, expected …”, values in backticks, no final period. */
  reason: string
  /** Where the author wrote it. */
  place?: Point | {start: Point; end: Point} | undefined
  /** Related label, for references and definitions. */
  label?: string | undefined
  /** Chapters (paths) that the place affects. */
  chapters?: string[] | undefined
  /** Related places, such as the first definition of a duplicate. */
  note?: string | undefined
  /** Expected values, for fixes. */
  expected?: string[] | undefined
  /** A related place, such as the first definition of a duplicate (becomes the message’s `cause`). */
  cause?: RelatedPlace | undefined
  /** Nodes from the root to the node the finding is in (default: found from `place` in the tree given to `report()`). */
  ancestors?: Node[] | undefined
}

/** A place related to a finding, in its own file. */
export interface RelatedPlace {
  /** What is there: “First definition of `x`, which wins”. */
  reason: string
  /** File (path) the place is in. */
  file: string
  /** Where. */
  place: Point | {start: Point; end: Point}
}

/**
 * Add a finding to a file as a vfile message, at the rule's level: `fatal`
 * only when the level is `error`, a warning (`fatal: false`) otherwise, as
 * remark-lint's `unified-lint-rule` does for severity 2 and 1.
 *
 * @param file
 *   File to add to (its `path` is the source file).
 * @param fields
 *   Finding.
 * @param levels
 *   Configured levels (default: each rule's own).
 * @param tree
 *   Tree the file was parsed to, for the message's `ancestors` (optional;
 *   the book pass has no tree of the author's file).
 * @returns
 *   The message, or `undefined` when the rule is off.
 */
export function report(
  file: VFile,
  fields: FindingFields,
  levels?: RuleLevels | null | undefined,
  tree?: Node | null | undefined
): VFileMessage | undefined {
  const severity = levelOf(fields.ruleId, levels)
  if (severity === 'off') return undefined
  const related = fields.cause
  const place = fields.place
  const start = place && 'start' in place ? place.start : place
  const message = new VFileMessage(fields.reason, {
    ancestors: fields.ancestors || (tree && start ? ancestorsAt(tree, start) : undefined),
    cause: related ? relatedMessage(related, fields.ruleId) : undefined,
    place: fields.place,
    ruleId: fields.ruleId,
    source
  })
  message.file = file.path
  message.url = rules[fields.ruleId].url
  message.fatal = severity === 'error' ? true : false
  if (fields.note !== undefined) message.note = fields.note
  if (fields.expected !== undefined) message.expected = fields.expected
  const data = message as VFileMessage & {label?: string; chapters?: string[]}
  if (fields.label !== undefined) data.label = fields.label
  if (fields.chapters !== undefined) data.chapters = fields.chapters
  file.messages.push(message)
  return message
}

/**
 * A related place as a vfile message, for a finding's `cause` (as
 * remark-lint's `no-duplicate-definitions` does).
 *
 * @param related
 *   Related place.
 * @param ruleId
 *   Rule of the finding.
 * @returns
 *   Message (not added to any file).
 */
function relatedMessage(related: RelatedPlace, ruleId: RuleId): VFileMessage {
  const message = new VFileMessage(related.reason, {place: related.place, ruleId, source})
  message.file = related.file
  return message
}

/**
 * The text a tree parsed from a file counts its offsets in, and points in
 * it: micromark skips a leading BOM without counting it.
 *
 * @param file
 *   File the tree was parsed from.
 * @returns
 *   Text (no BOM) and its location.
 */
export function treeSource(file: VFile): {value: string; place: Location} {
  const value = stripBom(String(file.value))
  return {value, place: location(value)}
}

/**
 * Severity of a rule under a configuration.
 *
 * @param ruleId
 *   Rule.
 * @param levels
 *   Configured levels.
 * @returns
 *   Severity.
 */
export function levelOf(
  ruleId: RuleId,
  levels?: RuleLevels | null | undefined
): Severity {
  return (levels && levels[ruleId]) || rules[ruleId].severity
}
