/**
 * Parse Markdown as mdBook does, without a processor: whole, or a part of a
 * chapter told which labels the rest defines.
 */

import type {Root} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {normalizeIdentifier} from 'micromark-util-normalize-identifier'
import {mdastExtensions, micromarkExtensions} from './extensions.js'
import type {Construct, Extension} from 'micromark-util-types'

/**
 * Parse Markdown as mdBook's flavour, without a processor.
 *
 * @param value
 *   Markdown (no BOM).
 * @returns
 *   Tree with positions.
 */
export function parseMarkdown(value: string): Root {
  return fromMarkdown(value, {
    extensions: micromarkExtensions,
    mdastExtensions
  })
}

/**
 * Parse Markdown as mdBook's flavour, with labels defined elsewhere (in the
 * rest of the chapter): references to them are links, and calls of those
 * footnotes are footnote calls, as if their definitions were in `value`.
 *
 * micromark decides whether `[a][b]` is a link by the identifiers it has
 * seen defined (`parser.defined`, and `parser.gfmFootnotes` for `[^a]`);
 * putting them there costs nothing, where stand-in definitions at the top
 * cost as much to parse as prose.
 *
 * @param value
 *   Markdown (no BOM).
 * @param labels
 *   Labels (as written) that are defined.
 * @param footnotes
 *   Labels (as written, without `^`) of footnotes that are defined.
 * @returns
 *   Tree with positions.
 */
export function parseMarkdownWithLabels(
  value: string,
  labels: Iterable<string>,
  footnotes: Iterable<string> = []
): Root {
  const identifiers = [...labels].map((d) => normalizeIdentifier(d))
  const footnoteIdentifiers = [...footnotes].map((d) => normalizeIdentifier(d))
  let seeded = false
  // Tried at the start of every line for a new container, the first line
  // first; it only records the labels, and never matches.
  const seed: Construct = {
    name: 'xrefDefinedLabels',
    tokenize(_, __, nok) {
      if (!seeded) {
        seeded = true
        this.parser.defined.push(...identifiers)
        // Typed by the footnote extension, which reads it the same way.
        const parser = this.parser as typeof this.parser & {gfmFootnotes?: string[]}
        ;(parser.gfmFootnotes ||= []).push(...footnoteIdentifiers)
      }

      return nok
    }
  }
  const extension: Extension = {document: {null: seed}}

  return fromMarkdown(value, {
    extensions: [...micromarkExtensions, extension],
    mdastExtensions
  })
}
