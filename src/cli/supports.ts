/**
 * `mdbook-xref supports <renderer>`: mdBook asks this before every build.
 *
 * mdBook runs it in the book root without input, so the options come from
 * `book.toml` there. Kept light: no Markdown stack on this path.
 */

import fs from 'node:fs'
import path from 'node:path'
import {parse} from 'smol-toml'
import type {Io, Outcome} from './io.js'
import {readConfig, supportsRenderer} from '../mdbook/config.js'

/**
 * Answer whether we run for a renderer.
 *
 * @param renderer
 *   Renderer name.
 * @param io
 *   Environment (its `cwd` is the book root).
 * @returns
 *   Exit code 0 (yes) or 1 (no).
 */
export function supports(renderer: string, io: Io): Outcome {
  let config: unknown = {}
  const file = path.join(io.cwd, 'book.toml')

  try {
    config = parse(fs.readFileSync(file, 'utf8'))
  } catch {
    // No or unreadable `book.toml` here: answer with the defaults; the real
    // run reports configuration problems with the config mdBook sends.
  }

  const {options} = readConfig(config, io.env)
  return {code: supportsRenderer(renderer, options) ? 0 : 1}
}
