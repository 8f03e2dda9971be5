/**
 * remark plugin for mdBook's Markdown flavour: CommonMark plus the GFM
 * constructs that mdBook turns on in pulldown-cmark (tables, strikethrough,
 * footnotes, task lists), and *not* GFM autolink literals.
 */

import type {Root} from 'mdast'
import type {} from 'remark-parse'
import type {} from 'remark-stringify'
import type {Plugin, Processor} from 'unified'
import {mdastExtensions, micromarkExtensions, toMarkdownExtensions} from '../markdown/extensions.js'

/**
 * Add mdBook's flavour to a unified processor, both ways: `remark-parse`
 * reads it and `remark-stringify` writes it (as `remark-gfm` does for GFM).
 *
 * @returns
 *   Nothing.
 */
export const remarkMdbook: Plugin<[], Root> = function (this: Processor) {
  const data = this.data()
  const micromark = (data.micromarkExtensions ||= [])
  const fromMarkdown = (data.fromMarkdownExtensions ||= [])
  const toMarkdown = (data.toMarkdownExtensions ||= [])
  micromark.push(...micromarkExtensions)
  fromMarkdown.push(...mdastExtensions)
  toMarkdown.push(...toMarkdownExtensions)
}
