/**
 * One pass over a whole book, shared by the preprocessor and `lint`:
 * analyse every chapter, rewrite markers into anchors, check definitions,
 * build the index chapter, and turn every finding into a vfile message at
 * the place where the author wrote the text.
 */

import fs from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {analyseChapter, createCache, type ChapterAnalysis} from '../fast/analyse-chapter.js'
import type {ResolvedOptions} from '../mdbook/config.js'
import {firstDefinitionNote, firstDefinitionReason} from '../diagnostics/messages.js'
import {levelOf, report, type Point, type RelatedPlace, type RuleLevels} from '../diagnostics/rules.js'
import {pieceAt} from '../mdbook/source-map.js'
import {compileIndex, crossReferenceProblems} from '../index/compile.js'
import {renderIndexJson, type IndexJson} from '../index/json.js'
import type {IndexModel} from '../index/model.js'
import type {IndexOptions} from '../index/options.js'
import {nearDuplicateGroups, nearDuplicateProblems} from '../index/near-duplicates.js'
import {renderIndexPage} from '../index/page.js'
import {applyEdits, createIdState, rewriteMarkers, sortEdits, type Edit} from '../markdown/marker-rewrite.js'
import {includedRowReason, type IndexEntry} from '../markdown/markers.js'
import {collectCrates} from '../crates/collect.js'
import type {CrateIndex} from '../crates/model.js'
import {
  bookUrls,
  crateChapters,
  directiveFindings,
  findCrateDirectives,
  placeCratePages,
  undoEdits
} from './crates-page.js'
import {sectionAt} from '../markdown/sections.js'
import {checkBook} from './definitions.js'
import {crossReferencePlace, type ConfigFile} from './config-place.js'
import type {Finding} from './finding.js'
import {bom as bomMark, bomLength, stripBom} from '../util/text.js'

/** A chapter going through the pass. */
export interface ChapterInput {
  /** Name (from SUMMARY.md). */
  name: string
  /** Path relative to the source directory; `null` for a draft. */
  path: string | null
  /** Content after include expansion (changed by the pass). */
  content: string
  /**
   * Set by the pass when it changes `content`: the changes, as edits of the
   * content it was given (sorted, not overlapping).
   */
  edits?: Edit[] | undefined
}

/** Where a chapter offset was written. */
export interface Place {
  /** File path, as shown to the author. */
  file: string
  /** Absolute path, to show the line in reports (optional). */
  absolute?: string | undefined
  line: number
  column: number
}

/**
 * Map an offset of a chapter's (original) content to where it was written.
 *
 * The preprocessor re-expands includes from disk for the few chapters with
 * findings; `lint` has the source map already.
 */
export type Locate = (chapter: number, offset: number) => Place

/** Result of a pass. */
export interface PassResult {
  /** Files with messages, sorted by path. */
  files: VFile[]
  /** Index entries of the whole book, in book order. */
  entries: IndexEntry[]
  /** Index of the index chapter, if any. */
  indexChapter: number | undefined
  /** Characters handed to micromark (for the benchmark). */
  parsed: number
  /** JSON export of the index, when `index-json` is set. */
  indexJson: IndexJson | undefined
  /** Crates of the book, when a chapter holds `{{#xref-crates}}` or `crates-json` is set. */
  crates: CrateIndex | undefined
}

/** Marks the index that we generate, so that a second pass replaces it. */
export const indexStart = '<!-- mdbook-xref index: start -->'
const indexEnd = '<!-- mdbook-xref index: end -->'

/** Placeholder for the index in any chapter. */
export const indexPlaceholder = '{{#xref-index}}'

/**
 * The placeholder counts alone on its line only, so that prose and code
 * that mention `{{#xref-index}}` stay as written.
 */
const placeholderLine = /^[ \t]*\{\{#xref-index\}\}[ \t]*$/m

/**
 * Run the pass over chapters (their `content` is rewritten in place).
 *
 * @param chapters
 *   Chapters in book order.
 * @param options
 *   Options.
 * @param locate
 *   Offset to source place.
 * @param language
 *   Book language (collation).
 * @param summary
 *   Path of `SUMMARY.md` as shown to the author, for a missing index chapter.
 * @param config
 *   `book.toml`, for findings about the configuration (default: none; they
 *   are then reported in the index chapter).
 * @returns
 *   Findings and entries.
 */
export function processBook(
  chapters: ChapterInput[],
  options: ResolvedOptions,
  locate: Locate,
  language: string | undefined,
  summary = 'SUMMARY.md',
  config?: ConfigFile | undefined
): PassResult {
  const cache = createCache()
  const findings: Finding[] = []
  const entries: IndexEntry[] = []
  const analyses: Array<ChapterAnalysis | undefined> = []
  let parsed = 0

  /** Chapters holding the index placeholder, found before rewriting. */
  const placeholders: boolean[] = []
  /** Chapters holding a crate directive, found before rewriting. */
  const crateChapterList: number[] = []
  /** Per chapter with markers: the edits that give its content before rewriting back. */
  const undo = new Map<number, Edit[]>()

  for (const [index, chapter] of chapters.entries()) {
    const bom = bomLength(chapter.content)
    const content = stripBom(chapter.content)
    // One scan of the chapter for anything of ours that is no marker
    // (`{{#xref-index}}`, `{{#xref-crates}}`, the blocks they became): most
    // chapters hold none, and each carries its includes (~800 KB here).
    const ours = content.includes('xref')
    placeholders.push(ours && content.includes(indexPlaceholder) && placeholderLine.test(content))
    const directives = ours ? findCrateDirectives(content) : []

    if (directives.length > 0) {
      crateChapterList.push(index)
      for (const finding of directiveFindings(directives, index, bom)) findings.push(finding)
    }

    const analysis = analyseChapter(content, cache, {
      markers: options.markers,
      htmlMarkers: options.htmlMarkers,
      refs: options.refs,
      prefixes: options.prefixes,
      allow: options.allowLabels,
      sections: options.markers ? 'markers' : false
    })
    analyses.push(analysis)
    parsed += analysis.parsed

    for (const problem of analysis.markerProblems) {
      const reason =
        problem.ruleId === 'marker-dropped'
          ? includedRow(problem.reason, content, problem.start, bom, (offset) => locate(index, offset))
          : problem.reason
      findings.push({...problem, reason, chapter: index, start: problem.start + bom, end: problem.end + bom})
    }

    for (const problem of analysis.malformed) {
      findings.push({
        ruleId: 'malformed-definition',
        reason: problem.reason,
        label: problem.label,
        chapter: index,
        start: problem.start + bom,
        end: problem.end + bom
      })
    }

    for (const problem of analysis.refProblems) {
      findings.push({...problem, chapter: index, start: problem.start + bom, end: problem.end + bom})
    }

    if (analysis.markers.length > 0) {
      const {edits, ids} = rewriteMarkers(analysis.markers, content, createIdState())
      const lines = lineIndex(content)

      for (const [markerIndex, marker] of analysis.markers.entries()) {
        const id = ids[markerIndex]
        if (!id || marker.escaped) continue
        const point = lines(marker.start)
        const entry: IndexEntry = {
          term: marker.term,
          kind: marker.kind,
          id,
          chapter: chapter.path,
          chapterName: chapter.name,
          offset: marker.start + bom,
          line: point.line,
          column: point.column
        }
        const section = sectionAt(analysis.sections, marker.start)

        if (section) {
          entry.section = section.text
          if (section.id !== undefined) entry.sectionId = section.id
        }

        entries.push(entry)
      }

      const output = applyEdits(content, edits)
      chapter.content = bom ? bomMark + output : output
      if (edits.length > 0) {
        const sorted = sortEdits(edits)
        chapter.edits = sorted.map((d) => (bom ? {...d, start: d.start + bom, end: d.end + bom} : d))
        undo.set(index, undoEdits(content, sorted))
      }
    }
  }

  if (options.refs) {
    for (const finding of checkBook(analyses, levelOf('unused-definition', options.rules) !== 'off')) {
      findings.push(finding)
    }
  }

  // Collected before the index is placed: every content is the chapter as
  // written but for its markers, which `undo` gives back. Only when a page or
  // the export asks: it parses every unit that can reference a crate.
  const crates =
    crateChapterList.length > 0 || options.cratesJson
      ? collectCrates(
          crateChapters(chapters, function (index) {
            const content = stripBom(chapters[index].content)
            const edits = undo.get(index)
            return edits ? applyEdits(content, edits) : content
          }),
          {
            standard: options.cratesStandard,
            prefixes: options.prefixes,
            skip: crateSkips(chapters, placeholders, crateChapterList, options),
            language: language || 'en'
          }
        )
      : undefined
  undo.clear()

  // One model for the page, the checks and the JSON export.
  const index = options.markers || options.indexJson ? compileIndex(entries, indexOptions(options, language)) : undefined
  const indexChapter =
    index && options.markers ? placeIndex(chapters, placeholders, entries.length, index, options) : undefined

  if (index && options.markers) {
    for (const problem of crossReferenceProblems(index)) {
      // Configuration problems: where `book.toml` configures them.
      const place = config ? crossReferencePlace(config, problem, options) : undefined
      findings.push({ruleId: problem.ruleId, reason: problem.reason, chapter: indexChapter ?? 0, start: 0, end: 0, place})
    }

    for (const finding of nearDuplicates(chapters, index, locate)) findings.push(finding)
  }

  if (crates) placeCrates(chapters, crateChapterList, crates, analyses)

  const files = toFiles(findings, chapters, locate, options.rules)

  if (options.markers && entries.length > 0 && indexChapter === undefined) {
    const file = new VFile({path: summary})
    report(
      file,
      {
        ruleId: 'index-chapter-missing',
        reason:
          'Unexpected `' +
          entries.length +
          '` index entries without an index chapter, expected a chapter named `Index`, `index-chapter`, or `' +
          indexPlaceholder +
          '` in a chapter'
      },
      options.rules
    )
    if (file.messages.length > 0) files.push(file)
  }

  const indexJson =
    index && options.indexJson
      ? renderIndexJson(index, {indexPath: indexChapter === undefined ? '' : chapters[indexChapter].path ?? ''})
      : undefined

  return {files, entries, indexChapter, parsed, indexJson, crates}
}

/**
 * Explain a marker in a dropped table cell when its row comes from an
 * included file and the marker from the including one
 * (`{{#include t.md}}{{hi:x}}`): the start of the marker's line and the
 * marker map to different files.
 *
 * @param reason
 *   Reason as found.
 * @param content
 *   Chapter content (without BOM).
 * @param start
 *   Offset of the marker in `content`.
 * @param bom
 *   Length of the BOM before `content`.
 * @param place
 *   Offset in the chapter (with BOM) to source place.
 * @returns
 *   Reason.
 */
function includedRow(
  reason: string,
  content: string,
  start: number,
  bom: number,
  place: (offset: number) => Place
): string {
  const lineStart = content.lastIndexOf('\n', start - 1) + 1
  const row = place(lineStart + bom)
  const marker = place(start + bom)
  if (row.file === marker.file) return reason
  // Named as the including file names it in `{{#include}}`.
  const from = path.relative(path.dirname(marker.file), row.file).split(path.sep).join('/')
  return includedRowReason(reason, from) ?? reason
}

/**
 * Near-duplicate index terms, each reported at its first spelling's first
 * place, with every spelling's places (in source files) in the note.
 *
 * @param chapters
 *   Chapters.
 * @param index
 *   Compiled index.
 * @param locate
 *   Offset to place.
 * @returns
 *   Findings.
 */
function nearDuplicates(chapters: ChapterInput[], index: IndexModel, locate: Locate): Finding[] {
  const chapterIndex = new Map<string, number>()
  for (const [index, chapter] of chapters.entries()) {
    if (chapter.path !== null && !chapterIndex.has(chapter.path)) chapterIndex.set(chapter.path, index)
  }

  const findings: Finding[] = []
  const groups = nearDuplicateGroups(index)

  for (const problem of nearDuplicateProblems(groups)) {
    let first: {chapter: number; offset: number} | undefined
    const lines: string[] = []

    for (const term of problem.terms) {
      const places: string[] = []

      for (const occurrence of term.occurrences) {
        const index = occurrence.chapter === null ? undefined : chapterIndex.get(occurrence.chapter)
        if (index === undefined) continue
        first ??= {chapter: index, offset: occurrence.offset}
        const place = locate(index, occurrence.offset)
        places.push(place.file + ':' + place.line + ':' + place.column)
      }

      lines.push('`' + term.term + '`: ' + [...new Set(places)].join(', '))
    }

    if (!first) continue
    findings.push({
      ruleId: problem.ruleId,
      reason: problem.reason,
      chapter: first.chapter,
      start: first.offset,
      end: first.offset,
      note: lines.join('\n')
    })
  }

  return findings
}

/**
 * Find the index chapter, generate the index into it.
 *
 * @param chapters
 *   Chapters.
 * @param placeholders
 *   Whether each chapter holds the placeholder (before rewriting).
 * @param entryCount
 *   Number of index entries in the book.
 * @param index
 *   Compiled index.
 * @param options
 *   Options.
 * @returns
 *   Index of the index chapter, or `undefined`.
 */
function placeIndex(
  chapters: ChapterInput[],
  placeholders: boolean[],
  entryCount: number,
  index: IndexModel,
  options: ResolvedOptions
): number | undefined {
  const found = findIndexChapter(chapters, placeholders, options)
  if (found === undefined) return undefined

  const chapter = chapters[found]
  const content = chapter.content
  const start = content.indexOf(indexStart)
  const end = content.indexOf(indexEnd)

  // A second pass over our own output: the markers are gone, keep the index.
  if (start !== -1 && end > start && entryCount === 0) return found

  // The chapter's own heading (`# Index`) stays; ours is only for an empty chapter.
  const page = renderIndexPage(index, {
    indexPath: chapter.path ?? '',
    title: options.indexTitle || chapter.name,
    heading: !/^ {0,3}#/m.test(
      start !== -1 && end > start ? content.slice(0, start) + content.slice(end) : content
    )
  })
  const block = indexStart + '\n\n' + page.trimEnd() + '\n\n' + indexEnd + '\n'

  if (start !== -1 && end > start) {
    chapter.content = content.slice(0, start) + block + content.slice(end + indexEnd.length).replace(/^\r?\n/, '')
  } else if (placeholderLine.test(content)) {
    chapter.content = content.replace(placeholderLine, () => block.trimEnd())
  } else {
    chapter.content = content + (content === '' || content.endsWith('\n') ? '' : '\n') + (content.trim() ? '\n' : '') + block
  }

  recordChange(chapter, content)
  return found
}

/**
 * The chapter the index goes in: `index-chapter`, else the first holding
 * the placeholder, else the one named `Index`.
 *
 * @param chapters
 *   Chapters.
 * @param placeholders
 *   Whether each chapter holds the placeholder (before rewriting).
 * @param options
 *   Options.
 * @returns
 *   Index of the index chapter, or `undefined`.
 */
function findIndexChapter(
  chapters: ChapterInput[],
  placeholders: boolean[],
  options: ResolvedOptions
): number | undefined {
  let found = -1

  if (options.indexChapter) {
    const wanted = options.indexChapter.replace(/^\.?\//, '')
    found = chapters.findIndex((d) => d.path === wanted)
  }

  if (found === -1) found = placeholders.indexOf(true)
  if (found === -1) found = chapters.findIndex((d) => d.path !== null && d.name.trim().toLowerCase() === 'index')
  return found === -1 ? undefined : found
}

/**
 * Chapters whose references do not count for the crate pages: the pages
 * themselves, and the index chapter (wherever it is, also when markers are off).
 *
 * @param chapters
 *   Chapters.
 * @param placeholders
 *   Whether each chapter holds the index placeholder.
 * @param crateChapterList
 *   Chapters holding a crate directive.
 * @param options
 *   Options.
 * @returns
 *   Chapter indices, in book order.
 */
function crateSkips(
  chapters: ChapterInput[],
  placeholders: boolean[],
  crateChapterList: number[],
  options: ResolvedOptions
): number[] {
  const skip = new Set(crateChapterList)
  const indexChapter = findIndexChapter(chapters, placeholders, options)
  if (indexChapter !== undefined) skip.add(indexChapter)
  return [...skip].sort((a, b) => a - b)
}

/**
 * Put the crate pages into the chapters holding the directive.
 *
 * @param chapters
 *   Chapters.
 * @param crateChapterList
 *   Chapters holding a crate directive.
 * @param crates
 *   Crates of the book.
 * @param analyses
 *   Analyses (definitions of the pages' chapters and the book's URLs).
 */
function placeCrates(
  chapters: ChapterInput[],
  crateChapterList: number[],
  crates: CrateIndex,
  analyses: Array<ChapterAnalysis | undefined>
): void {
  const urls = bookUrls(analyses)

  for (const index of crateChapterList) {
    const chapter = chapters[index]
    const before = chapter.content
    const bom = bomLength(before)
    const changed = placeCratePages({
      index: crates,
      content: stripBom(before),
      path: chapter.path,
      name: chapter.name,
      analysis: analyses[index],
      urls
    })
    if (changed === undefined) continue
    chapter.content = bom ? bomMark + changed : changed
    recordChange(chapter, before)
  }
}

/**
 * Record a change of a chapter's content (made after its markers were
 * rewritten) as one edit of the content the pass was given.
 *
 * @param chapter
 *   Chapter, its content changed.
 * @param content
 *   Content before the change.
 */
function recordChange(chapter: ChapterInput, content: string): void {
  const after = chapter.content
  let prefix = 0
  while (prefix < content.length && content.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++
  let suffix = 0
  while (
    suffix < content.length - prefix &&
    suffix < after.length - prefix &&
    content.charCodeAt(content.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++
  }

  // Not between the halves of a surrogate pair.
  if (prefix > 0 && isHighSurrogate(content.charCodeAt(prefix - 1))) prefix--
  if (suffix > 0 && isHighSurrogate(content.charCodeAt(content.length - suffix - 1))) suffix--

  // One edit of the content the pass was given: what both changes keep at
  // either end stays (markers edited first, so their edits are in the
  // coordinates of the original).
  const edits = chapter.edits ?? []
  let length = content.length
  for (const edit of edits) length -= edit.value.length - (edit.end - edit.start)

  if (edits.length > 0) {
    prefix = Math.min(prefix, edits[0].start)
    suffix = Math.min(suffix, length - edits[edits.length - 1].end)
  }

  chapter.edits = [{start: prefix, end: length - suffix, value: after.slice(prefix, after.length - suffix)}]
}

/**
 * Options for the index (the page's title and path are given when rendering).
 *
 * @param options
 *   Options.
 * @param language
 *   Book language.
 * @returns
 *   Index options.
 */
function indexOptions(options: ResolvedOptions, language: string | undefined): IndexOptions {
  return {
    language: language || 'en',
    mergeCase: options.mergeCase,
    labels: options.linkLabels,
    seeInstead: options.seeInstead,
    seeAlso: options.seeAlso,
    nestUnder: options.nestUnder
  }
}

/**
 * Place findings and group them into files.
 *
 * @param findings
 *   Findings.
 * @param chapters
 *   Chapters.
 * @param locate
 *   Offset to place.
 * @param levels
 *   Rule levels.
 * @returns
 *   Files, sorted by path.
 */
function toFiles(
  findings: Finding[],
  chapters: ChapterInput[],
  locate: Locate,
  levels: RuleLevels
): VFile[] {
  const files = new Map<string, VFile>()
  const seen = new Map<string, {chapters: string[]}>()

  for (const finding of findings) {
    const start = finding.place || locate(finding.chapter, finding.start)
    const end = !finding.place && finding.end > finding.start ? locate(finding.chapter, finding.end) : undefined
    const names = [finding.chapter, ...(finding.also || [])].map((d) => chapters[d].path ?? chapters[d].name)
    const key = [finding.ruleId, start.file, start.line, start.column, finding.reason].join('\0')
    const known = seen.get(key)

    // One place is reported once, naming every chapter it affects.
    if (known) {
      for (const name of names) if (!known.chapters.includes(name)) known.chapters.push(name)
      continue
    }

    let file = files.get(start.file)
    if (!file) {
      file = new VFile({path: start.file})
      // The text lets reporters show the line under the finding.
      if (start.absolute) {
        try {
          file.value = fs.readFileSync(start.absolute, 'utf8')
        } catch {}
      }

      files.set(start.file, file)
    }

    const chapterList = [...new Set(names)]
    seen.set(key, {chapters: chapterList})
    let note = finding.note
    let cause: RelatedPlace | undefined
    if (finding.related) {
      const related = locate(finding.related.chapter, finding.related.offset)
      // The book pass does not say when both are one place included twice.
      note = firstDefinitionNote(related, finding.related.label, finding.label, false)
      cause = {
        reason: firstDefinitionReason(finding.related.label),
        file: related.file,
        place: {line: related.line, column: related.column}
      }
    }

    const startPoint: Point = {line: start.line, column: start.column}
    report(
      file,
      {
        ruleId: finding.ruleId,
        reason: finding.reason,
        place: end && end.file === start.file ? {start: startPoint, end: {line: end.line, column: end.column}} : startPoint,
        label: finding.label,
        note,
        chapters: chapterList,
        cause
      },
      levels
    )
  }

  return [...files.values()]
    .filter((d) => d.messages.length > 0)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

/**
 * Line/column lookup for offsets in one text.
 *
 * @param value
 *   Text.
 * @returns
 *   Lookup (binary search over line starts, found once, as far as needed).
 */
export function lineIndex(value: string): (offset: number) => {line: number; column: number} {
  const starts = [0]
  /** Where the search for line starts stopped (they are found as needed). */
  let scanned = 0
  /** The text, until every line start is found. */
  let text: string | undefined = value

  return function (offset) {
    // Chapters end in 800 KB of definitions; markers sit near the start.
    while (text !== undefined && scanned <= offset) {
      const next = text.indexOf('\n', scanned)
      if (next === -1) {
        text = undefined
        break
      }

      starts.push(next + 1)
      scanned = next + 1
    }

    const index = pieceAt(starts, offset)
    return {line: index + 1, column: offset - starts[index] + 1}
  }
}

/**
 * Locate by chapter content only (no source files known).
 *
 * @param chapters
 *   Chapters with their original content.
 * @param srcDir
 *   Source directory, to show paths relative to the book.
 * @returns
 *   Locate function.
 */
export function locateInContent(
  chapters: Array<{path: string | null; name: string; content: string}>,
  srcDir: string
): Locate {
  const lookups = new Map<number, (offset: number) => {line: number; column: number}>()
  return function (chapter, offset) {
    let lookup = lookups.get(chapter)
    if (!lookup) {
      const content = chapters[chapter].content
      lookup = lineIndex(content)
      // Find every line start now, so the lookup does not hold the text.
      lookup(content.length)
      lookups.set(chapter, lookup)
    }

    const point = lookup(offset)
    const file = chapters[chapter].path
      ? path.join(srcDir, chapters[chapter].path!)
      : chapters[chapter].name
    return {file, line: point.line, column: point.column}
  }
}

/**
 * @param code
 *   Code unit.
 * @returns
 *   Whether it is the first half of a surrogate pair.
 */
function isHighSurrogate(code: number): boolean {
  return code >= 0xd8_00 && code <= 0xdb_ff
}
