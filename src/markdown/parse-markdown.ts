/**
 * mdBook's Markdown flavour for remark: CommonMark plus the GFM constructs
 * that mdBook turns on in pulldown-cmark (tables, strikethrough, footnotes,
 * task lists), and *not* GFM autolink literals, which mdBook does not have.
 */

import type {Root} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {gfmFootnoteFromMarkdown, gfmFootnoteToMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethroughFromMarkdown, gfmStrikethroughToMarkdown} from 'mdast-util-gfm-strikethrough'
import {gfmTableFromMarkdown, gfmTableToMarkdown} from 'mdast-util-gfm-table'
import {gfmTaskListItemFromMarkdown, gfmTaskListItemToMarkdown} from 'mdast-util-gfm-task-list-item'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
import {gfmTable} from 'micromark-extension-gfm-table'
import {gfmTaskListItem} from 'micromark-extension-gfm-task-list-item'
import {normalizeIdentifier} from 'micromark-util-normalize-identifier'
import type {Construct, Extension} from 'micromark-util-types'

/** Syntax extensions, as micromark takes them. */
export const micromarkExtensions = [
  gfmTable(),
  gfmStrikethrough({singleTilde: false}),
  gfmFootnote(),
  gfmTaskListItem()
]

/** mdast extensions, as mdast-util-from-markdown takes them. */
export const mdastExtensions = [
  gfmTableFromMarkdown(),
  gfmStrikethroughFromMarkdown(),
  gfmFootnoteFromMarkdown(),
  gfmTaskListItemFromMarkdown()
]

/**
 * Serialising extensions, as mdast-util-to-markdown takes them: the same
 * constructs written back (`~~` for strikethrough, as mdBook reads it).
 */
export const toMarkdownExtensions = [
  gfmTableToMarkdown(),
  gfmStrikethroughToMarkdown(),
  gfmFootnoteToMarkdown(),
  gfmTaskListItemToMarkdown()
]

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
