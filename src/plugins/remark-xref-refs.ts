/**
 * remark plugin: check the link references and definitions of a whole
 * document, with the same functions (and wording) the book pass uses on
 * parts of chapters.
 */

import type {Nodes, Root} from 'mdast'
import type {Plugin} from 'unified'
import type {VFile} from 'vfile'
import {firstDefinitionReason, unusedDefinitionReason} from '../diagnostics/messages.js'
import {report, treeSource} from '../diagnostics/rules.js'
import {
  checkDefinitions,
  findUnused,
  type MalformedDefinition,
  type PlacedDefinition
} from '../markdown/definition-checks.js'
import type {RefOptions} from '../markdown/labels.js'
import {findMalformedDefinitions} from '../markdown/malformed-definitions.js'
import {findReferenceProblems} from '../markdown/reference-scan.js'

const emptyOptions: Readonly<RefOptions> = {}

/**
 * Check link references and definitions of a whole document (the reference
 * path; the preprocessor calls the same functions on parts of chapters).
 *
 * @param options
 *   Configuration.
 * @returns
 *   Transform.
 */
export const remarkXrefRefs: Plugin<[(Readonly<RefOptions> | null | undefined)?], Root> = function (
  options
) {
  const settings = options || emptyOptions

  return function (tree: Root, file: VFile): undefined {
    const {value: source, place} = treeSource(file)
    const chapter = file.path || ''
    const definitions: Array<PlacedDefinition & {identifier: string}> = []
    const identifiers = new Set<string>()
    const used = new Set<string>()
    collect(tree)

    for (const problem of findReferenceProblems(tree, source, (d) => identifiers.has(d), {
      ...settings,
      candidates: settings.candidates || (() => definitions.map((d) => d.label))
    })) {
      const start = place.toPoint(problem.start)
      const end = place.toPoint(problem.end)
      report(
        file,
        {
          ruleId: problem.ruleId,
          reason: problem.reason,
          label: problem.label,
          place: start && end ? {start, end} : undefined
        },
        settings.levels
      )
    }

    const malformed: MalformedDefinition[] = []
    for (const line of findMalformedDefinitions(tree, source, settings)) {
      const point = place.toPoint(line.start)
      if (!point) continue
      malformed.push({
        label: line.label,
        reason: line.reason,
        place: {file: chapter, line: point.line, column: point.column}
      })
    }

    for (const problem of checkDefinitions([{chapter, definitions, malformed}], settings)) {
      report(
        file,
        {
          ruleId: problem.ruleId,
          reason: problem.reason,
          label: problem.label,
          place: {line: problem.place.line, column: problem.place.column},
          note: problem.note,
          expected: problem.expected,
          cause: problem.related && {
            reason: firstDefinitionReason(problem.related.label),
            file: problem.related.place.file,
            place: {line: problem.related.place.line, column: problem.related.place.column}
          }
        },
        settings.levels
      )
    }

    for (const definition of findUnused(definitions, used)) {
      report(
        file,
        {
          ruleId: 'unused-definition',
          reason: unusedDefinitionReason(definition.label),
          label: definition.label,
          place: {line: definition.place.line, column: definition.place.column}
        },
        settings.levels
      )
    }

    /**
     * Collect definitions and used identifiers.
     *
     * @param node
     *   Node.
     * @returns
     *   Nothing.
     */
    function collect(node: Nodes): undefined {
      if (node.type === 'definition') {
        const position = node.position
        if (!position) return
        identifiers.add(node.identifier)
        definitions.push({
          label: node.label ?? node.identifier,
          url: node.url,
          identifier: node.identifier,
          place: {file: chapter, line: position.start.line, column: position.start.column}
        })
        return
      }

      if (node.type === 'linkReference' || node.type === 'imageReference') {
        used.add(node.identifier)
      }

      if ('children' in node) {
        for (const child of node.children) collect(child)
      }
    }
  }
}
