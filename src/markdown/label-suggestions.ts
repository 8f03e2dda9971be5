/**
 * “Did you mean …”: a defined label to suggest for an undefined reference,
 * chosen among the thousands of labels a chapter defines.
 */

import {editDistance} from '../util/did-you-mean.js'
import {formatCrateLabel, parseCrateLabel} from './crate-labels.js'
import {normalizeLabel} from './labels.js'

/** Candidate labels, prepared for suggestions. */
export interface Suggestions {
  /** Labels as given. */
  labels: string[]
  /** Their identifiers. */
  identifiers: string[]
  /** Label by identifier. */
  byIdentifier: Map<string, string>
}

/**
 * Most identifiers of candidate labels kept across calls: the real book
 * offers 11,000 labels in each chapter; a book with more recomputes them.
 */
const maxCachedIdentifiers = 65_536

/**
 * Identifiers of candidate labels, kept across calls: each chapter of a book
 * offers the same thousands of labels (emptied when full).
 */
const candidateIdentifiers = new Map<string, string>()

/**
 * Prepare candidate labels for suggestions (read once, on first need).
 *
 * @param candidates
 *   Labels, or a function that gives them.
 * @returns
 *   Prepared candidates.
 */
export function createSuggestions(candidates: Iterable<string> | (() => Iterable<string>)): Suggestions {
  const labels = [...(typeof candidates === 'function' ? candidates() : candidates)]
  const identifiers = labels.map((d) => candidateIdentifier(d))
  const byIdentifier = new Map<string, string>()
  for (let index = 0; index < labels.length; index++) {
    if (!byIdentifier.has(identifiers[index])) byIdentifier.set(identifiers[index], labels[index])
  }

  return {labels, identifiers, byIdentifier}
}

/**
 * Suggest a defined label close to an undefined one.
 *
 * The same crate label in the other style comes first (`c-tokio` for
 * `c~tokio~docs`), then the closest label by edit distance (at most a fifth
 * of the length, 1 to 4 edits).
 *
 * @param label
 *   Undefined label.
 * @param identifier
 *   Its identifier.
 * @param suggestions
 *   Prepared candidates.
 * @returns
 *   Suggested label.
 */
export function suggestLabel(label: string, identifier: string, suggestions: Suggestions): string | undefined {
  const {labels, identifiers, byIdentifier} = suggestions
  const parts = parseCrateLabel(label)

  if (parts) {
    for (const style of ['tilde', 'dash'] as const) {
      const other = formatCrateLabel(parts, style)
      for (const name of [other, other.replace(/_/g, '-'), other.replace(/(?<=^c-[^-]*)-/g, '_')]) {
        const found = byIdentifier.get(normalizeLabel(name))
        if (found !== undefined && normalizeLabel(found) !== identifier) return found
      }
    }
  }

  const budget = Math.min(4, Math.max(1, Math.floor(identifier.length / 5)))
  let best: string | undefined
  let bestDistance = budget + 1

  const counts = new Int32Array(128)
  for (let index = 0; index < identifier.length; index++) counts[identifier.charCodeAt(index) & 127]++

  for (let index = 0; index < identifiers.length; index++) {
    const other = identifiers[index]
    // The missing label itself may be among the candidates (defined in
    // another chapter): suggesting it would not help.
    if (other === identifier) continue
    if (Math.abs(other.length - identifier.length) >= bestDistance) continue
    // Characters one has and the other lacks bound the distance from below:
    // most labels are far off and skip the full comparison.
    let extra = 0
    for (let at = 0; at < other.length; at++) if (--counts[other.charCodeAt(at) & 127] < 0) extra++
    for (let at = 0; at < other.length; at++) counts[other.charCodeAt(at) & 127]++
    if (Math.max(extra, identifier.length - (other.length - extra)) >= bestDistance) continue
    const distance = editDistance(identifier, other, bestDistance - 1)
    if (distance < bestDistance) {
      best = labels[index]
      bestDistance = distance
    }
  }

  return best
}

/**
 * Identifier of a candidate label.
 *
 * @param label
 *   Label.
 * @returns
 *   Identifier.
 */
function candidateIdentifier(label: string): string {
  let identifier = candidateIdentifiers.get(label)

  if (identifier === undefined) {
    if (candidateIdentifiers.size >= maxCachedIdentifiers) candidateIdentifiers.clear()
    identifier = normalizeLabel(label)
    candidateIdentifiers.set(label, identifier)
  }

  return identifier
}
