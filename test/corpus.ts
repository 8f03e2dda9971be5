/**
 * Access to the real books in `../shared/corpus` (test and benchmark data,
 * never copied into the project). Tests that need them are skipped when the
 * folder is missing.
 */

import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** Project root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Corpus folder, or `undefined` when absent. */
export const corpus: string | undefined = (function () {
  const folder = path.resolve(root, '..', 'shared', 'corpus')
  return fs.existsSync(path.join(folder, 'rust_howto', 'book.toml')) ? folder : undefined
})()

/** The current real book. */
export const rustHowto = corpus ? path.join(corpus, 'rust_howto') : ''

/** The May 2025 Networking chapter in the old `c-` style. */
export const rustHowtoOld = corpus ? path.join(corpus, 'rust_howto-2025-05') : ''

/**
 * Every Markdown file of both corpus books, refs files excluded.
 *
 * @returns
 *   Absolute paths, sorted.
 */
export function markdownFiles(): string[] {
  if (!corpus) return []
  const files: string[] = []

  for (const book of [rustHowto, rustHowtoOld]) walk(path.join(book, 'src'))

  return files.sort()

  function walk(folder: string): undefined {
    for (const entry of fs.readdirSync(folder, {withFileTypes: true})) {
      const file = path.join(folder, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'refs') walk(file)
      } else if (entry.name.endsWith('.md')) {
        files.push(file)
      }
    }
  }
}
