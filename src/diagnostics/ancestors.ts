/**
 * The nodes a finding is in, for a message's `ancestors` (as remark-lint
 * rules pass them to `file.message`).
 *
 * Findings carry a place, not a node (the judges work on text), so the
 * ancestors are found from the place: a descent from the root, not a walk of
 * the whole tree, and no package of the Markdown stack (this folder stays off
 * it).
 */

import type {Node, Parent, Point} from 'unist'

/** A place as findings give it (1-indexed line and column). */
export interface PointLike {
  /** Line (1-indexed). */
  line: number
  /** Column (1-indexed). */
  column: number
}

/**
 * The nodes from the root to the deepest node whose position holds a point
 * (start inclusive, end exclusive, so of two adjacent nodes the second wins).
 *
 * @param tree
 *   Tree (its root is always the first ancestor).
 * @param point
 *   Place of the finding.
 * @returns
 *   Ancestors, root first; nodes without position are not entered.
 */
export function ancestorsAt(tree: Node, point: PointLike): Node[] {
  const ancestors: Node[] = [tree]
  let parent: Node = tree

  while (isParent(parent)) {
    const child: Node | undefined = parent.children.find((node) => holds(node, point))
    if (!child) break
    ancestors.push(child)
    parent = child
  }

  return ancestors
}

/**
 * Whether a node's position holds a point.
 *
 * @param node
 *   Node.
 * @param point
 *   Point.
 * @returns
 *   Whether `start <= point < end`.
 */
function holds(node: Node, point: PointLike): boolean {
  const position = node.position
  return position !== undefined && compare(position.start, point) <= 0 && compare(point, position.end) < 0
}

/**
 * Order two points.
 *
 * @param a
 *   Point.
 * @param b
 *   Point.
 * @returns
 *   Negative when `a` is first, `0` when equal, positive when `b` is first.
 */
function compare(a: PointLike | Point, b: PointLike | Point): number {
  return a.line - b.line || a.column - b.column
}

/**
 * Whether a node has children.
 *
 * @param node
 *   Node.
 * @returns
 *   Whether it is a parent.
 */
function isParent(node: Node): node is Parent {
  return Array.isArray((node as Partial<Parent>).children)
}
