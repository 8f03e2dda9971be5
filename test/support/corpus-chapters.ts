/**
 * Chapters of a book on disk, as mdBook hands them to preprocessors, for
 * tests that compare the fast path with the reference path chapter by
 * chapter.
 */

import fs from 'node:fs'
import path from 'node:path'
import {normalizeLabel} from '../../src/markdown/labels.js'
import {expandIncludes, findBoundary} from '../../src/mdbook/includes.js'
import {stripBom} from '../../src/util/text.js'

/**
 * Chapter files of a book, in SUMMARY order (links to `.md` files).
 *
 * @param bookDir
 *   Book root (with `src/SUMMARY.md`).
 * @returns
 *   Absolute paths.
 */
export function summaryChapters(bookDir: string): string[] {
  const src = path.join(bookDir, 'src')
  const summary = fs.readFileSync(path.join(src, 'SUMMARY.md'), 'utf8')
  const files = [...summary.matchAll(/\]\(<?([^)>]+\.md)>?\)/g)].map((d) => path.join(src, decodeURI(d[1])))
  return [...new Set(files)].filter((d) => fs.existsSync(d))
}

/**
 * Expand a chapter's includes as mdBook does.
 *
 * @param file
 *   Chapter file.
 * @param bookDir
 *   Book root.
 * @param read
 *   Reader (optional).
 * @returns
 *   Expanded text (no BOM).
 */
export function expand(file: string, bookDir: string, read?: (file: string) => string): string {
  return stripBom(expandIncludes(file, {boundary: findBoundary(bookDir), ...(read ? {read} : {})}).text)
}

/** A one-line definition: `[label]: …`. */
const definitionLine = /^ {0,3}\[((?:[^\[\]\\]|\\[\s\S])+)\]:/

/** How to cut the shared definition files down. */
export interface TrimOptions {
  /** Keep each left-out definition's line, empty, so lines and columns stay as in the whole chapter (default: `false`: drop it). */
  keepLines?: boolean
  /** Also keep every `n`th line of the shared files (default: none). */
  every?: number
}

/**
 * Expand a corpus chapter with its shared definition files (`src/refs/`)
 * cut down to the definitions its prose can use (any bracketed text): a
 * whole chapter is ~800 KB of definitions, which takes the reference path
 * seconds.
 *
 * @param file
 *   Chapter file.
 * @param bookDir
 *   Book root.
 * @param options
 *   How to cut.
 * @returns
 *   Trimmed expanded text.
 */
export function trimmedChapter(file: string, bookDir: string, options: TrimOptions = {}): string {
  const refs = path.join(bookDir, 'src', 'refs') + path.sep
  const prose = expand(file, bookDir, (d) => (d.startsWith(refs) ? '' : fs.readFileSync(d, 'utf8')))
  const used = new Set<string>()
  for (const match of prose.matchAll(/\[((?:[^\[\]\\]|\\[\s\S]){1,999})\]/g)) used.add(normalizeLabel(match[1]))

  return expand(file, bookDir, function (d) {
    const text = fs.readFileSync(d, 'utf8')
    if (!d.startsWith(refs)) return text
    const lines: string[] = []

    for (const [index, line] of text.split('\n').entries()) {
      const match = definitionLine.exec(line)
      const kept = !match || used.has(normalizeLabel(match[1])) || (options.every !== undefined && index % options.every === 0)
      if (kept) lines.push(line)
      else if (options.keepLines) lines.push('')
    }

    return lines.join('\n')
  })
}
