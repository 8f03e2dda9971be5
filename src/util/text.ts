/**
 * Small text helpers shared by every folder: the byte order mark.
 *
 * mdBook strips a leading BOM from each file it reads; so do we, once, at
 * the place the text enters. Offsets after it count from the character after
 * the BOM, and `bomLength` says how far to shift them back.
 */

/** The byte order mark, as a UTF-16 code unit. */
export const bom = '\uFEFF'

/**
 * Length of a leading byte order mark (`0` or `1`).
 *
 * @param value
 *   Text, such as `'\uFEFF# Title'`.
 * @returns
 *   `1` when `value` starts with U+FEFF, else `0`.
 */
export function bomLength(value: string): 0 | 1 {
  return value.charCodeAt(0) === 0xfe_ff ? 1 : 0
}

/**
 * Text without a leading byte order mark.
 *
 * @param value
 *   Text.
 * @returns
 *   `value` without one leading U+FEFF.
 */
export function stripBom(value: string): string {
  return bomLength(value) === 1 ? value.slice(1) : value
}
