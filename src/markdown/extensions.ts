/**
 * mdBook's Markdown flavour: CommonMark plus the GFM constructs that mdBook
 * turns on in pulldown-cmark (tables, strikethrough, footnotes, task lists),
 * and *not* GFM autolink literals, which mdBook does not have. The lists only:
 * `remarkMdbook` hands them to a processor without loading a parser of its
 * own.
 */

import {gfmFootnoteFromMarkdown, gfmFootnoteToMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethroughFromMarkdown, gfmStrikethroughToMarkdown} from 'mdast-util-gfm-strikethrough'
import {gfmTableFromMarkdown, gfmTableToMarkdown} from 'mdast-util-gfm-table'
import {gfmTaskListItemFromMarkdown, gfmTaskListItemToMarkdown} from 'mdast-util-gfm-task-list-item'
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
 * Serialising extensions, as mdast-util-to-markdown takes them: the same
 * constructs written back (`~~` for strikethrough, as mdBook reads it).
 */
export const toMarkdownExtensions = [
  gfmTableToMarkdown(),
  gfmStrikethroughToMarkdown(),
  gfmFootnoteToMarkdown(),
  gfmTaskListItemToMarkdown()
]
