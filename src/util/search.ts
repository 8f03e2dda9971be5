/**
 * Binary search over things sorted by where they start.
 */

/**
 * The last item that starts at or before `offset`.
 *
 * @param items
 *   Items sorted by `start`.
 * @param offset
 *   Offset.
 * @returns
 *   Item, if one starts at or before `offset`.
 */
export function lastStartingAtOrBefore<T extends {start: number}>(
  items: ReadonlyArray<T>,
  offset: number
): T | undefined {
  let low = 0
  let high = items.length - 1
  let result: T | undefined

  while (low <= high) {
    const middle = (low + high) >> 1

    if (items[middle].start <= offset) {
      result = items[middle]
      low = middle + 1
    } else {
      high = middle - 1
    }
  }

  return result
}
