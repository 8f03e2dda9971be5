/**
 * Write `xrefAnchor` nodes back as Markdown: the HTML the preprocessor
 * splices in (`<span id="xref-x-1"></span>`, and `<a id="xref-x-1"></a>` on
 * the line before a heading), and keep text that looks like a marker from
 * becoming one (`{{hi:x}}` → `\{{hi:x}}`).
 */

import type {Nodes, Parents, RootContent} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {} from 'remark-stringify'
import type {Data} from 'unified'
import {EXIT, visit} from 'unist-util-visit'
import type {XrefAnchor} from './marker-tree.js'

/** Extension as `mdast-util-to-markdown` takes it (typed by `remark-stringify`). */
type ToMarkdownExtension = NonNullable<Data['toMarkdownExtensions']>[number]

/** Anchor HTML before a heading, as the preprocessor writes it. */
const headingAnchorHtml = /^<a id="[^"]*">$|^<\/a>$/

/**
 * Serialise an anchor.
 *
 * @param node
 *   Anchor.
 * @returns
 *   HTML.
 */
function xrefAnchor(node: XrefAnchor): string {
  const name = node.data?.hName === 'a' ? 'a' : 'span'
  return '<' + name + ' id="' + node.id + '"></' + name + '>'
}

/**
 * First character an anchor writes.
 *
 * @returns
 *   `<`.
 */
function peek(): string {
  return '<'
}

xrefAnchor.peek = peek

/**
 * Join an anchor paragraph and the heading after it with one line ending
 * (`<a id="…"></a>\n# Tokio`), unless the heading is setext, where the
 * anchor would join its text.
 *
 * @param left
 *   Node before.
 * @param right
 *   Node after.
 * @param _
 *   Parent.
 * @param state
 *   Serialiser state.
 * @returns
 *   `0` for one line ending, or nothing to let others decide.
 */
function join(left: Nodes, right: Nodes, _: Parents, state: {options: {setext?: boolean | null | undefined}}): number | undefined {
  if (left.type !== 'paragraph' || right.type !== 'heading' || left.children.length === 0) return undefined
  const anchors = left.children.every(function (child: RootContent) {
    return (
      child.type === 'xrefAnchor' ||
      (child.type === 'html' && headingAnchorHtml.test(child.value)) ||
      (child.type === 'text' && /^(?:\r\n?|\n)$/.test(child.value))
    )
  })
  if (!anchors) return undefined
  return setext(right, state.options.setext === true) ? undefined : 0
}

/**
 * Whether `mdast-util-to-markdown` writes a heading as setext: depth 1–2,
 * with text, and option `setext` on or a line ending in its text.
 *
 * @param heading
 *   Heading.
 * @param option
 *   Option `setext`.
 * @returns
 *   Whether setext.
 */
function setext(heading: Extract<Nodes, {type: 'heading'}>, option: boolean): boolean {
  // As mdast-util-to-markdown's `formatHeadingAsSetext` decides it.
  let lineEnding = false
  visit(heading, function (node) {
    if (('value' in node && /\r?\n|\r/.test(node.value)) || node.type === 'break') {
      lineEnding = true
      return EXIT
    }

    return undefined
  })
  return heading.depth < 3 && toString(heading) !== '' && (option || lineEnding)
}

/** Serialising extension for index anchors. */
export const markerToMarkdown: ToMarkdownExtension = {
  handlers: {xrefAnchor} as unknown as NonNullable<ToMarkdownExtension['handlers']>,
  join: [join as unknown as NonNullable<ToMarkdownExtension['join']>[number]],
  unsafe: [
    // `\{{hi:x}}` is the text `{{hi:x}}`: written as is, it would index.
    {character: '{', after: '\\{(?:hi|ii|i):', inConstruct: 'phrasing'},
    {character: '<', after: '<(?:hi|ii|i):', inConstruct: 'phrasing'},
    // `\<<hi:x>>` is the text `<` and the autolink `<hi:x>`, whose first
    // character comes after the text: `$` is the end of the text.
    {character: '<', after: '<$', inConstruct: 'phrasing'}
  ]
}
