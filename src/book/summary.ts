/**
 * `SUMMARY.md` parsed as mdBook's `mdbook-summary` does: its recursive
 * descent over pulldown-cmark events is ported one to one over the events of
 * an mdast tree (plain CommonMark, as mdBook parses the summary without
 * extensions). So prefix chapters, part titles (`# Title`), numbered chapters
 * nested by list nesting, drafts (`- [Name]()`), separators (`---`) and
 * suffix chapters come out as mdBook loads them, numbers included.
 */

import path from 'node:path'
import type {Nodes, Root} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {visit} from 'unist-util-visit'
import {BookError} from '../mdbook/book-error.js'

/** A chapter as mdBook loads it, in book order. */
export interface BookChapter {
  /** Name in `SUMMARY.md`. */
  name: string
  /** Path relative to the source folder, as mdBook has it; `null` for a draft. */
  path: string | null
  /** Absolute path of the source file; `null` for a draft. */
  file: string | null
  /** Section number (`[2, 1]` is 2.1); `null` for prefix and suffix chapters. */
  number: number[] | null
  /** Names of the chapters it is nested in, outermost first. */
  parentNames: string[]
  /** Where it is listed. */
  section: 'prefix' | 'numbered' | 'suffix'
}

/** An item of `SUMMARY.md`. */
export type SummaryItem =
  | {type: 'link'; name: string; location: string | null; number: number[] | null; nested: SummaryItem[]}
  | {type: 'separator'}
  | {type: 'part'; title: string}

/** A parsed `SUMMARY.md`. */
export interface Summary {
  /** First `# Title`, if the file starts with one. */
  title: string | undefined
  /** Unnumbered chapters before the first list or part title. */
  prefix: SummaryItem[]
  /** Numbered chapters, part titles and separators. */
  numbered: SummaryItem[]
  /** Unnumbered chapters after the numbered ones. */
  suffix: SummaryItem[]
}

/**
 * List the chapters of a summary in book order.
 *
 * @param summary
 *   Summary.
 * @param src
 *   Source folder, absolute.
 * @returns
 *   Chapters.
 */
export function flattenSummary(summary: Summary, src: string): BookChapter[] {
  const chapters: BookChapter[] = []
  walk(summary.prefix, [], 'prefix')
  walk(summary.numbered, [], 'numbered')
  walk(summary.suffix, [], 'suffix')
  return chapters

  function walk(items: SummaryItem[], parentNames: string[], section: BookChapter['section']): undefined {
    for (const item of items) {
      if (item.type !== 'link') continue
      const relative = item.location === null ? null : chapterPath(item.location)
      chapters.push({
        name: item.name,
        path: relative,
        file: relative === null ? null : path.resolve(src, relative),
        number: item.number,
        parentNames,
        section
      })
      walk(item.nested, [...parentNames, item.name], section)
    }
  }
}

/**
 * The chapter path mdBook reports: `src.join(location)` stripped of `src`,
 * which drops `.` components and doubled slashes (`./a//b.md` → `a/b.md`).
 *
 * @param location
 *   Link destination in `SUMMARY.md`.
 * @returns
 *   Path.
 */
function chapterPath(location: string): string {
  return location
    .split('/')
    .filter((d) => d !== '' && d !== '.')
    .join('/')
}

/** A pulldown-cmark event, as far as the summary parser looks at it. */
type Event =
  | {kind: 'start' | 'end'; tag: string; url: string; offset: number}
  | {kind: 'text' | 'code'; value: string; offset: number}
  | {kind: 'softbreak' | 'rule' | 'html' | 'other'; offset: number}

/**
 * Parse `SUMMARY.md` as mdBook does.
 *
 * @param text
 *   Markdown.
 * @param file
 *   Path, for errors (default: `SUMMARY.md`).
 * @returns
 *   Summary.
 * @throws {BookError}
 *   Where mdBook fails: a list after suffix chapters, a list item that does
 *   not start with a link.
 */
export function parseSummary(text: string, file?: string | null | undefined): Summary {
  const tree = fromMarkdown(text)
  const events: Event[] = []
  toEvents(tree, events, definitions(tree))
  return new SummaryParser(text, file || 'SUMMARY.md', events).parse()
}

/**
 * Collect definitions, to resolve reference links (`[Name][id]`) as
 * pulldown-cmark does.
 *
 * @param tree
 *   Tree.
 * @returns
 *   URL per identifier.
 */
function definitions(tree: Root): Map<string, string> {
  const map = new Map<string, string>()
  visit(tree, 'definition', (node) => {
    // The first definition of a label wins.
    if (!map.has(node.identifier)) map.set(node.identifier, node.url)
  })
  return map
}

/**
 * Turn a tree into pulldown-cmark-like events.
 *
 * @param node
 *   Node.
 * @param events
 *   List to add to.
 * @param defs
 *   Definitions.
 */
function toEvents(node: Nodes, events: Event[], defs: Map<string, string>): undefined {
  const offset = node.position?.start.offset ?? 0

  switch (node.type) {
    case 'root': {
      for (const child of node.children) toEvents(child, events, defs)
      return
    }

    case 'text': {
      // A soft line break is its own event in pulldown-cmark.
      const lines = node.value.split('\n')
      for (const [index, line] of lines.entries()) {
        if (index > 0) events.push({kind: 'softbreak', offset})
        if (line) events.push({kind: 'text', value: line, offset})
      }

      return
    }

    case 'inlineCode': {
      events.push({kind: 'code', value: node.value, offset})
      return
    }

    case 'thematicBreak': {
      events.push({kind: 'rule', offset})
      return
    }

    case 'html': {
      events.push({kind: 'html', offset})
      return
    }

    case 'definition': {
      return
    }

    case 'break': {
      events.push({kind: 'other', offset})
      return
    }

    case 'code': {
      events.push({kind: 'start', tag: 'codeblock', url: '', offset})
      events.push({kind: 'text', value: node.value, offset})
      events.push({kind: 'end', tag: 'codeblock', url: '', offset})
      return
    }

    case 'image':
    case 'imageReference': {
      events.push({kind: 'start', tag: 'image', url: '', offset})
      if (node.alt) events.push({kind: 'text', value: node.alt, offset})
      events.push({kind: 'end', tag: 'image', url: '', offset})
      return
    }

    default: {
      break
    }
  }

  const tag =
    node.type === 'heading'
      ? 'heading' + node.depth
      : node.type === 'linkReference'
        ? 'link'
        : node.type === 'listItem'
          ? 'item'
          : node.type
  const url =
    node.type === 'link'
      ? node.url
      : node.type === 'linkReference'
        ? defs.get(node.identifier) ?? ''
        : ''
  events.push({kind: 'start', tag, url, offset})
  if ('children' in node) {
    for (const child of node.children) toEvents(child as Nodes, events, defs)
  }

  events.push({kind: 'end', tag, url, offset})
}

/** Port of mdBook's `SummaryParser` (crates/mdbook-summary/src/lib.rs). */
class SummaryParser {
  text: string
  file: string
  events: Event[]
  index = 0
  /** Offset of the last event taken, for errors. */
  offset = 0

  /**
   * Create a parser.
   *
   * @param text
   *   Source.
   * @param file
   *   Path, for errors.
   * @param events
   *   Events.
   */
  constructor(text: string, file: string, events: Event[]) {
    this.text = text
    this.file = file
    this.events = events
  }

  /**
   * Parse everything.
   *
   * @returns
   *   Summary.
   */
  parse(): Summary {
    const title = this.parseTitle()
    const prefix = this.parseAffix(true)
    const numbered = this.parseParts()
    const suffix = this.parseAffix(false)
    return {title, prefix, numbered, suffix}
  }

  /**
   * Take the next event.
   *
   * @returns
   *   Event, or `undefined` at the end.
   */
  next(): Event | undefined {
    const event = this.events[this.index]
    if (event) {
      this.index++
      this.offset = event.offset
    }

    return event
  }

  /** Put the last event back. */
  back(): undefined {
    this.index--
  }

  /**
   * Take events up to the end of `tag` (not nesting-aware, like mdBook's
   * `collect_events!`).
   *
   * @param tag
   *   Tag.
   * @returns
   *   Events before the end.
   */
  collect(tag: string): Event[] {
    const events: Event[] = []
    let event: Event | undefined

    while ((event = this.next())) {
      if (event.kind === 'end' && event.tag === tag) break
      events.push(event)
    }

    return events
  }

  /**
   * An optional `# Title` at the start (HTML such as comments before it is
   * skipped).
   *
   * @returns
   *   Title.
   */
  parseTitle(): string | undefined {
    let event: Event | undefined

    while ((event = this.next())) {
      if (event.kind === 'start' && event.tag === 'heading1') {
        return stringify(this.collect('heading1'))
      }

      if (event.kind !== 'html') {
        this.back()
        return undefined
      }
    }

    return undefined
  }

  /**
   * Prefix or suffix chapters: links and separators outside lists.
   *
   * @param prefix
   *   Whether these are prefix chapters (a list or part title ends them).
   * @returns
   *   Items.
   */
  parseAffix(prefix: boolean): SummaryItem[] {
    const items: SummaryItem[] = []
    let event: Event | undefined

    while ((event = this.next())) {
      if (event.kind === 'start' && (event.tag === 'list' || event.tag === 'heading1')) {
        if (prefix) {
          this.back()
          break
        }

        throw this.error('Unexpected list or part title after the suffix chapters, expected only links')
      }

      if (event.kind === 'start' && event.tag === 'link') {
        items.push(this.parseLink(event.url))
      } else if (event.kind === 'rule') {
        items.push({type: 'separator'})
      }
    }

    return items
  }

  /**
   * Numbered chapters, in parts; numbers continue across parts.
   *
   * @returns
   *   Items, with part titles.
   */
  parseParts(): SummaryItem[] {
    const parts: SummaryItem[] = []
    const root = {items: 0}

    while (true) {
      const event = this.next()
      let title: string | undefined

      if (!event) break

      if (event.kind === 'start' && event.tag === 'paragraph') {
        // The suffix chapters start.
        this.back()
        break
      }

      if (event.kind === 'start' && event.tag === 'heading1') {
        title = stringify(this.collect('heading1'))
      } else {
        this.back()
      }

      const numbered = this.parseNumbered(root)
      if (title !== undefined) parts.push({type: 'part', title})
      parts.push(...numbered)
    }

    return parts
  }

  /**
   * Numbered chapters of one part.
   *
   * @param root
   *   Count of top-level chapters so far (shared by all parts).
   * @returns
   *   Items.
   */
  parseNumbered(root: {items: number}): SummaryItem[] {
    const items: SummaryItem[] = []
    let first = true
    let event: Event | undefined

    while ((event = this.next())) {
      if (event.kind === 'start' && event.tag === 'paragraph') {
        // A paragraph right after a part title is skipped; later ones start
        // the suffix chapters.
        if (!first) {
          this.back()
          break
        }
      } else if (event.kind === 'start' && event.tag === 'heading1') {
        this.back()
        break
      } else if (event.kind === 'start' && event.tag === 'list') {
        this.back()
        const bunch = this.parseNestedNumbered([])
        // A list after a separator or heading is numbered from 1: shift it.
        renumber(bunch, root.items)
        root.items += bunch.length
        items.push(...bunch)
      } else if (event.kind === 'start') {
        // Skip other blocks (`## Subheading`, quotes, code).
        const tag = event.tag
        let inner: Event | undefined
        while ((inner = this.next())) {
          if (inner.kind === 'end' && inner.tag === tag) break
        }
      } else if (event.kind === 'rule') {
        items.push({type: 'separator'})
      }

      first = false
    }

    return items
  }

  /**
   * A list of numbered chapters, nested lists becoming sub-chapters of the
   * last chapter before them.
   *
   * @param parent
   *   Number of the parent chapter (`[]` at the top).
   * @returns
   *   Chapters.
   */
  parseNestedNumbered(parent: number[]): SummaryItem[] {
    const items: SummaryItem[] = []
    let event: Event | undefined

    while ((event = this.next())) {
      if (event.kind === 'start' && event.tag === 'item') {
        items.push(this.parseNestedItem(parent, items.length))
      } else if (event.kind === 'start' && event.tag === 'list') {
        // The list's own start, before its first item.
        if (items.length === 0) continue
        const last = items[items.length - 1] as Extract<SummaryItem, {type: 'link'}>
        last.nested = this.parseNestedNumbered(last.number || [])
      } else if (event.kind === 'end' && event.tag === 'list') {
        break
      }
    }

    return items
  }

  /**
   * One list item: it must start with a link.
   *
   * @param parent
   *   Number of the parent chapter.
   * @param existing
   *   Chapters before this one in the list.
   * @returns
   *   Chapter.
   */
  parseNestedItem(parent: number[], existing: number): SummaryItem {
    let event: Event | undefined

    while ((event = this.next())) {
      if (event.kind === 'start' && event.tag === 'paragraph') continue

      if (event.kind === 'start' && event.tag === 'link') {
        const link = this.parseLink(event.url)
        link.number = [...parent, existing + 1]
        return link
      }

      break
    }

    throw this.error(
      'Unexpected content in a list item of `SUMMARY.md`, expected only a link such as `- [Name](file.md)` or `- [Draft]()`'
    )
  }

  /**
   * A link, after its start event.
   *
   * @param url
   *   Destination.
   * @returns
   *   Chapter (`location: null` for a draft).
   */
  parseLink(url: string): Extract<SummaryItem, {type: 'link'}> {
    const href = url.replaceAll('%20', ' ')
    const name = stringify(this.collect('link'))
    return {type: 'link', name, location: href === '' ? null : href, number: null, nested: []}
  }

  /**
   * Error at the last event taken.
   *
   * @param reason
   *   Reason.
   * @returns
   *   Error.
   */
  error(reason: string): BookError {
    const before = this.text.slice(0, this.offset)
    const line = before.split('\n').length
    const column = this.offset - before.lastIndexOf('\n')
    return new BookError(this.file, line, column, reason)
  }
}

/**
 * Add to the top-level number of chapters (and their sub-chapters).
 *
 * @param items
 *   Items.
 * @param by
 *   Amount.
 */
function renumber(items: SummaryItem[], by: number): undefined {
  for (const item of items) {
    if (item.type !== 'link') continue
    if (item.number) item.number[0] += by
    renumber(item.nested, by)
  }
}

/**
 * Plain text of events (mdBook's `stringify_events`): text and code, soft
 * breaks as spaces.
 *
 * @param events
 *   Events.
 * @returns
 *   Text.
 */
function stringify(events: Event[]): string {
  let value = ''
  for (const event of events) {
    if (event.kind === 'text' || event.kind === 'code') value += event.value
    else if (event.kind === 'softbreak') value += ' '
  }

  return value
}
