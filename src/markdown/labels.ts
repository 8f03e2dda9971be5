/**
 * Link reference labels: how they match (CommonMark normalisation), which
 * label families must be defined, and the options every reference check
 * takes.
 */

import {normalizeIdentifier} from 'micromark-util-normalize-identifier'
import type {RuleLevels} from '../diagnostics/rules.js'

/** Configuration of the reference and definition checks. */
export interface RefOptions {
  /** Label families whose shortcut references (`[c~tokio~docs]`) must be defined (default: `['c-', 'c~', 'cat-', 'cat~']`). */
  prefixes?: ReadonlyArray<string> | null | undefined
  /** Offset at or after which nodes are ignored, such as stand-in definitions appended by the caller (default: none). */
  limit?: number | null | undefined
  /** Labels to suggest for an undefined reference, read only when one is found (default: none). */
  candidates?: Iterable<string> | (() => Iterable<string>) | null | undefined
  /** Check crate and category URL conventions (default: `true`). */
  conventions?: boolean | null | undefined
  /** Rule severities, used by the plugin (default: each rule’s own). */
  levels?: RuleLevels | null | undefined
  /** Book root (the folder of `book.toml`): the plugin expands the file’s `{{#include}}`s as mdBook does, so included definitions count (default: none, the file as given). */
  book?: string | null | undefined
  /** Labels defined elsewhere, counted as defined by the plugin (default: none). */
  definitions?: Iterable<string> | (() => Iterable<string>) | null | undefined
  /** Labels resolved elsewhere (another preprocessor), never reported as undefined: strings are exact labels, matched as CommonMark matches them, RegExps are tested against the label as written (default: `[]`). */
  allow?: ReadonlyArray<string | RegExp> | null | undefined
}

/** Default label families. */
export const defaultPrefixes: ReadonlyArray<string> = ['c-', 'c~', 'cat-', 'cat~']

/**
 * Normalise a label for matching, as CommonMark does (collapse whitespace,
 * trim, fold case); this is the form of mdast’s `identifier`.
 *
 * @param label
 *   Label as written (`c~Tokio~docs`).
 * @returns
 *   Identifier (`c~tokio~docs`).
 */
export function normalizeLabel(label: string): string {
  return normalizeIdentifier(label).toLowerCase()
}

/**
 * Whether a character code is ASCII punctuation (escapable with `\`).
 *
 * @param code
 *   Character code.
 * @returns
 *   Whether it is.
 */
export function isPunctuation(code: number): boolean {
  return (
    (code >= 33 && code <= 47) ||
    (code >= 58 && code <= 64) ||
    (code >= 91 && code <= 96) ||
    (code >= 123 && code <= 126)
  )
}

/** Compiled allow-lists, by list, so that a list given for every chapter is compiled once. */
const allowCache = new WeakMap<ReadonlyArray<string | RegExp>, (label: string) => boolean>()

/** Matcher of an empty allow-list. */
const allowNothing = (): boolean => false

/**
 * Compile an allow-list (see `RefOptions.allow`) into the one function that
 * decides whether a label is allowed.
 *
 * @param allow
 *   Exact labels (`'Free functions'`) and patterns (`/^(std|core)::/`).
 * @returns
 *   Whether a label, as written in the reference, is allowed.
 */
export function allowMatcher(
  allow: ReadonlyArray<string | RegExp> | null | undefined
): (label: string) => boolean {
  if (!allow || allow.length === 0) return allowNothing
  let matcher = allowCache.get(allow)
  if (matcher) return matcher
  const exact = new Set<string>()
  const patterns: RegExp[] = []

  for (const item of allow) {
    if (typeof item === 'string') exact.add(normalizeLabel(item))
    else patterns.push(item)
  }

  matcher = function (label) {
    if (exact.size > 0 && exact.has(normalizeLabel(label))) return true

    for (const pattern of patterns) {
      // A `g` or `y` pattern keeps `lastIndex` between tests.
      pattern.lastIndex = 0
      if (pattern.test(label)) return true
    }

    return false
  }

  allowCache.set(allow, matcher)
  return matcher
}
