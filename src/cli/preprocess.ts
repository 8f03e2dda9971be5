/**
 * The preprocessor run: read `[context, book]`, transform the book (see
 * `book/preprocess.ts`), write it back in the shape it came in, report
 * findings on stderr.
 */

import {isUtf8} from 'node:buffer'
import type {Io, Outcome} from './io.js'
import {readConfig, supportsRenderer} from '../mdbook/config.js'
import {preprocessBook} from '../book/preprocess.js'
import {checkVersion, ProtocolError} from '../mdbook/protocol.js'
import {readInput, writeBook, type WireInput} from '../mdbook/wire.js'

/**
 * Run as a preprocessor: stdin to stdout.
 *
 * @param io
 *   Environment.
 * @returns
 *   Outcome (stdout only when everything succeeded).
 */
export async function preprocessCommand(io: Io): Promise<Outcome> {
  const bytes = await io.readStdin()

  // `isUtf8` is a native check, much faster than a fatal `TextDecoder`.
  if (!isUtf8(bytes)) {
    return {
      code: 1,
      stderr:
        'mdbook-xref: Unexpected invalid UTF-8 on stdin, expected `[context, book]` JSON from mdBook\n'
    }
  }

  let wire: WireInput

  try {
    wire = readInput(bytes)
  } catch (error) {
    if (error instanceof ProtocolError) {
      return {code: 1, stderr: 'mdbook-xref: ' + error.message + '\n'}
    }

    throw error
  }

  const input = wire.input
  let stderr = ''
  const versionWarning = checkVersion(input.context.mdbook_version)
  if (versionWarning) stderr += 'mdbook-xref: warning: ' + versionWarning + '\n'

  const {options, warnings} = readConfig(input.context.config, io.env)
  for (const warning of warnings) stderr += 'mdbook-xref: warning: ' + warning + '\n'

  if (!supportsRenderer(input.context.renderer, options)) {
    // mdBook asked `supports` first; if we are run anyway, pass through.
    return {code: 0, stdout: writeBook(wire, []), stderr}
  }

  const result = preprocessBook(input, options)
  stderr += result.report

  if (result.failed && options.deny) {
    return {
      code: 1,
      stderr: stderr + 'mdbook-xref: Unexpected findings at error level, expected none with `deny = true`\n'
    }
  }

  return {code: 0, stdout: writeBook(wire, result.changes), stderr}
}
