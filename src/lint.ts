/**
 * `mdbook-xref lint`: check a book without mdBook.
 */

import type {Io, Outcome, Parsed} from './cli.js'

/**
 * Run `lint`.
 *
 * @param parsed
 *   Command line.
 * @param io
 *   Environment.
 * @returns
 *   Outcome.
 */
export async function lintCommand(parsed: Parsed, io: Io): Promise<Outcome> {
  void parsed
  void io
  return {code: 2, stderr: 'mdbook-xref: Unexpected `lint`, expected a later release\n'}
}
