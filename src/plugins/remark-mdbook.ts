/**
 * remark plugin for mdBook's Markdown flavour: CommonMark plus the GFM
 * constructs that mdBook turns on in pulldown-cmark (tables, strikethrough,
 * footnotes, task lists), and *not* GFM autolink literals.
 */

import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {Plugin, Processor} from 'unified'
import {mdastExtensions, micromarkExtensions} from '../markdown/parse-markdown.js'

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
