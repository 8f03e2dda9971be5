/**
 * remark plugin: check the link references and definitions of a whole
 * document, with the same functions (and wording) the book pass uses on
 * parts of chapters.
 *
 * With `book`, the document's `{{#include}}`s are expanded first, as mdBook
 * and `mdbook-xref lint` do, so definitions in included refs files count.
 */

import path from 'node:path'
import type {Nodes, Root} from 'mdast'
import type {Plugin} from 'unified'
import type {Point} from 'unist'
import type {VFile} from 'vfile'
import {firstDefinitionReason, unusedDefinitionReason} from '../diagnostics/messages.js'
import {report, treeSource} from '../diagnostics/rules.js'
import {analyseChapter, createCache, type DefinitionCache} from '../fast/analyse-chapter.js'
import {
  checkDefinitions,
  findUnused,
  type MalformedDefinition,
  type PlacedDefinition,
  type SourcePlace
} from '../markdown/definition-checks.js'
import {defaultPrefixes, normalizeLabel, type RefOptions} from '../markdown/labels.js'
import {findMalformedDefinitions, type FoundMalformed} from '../markdown/malformed-definitions.js'
import {findReferenceProblems, type RefProblem} from '../markdown/reference-scan.js'
import {createFileCache, type FileCache} from '../mdbook/file-cache.js'
import {expandText, findBoundary, type IncludeProblem} from '../mdbook/includes.js'

const emptyOptions: Readonly<RefOptions> = {}

/** What the checks found in one file, offsets in `source`. */
interface Analysis {
  /** Name of this file in places (`file.path`, or `''`). */
  chapter: string
  /** Definitions, in order, placed in the file they are written in. */
  definitions: Array<PlacedDefinition & {identifier: string}>
  /** Identifiers of references that resolved. */
  used: Set<string>
  /** Undefined references and wiki links. */
  refProblems: RefProblem[]
  /** Definition-like lines that are not definitions. */
  malformed: FoundMalformed[]
  /** Include directives of this file that could not be expanded. */
  includeProblems: IncludeProblem[]
  /** Where an offset was written: file (as named in places), line, column, offset in that file. */
  placeOf(offset: number): SourcePlace & {offset: number}
}

/** What one attacher keeps across the files it checks. */
interface BookState {
  /** Book root as given. */
  root: string
  /** Include boundary by absolute book root, found on first need. */
  boundaries: Map<string, string>
  /** Files read, checked with `stat` before reuse: chapters include the same refs files. */
  files: FileCache
  /** Definition blocks parsed once: chapters include the same refs files. */
  definitions: DefinitionCache
}

/**
 * Check link references and definitions of a whole document (the reference
 * path; the preprocessor calls the same functions on parts of chapters).
 *
 * The transform is synchronous, as lint's include expansion is (files are
 * read with `fs.readFileSync`), so `processSync` and `runSync` keep working.
 *
 * @param options
 *   Configuration.
 * @returns
 *   Transform.
 */
export const remarkXrefRefs: Plugin<[(Readonly<RefOptions> | null | undefined)?], Root> = function (
  options
) {
  const settings = options || emptyOptions
  const book: BookState | undefined = settings.book
    ? {root: settings.book, boundaries: new Map(), files: createFileCache(), definitions: createCache()}
    : undefined

  return function (tree: Root, file: VFile): undefined {
    const given = settings.definitions
    const external = given ? [...(typeof given === 'function' ? given() : given)] : []
    const externalIdentifiers = new Set(external.map((d) => normalizeLabel(d)))
    const analysis =
      book && file.path
        ? analyseBook(file, book, settings, externalIdentifiers)
        : analyseTree(tree, file, settings, external, externalIdentifiers)
    const {chapter, definitions, placeOf} = analysis

    for (const problem of analysis.includeProblems) {
      report(file, {ruleId: problem.ruleId, reason: problem.reason, place: problem.place}, settings.levels, tree)
    }

    for (const problem of analysis.refProblems) {
      const start = ownPoint(problem.start)
      const end = ownPoint(problem.end)
      // In included text: a finding of that file, as lint reports it.
      if (!start) continue
      report(
        file,
        {ruleId: problem.ruleId, reason: problem.reason, label: problem.label, place: end ? {start, end} : start},
        settings.levels,
        tree
      )
    }

    const malformed: MalformedDefinition[] = []
    for (const line of analysis.malformed) {
      const {offset, ...place} = placeOf(line.start)
      malformed.push({label: line.label, reason: line.reason, place})
    }

    for (const problem of checkDefinitions([{chapter, definitions, malformed}], settings)) {
      // At a place in an included file: a finding of that file, as in lint.
      if (problem.place.file !== chapter) continue
      report(
        file,
        {
          ruleId: problem.ruleId,
          reason: problem.reason,
          label: problem.label,
          place: {line: problem.place.line, column: problem.place.column},
          note: problem.note,
          expected: problem.expected,
          cause: problem.related && {
            reason: firstDefinitionReason(problem.related.label),
            file: problem.related.place.file,
            place: {line: problem.related.place.line, column: problem.related.place.column}
          }
        },
        settings.levels,
        tree
      )
    }

    for (const definition of findUnused(definitions, analysis.used)) {
      // A refs file serves the whole book: its definitions are not this file's.
      if (definition.place.file !== chapter) continue
      report(
        file,
        {
          ruleId: 'unused-definition',
          reason: unusedDefinitionReason(definition.label),
          label: definition.label,
          place: {line: definition.place.line, column: definition.place.column}
        },
        settings.levels,
        tree
      )
    }

    /**
     * Point of an offset, when it was written in this file.
     *
     * @param offset
     *   Offset.
     * @returns
     *   Point, or `undefined` for included text.
     */
    function ownPoint(offset: number): Point | undefined {
      const {file: name, ...point} = placeOf(offset)
      return name === chapter ? point : undefined
    }
  }
}

/**
 * Analyse the tree as given (no `book`, or a file without a path).
 *
 * @param tree
 *   Tree.
 * @param file
 *   File.
 * @param settings
 *   Options.
 * @param external
 *   Labels defined elsewhere.
 * @param externalIdentifiers
 *   Their identifiers.
 * @returns
 *   Analysis.
 */
function analyseTree(
  tree: Root,
  file: VFile,
  settings: Readonly<RefOptions>,
  external: string[],
  externalIdentifiers: ReadonlySet<string>
): Analysis {
  const {value: source, place} = treeSource(file)
  const chapter = file.path || ''
  const definitions: Analysis['definitions'] = []
  const identifiers = new Set<string>()
  const used = new Set<string>()
  collect(tree)

  return {
    chapter,
    definitions,
    used,
    refProblems: findReferenceProblems(tree, source, (d) => identifiers.has(d) || externalIdentifiers.has(d), {
      ...settings,
      candidates: settings.candidates || (() => [...definitions.map((d) => d.label), ...external])
    }),
    malformed: findMalformedDefinitions(tree, source, {
      limit: settings.limit,
      defined: (d) => externalIdentifiers.has(d)
    }),
    includeProblems: [],
    placeOf
  }

  /**
   * Place of an offset of the file.
   *
   * @param offset
   *   Offset.
   * @returns
   *   Place.
   */
  function placeOf(offset: number): SourcePlace & {offset: number} {
    const point = place.toPoint(offset)
    return {file: chapter, line: point ? point.line : 1, column: point ? point.column : 1, offset}
  }

  /**
   * Collect definitions and used identifiers.
   *
   * @param node
   *   Node.
   * @returns
   *   Nothing.
   */
  function collect(node: Nodes): undefined {
    if (node.type === 'definition') {
      const position = node.position
      if (!position) return
      identifiers.add(node.identifier)
      definitions.push({
        label: node.label ?? node.identifier,
        url: node.url,
        identifier: node.identifier,
        place: {file: chapter, line: position.start.line, column: position.start.column}
      })
      return
    }

    if (node.type === 'linkReference' || node.type === 'imageReference') {
      used.add(node.identifier)
    }

    if ('children' in node) {
      for (const child of node.children) collect(child)
    }
  }
}

/**
 * Analyse the file's text with its includes expanded, as lint does: the
 * source map places each finding in the file it was written in, and the
 * fast path (`analyseChapter`) reads the expanded text, so thousands of
 * included definitions are parsed once per attacher rather than per file.
 * The given tree stands for the unexpanded text and is not read; nor are
 * `candidates` and `limit`: suggestions come from the expanded text's
 * definitions, as in lint.
 *
 * @param file
 *   File, with a path.
 * @param book
 *   State of the attacher.
 * @param settings
 *   Options.
 * @param externalIdentifiers
 *   Identifiers of labels defined elsewhere.
 * @returns
 *   Analysis.
 */
function analyseBook(
  file: VFile,
  book: BookState,
  settings: Readonly<RefOptions>,
  externalIdentifiers: ReadonlySet<string>
): Analysis {
  const {value} = treeSource(file)
  const chapter = file.path
  const own = path.resolve(file.cwd, chapter)
  const root = path.resolve(file.cwd, book.root)
  let boundary = book.boundaries.get(root)

  if (boundary === undefined) {
    boundary = findBoundary(root)
    book.boundaries.set(root, boundary)
  }

  // The text as in memory (an editor's buffer), its includes from disk.
  const expanded = expandText(value, own, {boundary, cache: book.files})
  const found = analyseChapter(expanded.text, book.definitions, {
    markers: false,
    htmlMarkers: false,
    refs: true,
    prefixes: [...(settings.prefixes || defaultPrefixes)],
    allow: settings.allow || undefined
  })
  const definitions: Analysis['definitions'] = []

  for (const {block, base} of found.blocks) {
    for (const definition of block.definitions) {
      const {offset, ...place} = placeOf(base + definition.start)
      definitions.push({label: definition.label, url: definition.url, identifier: definition.identifier, place})
    }
  }

  return {
    chapter,
    definitions,
    used: found.used,
    refProblems: found.refProblems.filter(
      (d) => d.ruleId !== 'undefined-reference' || !externalIdentifiers.has(normalizeLabel(d.label))
    ),
    malformed: found.malformed.filter((d) => !d.reference || !externalIdentifiers.has(normalizeLabel(d.label))),
    // Directives that fail in an included file are that file's findings.
    includeProblems: expanded.problems.filter((d) => d.file === own),
    placeOf
  }

  /**
   * Place of an offset of the expanded text, in the file it was written in.
   *
   * @param offset
   *   Offset.
   * @returns
   *   Place.
   */
  function placeOf(offset: number): SourcePlace & {offset: number} {
    const span = expanded.map.lookup(offset)
    return {
      file: span.file === own ? chapter : path.relative(file.cwd, span.file),
      line: span.line,
      column: span.column,
      offset: span.offset
    }
  }
}
