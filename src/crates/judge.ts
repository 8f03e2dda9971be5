/**
 * The judge of crate references in a tree: which link references, links and
 * images name a crate or a category, and which paragraph or table row holds
 * them (to pair crates with categories).
 *
 * Works on any mdast tree: the collector's partial parses of a chapter
 * (`read-chapter.ts`) and a whole document in a remark plugin.
 */

import type {Nodes, Root} from 'mdast'
import {crateOfUrl, type LabelTarget} from './names.js'

/** A definition as the judge needs it. */
export interface JudgedDefinition {
  /** Label as written in the definition. */
  label: string
  /** Destination. */
  url: string
}

/** What the judge is told about the document. */
export interface JudgeContext {
  /** The definition of a normalized identifier, if the document has one. */
  definition: (identifier: string) => JudgedDefinition | undefined
  /** The crate or category a label names (see `labelJudge`). */
  label: (label: string) => LabelTarget | undefined
}

/** A reference to a crate or category found in a tree. */
export interface FoundReference {
  /** Crate or category. */
  family: 'crate' | 'category'
  /** Crate name (without item path) or category path, as written. */
  name: string
  /** Through a family label or a registry URL. */
  via: 'label' | 'url'
  /** Label or URL as written. */
  written: string
  /** Parsed label, for `via: 'label'`. */
  target: LabelTarget | undefined
  /** Start offset in the tree's source. */
  start: number
  /** End offset. */
  end: number
  /** Paragraph or table row holding it (a number per tree), `undefined` elsewhere (headings). */
  group: number | undefined
}

/** Walk state. */
interface State {
  context: JudgeContext
  found: FoundReference[]
  groups: number
}

/**
 * Find the crate and category references of a tree, in document order.
 *
 * A reference counts where CommonMark makes a link: a link reference or
 * image reference whose label is defined, or a link or image; never in code
 * (`inlineCode`, `code`) or raw HTML.
 * A link reference names a crate through its label (`[x][c~tokio~docs]`,
 * item labels `c~tokio::sync~docs` name `tokio`) or, when its label is no
 * family label, through its definition's destination
 * (`[tokio]: https://docs.rs/tokio`).
 *
 * @param tree
 *   Tree with positions (nodes without are skipped).
 * @param context
 *   Definitions and label judge.
 * @returns
 *   References.
 */
export function judgeTree(tree: Root, context: JudgeContext): FoundReference[] {
  const state: State = {context, found: [], groups: 0}
  visit(state, tree, undefined)
  return state.found
}

/**
 * Judge a node and its descendants.
 *
 * @param state
 *   State.
 * @param node
 *   Node.
 * @param group
 *   Enclosing paragraph or table row.
 * @returns
 *   Nothing.
 */
function visit(state: State, node: Nodes, group: number | undefined): undefined {
  switch (node.type) {
    // Code and raw HTML hold no references; definitions are used, not uses.
    case 'code':
    case 'inlineCode':
    case 'html':
    case 'definition': {
      return
    }

    case 'paragraph':
    case 'tableRow': {
      group = state.groups++
      break
    }

    case 'heading': {
      group = undefined
      break
    }

    case 'linkReference':
    case 'imageReference': {
      judgeReference(state, node, group)
      break
    }

    case 'link':
    case 'image': {
      const name = crateOfUrl(node.url)
      if (name) add(state, node, {family: 'crate', name, via: 'url', written: node.url, target: undefined}, group)
      break
    }

    default:
  }

  if ('children' in node) {
    for (const child of node.children) visit(state, child as Nodes, group)
  }
}

/**
 * Judge a link or image reference: by its label, else by its definition's
 * destination.
 *
 * @param state
 *   State.
 * @param node
 *   Reference.
 * @param group
 *   Enclosing paragraph or table row.
 * @returns
 *   Nothing.
 */
function judgeReference(
  state: State,
  node: Extract<Nodes, {type: 'linkReference' | 'imageReference'}>,
  group: number | undefined
): undefined {
  const definition = state.context.definition(node.identifier)
  // Not defined: text, not a reference (`[c~tokio~docs]` with no definition).
  if (!definition) return
  const written = node.label ?? definition.label
  const target = state.context.label(written) || state.context.label(definition.label)

  if (target) {
    add(state, node, {family: target.family, name: target.name, via: 'label', written, target}, group)
    return
  }

  const name = crateOfUrl(definition.url)
  if (name) add(state, node, {family: 'crate', name, via: 'url', written: definition.url, target: undefined}, group)
}

/**
 * Record a reference at a node's place.
 *
 * @param state
 *   State.
 * @param node
 *   Node.
 * @param fields
 *   What it references.
 * @param group
 *   Enclosing paragraph or table row.
 * @returns
 *   Nothing.
 */
function add(
  state: State,
  node: Nodes,
  fields: Pick<FoundReference, 'family' | 'name' | 'via' | 'written' | 'target'>,
  group: number | undefined
): undefined {
  const start = node.position?.start.offset
  const end = node.position?.end.offset
  if (start === undefined || end === undefined) return
  state.found.push({...fields, start, end, group})
}
