/**
 * The crate pages in a book: the `{{#xref-crates}}` and
 * `{{#xref-crates by-category}}` directives, found before the pass rewrites
 * markers, and the pages put in their place after it.
 *
 * A directive counts alone on its line only (as `{{#xref-index}}`), so that
 * prose that mentions it stays as written. The page goes between comments
 * that name the directive, so that a second pass over the output replaces
 * it:
 *
 * ```markdown
 * <!-- mdbook-xref crates by-category: start -->
 * …
 * <!-- mdbook-xref crates: end -->
 * ```
 *
 * A directive with another argument is reported and left as written (one
 * bad directive does not fail the book).
 */

import type {CrateChapter} from '../crates/collect.js'
import type {CrateIndex} from '../crates/model.js'
import {renderCratePage} from '../crates/page.js'
import type {ChapterAnalysis} from '../fast/analyse-chapter.js'
import type {Edit} from '../markdown/marker-rewrite.js'
import type {Finding} from './finding.js'

/** Name of the directive. */
export const cratesDirective = '{{#xref-crates}}'

/** The argument that groups the page by category. */
const byCategoryArgument = 'by-category'

/** End of a page we generated. */
const cratesEnd = '<!-- mdbook-xref crates: end -->'

/**
 * A directive alone on its line (`{{#xref-crates}}`, `{{#xref-crates by-category}}`),
 * or a page we generated before.
 */
const directivePattern =
  /^[ \t]*\{\{#xref-crates(?:[ \t]+([^\n]*?))?[ \t]*\}\}[ \t]*$|<!-- mdbook-xref crates( by-category)?: start -->[^]*?<!-- mdbook-xref crates: end -->/gm

/** A directive (or a page we generated before) in a chapter. */
export interface CrateDirective {
  /** Offset of the directive (or the page's start comment). */
  start: number
  /** Offset after it. */
  end: number
  /** Whether the page groups by category. */
  byCategory: boolean
  /** Argument as written, when it is not one we know (the directive stays). */
  unexpected: string | undefined
}

/**
 * Whether a chapter may hold a crate directive (a quick test before the
 * search).
 *
 * @param content
 *   Chapter content.
 * @returns
 *   Whether to search.
 */
export function mayHoldCrateDirective(content: string): boolean {
  return content.includes('{{#xref-crates') || content.includes('<!-- mdbook-xref crates')
}

/**
 * Find the crate directives of a chapter.
 *
 * @param content
 *   Chapter content (without BOM).
 * @returns
 *   Directives, in order.
 */
export function findCrateDirectives(content: string): CrateDirective[] {
  if (!mayHoldCrateDirective(content)) return []
  const found: CrateDirective[] = []

  for (const match of content.matchAll(directivePattern)) {
    const start = match.index
    const end = start + match[0].length

    if (match[0].startsWith('<')) {
      found.push({start, end, byCategory: match[2] !== undefined, unexpected: undefined})
      continue
    }

    const argument = match[1]
    const known = argument === undefined || argument === byCategoryArgument
    found.push({
      start,
      end,
      byCategory: argument === byCategoryArgument,
      unexpected: known ? undefined : argument
    })
  }

  return found
}

/**
 * A finding for each directive with an argument we do not know.
 *
 * @param directives
 *   Directives of a chapter.
 * @param chapter
 *   Chapter index.
 * @param bom
 *   Length of the chapter's BOM (offsets are in the content after it).
 * @returns
 *   Findings.
 */
export function directiveFindings(directives: ReadonlyArray<CrateDirective>, chapter: number, bom: number): Finding[] {
  return directives
    .filter((d) => d.unexpected !== undefined)
    .map((d) => ({
      ruleId: 'crates-directive',
      reason:
        'Unexpected `' + d.unexpected + '` in `{{#xref-crates}}`, expected `' + byCategoryArgument + '` or nothing',
      chapter,
      start: d.start + bom,
      end: d.end + bom
    }))
}

/**
 * The edits that undo a chapter's marker rewriting (the texts it replaced),
 * so that the collector can read the chapter as written without the pass
 * holding every original content.
 *
 * @param original
 *   Content before the edits.
 * @param edits
 *   Edits of that content (sorted, not overlapping).
 * @returns
 *   Edits of the edited content that give the original back.
 */
export function undoEdits(original: string, edits: ReadonlyArray<Edit>): Edit[] {
  const undo: Edit[] = []
  let delta = 0

  for (const edit of edits) {
    const start = edit.start + delta
    // A copy, not a slice: V8 slices of 13 or more characters hold the whole
    // content they come from, which the pass does not keep.
    const value = Array.from(original.slice(edit.start, edit.end)).join('')
    undo.push({start, end: start + edit.value.length, value})
    delta += edit.value.length - (edit.end - edit.start)
  }

  return undo
}

/** What the pass gives to put the crate pages into their chapters. */
export interface CratePlacement {
  /** Crates of the book. */
  index: CrateIndex
  /** Chapter, its content now (without BOM). */
  content: string
  /** Chapter path. */
  path: string | null
  /** Chapter name: the title when the chapter has no heading of its own. */
  name: string
  /** Analysis of the chapter (its definitions), when references were checked. */
  analysis: ChapterAnalysis | undefined
  /** URLs of labels by normalised label, from the whole book. */
  urls: ReadonlyMap<string, string>
}

/**
 * Put the crate pages in place of a chapter's directives.
 *
 * @param placement
 *   Crates and chapter.
 * @returns
 *   New content (without BOM), or `undefined` when nothing changed.
 */
export function placeCratePages(placement: CratePlacement): string | undefined {
  const {content, analysis} = placement
  const directives = findCrateDirectives(content).filter((d) => d.unexpected === undefined)
  if (directives.length === 0) return undefined

  const defined = analysis ? definedLabels(analysis) : undefined
  const outside = directives.reduceRight((text, d) => text.slice(0, d.start) + text.slice(d.end), content)
  const ownHeading = /^ {0,3}#/m.test(outside)
  let result = ''
  let last = 0

  for (const [index, directive] of directives.entries()) {
    const page = renderCratePage(placement.index, {
      byCategory: directive.byCategory,
      pagePath: placement.path ?? '',
      title: ownHeading || index > 0 ? undefined : placement.name,
      defined,
      urls: placement.urls,
      headings: headingsOf(content.slice(0, directive.start))
    })
    const start = '<!-- mdbook-xref crates' + (directive.byCategory ? ' by-category' : '') + ': start -->'
    result +=
      content.slice(last, directive.start) +
      start +
      '\n\n' +
      (page ? page.trimEnd() + '\n\n' : '') +
      cratesEnd
    last = directive.end
  }

  result += content.slice(last)
  return result === content ? undefined : result
}

/**
 * URLs of every label the book defines, first definition first (for labels
 * a crate page's own chapter does not define).
 *
 * @param analyses
 *   Analyses of every chapter.
 * @returns
 *   Normalised label to URL.
 */
export function bookUrls(analyses: ReadonlyArray<ChapterAnalysis | undefined>): Map<string, string> {
  const urls = new Map<string, string>()
  const seen = new Set<unknown>()

  for (const analysis of analyses) {
    if (!analysis) continue

    for (const {block} of analysis.blocks) {
      // Blocks included in every chapter are one object: read once.
      if (seen.has(block)) continue
      seen.add(block)
      for (const definition of block.definitions) {
        if (!urls.has(definition.identifier)) urls.set(definition.identifier, definition.url)
      }
    }
  }

  return urls
}

/**
 * Normalised labels a chapter defines.
 *
 * @param analysis
 *   Analysis of the chapter.
 * @returns
 *   Labels.
 */
function definedLabels(analysis: ChapterAnalysis): Set<string> {
  const defined = new Set<string>()
  for (const {block} of analysis.blocks) for (const identifier of block.identifiers) defined.add(identifier)
  return defined
}

/**
 * Texts of the ATX headings in some Markdown, for mdBook's heading ids.
 * Known limit: setext headings and headings in containers are not seen.
 *
 * @param value
 *   Markdown before a page.
 * @returns
 *   Heading texts.
 */
function headingsOf(value: string): string[] {
  return [...value.matchAll(/^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/gm)].map((d) => d[1] ?? '')
}

/**
 * Chapters as the collector reads them.
 *
 * @param chapters
 *   Chapters.
 * @param read
 *   Content of a chapter before markers were rewritten (without BOM).
 * @returns
 *   Chapters whose content is read when the collector asks.
 */
export function crateChapters(
  chapters: ReadonlyArray<{path: string | null; name: string}>,
  read: (index: number) => string
): CrateChapter[] {
  return chapters.map((chapter, index) => ({
    path: chapter.path,
    name: chapter.name,
    get content() {
      return read(index)
    }
  }))
}
