/**
 * Index markers in the tree: each marker `findMarkers` found in text becomes
 * an `xrefAnchor` node, which remark-rehype turns into the anchor element
 * (`data.hName`, `data.hProperties`) and `marker-to-markdown.ts` writes as
 * the HTML the preprocessor splices in.
 *
 * * Text: `{{i:x}}` → `xrefAnchor` (`<span id="xref-x-1"></span>`), then
 *   the visible text `x`.
 * * Heading: the marker becomes its visible text; a paragraph with an
 *   `xrefAnchor` (`<a id="xref-x-1"></a>`) goes before the heading.
 * * Escaped (`\{{hi:x}}`): already the text `{{hi:x}}`. Code: untouched.
 *
 * The text around a marker keeps its position, and plain visible text takes
 * its marker's; other new nodes have none (they were not written so), which
 * also keeps reference checks that mask non-text nodes seeing the same
 * source as before.
 */

import type {Data, Node, Parents, PhrasingContent, Root, RootContent, Text} from 'mdast'
import type {Position} from 'unist'
import {decodeString} from 'micromark-util-decode-string'
import type {Location} from 'vfile-location'
import {isEscaped, type MarkerKind} from './marker-extent.js'
import {applyEdits, isAtx, type Edit} from './marker-rewrite.js'
import type {FoundMarker} from './markers.js'
import {parseMarkdownWithLabels} from './parse-markdown.js'
import {visibleText} from './terms.js'

/** Fields on `data` of an `xrefAnchor`, read by `mdast-util-to-hast`. */
export interface XrefAnchorData extends Data {
  /** Element: `span` in text, `a` before a heading. */
  hName?: 'span' | 'a' | undefined
  /** Properties: the anchor id. */
  hProperties?: {id: string} | undefined
}

/** An index anchor: where a marker stood (`span`) or the heading it was in starts (`a`). */
export interface XrefAnchor extends Node {
  /** Node type. */
  type: 'xrefAnchor'
  /** Anchor id, such as `xref-async-tokio-1`. */
  id: string
  /** Kind of the marker. */
  kind: MarkerKind
  /** Term as written. */
  term: string
  /** Data for remark-rehype. */
  data?: XrefAnchorData | undefined
}

declare module 'mdast' {
  interface PhrasingContentMap {
    /** Index anchor, set by `remarkXrefMarkers`. */
    xrefAnchor: XrefAnchor
  }

  interface RootContentMap {
    /** Index anchor, set by `remarkXrefMarkers`. */
    xrefAnchor: XrefAnchor
  }
}

/** State of one rewrite. */
interface State {
  source: string
  place: Location
  /** Labels defined in the document, for visible text such as `[tokio]`. */
  labels: string[] | undefined
  footnotes: string[] | undefined
  tree: Root
}

/** A text node with its parent. */
interface Slot {
  node: Text
  parent: Parents
}

/**
 * Put the markers into the tree: anchors in text, anchors before headings.
 *
 * @param tree
 *   Tree the markers were found in.
 * @param source
 *   Markdown of the tree (no BOM).
 * @param place
 *   Location of `source`.
 * @param markers
 *   Markers from `findMarkers`, in order.
 * @param ids
 *   Ids parallel to `markers` (from `rewriteMarkers`).
 * @param edits
 *   Edits (from `rewriteMarkers`), for markers in raw HTML (option `html`).
 * @returns
 *   Nothing.
 */
export function markersToTree(
  tree: Root,
  source: string,
  place: Location,
  markers: FoundMarker[],
  ids: string[],
  edits: Edit[]
): undefined {
  const state: State = {source, place, labels: undefined, footnotes: undefined, tree}
  const slots = textSlots(tree)
  const headings = new Map<number, XrefAnchor[]>()
  const touched = new Set<Parents>()
  let slot = slots.length - 1

  // Last marker first: each split leaves the text before it, where the
  // earlier markers are, short at its end, where offsets are counted from.
  for (let index = markers.length - 1; index >= 0; index--) {
    const marker = markers[index]
    if (marker.escaped) continue
    while (slot >= 0 && start(slots[slot].node) >= marker.end) slot--
    if (slot < 0) break
    let first = slot
    while (first >= 0 && start(slots[first].node) > marker.start) first--
    const head = slots[first]
    const tail = slots[slot]
    // Not in text: in raw HTML (option `html`), left as written.
    if (!head || end(head.node) <= marker.start || end(tail.node) < marker.end || head.parent !== tail.parent) {
      continue
    }

    const anchor = createAnchor(marker, ids[index], marker.context === 'heading' ? 'a' : 'span')
    // `<<hi:x>>` is `<`, an autolink, `>`: reference checks mask the
    // autolink’s source, so the anchor that replaces it keeps a place.
    if (head !== tail) anchor.position = placeOf(state, marker.start, marker.end)
    const shown = marker.kind === 'hi' ? [] : visibleNodes(state, marker)
    touched.add(head.parent)
    const replacement: PhrasingContent[] = marker.context === 'heading' ? shown : [anchor, ...shown]
    const before = replace(state, head, tail, marker, replacement)

    if (before) {
      slots[first] = {node: before, parent: head.parent}
      slot = first
    } else {
      slot = first - 1
    }

    if (marker.context === 'heading' && marker.headingStart !== undefined) {
      const list = headings.get(marker.headingStart) || []
      list.unshift(anchor)
      headings.set(marker.headingStart, list)
    }
  }

  // Text next to text is one node, as a parse makes it (and as
  // remark-stringify needs, to escape the same way on a second run).
  for (const parent of touched) mergeText(parent)
  if (headings.size > 0) insertBefore(tree, source, headings)
  if (edits.length > 0) rewriteHtml(tree, source, edits)
}

/**
 * Splice anchors into raw HTML blocks that hold markers (option `html`), as
 * the preprocessor does; only a block whose value is its source (not in a
 * block quote or list, where prefixes are dropped).
 *
 * @param tree
 *   Tree.
 * @param source
 *   Markdown.
 * @param edits
 *   Edits, sorted.
 * @returns
 *   Nothing.
 */
function rewriteHtml(tree: Root, source: string, edits: Edit[]): undefined {
  let next = 0

  for (const child of tree.children) {
    if (child.type !== 'html' || !child.position) continue
    const from = child.position.start.offset!
    const to = child.position.end.offset!
    // Blocks and edits are both in order: one pass.
    while (next < edits.length && edits[next].start < from) next++
    const inside: Edit[] = []

    while (next < edits.length && edits[next].start < to) {
      const edit = edits[next++]
      if (edit.end <= to) inside.push({start: edit.start - from, end: edit.end - from, value: edit.value})
    }

    if (inside.length > 0 && child.value === source.slice(from, to)) child.value = applyEdits(child.value, inside)
  }
}

/**
 * Text nodes in document order, with their parents (only ones with offsets).
 *
 * @param tree
 *   Tree.
 * @returns
 *   Slots.
 */
function textSlots(tree: Root): Slot[] {
  const result: Slot[] = []
  // A loop, not recursion: containers and emphasis can nest thousands deep.
  const stack: Array<{parent: Parents; index: number}> = [{parent: tree, index: 0}]

  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    const children = frame.parent.children as RootContent[]

    if (frame.index >= children.length) {
      stack.pop()
      continue
    }

    const child = children[frame.index++]

    if (child.type === 'text') {
      if (child.position?.start.offset !== undefined && child.position.end.offset !== undefined) {
        result.push({node: child, parent: frame.parent})
      }
    } else if ('children' in child) {
      stack.push({parent: child, index: 0})
    }
  }

  return result
}

/**
 * Replace the source `[marker.start, marker.end)`, from inside `first` to
 * inside `last` (`<<hi:x>>` is `<`, an autolink, `>`), with nodes.
 *
 * @param state
 *   State.
 * @param first
 *   Text node where the marker starts.
 * @param last
 *   Text node where it ends (same parent).
 * @param marker
 *   Marker.
 * @param nodes
 *   Replacement.
 * @returns
 *   The text before the marker, if any.
 */
function replace(
  state: State,
  first: Slot,
  last: Slot,
  marker: FoundMarker,
  nodes: PhrasingContent[]
): Text | undefined {
  const children = first.parent.children as RootContent[]
  const from = children.indexOf(first.node)
  const to = children.indexOf(last.node)
  const before = piece(state, first.node, start(first.node), marker.start, 'before')
  const after = piece(state, last.node, marker.end, end(last.node), 'after')
  const result: RootContent[] = []
  if (before) result.push(before)
  result.push(...nodes)
  if (after) result.push(after)
  children.splice(from, to - from + 1, ...result)
  return before
}

/**
 * The part of a text node between two source offsets, with its position.
 *
 * @param state
 *   State.
 * @param node
 *   Text node.
 * @param from
 *   Offset.
 * @param to
 *   Offset after.
 * @param side
 *   Whether the part is before or after the marker.
 * @returns
 *   Text node, or nothing when empty.
 */
function piece(state: State, node: Text, from: number, to: number, side: 'before' | 'after'): Text | undefined {
  if (from >= to) return undefined
  const cut = valueOffset(state.source, node, side === 'before' ? to : from)
  const value = side === 'before' ? node.value.slice(0, cut) : node.value.slice(cut)
  if (value === '') return undefined
  const result: Text = {type: 'text', value}
  const position = placeOf(state, from, to)
  if (position) result.position = position
  return result
}

/**
 * Position of a source range.
 *
 * @param state
 *   State.
 * @param from
 *   Offset.
 * @param to
 *   Offset after.
 * @returns
 *   Position, if both points exist.
 */
function placeOf(state: State, from: number, to: number): Position | undefined {
  const startPoint = state.place.toPoint(from)
  const endPoint = state.place.toPoint(to)
  return startPoint && endPoint ? {start: startPoint, end: endPoint} : undefined
}

/**
 * Index in a text node's value of a source offset at a marker edge.
 *
 * A value is its source with escapes and references decoded, container
 * prefixes and line-initial whitespace dropped, and whitespace before a line
 * ending dropped: so count back from the end of the line, which a marker
 * never crosses (`> a \n> b {{hi:x}} c` → `a\nb {{hi:x}} c`).
 *
 * @param source
 *   Markdown.
 * @param node
 *   Text node.
 * @param offset
 *   Source offset (at `{{`, `<<`, or after `}}`, `>>`).
 * @returns
 *   Index in `node.value`.
 */
function valueOffset(source: string, node: Text, offset: number): number {
  const value = node.value
  const rest = source.slice(offset, end(node))
  const breakAt = rest.search(/[\r\n]/)
  let tail = rest
  let lineEnd = value.length

  if (breakAt !== -1) {
    tail = rest.slice(0, breakAt).replace(/[ \t]+$/, '')
    // Back over as many line endings in the value as follow in the source.
    for (let count = lineCount(rest); count > 0; count--) {
      let index = lineEnd - 1
      while (index >= 0 && value.charCodeAt(index) !== 10 && value.charCodeAt(index) !== 13) index--
      if (index > 0 && value.charCodeAt(index) === 10 && value.charCodeAt(index - 1) === 13) index--
      lineEnd = Math.max(0, index)
    }
  }

  return Math.max(0, Math.min(value.length, lineEnd - decodeString(tail).length))
}

/**
 * Number of line endings in a text.
 *
 * @param value
 *   Text.
 * @returns
 *   Count.
 */
function lineCount(value: string): number {
  return (value.match(/\r\n|\r|\n/g) || []).length
}

/**
 * Create an anchor node.
 *
 * @param marker
 *   Marker.
 * @param id
 *   Id.
 * @param hName
 *   Element.
 * @returns
 *   Node.
 */
function createAnchor(marker: FoundMarker, id: string, hName: 'span' | 'a'): XrefAnchor {
  return {type: 'xrefAnchor', id, kind: marker.kind, term: marker.term, data: {hName, hProperties: {id}}}
}

/**
 * Merge adjacent text nodes of a parent; the merged node has a position when
 * both had one.
 *
 * @param parent
 *   Parent.
 * @returns
 *   Nothing.
 */
function mergeText(parent: Parents): undefined {
  const children = parent.children as RootContent[]
  const result: RootContent[] = []

  for (const child of children) {
    const previous = result[result.length - 1]

    if (previous && previous.type === 'text' && child.type === 'text') {
      const merged: Text = {type: 'text', value: previous.value + child.value}
      if (previous.position && child.position) {
        merged.position = {start: previous.position.start, end: child.position.end}
      }

      result[result.length - 1] = merged
    } else {
      result.push(child)
    }
  }

  if (result.length !== children.length) parent.children = result as typeof parent.children
}

/**
 * Phrasing of the visible text of an `i`/`ii` marker, parsed as the
 * preprocessor's output is: after the anchor, with the document's labels.
 *
 * @param state
 *   State.
 * @param marker
 *   Marker.
 * @returns
 *   Nodes: plain text has the marker’s position, parsed nodes none.
 */
function visibleNodes(state: State, marker: FoundMarker): PhrasingContent[] {
  let value = visibleText(marker.term)
  // `{{i:a\ }}`: a trailing odd backslash run would escape what follows.
  if (isEscaped(value + ' ', value.length, 0)) value += ' '
  // Plain words need no parse (and most terms are).
  if (!/[\\`*_~<>&[\]!\r\n]/.test(value)) {
    if (!value) return []
    const node: Text = {type: 'text', value}
    const position = placeOf(state, marker.start, marker.end)
    if (position) node.position = position
    return [node]
  }

  const prefix = '<span></span>'
  if (value.includes('[')) collectLabels(state)
  const tree = parseMarkdownWithLabels(prefix + value, state.labels || [], state.footnotes || [])
  const head = tree.children[0]
  if (!head || head.type !== 'paragraph') return value ? [{type: 'text', value}] : []
  const nodes = head.children.slice(2)
  for (const node of nodes) stripPositions(node)
  return nodes
}

/**
 * Collect the labels of definitions and footnote definitions, once.
 *
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function collectLabels(state: State): undefined {
  if (state.labels) return
  const labels: string[] = []
  const footnotes: string[] = []
  const stack: Node[] = [state.tree]

  while (stack.length > 0) {
    const node = stack.pop() as RootContent | Root
    if (node.type === 'definition') labels.push(node.label ?? node.identifier)
    if (node.type === 'footnoteDefinition') footnotes.push(node.label ?? node.identifier)
    if ('children' in node) stack.push(...(node.children as Node[]))
  }

  state.labels = labels
  state.footnotes = footnotes
}

/**
 * Remove positions of a node and its descendants (they are of a re-parse).
 *
 * @param node
 *   Node.
 * @returns
 *   Nothing.
 */
function stripPositions(node: Node): undefined {
  const stack: Node[] = [node]

  while (stack.length > 0) {
    const current = stack.pop()!
    delete current.position
    if ('children' in current) stack.push(...(current.children as Node[]))
  }
}

/**
 * Insert a paragraph of anchors before each heading that had markers, in
 * its parent (`<a id="xref-x-1"></a>` on a line of its own, as the
 * preprocessor does). Before a setext heading each anchor line has a blank
 * line after it, so each is a paragraph, and a list item with one is loose.
 *
 * @param tree
 *   Tree.
 * @param source
 *   Markdown.
 * @param headings
 *   Anchors, in order, per heading start offset.
 * @returns
 *   Nothing.
 */
function insertBefore(tree: Root, source: string, headings: Map<number, XrefAnchor[]>): undefined {
  const stack: Parents[] = [tree]

  while (stack.length > 0) {
    const parent = stack.pop()!
    const children = parent.children as RootContent[]

    for (let index = children.length - 1; index >= 0; index--) {
      const child = children[index]
      const offset = child.position?.start.offset
      const anchors = child.type === 'heading' && offset !== undefined ? headings.get(offset) : undefined

      if (anchors && offset !== undefined && child.type === 'heading') {
        if (isAtx(source, offset)) {
          const content: PhrasingContent[] = []
          const eol = /\r\n?|\n/.exec(source.slice(offset, offset + 4096))
          const lineEnding = eol ? eol[0] : '\n'

          for (const anchor of anchors) {
            if (content.length > 0) content.push({type: 'text', value: lineEnding})
            content.push(anchor)
          }

          children.splice(index, 0, {type: 'paragraph', children: content})
        } else {
          children.splice(index, 0, ...anchors.map((d): RootContent => ({type: 'paragraph', children: [d]})))
          if (parent.type === 'listItem') parent.spread = true
        }

        trimHeading(child)
      } else if (child.type === 'blockquote' || child.type === 'list' || child.type === 'listItem' || child.type === 'footnoteDefinition') {
        stack.push(child)
      }
    }
  }
}

/**
 * Trim a heading whose marker at an edge became nothing, as a parse of the
 * preprocessor's output would (`# Tokio {{hi:x}}` → `# Tokio `, text `Tokio`).
 *
 * @param heading
 *   Heading.
 * @returns
 *   Nothing.
 */
function trimHeading(heading: Extract<RootContent, {type: 'heading'}>): undefined {
  const first = heading.children[0]
  if (first && first.type === 'text') first.value = first.value.replace(/^[ \t]+/, '')
  const last = heading.children[heading.children.length - 1]
  if (last && last.type === 'text') last.value = last.value.replace(/[ \t]+$/, '')
  heading.children = heading.children.filter((d) => d.type !== 'text' || d.value !== '')
}

/**
 * Start offset of a node with a position.
 *
 * @param node
 *   Node.
 * @returns
 *   Offset.
 */
function start(node: Node): number {
  return node.position!.start.offset!
}

/**
 * End offset of a node with a position.
 *
 * @param node
 *   Node.
 * @returns
 *   Offset.
 */
function end(node: Node): number {
  return node.position!.end.offset!
}
