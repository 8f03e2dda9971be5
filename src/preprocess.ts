/**
 * The preprocessor run: read `[context, book]`, transform the book, write it
 * back in the shape it came in, report findings on stderr.
 */

import type {Io, Outcome} from './cli.js'
import {readConfig, supportsRenderer, type ResolvedOptions} from './config.js'
import {
  checkVersion,
  parseInput,
  ProtocolError,
  serializeBook,
  type PreprocessorInput
} from './protocol.js'

/** Result of transforming a book. */
export interface PreprocessResult {
  /** Findings, as text for stderr (human format). */
  report: string
  /** Whether any finding is at error level. */
  failed: boolean
}

/**
 * Transform a book in place.
 *
 * @param input
 *   Context and book.
 * @param options
 *   Options.
 * @returns
 *   Report.
 */
export function preprocessBook(
  input: PreprocessorInput,
  options: ResolvedOptions
): PreprocessResult {
  void input
  void options
  return {report: '', failed: false}
}

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
  let text: string

  try {
    text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: false}).decode(bytes)
  } catch {
    return {
      code: 1,
      stderr:
        'mdbook-xref: Unexpected invalid UTF-8 on stdin, expected `[context, book]` JSON from mdBook\n'
    }
  }

  let input: PreprocessorInput

  try {
    input = parseInput(text)
  } catch (error) {
    if (error instanceof ProtocolError) {
      return {code: 1, stderr: 'mdbook-xref: ' + error.message + '\n'}
    }

    throw error
  }

  let stderr = ''
  const versionWarning = checkVersion(input.context.mdbook_version)
  if (versionWarning) stderr += 'mdbook-xref: warning: ' + versionWarning + '\n'

  const {options, warnings} = readConfig(input.context.config, io.env)
  for (const warning of warnings) stderr += 'mdbook-xref: warning: ' + warning + '\n'

  if (!supportsRenderer(input.context.renderer, options)) {
    // mdBook asked `supports` first; if we are run anyway, pass through.
    return {code: 0, stdout: serializeBook(input.book), stderr}
  }

  const result = preprocessBook(input, options)
  stderr += result.report

  if (result.failed && options.deny) {
    return {
      code: 1,
      stderr: stderr + 'mdbook-xref: Unexpected findings at error level, expected none with `deny = true`\n'
    }
  }

  return {code: 0, stdout: serializeBook(input.book), stderr}
}
