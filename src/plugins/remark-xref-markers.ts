/**
 * remark plugin that turns index markers into anchors: finds them
 * (`findMarkers`), reports marker problems as vfile messages, changes the
 * tree (each marker becomes an `xrefAnchor` node, see `marker-tree.ts`),
 * registers how remark-stringify writes those nodes, and stores the
 * markers, their index entries and the rewritten document on
 * `file.data.xref`.
 */

import type {Root} from 'mdast'
import type {} from 'remark-stringify'
import type {Plugin, Processor} from 'unified'
import type {VFile} from 'vfile'
import {report, treeSource} from '../diagnostics/rules.js'
import {applyEdits, createIdState, rewriteMarkers} from '../markdown/marker-rewrite.js'
import {markerToMarkdown} from '../markdown/marker-to-markdown.js'
import {markersToTree} from '../markdown/marker-tree.js'
import {findMarkers, type FoundMarker, type IndexEntry, type MarkerOptions} from '../markdown/markers.js'
import {sectionAt, treeSections} from '../markdown/sections.js'

export type {XrefAnchor, XrefAnchorData} from '../markdown/marker-tree.js'

/** What `remarkXrefMarkers` stores on `file.data.xref`. */
export interface XrefMarkersData {
  /** Markers, in order. */
  markers: FoundMarker[]
  /** Index entries of the markers that are not escaped, in order. */
  entries: IndexEntry[]
  /** Document with markers rewritten (the source, anchors spliced in). */
  output: string
}

declare module 'vfile' {
  interface DataMap {
    /** Index markers of the document, set by `remarkXrefMarkers`. */
    xref: XrefMarkersData
  }
}

/** Defaults: every field off. */
const emptyOptions: Readonly<MarkerOptions> = {}

/**
 * Turn index markers into anchors, in the tree and in `file.data.xref`;
 * reports problems.
 *
 * @param options
 *   Configuration (optional).
 * @returns
 *   Transform.
 */
export const remarkXrefMarkers: Plugin<[(Readonly<MarkerOptions> | null | undefined)?], Root> =
  function (this: Processor, options) {
    const settings = options || emptyOptions
    // So that remark-stringify can write the anchors (as remark-gfm registers its own).
    const toMarkdown = (this.data().toMarkdownExtensions ||= [])
    toMarkdown.push(markerToMarkdown)

    /**
     * Find, report and rewrite the markers of one document.
     *
     * @param tree
     *   Tree.
     * @param file
     *   File.
     * @returns
     *   Nothing.
     */
    return function (tree: Root, file: VFile): undefined {
      const {value, place} = treeSource(file)
      const {markers, problems} = findMarkers(tree, value, settings)

      for (const problem of problems) {
        const start = place.toPoint(problem.start)
        const end = place.toPoint(problem.end)
        report(
          file,
          {
            ruleId: problem.ruleId,
            reason: problem.reason,
            place: start && end ? {start, end} : start
          },
          settings.levels,
          tree
        )
      }

      const {edits, ids} = rewriteMarkers(markers, value, createIdState())
      markersToTree(tree, value, place, markers, ids, edits)
      // After the rewrite: a heading’s text is what the reader sees.
      const sections = markers.length > 0 ? treeSections(tree, {limit: settings.limit}) : []
      const entries: IndexEntry[] = []

      for (const [index, marker] of markers.entries()) {
        if (marker.escaped) continue
        const point = place.toPoint(marker.start)
        const entry: IndexEntry = {
          term: marker.term,
          kind: marker.kind,
          id: ids[index],
          chapter: file.path ?? null,
          chapterName: file.stem ?? '',
          offset: marker.start,
          line: point ? point.line : 1,
          column: point ? point.column : 1
        }
        const section = sectionAt(sections, marker.start)

        if (section) {
          entry.section = section.text
          if (section.id !== undefined) entry.sectionId = section.id
        }

        entries.push(entry)
      }

      file.data.xref = {markers, entries, output: applyEdits(value, edits)}
    }
  }
