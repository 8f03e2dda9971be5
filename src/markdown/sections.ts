/**
 * Sections of a chapter: each heading CommonMark sees (ATX or setext, at any
 * container depth) starts one, up to the next. A section has the heading’s
 * plain text (as `mdast-util-to-string` gives it, inline HTML left out) and
 * the id mdBook 0.4.4 gives it.
 *
 * mdBook renders the chapter with pulldown-cmark, then finds each
 * `<h1>`…`<h6>` in the page with the regex `<h(\d)>(.*?)</h\d>` and makes
 * an id of its HTML (`id_from_content`): it removes `<em>`, `</em>`,
 * `<code>`, `</code>`, `<strong>`, `</strong>`, `&lt;`, `&gt;`, `&amp;`,
 * `&#39;`, `&quot;`, trims, trims leading `#`, then keeps alphanumerics,
 * `_` and `-`, turns whitespace into `-`, and lowercases ASCII. Repeats in
 * one page get `-1`, `-2`, ….
 *
 * So the tags of other elements count (`# See [tokio](tokio.md)` has the
 * id `see-a-hreftokiohtmltokioa`): `headingHtml` writes the heading as
 * pulldown-cmark does. Known limits: a footnote call in a heading is written
 * without its number; raw `<h2>` in HTML blocks (which mdBook also numbers)
 * is not counted; a heading whose HTML spans lines (setext over two lines,
 * or raw HTML with a line ending) gets no id, as in mdBook, whose `.` does
 * not match a line ending.
 */

import type {Heading, Nodes, PhrasingContent, Root} from 'mdast'
import {lastStartingAtOrBefore} from '../util/search.js'

/** A section: from its heading to the next heading. */
export interface Section {
  /** Offset (UTF-16) where the heading starts, in the chapter content. */
  start: number
  /** Heading rank, `1` to `6`. */
  depth: number
  /** Plain text of the heading as a reader sees it (inline HTML left out). */
  text: string
  /** Id mdBook gives the heading, if any (none when its HTML spans lines). */
  id: string | undefined
}

/** Configuration. */
export interface SectionOptions {
  /** Offset at and after which headings are ignored, such as in appended stand-ins (default: none). */
  limit?: number | null | undefined
  /** Map an offset of the tree to the chapter, `-1` to skip the heading (default: the offset itself). */
  map?: ((offset: number) => number) | null | undefined
}

/** A link destination and title, as a definition gives them. */
export interface Target {
  url: string
  title: string | null | undefined
}

/** Defaults: every field off. */
const emptyOptions: Readonly<SectionOptions> = {}

/** What `id_from_content` removes, in its order. */
const removed = ['<em>', '</em>', '<code>', '</code>', '<strong>', '</strong>', '&lt;', '&gt;', '&amp;', '&#39;', '&quot;']

/** A URL with a scheme: mdBook leaves it as written. */
const scheme = /^[a-z][a-z\d+.-]*:/

/** A relative link to a chapter: mdBook points it at the rendered page (0.4.4 `adjust_links`, unanchored as there). */
const chapterLink = /(.*)\.md(#.*)?/

/** A heading and where it starts in the chapter. */
export interface PlacedHeading {
  /** Offset (UTF-16) where the heading starts, in the chapter content. */
  start: number
  /** Heading. */
  heading: Heading
}

/**
 * Sections of a parsed chapter (or of parts of it, see `map`), in order.
 *
 * @param tree
 *   Tree, after markers are rewritten (`markersToTree`), so that a heading
 *   shows what the reader sees.
 * @param options
 *   Configuration (optional).
 * @returns
 *   Sections, in document order, with mdBook’s ids.
 */
export function treeSections(tree: Root, options?: Readonly<SectionOptions> | null | undefined): Section[] {
  const headings = treeHeadings(tree, options)
  return headings.length === 0 ? [] : headingSections(headings, definitionTargets(tree))
}

/**
 * Headings of a tree, in order, with where they start.
 *
 * @param tree
 *   Tree.
 * @param options
 *   Configuration (optional).
 * @returns
 *   Headings.
 */
export function treeHeadings(tree: Root, options?: Readonly<SectionOptions> | null | undefined): PlacedHeading[] {
  const settings = options || emptyOptions
  const limit = typeof settings.limit === 'number' ? settings.limit : Number.POSITIVE_INFINITY
  const map = settings.map || undefined
  const result: PlacedHeading[] = []
  // An explicit stack, in document order: containers can nest thousands deep.
  const stack: Nodes[] = [tree]

  while (stack.length > 0) {
    const node = stack.pop()!

    if (node.type === 'heading') {
      let start = node.position?.start.offset
      // Skip quietly when a heading has no position, or is in stand-ins.
      if (start === undefined || start >= limit) continue
      if (map) start = map(start)
      if (start !== -1) result.push({start, heading: node})
      continue
    }

    if ('children' in node && node.type !== 'paragraph' && node.type !== 'table') {
      for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index])
    }
  }

  return result
}

/**
 * Sections of the headings of one chapter: their text and mdBook’s ids,
 * counted in order.
 *
 * @param headings
 *   Every heading of the chapter, in order.
 * @param targets
 *   Definitions by identifier, for references in headings (default: none).
 * @returns
 *   Sections.
 */
export function headingSections(
  headings: ReadonlyArray<PlacedHeading>,
  targets: ReadonlyMap<string, Target> = new Map()
): Section[] {
  const used = new Map<string, number>()

  return headings.map(function ({start, heading}) {
    const html = headingHtml(heading, targets)
    // mdBook’s regex does not see a heading whose HTML spans lines.
    const id = html.includes('\n') ? undefined : mdbookId(html, used)
    return {start, depth: heading.depth, text: withoutAttributes(plainText(heading)), id}
  })
}

/** A trailing block of heading attributes: `{#id}`, `{#id .class}`, `{.class}`. */
const headingAttributes = /[ \t]*\{[ \t]*[#.][^{}]*\}[ \t]*$/

/**
 * Text of a heading without a trailing block of heading attributes
 * (`Paths {#paths}` → `Paths`): mdBook releases after 0.4.4 and 0.5 read
 * that block as the heading's id and classes and do not show it; 0.4.4 shows
 * it, and makes the id of the whole text (which `id` keeps).
 *
 * @param value
 *   Plain text of a heading.
 * @returns
 *   Text as readers of current mdBook see it.
 */
function withoutAttributes(value: string): string {
  return value.replace(headingAttributes, '') || value
}

/**
 * The section an offset is in: the last one starting at or before it.
 *
 * @param sections
 *   Sections, in order.
 * @param offset
 *   Offset in the chapter content.
 * @returns
 *   Section, if a heading comes before `offset`.
 */
export function sectionAt(sections: ReadonlyArray<Section>, offset: number): Section | undefined {
  return lastStartingAtOrBefore(sections, offset)
}

/**
 * Id mdBook (0.4.4 `id_from_content`) makes of a heading’s HTML, counted.
 *
 * @param html
 *   HTML of the heading’s content, as pulldown-cmark writes it.
 * @param used
 *   Ids so far in the page and their counts; updated.
 * @returns
 *   Id, such as `the-vec-type` or `the-vec-type-1`.
 */
export function mdbookId(html: string, used: Map<string, number>): string {
  let content = html
  for (const value of removed) content = content.split(value).join('')
  return headingId(content.trim().replace(/^#+/, '').trim(), used)
}

/**
 * Heading id as mdBook makes it of text (alphanumerics, `_`, `-` kept, ASCII
 * lowercased; whitespace → `-`; others dropped; repeats get `-1`, `-2`, …).
 *
 * Known limit: Rust’s `is_alphanumeric` also keeps the few combining marks
 * that are `Alphabetic` (such as Devanagari vowel signs); this keeps letters
 * and numbers only.
 *
 * @param value
 *   Heading text.
 * @param used
 *   Ids so far and their counts; updated.
 * @returns
 *   Id, such as `a`, `symbols`, `09`.
 */
export function headingId(value: string, used: Map<string, number>): string {
  let id = ''

  for (const character of value) {
    if (/[\p{L}\p{N}_-]/u.test(character)) {
      id += /[A-Z]/.test(character) ? character.toLowerCase() : character
    } else if (/\s/.test(character)) {
      id += '-'
    }
  }

  const count = used.get(id) || 0
  used.set(id, count + 1)
  return count === 0 ? id : id + '-' + count
}

/**
 * HTML of a heading’s content, as pulldown-cmark (mdBook 0.4.4) writes it.
 *
 * @param heading
 *   Heading.
 * @param targets
 *   Definitions by identifier, for references.
 * @returns
 *   HTML.
 */
export function headingHtml(heading: Heading, targets: ReadonlyMap<string, Target>): string {
  return phrasingHtml(heading.children, targets)
}

/** A node being written: its closing HTML is added after its children. */
interface Frame {
  nodes: ReadonlyArray<PhrasingContent>
  index: number
  close: string
}

/**
 * HTML of phrasing content. A loop, not recursion: emphasis can nest
 * thousands deep (`*a *b … b* a*`).
 *
 * @param nodes
 *   Nodes.
 * @param targets
 *   Definitions by identifier.
 * @returns
 *   HTML.
 */
function phrasingHtml(nodes: ReadonlyArray<PhrasingContent>, targets: ReadonlyMap<string, Target>): string {
  let result = ''
  const stack: Frame[] = [{nodes, index: 0, close: ''}]

  while (stack.length > 0) {
    const frame = stack[stack.length - 1]

    if (frame.index >= frame.nodes.length) {
      result += frame.close
      stack.pop()
      continue
    }

    const node = frame.nodes[frame.index++]

    switch (node.type) {
      case 'text': {
        result += escapeHtml(node.value)
        break
      }

      case 'inlineCode': {
        result += '<code>' + escapeHtml(node.value) + '</code>'
        break
      }

      case 'emphasis': {
        result += '<em>'
        stack.push({nodes: node.children, index: 0, close: '</em>'})
        break
      }

      case 'strong': {
        result += '<strong>'
        stack.push({nodes: node.children, index: 0, close: '</strong>'})
        break
      }

      case 'delete': {
        result += '<del>'
        stack.push({nodes: node.children, index: 0, close: '</del>'})
        break
      }

      case 'html': {
        result += node.value
        break
      }

      case 'break': {
        result += '<br />\n'
        break
      }

      case 'link': {
        result += linkOpen({url: node.url, title: node.title})
        stack.push({nodes: node.children, index: 0, close: '</a>'})
        break
      }

      case 'linkReference': {
        const target = targets.get(node.identifier)
        if (target) result += linkOpen(target)
        stack.push({nodes: node.children, index: 0, close: target ? '</a>' : ''})
        break
      }

      case 'image': {
        result += imageHtml({url: node.url, title: node.title}, node.alt || '')
        break
      }

      case 'imageReference': {
        const target = targets.get(node.identifier)
        result += target ? imageHtml(target, node.alt || '') : escapeHtml(node.alt || '')
        break
      }

      case 'footnoteReference': {
        // Known limit: pulldown-cmark numbers footnotes in the order of first use.
        result += '<sup class="footnote-reference"><a href="#' + escapeHtml(node.label || node.identifier) + '"></a></sup>'
        break
      }

      default: {
        // Anchors (`xrefAnchor`) and other nodes without HTML of their own.
        if ('children' in node) stack.push({nodes: node.children as PhrasingContent[], index: 0, close: ''})
      }
    }
  }

  return result
}

/**
 * Plain text of a node as `mdast-util-to-string` gives it (values, image
 * alternatives, children) but without inline HTML, which a reader does not
 * see (`Old <span>bed</span>` → `Old bed`); in a loop: emphasis can nest
 * thousands deep.
 *
 * @param node
 *   Node.
 * @returns
 *   Text.
 */
export function plainText(node: Nodes): string {
  let result = ''
  const stack: Nodes[] = [node]

  while (stack.length > 0) {
    const current = stack.pop()!

    if (current.type === 'html') {
      // Tags are not text.
    } else if ('value' in current) {
      result += current.value
    } else if ('alt' in current && current.alt) {
      result += current.alt
    } else if ('children' in current) {
      for (let index = current.children.length - 1; index >= 0; index--) stack.push(current.children[index])
    }
  }

  return result
}

/**
 * Opening tag of a link, with mdBook’s `.md` → `.html` for relative links.
 *
 * @param target
 *   Destination and title.
 * @returns
 *   HTML.
 */
function linkOpen(target: Target): string {
  let url = target.url

  if (!scheme.test(url)) {
    const match = chapterLink.exec(url)
    if (match) url = match[1] + '.html' + (match[2] || '')
  }

  return '<a href="' + escapeHref(url) + '"' + titleHtml(target.title) + '>'
}

/**
 * HTML of an image.
 *
 * @param target
 *   Source and title.
 * @param alt
 *   Alternative text.
 * @returns
 *   HTML.
 */
function imageHtml(target: Target, alt: string): string {
  return '<img src="' + escapeHref(target.url) + '" alt="' + escapeHtml(alt) + '"' + titleHtml(target.title) + ' />'
}

/**
 * Title attribute, if any.
 *
 * @param title
 *   Title.
 * @returns
 *   HTML (with a leading space), or `''`.
 */
function titleHtml(title: string | null | undefined): string {
  return title ? ' title="' + escapeHtml(title) + '"' : ''
}

/**
 * Escape text as pulldown-cmark does (`"`, `&`, `<`, `>`).
 *
 * @param value
 *   Text.
 * @returns
 *   HTML.
 */
function escapeHtml(value: string): string {
  return value.replace(/["&<>]/g, function (character) {
    return character === '"' ? '&quot;' : character === '&' ? '&amp;' : character === '<' ? '&lt;' : '&gt;'
  })
}

/**
 * Escape a URL as pulldown-cmark does (`escape_href`): safe ASCII stays,
 * `&` and `'` become references, everything else is percent-encoded UTF-8.
 *
 * @param value
 *   URL.
 * @returns
 *   HTML attribute value.
 */
function escapeHref(value: string): string {
  let result = ''

  for (const byte of new TextEncoder().encode(value)) {
    const character = String.fromCharCode(byte)

    if (byte === 38 /* `&` */) {
      result += '&amp;'
    } else if (byte === 39 /* `'` */) {
      result += '&#x27;'
    } else if (byte < 128 && /[\w!#$%()*+,\-./:;=?@~]/.test(character)) {
      result += character
    } else {
      result += '%' + byte.toString(16).toUpperCase().padStart(2, '0')
    }
  }

  return result
}

/**
 * Link targets of the definitions in a tree: the first per identifier.
 *
 * @param tree
 *   Tree.
 * @returns
 *   Targets by identifier.
 */
export function definitionTargets(tree: Root): Map<string, Target> {
  const targets = new Map<string, Target>()
  const stack: Nodes[] = [tree]

  while (stack.length > 0) {
    const node = stack.pop()!

    if (node.type === 'definition') {
      if (!targets.has(node.identifier)) targets.set(node.identifier, {url: node.url, title: node.title})
      continue
    }

    if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'table') {
      for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index])
    }
  }

  return targets
}
