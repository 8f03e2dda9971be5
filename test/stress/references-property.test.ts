import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import type {Definition as MdastDefinition, Nodes} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {locateInContent, processBook} from '../../src/book/pass.js'
import {formatHuman, formatJson} from '../../src/diagnostics/report.js'
import {resolveOptions} from '../../src/mdbook/config.js'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import {remarkMdbook} from '../../src/plugins/remark-mdbook.js'
import {editDistance} from '../../src/util/did-you-mean.js'
import {
  checkDefinition,
  checkDefinitions,
  findUnused,
  type ChapterDefinitions,
  type PlacedDefinition
} from '../../src/markdown/definition-checks.js'
import {parseDefinitions} from '../../src/markdown/definitions.js'
import {normalizeLabel, type RefOptions} from '../../src/markdown/labels.js'
import {findMalformedDefinitions} from '../../src/markdown/malformed-definitions.js'
import {findReferenceProblems} from '../../src/markdown/reference-scan.js'
import {remarkXrefRefs} from '../../src/plugins/remark-xref-refs.js'
import {corpus, rustHowto, rustHowtoOld} from '../corpus.js'

/** `remarkMdbook`, typed for `use` after `remark-parse`. */
const mdbook = remarkMdbook as () => undefined

/**
 * Definitions as micromark sees them, in the shape of `parseDefinitions`.
 *
 * @param value
 *   Markdown.
 * @param topLevel
 *   Only top-level definitions.
 * @returns
 *   Definitions.
 */
function micromarkDefinitions(value: string, topLevel = false) {
  const found: MdastDefinition[] = []
  const visit = (node: Nodes) => {
    if (node.type === 'definition') found.push(node)
    else if ('children' in node && !(topLevel && node.type !== 'root')) node.children.forEach(visit)
  }

  visit(parseMarkdown(value))
  return found.map((d) => ({
    label: d.label ?? '',
    identifier: d.identifier,
    url: d.url,
    title: d.title ?? null,
    start: d.position!.start.offset,
    end: d.position!.end.offset,
    line: d.position!.start.line,
    column: d.position!.start.column
  }))
}

/**
 * Reference problems of a document, with the source they cover.
 *
 * @param value
 *   Markdown (its own definitions count as defined).
 * @param options
 *   Options.
 * @returns
 *   `[ruleId, source, reason]`.
 */
function problems(value: string, options?: RefOptions) {
  const tree = parseMarkdown(value)
  const defined = new Set(micromarkDefinitions(value).map((d) => d.identifier))
  return findReferenceProblems(tree, value, (d) => defined.has(d), options).map((d) => [
    d.ruleId,
    value.slice(d.start, d.end),
    d.reason
  ])
}

/**
 * A placed definition.
 *
 * @param label
 *   Label.
 * @param url
 *   URL.
 * @param file
 *   File.
 * @param line
 *   Line.
 * @returns
 *   Definition.
 */
function placed(label: string, url: string, file = 'refs.md', line = 1): PlacedDefinition {
  return {label, url, place: {file, line, column: 1}}
}

describe('parseDefinitions', () => {

  it('should agree with micromark on any mix of lines', () => {
    const fragments = [
      '[a]: b', '[a]:  <b c>', '  [A b]: /u "t"', "[x]: y 'q'", '[x]: y (q(r))', '[x]: a)b', '[x]: a(b',
      '[^1]: foot', '[a\\]b]: c', '[a&amp;]: &copy;\\*', '[x]:', 'http://z', '"title"', 'text', '', '',
      '```', '~~~', '<!--', '-->', '- [a]: b', '> [a]: b', '    [a]: b', '\t[a]: b', '[a]: b\t',
      '[a]: b "t" x', '[a]: <b>"t"', '[]: x', '[ ]: x', '[a]: b  ', '[a]: b ""', '===', '| a |',
      '[[a]]: b', '[a]: b "\\""', '[ä]: ü', '[a]: b "t', 'more"', '<div>', '1. x', '[a]:b', '[a]: b"c"'
    ]
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...fragments), {minLength: 1, maxLength: 8}),
        fc.constantFrom('\n', '\r\n', '\r'),
        (lines, eol) => {
          const text = lines.join(eol)
          expect(parseDefinitions(text).definitions).toEqual(micromarkDefinitions(text, true))
        }
      ),
      {seed: Number(process.env.XREF_SEED || 2025), numRuns: Number(process.env.XREF_RUNS || 2000)}
    )
  })

})

/**
 * Definitions of every chapter of a book, with `.md` includes expanded
 * (a small local stand-in for the book module: `{{#include file.md}}`
 * only; refs files parsed with `parseDefinitions`, others with micromark).
 *
 * @param book
 *   Book folder.
 * @returns
 *   Chapters.
 */
function bookChapters(book: string): ChapterDefinitions[] {
  const src = path.join(book, 'src')
  const cache = new Map<string, Array<{offset: number; definition?: PlacedDefinition; include?: string}>>()
  const chapters: ChapterDefinitions[] = []
  walk(src)
  return chapters.sort((a, b) => a.chapter.localeCompare(b.chapter))

  /** Collect chapters (not `*.incl.md`, refs, or `SUMMARY.md`) under a folder. */
  function walk(folder: string): undefined {
    for (const entry of fs.readdirSync(folder, {withFileTypes: true})) {
      const file = path.join(folder, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== 'refs') walk(file)
      } else if (entry.name.endsWith('.md') && !entry.name.endsWith('.incl.md') && entry.name !== 'SUMMARY.md') {
        chapters.push({chapter: path.relative(src, file), definitions: expand(file, 0)})
      }
    }
  }

  /** Definitions of a file with its includes expanded, in order. */
  function expand(file: string, depth: number): PlacedDefinition[] {
    const result: PlacedDefinition[] = []
    for (const item of own(file)) {
      if (item.definition) result.push(item.definition)
      else if (item.include && depth < 10 && fs.existsSync(item.include)) result.push(...expand(item.include, depth + 1))
    }

    return result
  }

  /** Definitions and `.md` includes of one file, by offset (cached). */
  function own(file: string) {
    let items = cache.get(file)
    if (items) return items
    items = []
    const text = fs.readFileSync(file, 'utf8')
    const relative = path.relative(book, file)
    const found = file.includes(path.sep + 'refs' + path.sep)
      ? parseDefinitions(text).definitions
      : micromarkDefinitions(text)
    for (const d of found) {
      items.push({
        offset: d.start!,
        definition: {label: d.label, url: d.url, identifier: d.identifier, place: {file: relative, line: d.line, column: d.column}}
      })
    }

    for (const match of text.matchAll(/\{\{#include\s+([^}\s]+\.md)\s*\}\}/g)) {
      items.push({offset: match.index, include: path.resolve(path.dirname(file), match[1])})
    }

    items.sort((a, b) => a.offset - b.offset)
    cache.set(file, items)
    return items
  }
}
