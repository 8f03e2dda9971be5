/**
 * Problems of include expansion: recording one per directive place, and the
 * wording of their reasons (unreadable files, likely include cycles, paths
 * shortened to the include boundary).
 */

import path from 'node:path'
import type {Link} from './include-directives.js'
import type {State} from './includes.js'
import {pointAt, spanOf, type Mapped} from './source-map.js'

/**
 * Reason for a file that cannot be read.
 *
 * @param written
 *   Path as written.
 * @param display
 *   Resolved path.
 * @param error
 *   Error.
 * @returns
 *   Reason.
 */
export function cannotRead(written: string, display: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const why =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'ELOOP'
        ? 'symlink loop'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'ERR_ENCODING_INVALID_ENCODED_DATA'
            ? 'not valid UTF-8'
            : describeError(error)
  return 'Cannot read `' + written + '` (`' + display + '`): ' + why
}

/**
 * Short description of an error.
 *
 * @param error
 *   Error.
 * @returns
 *   Message.
 */
export function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return 'no such file'
  return error instanceof Error ? error.message : String(error)
}

/**
 * Record a problem once per directive place.
 *
 * @param state
 *   State.
 * @param input
 *   Text the directive is in.
 * @param link
 *   Directive.
 * @param kind
 *   Kind of problem (a directive gets one message per kind).
 * @param reason
 *   Make the reason (only done for new problems: a runaway include tree
 *   meets the same directive a hundred thousand times).
 */
export function problem(state: State, input: Mapped, link: Link, kind: string, reason: () => string): undefined {
  const start = pointAt(input, link.start)
  const key = start.file + ':' + start.offset + ':' + kind
  if (state.reported.has(key)) return
  state.reported.add(key)
  const end = pointAt(input, link.end)
  const record = state.records[start.file]
  const from = spanOf(record, start.offset)
  const to = spanOf(record, end.file === start.file ? end.offset : start.offset)
  state.problems.push({
    ruleId: 'include-error',
    reason: reason(),
    file: record.path,
    place: {
      start: {line: from.line, column: from.column, offset: from.offset},
      end: {line: to.line, column: to.column, offset: to.offset}
    },
    directive: input.text.slice(link.start, link.end)
  })
}

/**
 * Name the likely cycle in the current include chain.
 *
 * @param state
 *   State.
 * @param target
 *   Record being included.
 * @returns
 *   `; likely cycle: `a.md` → `b.md` → `a.md``, or empty.
 */
export function cycleNote(state: State, target: number | undefined): string {
  const chain = target === undefined ? state.stack : [...state.stack, target]

  for (let from = 0; from < chain.length; from++) {
    const again = chain.indexOf(chain[from], from + 1)

    if (again !== -1) {
      return (
        '; likely cycle: ' +
        chain
          .slice(from, again + 1)
          .map((d) => '`' + relativeName(state, state.records[d].path) + '`')
          .join(' → ')
      )
    }
  }

  return ''
}

/**
 * Path relative to the boundary, for messages.
 *
 * @param state
 *   State.
 * @param file
 *   Absolute path.
 * @returns
 *   Short path.
 */
function relativeName(state: State, file: string): string {
  const relative = path.relative(state.boundaryReal, file)
  return relative.startsWith('..') ? file : relative.split(path.sep).join('/')
}
