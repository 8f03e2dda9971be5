/**
 * Command line: `mdbook-xref [command] [options]`.
 *
 * * no command: run as an mdBook preprocessor (`[context, book]` on stdin,
 *   the book on stdout, findings on stderr);
 * * `supports <renderer>`: exit 0 when we run for that renderer, 1 if not;
 * * `lint [book-dir]`: check a book without mdBook;
 * * `init [book-dir]`: add `[preprocessor.xref]` to `book.toml`.
 *
 * Exit codes: 0 fine; 1 findings at error level with `deny`, or bad input
 * (invalid JSON, a closed stdout…); 2 usage errors. Nothing but the book ever
 * goes to stdout in preprocessor mode, and never a partial book.
 *
 * `supports` runs on every build before the real run: this file imports
 * nothing heavy; the Markdown stack is loaded lazily by the commands that
 * need it.
 */

import fs from 'node:fs'
import process from 'node:process'
import {help, parseArgv, UsageError, type Parsed} from './argv.js'
import {readStdin, writeStdout, type Io, type Outcome} from './io.js'

/**
 * Version of this package.
 *
 * @returns
 *   Version.
 */
export function version(): string {
  const url = new URL('../../package.json', import.meta.url)
  return (JSON.parse(fs.readFileSync(url, 'utf8')) as {version: string}).version
}

/**
 * Run the command line.
 *
 * @param argv
 *   Arguments after the program name.
 * @param io
 *   Streams and environment.
 * @returns
 *   Outcome; the caller writes it.
 */
export async function run(argv: string[], io: Io): Promise<Outcome> {
  let parsed: Parsed

  try {
    parsed = parseArgv(argv)
  } catch (error) {
    if (error instanceof UsageError) {
      return {code: 2, stderr: 'mdbook-xref: ' + error.message + '\n'}
    }

    throw error
  }

  if (parsed.flags.help) return {code: 0, stdout: help(parsed.command)}
  if (parsed.flags.version) return {code: 0, stdout: version() + '\n'}

  switch (parsed.command.name) {
    case 'supports': {
      const {supports} = await import('./supports.js')
      return supports(parsed.positionals[0], io)
    }

    case 'lint': {
      const {lintCommand} = await import('./lint.js')
      return lintCommand(parsed, io)
    }

    case 'init': {
      const {initCommand} = await import('./init.js')
      return initCommand(parsed, io)
    }

    default: {
      const {preprocessCommand} = await import('./preprocess.js')
      return preprocessCommand(io)
    }
  }
}

/**
 * Entry point of the binary: run, write, set the exit code.
 *
 * @returns
 *   Nothing.
 */
export async function main(): Promise<undefined> {
  const debug = process.env.MDBOOK_XREF_DEBUG === '1'
  let outcome: Outcome

  try {
    outcome = await run(process.argv.slice(2), {
      cwd: process.cwd(),
      env: process.env,
      readStdin
    })
  } catch (error) {
    outcome = {
      code: 1,
      stderr:
        'mdbook-xref: ' +
        (debug && error instanceof Error && error.stack ? error.stack : String((error as Error).message ?? error)) +
        '\n'
    }
  }

  if (outcome.stderr) process.stderr.write(outcome.stderr)

  if (outcome.stdout !== undefined) {
    try {
      await writeStdout(outcome.stdout)
    } catch (error) {
      process.stderr.write(
        'mdbook-xref: Cannot write to stdout (' + String((error as Error).message) + ')\n'
      )
      outcome.code = 1
    }
  }

  process.exitCode = outcome.code
}
