/**
 * A row of links to the groups of a page (the index's letters, the crate
 * pages' letters or categories), so a reader can jump instead of scrolling.
 */

import type {Paragraph, PhrasingContent} from 'mdast'

/** A group heading a jump link points at. */
export interface JumpTarget {
  /** Text of the link, such as `A` or `Symbols`. */
  label: string
  /** mdBook heading id, such as `a` (see `headingId`). */
  id: string
}

/**
 * Row of links to every group, in page order.
 *
 * @param targets
 *   Groups, in page order.
 * @returns
 *   Paragraph: “[Symbols](#symbols) · [0–9](#09) · [A](#a)”.
 */
export function jumpRow(targets: ReadonlyArray<JumpTarget>): Paragraph {
  const children: PhrasingContent[] = []

  for (const target of targets) {
    if (children.length > 0) children.push({type: 'text', value: ' · '})
    children.push({
      type: 'link',
      url: '#' + target.id,
      title: null,
      children: [{type: 'text', value: target.label}]
    })
  }

  return {type: 'paragraph', children}
}
