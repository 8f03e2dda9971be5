/**
 * JSON export of the index, for search tools.
 */

import type {IndexEntry} from '../markdown/markers.js'
import {termText} from '../markdown/terms.js'
import {compile} from './compile.js'
import {locators, targetHref, targetPath, type IndexJsonLink} from './links.js'
import type {Model, Node, Target} from './model.js'
import type {IndexOptions} from './options.js'

export type {IndexJsonLink} from './links.js'

/**
 * JSON export of the index (`buildIndexJson`). Stable shape: every field is
 * always present (`null` or `[]` when empty); `version` changes if the shape
 * does.
 */
export interface IndexJson {
  version: 1
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
  links: IndexJsonLink[]
  see: IndexJsonTarget | null
  seeAlso: IndexJsonTarget[]
  children: IndexJsonEntry[]
}

/** A cross-reference target. */
export interface IndexJsonTarget {
  /** Plain texts of the target path. */
  path: string[]
  /** `#letter` heading of the target, or `null` when dangling. */
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
  const model = compile(entries, options)

  return {
    version: 1,
    title: model.settings.title,
    language: model.settings.language,
    groups: model.groups.map((group) => ({
      label: group.label,
      id: group.id,
      entries: group.nodes.map((node) => jsonEntry(node, model))
    }))
  }
}

/**
 * An entry as JSON.
 *
 * @param node
 *   Node.
 * @param model
 *   Model.
 * @returns
 *   Data.
 */
function jsonEntry(node: Node, model: Model): IndexJsonEntry {
  const path: string[] = []
  let current: Node | undefined = node

  while (current) {
    path.unshift(termText(current.display))
    current = current.parent
  }

  const target = (value: Target): IndexJsonTarget => ({
    path: targetPath(value, model).map((display) => termText(display)),
    href: targetHref(value, model)
  })

  return {
    term: node.display,
    text: termText(node.display),
    sortText: node.sortText,
    path,
    depth: node.depth,
    italic: node.italic,
    links: locators(node, model),
    see: node.see ? target(node.see) : null,
    seeAlso: node.seeAlso.map((value) => target(value)),
    children: [...node.children.values()].map((child) => jsonEntry(child, model))
  }
}
