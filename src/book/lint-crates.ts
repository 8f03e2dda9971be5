/**
 * `lint --crates`: collect the crates a book references and report the two
 * ways the book's crate labels and its chapters disagree: a crate referenced
 * with no docs label (`crate-undefined`, at its first reference), and a docs
 * label of a crate that no chapter references (`crate-unreferenced`, at its
 * first definition).
 */

import {VFile} from 'vfile'
import {collectCrates} from '../crates/collect.js'
import type {CrateIndex} from '../crates/model.js'
import {report, type RuleLevels} from '../diagnostics/rules.js'
import {expectedUrl} from '../markdown/crate-labels.js'
import {bomLength, stripBom} from '../util/text.js'
import {findCrateDirectives} from './crates-page.js'
import type {Locate, Place} from './pass.js'

/** A chapter as `lint` has it: content as expanded, before the pass. */
export interface LintCrateChapter {
  name: string
  path: string | null
  /** Content as expanded (may start with a BOM). */
  content: string
}

/** Options of `lintCrates`. */
export interface LintCratesOptions {
  /** Label families (default: the conventions’ own). */
  prefixes?: ReadonlyArray<string> | null | undefined
  /** Book language (default: `en`). */
  language?: string | null | undefined
  /** Place of the word index chapter, whose references do not count (default: none). */
  indexChapter?: number | null | undefined
  /** Rule levels (default: each rule’s own). */
  rules?: RuleLevels | null | undefined
}

/**
 * Collect the crates of a book and report its crate findings.
 *
 * @param chapters
 *   Chapters in book order, as expanded.
 * @param locate
 *   Where a chapter offset was written.
 * @param options
 *   Configuration.
 * @returns
 *   Crates, and files with findings (one per source file).
 */
export function lintCrates(
  chapters: ReadonlyArray<LintCrateChapter>,
  locate: Locate,
  options: Readonly<LintCratesOptions>
): {crates: CrateIndex; files: VFile[]} {
  // The crate pages and the word index list crates; they do not reference
  // them. Crate pages as the preprocessor finds them (a directive alone on its
  // line, or the page it became).
  const skip = chapters.flatMap((d, index) =>
    index === options.indexChapter || findCrateDirectives(stripBom(d.content)).length > 0 ? [index] : []
  )
  const crates = collectCrates(
    chapters.map((d) => ({name: d.name, path: d.path, content: stripBom(d.content)})),
    {skip, prefixes: options.prefixes, language: options.language}
  )
  const files = new Map<string, VFile>()
  /** Where a chapter offset (BOM stripped) was written. */
  const at = (chapter: number, offset: number): Place => locate(chapter, offset + bomLength(chapters[chapter].content))
  const fileOf = function (place: Place): VFile {
    let file = files.get(place.file)
    if (!file) files.set(place.file, (file = new VFile({path: place.file})))
    return file
  }

  for (const key of crates.undefined) {
    const crate = crates.crates.find((d) => d.key === key)!
    const first = crate.references[0]
    const place = at(first.chapterIndex, first.offset)
    // Suggest the style the book writes the crate in.
    const label = first.written.startsWith('c-') ? 'c-' + crate.name : 'c~' + crate.name + '~docs'
    const url = expectedUrl(label)
    report(
      fileOf(place),
      {
        ruleId: 'crate-undefined',
        reason:
          'Unexpected crate `' +
          crate.name +
          '` without a docs label, expected a definition of `' +
          label +
          '`',
        place: {line: place.line, column: place.column},
        label,
        chapters: [...new Set(crate.references.map((d) => d.chapter))],
        expected: url === undefined ? undefined : ['[' + label + ']: ' + url]
      },
      options.rules
    )
  }

  const definitions = new Map((crates.definitions || []).map((d) => [d.key, d]))

  for (const key of crates.unreferenced) {
    const definition = definitions.get(key)
    if (!definition) continue
    const place = at(definition.chapterIndex, definition.offset)
    report(
      fileOf(place),
      {
        ruleId: 'crate-unreferenced',
        reason:
          'Unexpected crate `' +
          definition.name +
          '` that no chapter references, expected a reference to `' +
          definition.label +
          '` or no definition',
        place: {line: place.line, column: place.column},
        label: definition.label
      },
      options.rules
    )
  }

  return {crates, files: [...files.values()]}
}
