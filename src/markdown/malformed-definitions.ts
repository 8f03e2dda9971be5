/**
 * Lines that look like link-reference definitions (`[label]: …`) but are
 * text, such as a definition that interrupts a paragraph.
 */

import type {Nodes, Root} from 'mdast'
import {
  definitionInParagraphReason,
  definitionTextReason,
  doubledBracketsReason,
  missingDestinationReason,
  spaceInDestinationReason,
  unclosedLabelReason
} from '../diagnostics/messages.js'
import {normalizeLabel} from './labels.js'

/** A definition-looking line that is not a definition, in a parsed text. */
export interface FoundMalformed {
  /** Label-like text. */
  label: string
  /** Reason. */
  reason: string
  /** Start offset of the line’s `[`. */
  start: number
  /** End offset of the line. */
  end: number
  /** Whether `[label]` is a reference where the label is defined (`[label]:` and nothing after). */
  reference?: boolean | undefined
}

/** Configuration. */
export interface MalformedOptions {
  /** Offset from which lines are not checked (default: none). */
  limit?: number | null | undefined
  /**
   * Whether a normalized label is defined where `tree` cannot know it (in
   * another parsed part of the chapter) (default: only what `tree` resolved).
   */
  defined?: ((identifier: string) => boolean) | null | undefined
}

const emptyOptions: Readonly<MalformedOptions> = {}

/**
 * Find lines that look like definitions (`[label]: …`) but are text.
 *
 * Looks at each line of each paragraph: `[label]: url` after other text (a
 * definition cannot interrupt a paragraph), `[label]: a b` (a space in the
 * destination), `[label: url` / `[[label]]: url` (unbalanced brackets).
 * Prose such as `[Note]: see below` is left alone: a line is reported only
 * when what follows `]:` is nothing or starts like a URL (`https:`, `/`,
 * `./`, `#`, `<`).
 * `[label]:` with nothing after is reported only when `label` is not
 * defined: otherwise CommonMark reads a shortcut reference and a colon (`*
 * [Items]:` before a sublist).
 *
 * @param tree
 *   Tree parsed from `source`.
 * @param source
 *   Source.
 * @param options
 *   Configuration.
 * @returns
 *   Lines, offsets relative to `source`.
 */
export function findMalformedDefinitions(
  tree: Root,
  source: string,
  options?: Readonly<MalformedOptions> | null | undefined
): FoundMalformed[] {
  const settings = options || emptyOptions
  const defined = settings.defined
  const limit = typeof settings.limit === 'number' ? settings.limit : Number.POSITIVE_INFINITY
  const found: FoundMalformed[] = []
  visitParagraphs(tree)
  return found

  /**
   * Visit paragraphs.
   *
   * @param node
   *   Node.
   * @returns
   *   Nothing.
   */
  function visitParagraphs(node: Nodes): undefined {
    if (node.type === 'paragraph') {
      const position = node.position
      if (position && position.start.offset! < limit) {
        // Where the parser made references: `[label]` there is a link.
        const references = new Set<number>()
        for (const child of node.children) {
          if (child.type === 'linkReference' && child.position) references.add(child.position.start.offset!)
        }

        paragraph(position.start.offset!, position.end.offset!, references)
      }

      return
    }

    if ('children' in node) {
      for (const child of node.children) visitParagraphs(child)
    }
  }

  /**
   * Check the lines of one paragraph.
   *
   * @param start
   *   Start offset.
   * @param end
   *   End offset.
   * @param references
   *   Start offsets of references in the paragraph.
   * @returns
   *   Nothing.
   */
  function paragraph(start: number, end: number, references: ReadonlySet<number>): undefined {
    const text = source.slice(start, end)
    if (!text.includes('[')) return
    const lineEnding = /\r\n?|\n/g
    let lineStart = 0
    let first = true

    while (lineStart <= text.length) {
      const match = lineEnding.exec(text)
      const lineEnd = match ? match.index : text.length
      let line = text.slice(lineStart, lineEnd)
      let offset = lineStart
      if (!first) {
        // Container prefixes of later lines: `> `, indentation.
        const prefix = /^[ \t]*(?:>[ \t]?)*[ \t]*/.exec(line)![0]
        line = line.slice(prefix.length)
        offset += prefix.length
      }

      const at = start + offset
      const problem = malformedLine(line, first, function (label) {
        return references.has(at) || Boolean(defined && defined(normalizeLabel(label)))
      })
      if (problem) {
        found.push({...problem, start: start + offset, end: start + lineEnd})
      }

      if (!match) break
      lineStart = match.index + match[0].length
      first = false
    }
  }
}

/**
 * Check one line of a paragraph.
 *
 * @param line
 *   Line without container prefix.
 * @param first
 *   Whether it is the first line of the paragraph.
 * @param isReference
 *   Whether the line’s `[label]` is a reference (the label is defined).
 * @returns
 *   Label and reason, or `undefined`.
 */
function malformedLine(
  line: string,
  first: boolean,
  isReference: (label: string) => boolean
): {label: string; reason: string; reference?: boolean} | undefined {
  if (line.charCodeAt(0) !== 91 /* `[` */) return undefined

  // `[[label]]: url`, `[label]]: url`, `[[label]: url` (but not a wiki link
  // in prose: `[[cloud | Cloud]]: load balancers`).
  const doubled = /^\[(\[?)([^[\]\n]+)\](\]?):[ \t]*(?:<|[a-z][a-z\d+.-]*:|\.{0,2}\/|#)\S*$/i.exec(line)
  if (doubled && (doubled[1] || doubled[3])) {
    return {
      label: doubled[2],
      reason: doubledBracketsReason(line.slice(0, line.indexOf(':') + 1), doubled[2])
    }
  }

  // `[label]: …`.
  const simple = /^\[((?:[^[\]\\\n]|\\.)+)\]:(.*)$/.exec(line)
  if (simple) {
    const label = simple[1]
    const rest = simple[2].trim()
    // A footnote definition (`[^1]: text`) is fine.
    if (label.charCodeAt(0) === 94) return undefined
    const urlLike = /^(?:<|[a-z][a-z\d+.-]*:|\.{0,2}\/|#)\S*(?:\s|$)/i.test(rest)

    if (!first) {
      return urlLike
        ? {label, reason: definitionInParagraphReason(label)}
        : undefined
    }

    if (rest === '') {
      // `[Items]:` with `items` defined: a shortcut reference and a colon.
      return isReference(label) ? undefined : {label, reason: missingDestinationReason(label), reference: true}
    }

    // Prose such as `[Note]: see below.`.
    if (!urlLike) return undefined

    const space = /^(\S+)[ \t]+(?!["'(])\S/.exec(rest)
    if (space && !rest.startsWith('<')) {
      return {label, reason: spaceInDestinationReason(label)}
    }

    return {label, reason: definitionTextReason(label)}
  }

  // `[label: url` (no `]`).
  const open = /^\[([^[\]\s]+):[ \t]+(?:<|[a-z][a-z\d+.-]*:|\.{0,2}\/|#)/i.exec(line)
  if (open) {
    return {label: open[1], reason: unclosedLabelReason(open[1])}
  }

  return undefined
}
