/**
 * What a command run reads and gives back: the environment, stdin, and the
 * outcome that `main` writes.
 */

import fs from 'node:fs'
import path from 'node:path'
import process from 'node:process'
import type {Parsed} from './argv.js'

/** What a command run gives back. */
export interface Outcome {
  /** Exit code. */
  code: number
  /** Text for stdout (the book: chunks of bytes). */
  stdout?: string | Buffer[] | undefined
  /** Text for stderr. */
  stderr?: string | undefined
}

/** Streams and environment of a run (injectable for tests). */
export interface Io {
  cwd: string
  env: Record<string, string | undefined>
  /** Read all of stdin. */
  readStdin: () => Promise<Buffer>
}

/**
 * Read all of stdin.
 *
 * @returns
 *   Bytes.
 */
export async function readStdin(): Promise<Buffer> {
  // A file (`mdbook-xref < book.json`): one read.
  let file = false
  try {
    file = fs.fstatSync(0).isFile()
  } catch {}

  if (file) return fs.readFileSync(0)
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * Write to stdout, failing (not crashing) on a closed pipe.
 *
 * @param text
 *   Text.
 * @returns
 *   Promise that settles when written.
 */
export function writeStdout(text: string | Buffer[]): Promise<void> {
  const chunks = typeof text === 'string' ? [text] : text

  return new Promise((resolve, reject) => {
    process.stdout.once('error', reject)
    process.stdout.cork()
    for (const chunk of chunks.slice(0, -1)) process.stdout.write(chunk)
    process.stdout.write(chunks.at(-1) ?? '', (error) => {
      if (error) reject(error)
      else resolve()
    })
    process.stdout.uncork()
  })
}

/**
 * Resolve a book directory argument.
 *
 * @param parsed
 *   Parsed command line.
 * @param io
 *   Environment.
 * @returns
 *   Absolute path.
 */
export function bookDir(parsed: Parsed, io: Io): string {
  return path.resolve(io.cwd, parsed.positionals[0] || '.')
}
