/**
 * `mdbook-xref init`: add `[preprocessor.xref]` to `book.toml`.
 */

import type {Io, Outcome, Parsed} from './cli.js'

/**
 * Run `init`.
 *
 * @param parsed
 *   Command line.
 * @param io
 *   Environment.
 * @returns
 *   Outcome.
 */
export async function initCommand(parsed: Parsed, io: Io): Promise<Outcome> {
  void parsed
  void io
  return {code: 2, stderr: 'mdbook-xref: Unexpected `init`, expected a later release\n'}
}
