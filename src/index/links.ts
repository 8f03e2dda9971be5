/**
 * Links of the index: to occurrences in chapters (relative, `.md` kept)
 * and to the entries of cross-reference targets.
 */

import type {IndexModel, Node, Target} from './model.js'
import type {IndexView} from './options.js'
import {entrySlug, headingId} from './sort.js'

/** A compiled index as one rendering sees it. */
export interface State {
  model: IndexModel
  /** Title of the index chapter. */
  title: string
  /** Path of the index chapter, which links are relative to. */
  indexPath: string
  /** Heading id of each letter group. */
  groupIds: Map<string, string>
  /** Id of each entry on the page, by path key. */
  entryIds: Map<string, string>
}

/** A link to the first occurrence in one chapter. */
export interface IndexJsonLink {
  chapter: string
  chapterName: string
  id: string
  /** Relative to the index chapter, `.md` kept, such as `../a/b.md#xref-x-1`. */
  href: string
  label: string
  line: number
  column: number
}

/**
 * Apply a view to a model: title, index path, and the heading ids, which
 * depend on the title (mdBook numbers a repeated id: title `A` makes the
 * `A` group `a-1`).
 *
 * @param model
 *   Compiled index.
 * @param view
 *   Title and index path, each defaulting to the model's.
 * @returns
 *   State.
 */
export function createState(
  model: IndexModel,
  view: Readonly<IndexView> | null | undefined
): State {
  const title = (view && view.title) || model.settings.title
  const indexPath = (view && view.indexPath) || model.settings.indexPath
  const used = new Map<string, number>()
  const groupIds = new Map<string, string>()
  headingId(title, used)

  for (const group of model.groups) {
    groupIds.set(group.label, headingId(group.label, used))
  }

  const entryIds = new Map<string, string>()
  const counts = new Map<string, number>()

  for (const group of model.groups) {
    for (const node of group.nodes) assignEntryIds(node, entryIds, counts)
  }

  return {model, title, indexPath, groupIds, entryIds}
}

/**
 * Give a node and its descendants ids, in page order (a repeated slug gets
 * `-2`, `-3`, … so ids stay unique and do not depend on anything but the
 * page).
 *
 * @param node
 *   Node.
 * @param ids
 *   Ids so far; updated.
 * @param counts
 *   Uses of each slug; updated.
 * @returns
 *   Nothing.
 */
function assignEntryIds(
  node: Node,
  ids: Map<string, string>,
  counts: Map<string, number>
): undefined {
  const slug = 'xref-entry-' + entrySlug(node)
  const count = (counts.get(slug) || 0) + 1
  counts.set(slug, count)
  ids.set(node.pathKey, count === 1 ? slug : slug + '-' + count)

  for (const child of node.children.values()) {
    assignEntryIds(child, ids, counts)
  }
}

/**
 * Displays of a target: the node’s spellings when it exists.
 *
 * @param target
 *   Target.
 * @param state
 *   State.
 * @returns
 *   Displays, outermost first.
 */
export function targetPath(target: Target, state: State): string[] {
  const node =
    target.final === undefined ? undefined : state.model.nodes.get(target.final)
  if (!node) return target.written.map((level) => level.display)
  const path: string[] = []
  let current: Node | undefined = node

  while (current) {
    path.unshift(current.display)
    current = current.parent
  }

  return path
}

/**
 * Fragment link to the entry of a target (the letter heading of its
 * outermost term if the target has no entry on the page).
 *
 * @param target
 *   Target.
 * @param state
 *   State.
 * @returns
 *   `#xref-entry-async-tokio`, or `null` when dangling.
 */
export function targetHref(target: Target, state: State): string | null {
  let node =
    target.final === undefined ? undefined : state.model.nodes.get(target.final)
  if (!node) return null
  const entryId = state.entryIds.get(node.pathKey)
  if (entryId !== undefined) return '#' + entryId
  while (node.parent) node = node.parent
  const id = state.groupIds.get(node.group)
  return id === undefined ? null : '#' + id
}

/**
 * Links of an entry: one per chapter, to its first occurrence, chapters in
 * book order.
 *
 * @param node
 *   Node.
 * @param state
 *   State.
 * @returns
 *   Links.
 */
export function locators(node: Node, state: State): IndexJsonLink[] {
  const links: IndexJsonLink[] = []
  const seen = new Set<number>()

  // Occurrences are in book order already (items were built in that order).
  for (const occurrence of node.occurrences) {
    const {entry} = occurrence
    if (entry.chapter === null || seen.has(occurrence.chapterIndex)) continue
    seen.add(occurrence.chapterIndex)
    links.push({
      chapter: entry.chapter,
      chapterName: entry.chapterName,
      id: entry.id,
      href: relativeHref(state.indexPath, entry.chapter, entry.id),
      label:
        state.model.settings.labels === 'number'
          ? String(links.length + 1)
          : entry.chapterName || entry.chapter,
      line: entry.line,
      column: entry.column
    })
  }

  return links
}

/**
 * Link from the index chapter to an anchor in a chapter, relative, `.md`
 * kept (mdBook rewrites it to `.html`).
 *
 * @param from
 *   Index chapter path, such as `indices/word_index.md`.
 * @param to
 *   Chapter path, such as `language/closures.md`.
 * @param id
 *   Anchor id, such as `xref-closure-1`.
 * @returns
 *   Such as `../language/closures.md#xref-closure-1`.
 */
export function relativeHref(from: string, to: string, id: string): string {
  const base = segments(from).slice(0, -1)
  const target = segments(to)
  let common = 0

  while (
    common < base.length &&
    common < target.length - 1 &&
    base[common] === target[common]
  ) {
    common++
  }

  const parts = [
    ...base.slice(common).map(() => '..'),
    ...target.slice(common)
  ]
  return parts.map(encode).join('/') + (id ? '#' + encode(id) : '')
}

/**
 * Path segments (`\` as `/`, `.` dropped, `..` applied).
 *
 * @param value
 *   Path.
 * @returns
 *   Segments.
 */
function segments(value: string): string[] {
  const result: string[] = []

  for (const part of value.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') result.pop()
    else result.push(part)
  }

  return result
}

/**
 * Percent-encode what cannot stand in a Markdown link destination or would
 * change the URL (`a b.md` → `a%20b.md`); non-ASCII stays.
 *
 * @param value
 *   Segment or id.
 * @returns
 *   Encoded.
 */
function encode(value: string): string {
  // `encodeURIComponent` leaves `(` and `)` alone, so encode by hand.
  return value.replace(
    /[\s<>()#?%\\"'`{}|^[\]]/g,
    (character) =>
      '%' + character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')
  )
}
