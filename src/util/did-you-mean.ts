/**
 * “Did you mean …?”: the one edit distance that config keys and link labels
 * are compared by. Each caller keeps its own cut-off (how near a candidate
 * must be to be offered); the distance is the same.
 */

/** Rows of `editDistance`, reused: a suggestion compares one label with thousands. */
let rows = [new Int32Array(64), new Int32Array(64)]

/**
 * Levenshtein distance of two strings (in UTF-16 units), or `max + 1` once
 * it exceeds `max`.
 *
 * @param a
 *   One, such as `see_insted`.
 * @param b
 *   Other, such as `see-instead`.
 * @param max
 *   Largest distance of interest (default: no bound).
 * @returns
 *   Distance, capped at `max + 1`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1
  if (rows[0].length <= b.length) rows = [new Int32Array(b.length * 2 + 2), new Int32Array(b.length * 2 + 2)]
  let [previous, current] = rows
  for (let j = 0; j <= b.length; j++) previous[j] = j

  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const value = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1)
      )
      current[j] = value
      if (value < rowMin) rowMin = value
    }

    if (rowMin > max) return max + 1
    const swap = previous
    previous = current
    current = swap
  }

  return Math.min(previous[b.length], max + 1)
}

/**
 * Closest candidate to a string; the first of equals wins.
 *
 * @param value
 *   Misspelled value.
 * @param candidates
 *   Valid values.
 * @returns
 *   Closest candidate (`''` when there are none).
 */
export function closest(value: string, candidates: readonly string[]): string {
  let best = candidates[0] || ''
  let bestDistance = Number.POSITIVE_INFINITY

  for (const candidate of candidates) {
    const distance = editDistance(value, candidate, bestDistance)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }

  return best
}

/**
 * Closest candidate, only when it is near enough to be a likely typo.
 *
 * Within a third of the length (at least 2 edits): `see_insted` gives
 * `see-instead`, but `custom-config` gives nothing rather than `nest-under`.
 *
 * @param value
 *   Misspelled value.
 * @param candidates
 *   Valid values.
 * @returns
 *   Candidate, or `undefined` when none is near.
 */
export function suggest(value: string, candidates: readonly string[]): string | undefined {
  const best = closest(value, candidates)
  return best && editDistance(value, best) <= Math.max(2, Math.floor(value.length / 3)) ? best : undefined
}
