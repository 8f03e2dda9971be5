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

/** A link to one marked place. */
export interface IndexJsonLink {
  chapter: string
  chapterName: string
  /**
   * Plain text of the heading whose section holds the place, `null` when
   * not known or before the first heading.
   */
  section: string | null
  /** Id mdBook gives that heading, or `null`. */
  sectionId: string | null
  id: string
  /** Relative to the index chapter, `.md` kept, such as `../a/b.md#xref-x-1`. */
  href: string
  /**
   * Link text on the page: the chapter name, the section heading (when the
   * chapter marks the term in more than one section), `[2]`, `[3]`, … for
   * further places in one section; `1`, `2`, … with `labels: 'number'`.
   */
  label: string
  line: number
  column: number
}

/** The places of an entry in one chapter, by section. */
export interface ChapterPlaces {
  /** Chapter name (its path when it has none). */
  name: string
  /** Links of each section in chapter order, the first of each named. */
  sections: IndexJsonLink[][]
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
 * Places of an entry: every occurrence (each anchor id once), chapters in
 * book order, each chapter's places by section in the order they come.
 *
 * Labels: a chapter that marks the term in one section (or whose sections
 * are not known) names its first place by the chapter (`[File I/O](…)`);
 * one that marks it in several names the first place of each section by
 * its heading (`[Find files](…)`, `[Walk a tree](…)`); further places in a
 * section are `[2]`, `[3]`, …, so a term marked many times does not repeat
 * a name. With `labels: 'number'`, places are `1`, `2`, … in book order.
 *
 * @param node
 *   Node.
 * @param state
 *   State.
 * @returns
 *   Places by chapter.
 */
export function places(node: Node, state: State): ChapterPlaces[] {
  const chapters = new Map<number, Map<string, IndexJsonLink[]>>()
  const names = new Map<number, string>()
  const seen = new Set<string>()
  let count = 0

  // Occurrences are in book order already (items were built in that order).
  for (const occurrence of node.occurrences) {
    const {entry} = occurrence
    if (entry.chapter === null) continue
    const place = entry.chapter + '#' + entry.id
    if (seen.has(place)) continue
    seen.add(place)
    count++
    let sections = chapters.get(occurrence.chapterIndex)

    if (!sections) {
      sections = new Map()
      chapters.set(occurrence.chapterIndex, sections)
      names.set(occurrence.chapterIndex, entry.chapterName || entry.chapter)
    }

    // Two headings with one text are two sections (mdBook numbers their ids).
    const key =
      entry.sectionId === undefined
        ? entry.section === undefined
          ? ''
          : 'text:' + entry.section
        : 'id:' + entry.sectionId
    const links = sections.get(key) || []
    sections.set(key, links)
    links.push({
      chapter: entry.chapter,
      chapterName: entry.chapterName,
      section: entry.section ?? null,
      sectionId: entry.sectionId ?? null,
      id: entry.id,
      href: relativeHref(state.indexPath, entry.chapter, entry.id),
      label: String(count),
      line: entry.line,
      column: entry.column
    })
  }

  return [...chapters].map(([index, bySection]) => {
    const name = names.get(index) as string
    const sections = [...bySection.values()]

    if (state.model.settings.labels !== 'number') {
      for (const links of sections) {
        for (const [position, link] of links.entries()) {
          link.label =
            position > 0
              ? '[' + (position + 1) + ']'
              : sections.length > 1
                ? link.section || name
                : name
        }
      }
    }

    return {name, sections}
  })
}

/**
 * Links of an entry: every place, in book order.
 *
 * @param node
 *   Node.
 * @param state
 *   State.
 * @returns
 *   Links.
 */
export function locators(node: Node, state: State): IndexJsonLink[] {
  return places(node, state).flatMap((chapter) => chapter.sections.flat())
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
