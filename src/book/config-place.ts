/**
 * Places in `book.toml` for findings about the configuration (a `see-also`
 * target no marker defines is reported where it is written, not in the
 * index chapter).
 */

import fs from 'node:fs'
import {warningKey, type ResolvedOptions} from '../mdbook/config.js'
import type {CrossReferenceProblem} from '../index/model.js'
import {findKeyPlace} from '../mdbook/toml-text.js'
import type {Place} from './pass.js'

/** `book.toml` as the pass needs it. */
export interface ConfigFile {
  /** Path as shown to the author (`book.toml`). */
  file: string
  /** Absolute path, to read it. */
  absolute: string
  /** Name of our table (`xref` in `[preprocessor.xref]`). */
  table: string
}

/**
 * Where a cross-reference problem is configured: the target in
 * `see-also = {Enum = ["Enums"]}` (or `[….see-also]`), `see-instead` or
 * `nest-under`.
 *
 * @param config
 *   `book.toml`.
 * @param problem
 *   Problem.
 * @param options
 *   Options (which table the term and target are in).
 * @returns
 *   Place, or `undefined` when `book.toml` cannot be read or does not
 *   write the key (a configuration given some other way).
 */
export function crossReferencePlace(
  config: ConfigFile,
  problem: CrossReferenceProblem,
  options: ResolvedOptions
): Place | undefined {
  const option = optionOf(problem, options)
  return placeOf(config, [option, option.replace(/-/g, '_')], problem.term, problem.target)
}

/**
 * Where a configuration warning’s key is written (`warnings = "some"`).
 *
 * @param config
 *   `book.toml`.
 * @param warning
 *   Warning of `readConfig`.
 * @returns
 *   Place, or `undefined` (a warning about no key, or a key not written in
 *   `book.toml`).
 */
export function configWarningPlace(config: ConfigFile, warning: string): Place | undefined {
  const key = warningKey(warning)
  return key === undefined ? undefined : placeOf(config, [key], undefined, undefined)
}

/**
 * Place of a key of our table in `book.toml`, and of a term under it.
 *
 * @param config
 *   `book.toml`.
 * @param option
 *   Spellings of the option key.
 * @param term
 *   Key under the option (optional).
 * @param value
 *   String value to point at (optional).
 * @returns
 *   Place, or `undefined` when `book.toml` cannot be read or does not write
 *   the option.
 */
function placeOf(
  config: ConfigFile,
  option: string[],
  term: string | undefined,
  value: string | undefined
): Place | undefined {
  let text: string

  try {
    text = fs.readFileSync(config.absolute, 'utf8')
  } catch {
    return undefined
  }

  const path = [['preprocessor'], [config.table], option]
  if (term !== undefined) path.push([term])
  const found = findKeyPlace(text, path, value)
  // At least the option’s key: the table header alone says too little.
  if (!found || found.depth < 3) return undefined
  const before = text.slice(0, found.offset).split('\n')
  return {
    file: config.file,
    absolute: config.absolute,
    line: before.length,
    column: before[before.length - 1].length + 1
  }
}

/**
 * Which option a problem is about: the wording names nest loops; a term and
 * target in `see-also` and not (or also, when the wording says so) in
 * `see-instead` is a *see also*.
 *
 * @param problem
 *   Problem.
 * @param options
 *   Options.
 * @returns
 *   Option key.
 */
function optionOf(problem: CrossReferenceProblem, options: ResolvedOptions): 'nest-under' | 'see-also' | 'see-instead' {
  if (problem.reason.startsWith('Unexpected nest loop')) return 'nest-under'
  const also = (options.seeAlso[problem.term] || []).includes(problem.target)
  const instead = options.seeInstead[problem.term] === problem.target
  return also && (!instead || problem.reason.includes('see also')) ? 'see-also' : 'see-instead'
}
