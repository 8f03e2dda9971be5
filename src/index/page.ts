/**
 * The index chapter: from the index entries of a whole book to an A–Z index
 * (as Markdown, built as an mdast tree and serialised with remark-stringify),
 * a JSON export for search tools, and checks for the author (dangling or
 * looping cross-references, near-duplicate terms).
 *
 * What a reader gets:
 *
 * ```markdown
 * # Index
 *
 * [Symbols](#symbols) · [A](#a) · [E](#e)
 *
 * ## Symbols
 *
 * - <span id="xref-entry-excl-eq"></span>!=, [Operators](../language/operators.md#xref-excl-eq-1)
 *
 * ## A
 *
 * - <span id="xref-entry-async"></span>async, [Async](../language/async.md#xref-async-1)
 *   - <span id="xref-entry-async-tokio"></span>tokio, [Async](../language/async.md#xref-async-tokio-1)
 *
 * ## E
 *
 * - <span id="xref-entry-enum"></span>Enum, [Enums](../language/enums.md#xref-enum-1) [\[2\]](../language/enums.md#xref-enum-2); *see also* [async](#xref-entry-async)
 * - <span id="xref-entry-enums"></span>Enums, *see* [Enum](#xref-entry-enum)
 *
 * ## F
 *
 * - <span id="xref-entry-filesystem"></span>Filesystem, [File I/O](../fs/io.md#xref-filesystem-1), Directory traversal ([Find files](../fs/walk.md#xref-filesystem-1), [Walk a tree](../fs/walk.md#xref-filesystem-2) [\[2\]](../fs/walk.md#xref-filesystem-3))
 * ```
 *
 * Decisions (the contract is silent on these):
 *
 * * A term is identified by the displays of its levels (whitespace collapsed);
 *   its explicit sort key is the first one written in book order.
 * * Case merging (`mergeCase`) lowercases the first *letter* of each level
 *   (`.Gitignore` and `.gitignore` merge, `Result::Ok` and `Result::ok` do
 *   not). The spelling shown is the one with most occurrences; ties go to
 *   the one that sorts first by code point (`Regex` before `regex`).
 * * Terms that occur only in drafts (`chapter: null`) have no entry: there is
 *   no page to link to.
 * * Every place is linked, each anchor once, on the entry's one line:
 *   chapters in book order; a chapter that marks the term in one section
 *   (or whose sections are not known) is one link named by the chapter,
 *   one that marks it in several is its name and a link per section, named
 *   by the heading, in parentheses (headings with one text but different
 *   ids are different sections; places before the first heading are named
 *   by the chapter); further places in a section are `[2]`, `[3]`, …, so
 *   many places do not repeat a name. With `labels: 'number'`, every place
 *   is `1`, `2`, … in book order.
 * * Sorting and grouping use the sort text: the sort key or the display,
 *   code marks removed, escapes resolved, leading and trailing characters
 *   that are neither letter nor number dropped (`.gitignore` → `gitignore`,
 *   `&str` → `str`, `#[derive]` → `derive`).
 *   Nothing left (`!=`, `?`) → `Symbols`; a number first → `0–9`; else the
 *   letter without diacritics, upper case (`Über` → `U`). Known limit: in
 *   languages that file `Ö` after `Z` the letter still groups under `O`.
 * * Terms without letter or number (the Symbols group, and such subterms
 *   before their siblings) sort by the code points of their text (`!=`,
 *   `*`, `==`, `?`): collators order punctuation by tables that differ
 *   between locales and ICU versions. Other terms sort by the collator of
 *   the book's language, code points breaking ties.
 * * Every entry starts with `<span id="xref-entry-…">` (the way markers
 *   anchor text): its term path as a readable slug (`async!Tokio` →
 *   `async-tokio`; a level without letter or number names its characters,
 *   `!=` → `excl-eq`), `-2`, `-3`, … for a repeated slug in page order.
 * * *see* and *see also* targets that exist link to the target's entry;
 *   *see* points at the end of a chain (`A → B →
 *   C` shows “*see* C” on A and B). A dangling *see* keeps its occurrences and
 *   shows the target as plain text; a loop is cut at the member that sorts
 *   first, which keeps its occurrences and gets those of the others.
 * * `nestUnder` rewrites a term path prefix (`tokio!x` → `async!tokio!x`);
 *   see keys and targets are written as in markers and go through the same
 *   nesting.
 */

import type {
  Emphasis,
  Heading,
  InlineCode,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Text
} from 'mdast'
import remarkStringify from 'remark-stringify'
import {unified} from 'unified'
import type {IndexEntry} from '../markdown/markers.js'
import {termPhrasing} from '../markdown/terms.js'
import {compileIndex} from './compile.js'
import {
  createState,
  places,
  targetHref,
  targetPath,
  type ChapterPlaces,
  type IndexJsonLink,
  type State
} from './links.js'
import type {IndexModel, Node, Target} from './model.js'
import type {IndexOptions, IndexView} from './options.js'

/**
 * Build the Markdown of the index chapter.
 *
 * @param entries
 *   Index entries of the whole book, in book order.
 * @param options
 *   Configuration.
 * @returns
 *   Markdown, ending in a line ending.
 */
export function buildIndexPage(
  entries: ReadonlyArray<IndexEntry>,
  options?: Readonly<IndexOptions> | null | undefined
): string {
  return renderIndexPage(compileIndex(entries, options), options)
}

/**
 * Build the index chapter as an mdast tree (what `buildIndexPage` serialises).
 *
 * @param entries
 *   Index entries of the whole book, in book order.
 * @param options
 *   Configuration.
 * @returns
 *   Tree.
 */
export function indexTree(
  entries: ReadonlyArray<IndexEntry>,
  options?: Readonly<IndexOptions> | null | undefined
): Root {
  return renderIndexTree(compileIndex(entries, options), options)
}

/**
 * Build the Markdown of the index chapter from a compiled index.
 *
 * @param model
 *   Compiled index.
 * @param view
 *   Title, heading and index path, when they differ from the compiled
 *   options.
 * @returns
 *   Markdown, ending in a line ending.
 */
export function renderIndexPage(
  model: IndexModel,
  view?: Readonly<IndexView> | null | undefined
): string {
  return serialize(renderIndexTree(model, view))
}

/**
 * Build the index chapter as an mdast tree from a compiled index.
 *
 * @param model
 *   Compiled index.
 * @param view
 *   Title, heading and index path, when they differ from the compiled
 *   options.
 * @returns
 *   Tree.
 */
export function renderIndexTree(
  model: IndexModel,
  view?: Readonly<IndexView> | null | undefined
): Root {
  const state = createState(model, view)
  const children: RootContent[] =
    view && view.heading === false
      ? []
      : [{type: 'heading', depth: 1, children: [text(state.title)]}]

  if (model.groups.length > 0) children.push(jumpRow(model, state))

  for (const group of model.groups) {
    const heading: Heading = {
      type: 'heading',
      depth: 2,
      children: [text(group.label)]
    }
    children.push(heading, list(group.nodes, state))
  }

  return {type: 'root', children}
}

/**
 * Row of links to every letter group, in page order, so a reader can jump
 * instead of scrolling one long column.
 *
 * @param model
 *   Compiled index.
 * @param state
 *   State.
 * @returns
 *   Paragraph: “[Symbols](#symbols) · [0–9](#09) · [A](#a)”.
 */
function jumpRow(model: IndexModel, state: State): Paragraph {
  const children: PhrasingContent[] = []

  for (const group of model.groups) {
    if (children.length > 0) children.push(text(' · '))
    children.push({
      type: 'link',
      url: '#' + state.groupIds.get(group.label),
      title: null,
      children: [text(group.label)]
    })
  }

  return {type: 'paragraph', children}
}

/**
 * Make a list of entries.
 *
 * @param nodes
 *   Nodes (sorted).
 * @param state
 *   State.
 * @returns
 *   Tight list.
 */
function list(nodes: Node[], state: State): List {
  return {
    type: 'list',
    ordered: false,
    spread: false,
    children: nodes.map((node) => item(node, state))
  }
}

/**
 * Make the list item of one entry.
 *
 * @param node
 *   Node.
 * @param state
 *   State.
 * @returns
 *   Item: “<span id>term, [A](…), [B](…); *see also* x, y” and a nested
 *   list.
 */
function item(node: Node, state: State): ListItem {
  const phrasing: PhrasingContent[] = [
    {
      type: 'html',
      value: '<span id="' + state.entryIds.get(node.pathKey) + '"></span>'
    },
    ...termNodes(node)
  ]
  const chapters = places(node, state)
  const links = chapters.length > 0

  for (const chapter of chapters) {
    phrasing.push(text(', '), ...chapterNodes(chapter, state))
  }

  if (node.see) {
    phrasing.push(
      text(links ? '; ' : ', '),
      emphasis('see'),
      text(' '),
      ...targetNodes(node.see, state)
    )
  }

  if (node.seeAlso.length > 0) {
    phrasing.push(
      text(links || node.see ? '; ' : ', '),
      emphasis('see also'),
      text(' ')
    )

    for (const [index, target] of node.seeAlso.entries()) {
      if (index > 0) phrasing.push(text(', '))
      phrasing.push(...targetNodes(target, state))
    }
  }

  const children: ListItem['children'] = [
    {type: 'paragraph', children: mergeText(phrasing)}
  ]
  if (node.children.size > 0) {
    children.push(list([...node.children.values()], state))
  }

  return {type: 'listItem', spread: false, children}
}

/**
 * Nodes of an entry's places in one chapter: its links (“[File I/O](…)
 * [\[2\]](…)”), or, when the chapter marks the term in more than one
 * section, the chapter name and its sections in parentheses (“Directory
 * traversal ([Find files](…), [Walk a tree](…) [\[2\]](…))”).
 *
 * @param chapter
 *   Places in one chapter.
 * @param state
 *   State.
 * @returns
 *   Phrasing.
 */
function chapterNodes(chapter: ChapterPlaces, state: State): PhrasingContent[] {
  // Numbered labels are one flat run: `[1](…), [2](…)`.
  if (state.model.settings.labels === 'number') {
    return chapter.sections.flat().flatMap((link, index) => [
      ...(index > 0 ? [text(', ')] : []),
      linkNode(link)
    ])
  }

  const sections = chapter.sections.map((links) =>
    links.flatMap((link, index) => [
      ...(index > 0 ? [text(' ')] : []),
      linkNode(link)
    ])
  )
  if (sections.length === 1) return sections[0]
  const result: PhrasingContent[] = [text(chapter.name + ' (')]

  for (const [index, nodes] of sections.entries()) {
    if (index > 0) result.push(text(', '))
    result.push(...nodes)
  }

  result.push(text(')'))
  return result
}

/**
 * Link to one place.
 *
 * @param link
 *   Link.
 * @returns
 *   Node.
 */
function linkNode(link: IndexJsonLink): PhrasingContent {
  return {type: 'link', url: link.href, title: null, children: [text(link.label)]}
}

/**
 * Nodes showing a term (in italics for `{{ii:…}}`).
 *
 * @param node
 *   Node.
 * @returns
 *   Phrasing.
 */
function termNodes(node: Node): PhrasingContent[] {
  const nodes: Array<InlineCode | Text> = termPhrasing(node.display)
  return node.italic ? [{type: 'emphasis', children: nodes}] : nodes
}

/**
 * Nodes of a cross-reference target: a link to the target’s entry, or plain
 * text when it does not exist.
 *
 * @param target
 *   Target.
 * @param state
 *   State.
 * @returns
 *   Phrasing.
 */
function targetNodes(target: Target, state: State): PhrasingContent[] {
  const children: Array<InlineCode | Text> = []

  for (const [index, display] of targetPath(target, state).entries()) {
    if (index > 0) children.push(text(': '))
    children.push(...termPhrasing(display))
  }

  const href = targetHref(target, state)
  return href === null
    ? children
    : [{type: 'link', url: href, title: null, children}]
}

/**
 * Serialise the index tree.
 *
 * Extra unsafe patterns keep text literal in mdBook: `{{` and `<<` would be
 * markers or `{{#include}}` again, `~` could be strikethrough.
 *
 * @param tree
 *   Tree.
 * @returns
 *   Markdown.
 */
export function serialize(tree: Root): string {
  const phrasingSpans = [
    'autolink',
    'destinationLiteral',
    'destinationRaw',
    'reference',
    'titleQuote',
    'titleApostrophe'
  ] as const
  return unified()
    .use(remarkStringify, {
      bullet: '-',
      emphasis: '*',
      listItemIndent: 'one',
      unsafe: [
        {
          character: '{',
          after: '\\{',
          inConstruct: 'phrasing',
          notInConstruct: [...phrasingSpans]
        },
        {
          character: '<',
          after: '<',
          inConstruct: 'phrasing',
          notInConstruct: [...phrasingSpans]
        },
        {
          character: '~',
          inConstruct: 'phrasing',
          notInConstruct: [...phrasingSpans]
        }
      ]
    })
    .stringify(tree)
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

/**
 * Emphasis with text.
 *
 * @param value
 *   Value.
 * @returns
 *   Node.
 */
function emphasis(value: string): Emphasis {
  return {type: 'emphasis', children: [text(value)]}
}

/**
 * Merge adjacent text nodes (one node per run of text reads and escapes
 * the same as the reader sees it).
 *
 * @param nodes
 *   Phrasing.
 * @returns
 *   Phrasing.
 */
function mergeText(nodes: PhrasingContent[]): PhrasingContent[] {
  const result: PhrasingContent[] = []

  for (const node of nodes) {
    const previous = result[result.length - 1]
    if (node.type === 'text' && previous && previous.type === 'text') {
      result[result.length - 1] = text(previous.value + node.value)
    } else {
      result.push(node)
    }
  }

  return result
}
