/**
 * mdBook's Markdown flavour for remark: CommonMark plus the GFM constructs
 * that mdBook turns on in pulldown-cmark (tables, strikethrough, footnotes,
 * task lists), and *not* GFM autolink literals, which mdBook does not have.
 */

import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {Plugin, Processor} from 'unified'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethroughFromMarkdown} from 'mdast-util-gfm-strikethrough'
import {gfmTableFromMarkdown} from 'mdast-util-gfm-table'
import {gfmTaskListItemFromMarkdown} from 'mdast-util-gfm-task-list-item'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
import {gfmTable} from 'micromark-extension-gfm-table'
import {gfmTaskListItem} from 'micromark-extension-gfm-task-list-item'

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
 * Add mdBook's flavour to a unified processor that uses `remark-parse`.
 *
 * @returns
 *   Nothing.
 */
export const remarkMdbook: Plugin<[], Root> = function (this: Processor) {
  const data = this.data()
  const micromark = (data.micromarkExtensions ||= [])
  const mdast = (data.fromMarkdownExtensions ||= [])
  micromark.push(...micromarkExtensions)
  mdast.push(...mdastExtensions)
}

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
