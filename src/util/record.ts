/**
 * Shape checks of parsed JSON and TOML values.
 */

/**
 * Check whether a value is a plain object (a JSON object or TOML table).
 *
 * @param value
 *   Value.
 * @returns
 *   Whether `value` is a non-array, non-null object.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
