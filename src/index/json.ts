/**
 * JSON export of the index, for search tools.
 */

import type {IndexEntry} from '../markdown/markers.js'
import {termText} from '../markdown/terms.js'
import {compileIndex} from './compile.js'
import {
  createState,
  locators,
  targetHref,
  targetPath,
  type IndexJsonLink,
  type State
} from './links.js'
import type {IndexModel, Node, Target} from './model.js'
import type {IndexOptions, IndexView} from './options.js'

export type {IndexJsonLink} from './links.js'

/**
 * JSON export of the index (`buildIndexJson`). Stable shape: every field is
 * always present (`null` or `[]` when empty); `version` changes if the shape
 * does.
 *
 * Version 2 (version 1 linked the first place in each chapter, labelled by
 * the chapter, and *see* to letter headings): `links` holds every place
 * with its `section`, labels as on the page; entries have an `id`; *see*
 * and *see also* link to entries.
 */
export interface IndexJson {
  version: 2
  title: string
  language: string
  groups: IndexJsonGroup[]
}

/** A letter group (`Symbols`, `0–9`, `A`, …). */
export interface IndexJsonGroup {
  label: string
  /** Heading id in the index chapter (mdBook’s scheme). */
  id: string
  entries: IndexJsonEntry[]
}

/** An entry (any level). */
export interface IndexJsonEntry {
  /** Id of its anchor on the index page, such as `xref-entry-async-tokio`. */
  id: string
  /** Display as Markdown source, such as `` `tokio` ``. */
  term: string
  /** Plain text, such as `tokio`. */
  text: string
  /** Text it sorts by. */
  sortText: string
  /** Plain texts from the top level down to this entry. */
  path: string[]
  /** 0 for top-level entries. */
  depth: number
  italic: boolean
  /** Every marked place of the term, in book order. */
  links: IndexJsonLink[]
  see: IndexJsonTarget | null
  seeAlso: IndexJsonTarget[]
  children: IndexJsonEntry[]
}

/** A cross-reference target. */
export interface IndexJsonTarget {
  /** Plain texts of the target path. */
  path: string[]
  /** `#xref-entry-…` entry of the target, or `null` when dangling. */
  href: string | null
}

/**
 * Export the index as JSON-able data (see `IndexJson` for the shape).
 *
 * @param entries
 *   Index entries of the whole book, in book order.
 * @param options
 *   Configuration.
 * @returns
 *   Data.
 */
export function buildIndexJson(
  entries: ReadonlyArray<IndexEntry>,
  options?: Readonly<IndexOptions> | null | undefined
): IndexJson {
  return renderIndexJson(compileIndex(entries, options), options)
}

/**
 * Export a compiled index as JSON-able data.
 *
 * @param model
 *   Compiled index.
 * @param view
 *   Title and index path, when they differ from the compiled options.
 * @returns
 *   Data.
 */
export function renderIndexJson(
  model: IndexModel,
  view?: Readonly<IndexView> | null | undefined
): IndexJson {
  const state = createState(model, view)

  return {
    version: 2,
    title: state.title,
    language: model.settings.language,
    groups: model.groups.map((group) => ({
      label: group.label,
      id: state.groupIds.get(group.label) as string,
      entries: group.nodes.map((node) => jsonEntry(node, state))
    }))
  }
}

/**
 * An entry as JSON.
 *
 * @param node
 *   Node.
 * @param state
 *   State.
 * @returns
 *   Data.
 */
function jsonEntry(node: Node, state: State): IndexJsonEntry {
  const path: string[] = []
  let current: Node | undefined = node

  while (current) {
    path.unshift(termText(current.display))
    current = current.parent
  }

  const target = (value: Target): IndexJsonTarget => ({
    path: targetPath(value, state).map((display) => termText(display)),
    href: targetHref(value, state)
  })

  return {
    id: state.entryIds.get(node.pathKey) as string,
    term: node.display,
    text: termText(node.display),
    sortText: node.sortText,
    path,
    depth: node.depth,
    italic: node.italic,
    links: locators(node, state),
    see: node.see ? target(node.see) : null,
    seeAlso: node.seeAlso.map((value) => target(value)),
    children: [...node.children.values()].map((child) => jsonEntry(child, state))
  }
}
