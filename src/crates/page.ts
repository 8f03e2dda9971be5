/**
 * The crate pages: from the crates a book references to an A–Z page, or
 * one grouped by category (Markdown, built as an mdast tree and serialised
 * like the word index).
 *
 * What a reader gets (`{{#xref-crates}}`, in `indices/crates.md`):
 *
 * ```markdown
 * [A](#a) · [T](#t)
 *
 * ## A
 *
 * - [![anyhow][c~anyhow~docs~badge]][c~anyhow~docs], [Errors](../errors.md)
 *
 * ## T
 *
 * - [`tokio`][c~tokio~docs], [Async: Tasks](../async.md#tasks), [Async: Channels](../async.md#channels)
 * ```
 *
 * Decisions:
 *
 * * A crate shows its badge (`[![name][badge]][link]`) where the book
 *   defines both labels, else a link to its docs label around its name in
 *   code, else its name in code.
 * * Reference-style links resolve in the page's own chapter only (mdBook
 *   renders each chapter alone): a label the page's chapter does not define
 *   is written as an inline link or image with the URL the book gives it
 *   elsewhere (`urls`); a label defined nowhere is left out (the name in
 *   code stays).
 * * Each entry links to every chapter that references the crate, in book
 *   order; a chapter that references it in more than one section gets one
 *   link per section (`Chapter: Section`, to the heading's id; just
 *   `Chapter` for a title heading that repeats the chapter name), references
 *   before its first heading link to the chapter itself.
 * * Letter groups and ids are the word index's (`groupOf`, `headingId`);
 *   heading ids count the headings above the page in its chapter
 *   (`headings`), as mdBook numbers repeated ids per chapter.
 * * By category: one group per category (sorted by key), its heading the
 *   key as plain text (mdBook makes heading ids from the rendered HTML, so
 *   a badge in a heading would give an unusable id), its badge or link in a
 *   paragraph under it; crates paired with no category come last, under
 *   `Other crates`. A crate with several categories is listed under each.
 * * Crates are listed in the order of the model (sorted by the collector).
 */

import type {
  Heading,
  Link,
  LinkReference,
  List,
  ListItem,
  PhrasingContent,
  Root,
  RootContent,
  Text
} from 'mdast'
import {headingId, groupOf, trimPunctuation} from '../index/sort.js'
import {jumpRow, type JumpTarget} from '../index/jump-row.js'
import {relativeHref} from '../index/links.js'
import {serialize} from '../index/page.js'
import {normalizeLabel} from '../markdown/labels.js'
import type {CategoryEntry, CrateEntry, CrateIndex} from './model.js'

/** Configuration of a crate page. */
export interface CratePageOptions {
  /** Group crates by category instead of by letter (default: `false`). */
  byCategory?: boolean | null | undefined
  /**
   * Path of the page's chapter in `src/`, such as `indices/crates.md`; links
   * are relative to its folder and keep `.md` so mdBook rewrites them
   * (default: `''`, links relative to `src/`).
   */
  pagePath?: string | null | undefined
  /** Title, rendered as a first heading when given (default: none, the chapter keeps its own). */
  title?: string | null | undefined
  /**
   * Normalised labels the page's chapter defines (`normalizeLabel`); other
   * labels are written inline with their URL from `urls` (default: every
   * label counts as defined).
   */
  defined?: ReadonlySet<string> | null | undefined
  /** URLs of labels by normalised label, from anywhere in the book (default: none). */
  urls?: ReadonlyMap<string, string> | null | undefined
  /** Texts of the headings above the page in its chapter, for heading ids (default: none). */
  headings?: ReadonlyArray<string> | null | undefined
  /** Heading of the crates paired with no category (default: `'Other crates'`). */
  otherLabel?: string | null | undefined
}

/** Label of the last group of the by-category page. */
export const otherCratesLabel = 'Other crates'

/** What one rendering needs. */
interface State {
  pagePath: string
  defined: ReadonlySet<string> | undefined
  urls: ReadonlyMap<string, string> | undefined
  /** Heading ids so far (mdBook numbers repeats). */
  used: Map<string, number>
}

/** A group of the page: heading, optional paragraph under it, crates. */
interface Group {
  label: string
  id: string
  intro: PhrasingContent[] | undefined
  crates: CrateEntry[]
}

/** How a label is written: reference, inline URL, or not at all. */
type Written = {kind: 'reference'; label: string} | {kind: 'url'; url: string} | undefined

const emptyOptions: Readonly<CratePageOptions> = {}

/**
 * Build the Markdown of a crate page.
 *
 * @param index
 *   Crates of the book.
 * @param options
 *   Configuration.
 * @returns
 *   Markdown, ending in a line ending (empty when there are no crates and no title).
 */
export function renderCratePage(
  index: CrateIndex,
  options?: Readonly<CratePageOptions> | null | undefined
): string {
  const tree = crateTree(index, options)
  return tree.children.length === 0 ? '' : serialize(tree)
}

/**
 * Build a crate page as an mdast tree (what `renderCratePage` serialises).
 *
 * @param index
 *   Crates of the book.
 * @param options
 *   Configuration.
 * @returns
 *   Tree.
 */
export function crateTree(
  index: CrateIndex,
  options?: Readonly<CratePageOptions> | null | undefined
): Root {
  const settings = options || emptyOptions
  const state: State = {
    pagePath: settings.pagePath || '',
    defined: settings.defined || undefined,
    urls: settings.urls || undefined,
    used: new Map()
  }
  const children: RootContent[] = []

  for (const heading of settings.headings || []) headingId(heading, state.used)

  if (settings.title) {
    headingId(settings.title, state.used)
    children.push({type: 'heading', depth: 1, children: [text(settings.title)]})
  }

  const groups = settings.byCategory
    ? categoryGroups(index, settings.otherLabel || otherCratesLabel, state)
    : letterGroups(index.crates, state)

  if (groups.length > 0) children.push(jumpRow(groups.map((d): JumpTarget => ({label: d.label, id: d.id}))))

  for (const group of groups) {
    const heading: Heading = {type: 'heading', depth: 2, children: [text(group.label)]}
    children.push(heading)
    if (group.intro) children.push({type: 'paragraph', children: group.intro})
    children.push(list(group.crates, state))
  }

  return {type: 'root', children}
}

/**
 * Letter groups (`Symbols`, `0–9`, `A`, …), in the order crates come.
 *
 * @param crates
 *   Crates, sorted.
 * @param state
 *   State.
 * @returns
 *   Groups.
 */
function letterGroups(crates: ReadonlyArray<CrateEntry>, state: State): Group[] {
  const groups = new Map<string, CrateEntry[]>()

  for (const crate of crates) {
    // `_private` files under `P`, as the index files `.gitignore` under `G`.
    const label = groupOf(trimPunctuation(crate.name))
    let list = groups.get(label)
    if (!list) groups.set(label, (list = []))
    list.push(crate)
  }

  return [...groups].map(([label, list]) => ({
    label,
    id: headingId(label, state.used),
    intro: undefined,
    crates: list
  }))
}

/**
 * Category groups, then the crates paired with none.
 *
 * @param index
 *   Crates of the book.
 * @param otherLabel
 *   Heading of the last group.
 * @param state
 *   State.
 * @returns
 *   Groups.
 */
function categoryGroups(index: CrateIndex, otherLabel: string, state: State): Group[] {
  const byKey = new Map(index.crates.map((d) => [d.key, d]))
  const paired = new Set<string>()
  const groups: Group[] = []

  for (const category of index.categories) {
    const crates: CrateEntry[] = []

    for (const key of category.crates) {
      const crate = byKey.get(key)
      if (!crate) continue
      paired.add(key)
      crates.push(crate)
    }

    if (crates.length === 0) continue
    groups.push({
      label: category.key,
      id: headingId(category.key, state.used),
      intro: categoryNodes(category, state),
      crates
    })
  }

  const other = index.crates.filter((d) => !paired.has(d.key))

  if (other.length > 0) {
    groups.push({label: otherLabel, id: headingId(otherLabel, state.used), intro: undefined, crates: other})
  }

  return groups
}

/**
 * The badge or link of a category, shown under its heading.
 *
 * @param category
 *   Category.
 * @param state
 *   State.
 * @returns
 *   Phrasing, or `undefined` when the book defines neither.
 */
function categoryNodes(category: CategoryEntry, state: State): PhrasingContent[] | undefined {
  const nodes = badgeNodes(category.key, category.badge, category.link, state)
  return nodes.length === 1 && nodes[0].type === 'inlineCode' ? undefined : nodes
}

/**
 * Make a list of crates.
 *
 * @param crates
 *   Crates.
 * @param state
 *   State.
 * @returns
 *   Tight list.
 */
function list(crates: ReadonlyArray<CrateEntry>, state: State): List {
  return {
    type: 'list',
    ordered: false,
    spread: false,
    children: crates.map((crate) => item(crate, state))
  }
}

/**
 * The list item of one crate.
 *
 * @param crate
 *   Crate.
 * @param state
 *   State.
 * @returns
 *   Item: “badge, [A](…), [B](…)”.
 */
function item(crate: CrateEntry, state: State): ListItem {
  const phrasing: PhrasingContent[] = badgeNodes(crate.name, crate.badge, crate.link, state)

  for (const link of chapterLinks(crate, state)) phrasing.push(text(', '), link)

  return {type: 'listItem', spread: false, children: [{type: 'paragraph', children: phrasing}]}
}

/**
 * A crate or category as the book shows it: badge in a link, else a link
 * around the name in code, else the name in code.
 *
 * @param name
 *   Name.
 * @param badge
 *   Label of the badge image, if the book defines one.
 * @param link
 *   Label of the link, if the book defines one.
 * @param state
 *   State.
 * @returns
 *   Phrasing.
 */
function badgeNodes(
  name: string,
  badge: string | undefined,
  link: string | undefined,
  state: State
): PhrasingContent[] {
  const image = written(badge, state)
  const target = written(link, state)
  const content: PhrasingContent[] = image
    ? [
        image.kind === 'reference'
          ? {
              type: 'imageReference',
              identifier: normalizeLabel(image.label),
              label: image.label,
              referenceType: 'full',
              alt: name
            }
          : {type: 'image', url: image.url, title: null, alt: name}
      ]
    : [{type: 'inlineCode', value: name}]

  if (!target) return content

  const node: Link | LinkReference =
    target.kind === 'reference'
      ? {
          type: 'linkReference',
          identifier: normalizeLabel(target.label),
          label: target.label,
          referenceType: 'full',
          children: content
        }
      : {type: 'link', url: target.url, title: null, children: content}
  return [node]
}

/**
 * How a label can be written on the page.
 *
 * @param label
 *   Label, if any.
 * @param state
 *   State.
 * @returns
 *   Reference (defined in the page's chapter), URL (defined elsewhere), or
 *   `undefined`.
 */
function written(label: string | undefined, state: State): Written {
  if (label === undefined) return undefined
  const identifier = normalizeLabel(label)
  if (!state.defined || state.defined.has(identifier)) return {kind: 'reference', label}
  const url = state.urls ? state.urls.get(identifier) : undefined
  return url === undefined ? undefined : {kind: 'url', url}
}

/**
 * Links to the chapters (or sections) that reference a crate, book order.
 *
 * @param crate
 *   Crate.
 * @param state
 *   State.
 * @returns
 *   Links.
 */
function chapterLinks(crate: CrateEntry, state: State): Link[] {
  const chapters = new Map<number, CrateEntry['references']>()
  const order = [...crate.references].sort((a, b) => a.chapterIndex - b.chapterIndex || a.offset - b.offset)

  for (const reference of order) {
    let list = chapters.get(reference.chapterIndex)
    if (!list) chapters.set(reference.chapterIndex, (list = []))
    list.push(reference)
  }

  const links: Link[] = []

  for (const references of chapters.values()) {
    const first = references[0]
    const name = first.chapterName || first.chapter
    const sections = new Set(references.map((d) => d.sectionId).filter((d) => d !== undefined))

    if (sections.size < 2) {
      links.push(link(relativeHref(state.pagePath, first.chapter, ''), name))
      continue
    }

    // Several sections: one link each, in the order of their first reference.
    const seen = new Set<string>()

    for (const reference of references) {
      const id = reference.sectionId ?? ''
      if (seen.has(id)) continue
      seen.add(id)
      links.push(
        link(
          relativeHref(state.pagePath, reference.chapter, id),
          sectionLabel(name, reference.section ?? reference.sectionId)
        )
      )
    }
  }

  return links
}

/**
 * Label of a link to a section: `Chapter: Section`, or the chapter name for
 * references before the first heading or under a heading that repeats it
 * (the chapter's title).
 *
 * @param name
 *   Chapter name.
 * @param section
 *   Section text, if any.
 * @returns
 *   Label.
 */
function sectionLabel(name: string, section: string | undefined): string {
  return section === undefined || section.trim() === name.trim() ? name : name + ': ' + section
}

/**
 * Link with text.
 *
 * @param url
 *   URL.
 * @param value
 *   Text.
 * @returns
 *   Node.
 */
function link(url: string, value: string): Link {
  return {type: 'link', url, title: null, children: [text(value)]}
}

/**
 * Text node.
 *
 * @param value
 *   Value.
 * @returns
 *   Node.
 */
function text(value: string): Text {
  return {type: 'text', value}
}
