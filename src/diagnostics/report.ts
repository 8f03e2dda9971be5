/**
 * Reporters for findings: human (for terminals), JSON (for tools) and GitHub
 * Actions workflow commands (for annotations on pull requests).
 *
 * Input is a list of vfiles whose messages `report()` (src/diagnostics/rules.ts)
 * made; they may carry `label` and `chapters`. Messages are shown per file,
 * in order of place (messages without a place first), ties in the order they
 * were made.
 */

import path from 'node:path'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'

/** Severity as reporters show it. */
export type FindingSeverity = 'error' | 'warning' | 'info'

/**
 * One finding in `lint --format json` output; every field is always present,
 * `null` when unknown.
 */
export interface Finding {
  /** Rule id, such as `undefined-reference`. */
  ruleId: string | null
  /** `error` (fails the run), `warning` or `info`. */
  severity: FindingSeverity
  /** Path of the file the text was written in. */
  file: string
  /** 1-indexed line of the start. */
  line: number | null
  /** 1-indexed column of the start. */
  column: number | null
  /** 1-indexed line of the end. */
  endLine: number | null
  /** 1-indexed column of the end (exclusive). */
  endColumn: number | null
  /** Reference label or index term the finding is about. */
  label: string | null
  /** Reason: “Unexpected …, expected …”. */
  message: string
  /** Chapters (paths) the place affects; empty when not known. */
  chapters: string[]
  /** Related information, such as where a label was first defined. */
  note: string | null
  /** Documentation of the rule. */
  url: string | null
}

/** Options for `formatHuman`. */
export interface HumanOptions {
  /** Use ANSI colours (default: `false`). */
  color?: boolean | null | undefined
  /** Show the source line and a caret under each finding (default: `true`). */
  excerpts?: boolean | null | undefined
}

/** Options for `formatGithub`. */
export interface GithubOptions {
  /** Make absolute paths relative to this folder (default: keep paths). */
  cwd?: string | null | undefined
}

/** A message with the fields `report()` may add. */
type Message = VFileMessage & {label?: string; chapters?: string[]}

/** A file and its sorted messages. */
interface Group {
  file: VFile
  path: string
  messages: Message[]
}

const emptyHuman: HumanOptions = {}
const emptyGithub: GithubOptions = {}

/**
 * Findings of files, as plain objects (the schema of `formatJson`).
 *
 * @param files
 *   Files with messages.
 * @returns
 *   Findings, file by file, in order of place.
 */
export function toFindings(files: readonly VFile[]): Finding[] {
  return groups(files).flatMap((group) =>
    group.messages.map((message) => {
      const end = endOf(message)
      return {
        ruleId: message.ruleId ?? null,
        severity: severityOf(message),
        file: message.file || group.path,
        line: message.line ?? null,
        column: message.column ?? null,
        endLine: end?.line ?? null,
        endColumn: end?.column ?? null,
        label: message.label ?? null,
        message: message.reason,
        chapters: message.chapters ? [...message.chapters] : [],
        note: message.note ?? null,
        url: message.url ?? null
      }
    })
  )
}

/**
 * Format findings as JSON: an array of `Finding` objects, two-space
 * indented.
 *
 * @param files
 *   Files with messages.
 * @returns
 *   JSON text (no final line ending).
 */
export function formatJson(files: readonly VFile[]): string {
  return JSON.stringify(toFindings(files), null, 2)
}

/**
 * Format findings as GitHub Actions workflow commands, one per line:
 * `::error file=a.md,line=1,col=2,endLine=1,endColumn=5,title=rule::reason`.
 * Errors are `error`, warnings `warning`, the rest `notice`; unknown
 * properties are left out.
 *
 * @param files
 *   Files with messages.
 * @param options
 *   Configuration.
 * @returns
 *   Commands (no final line ending; empty without findings).
 */
export function formatGithub(
  files: readonly VFile[],
  options?: Readonly<GithubOptions> | null | undefined
): string {
  const cwd = (options || emptyGithub).cwd
  const lines: string[] = []

  for (const finding of toFindings(files)) {
    const command =
      finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'notice'
    let file = finding.file

    if (cwd && path.isAbsolute(file)) file = path.relative(cwd, file).split(path.sep).join('/')

    const properties: Array<[string, string | number | null]> = [
      ['file', file || null],
      ['line', finding.line],
      ['col', finding.column],
      ['endLine', finding.endLine],
      ['endColumn', finding.endColumn],
      ['title', finding.ruleId]
    ]
    const fields = properties
      .filter((d): d is [string, string | number] => d[1] !== null)
      .map(([key, value]) => key + '=' + escapeProperty(String(value)))
    lines.push(
      '::' + command + (fields.length > 0 ? ' ' + fields.join(',') : '') + '::' + escapeData(finding.message)
    )
  }

  return lines.join('\n')
}

/**
 * Escape workflow command data (GitHub's `escapeData`).
 *
 * @param value
 *   Text.
 * @returns
 *   Escaped text: `%` → `%25`, `\r` → `%0D`, `\n` → `%0A`.
 */
export function escapeData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A')
}

/**
 * Escape a workflow command property value (GitHub's `escapeProperty`).
 *
 * @param value
 *   Text.
 * @returns
 *   Escaped text: as `escapeData`, and `:` → `%3A`, `,` → `%2C`.
 */
export function escapeProperty(value: string): string {
  return escapeData(value).replaceAll(':', '%3A').replaceAll(',', '%2C')
}

/**
 * Format findings for people: per file, each finding as
 * `line:column  severity  reason  rule`, under it the source line with a
 * caret when the file's text is there, and a count at the end.
 *
 * @param files
 *   Files with messages.
 * @param options
 *   Configuration.
 * @returns
 *   Report (no final line ending); `no issues found` without findings.
 */
export function formatHuman(
  files: readonly VFile[],
  options?: Readonly<HumanOptions> | null | undefined
): string {
  const counts = {error: 0, warning: 0, info: 0}
  const blocks = groups(files).map((group) => formatGroup(group, options, counts))
  const total = counts.error + counts.warning + counts.info
  if (total === 0) return 'no issues found'
  blocks.push(formatCounts(counts))
  return blocks.join('\n\n')
}

/**
 * Format findings for a build log: errors in full (as `formatHuman`), the
 * other findings as one line per rule with how many there are and in how
 * many files, and a count at the end.
 *
 * @param files
 *   Files with messages.
 * @param options
 *   Configuration.
 * @returns
 *   Report (no final line ending); `no issues found` without findings.
 */
export function formatSummary(
  files: readonly VFile[],
  options?: Readonly<HumanOptions> | null | undefined
): string {
  const color = (options || emptyHuman).color === true
  const counts = {error: 0, warning: 0, info: 0}
  const blocks: string[] = []
  // Per rule and severity: how many findings, and the files they are in.
  const byRule = new Map<string, {ruleId: string; severity: FindingSeverity; count: number; files: Set<string>}>()

  for (const group of groups(files)) {
    const errors = group.messages.filter((d) => severityOf(d) === 'error')
    if (errors.length > 0) blocks.push(formatGroup({...group, messages: errors}, options, counts))

    for (const message of group.messages) {
      const severity = severityOf(message)
      if (severity === 'error') continue
      counts[severity]++
      const ruleId = message.ruleId || 'unknown'
      const key = severity + ':' + ruleId
      let entry = byRule.get(key)
      if (!entry) {
        entry = {ruleId, severity, count: 0, files: new Set()}
        byRule.set(key, entry)
      }

      entry.count++
      entry.files.add(message.file || group.path)
    }
  }

  const total = counts.error + counts.warning + counts.info
  if (total === 0) return 'no issues found'

  if (byRule.size > 0) {
    const entries = [...byRule.values()].sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        b.count - a.count ||
        a.ruleId.localeCompare(b.ruleId, 'en')
    )
    const heads = entries.map((d) => d.count + ' ' + d.severity + (d.count === 1 || d.severity === 'info' ? '' : 's'))
    const tails = entries.map((d) => 'in ' + d.files.size + ' file' + (d.files.size === 1 ? '' : 's'))
    const headWidth = Math.max(...heads.map((d) => d.length))
    const tailWidth = Math.max(...tails.map((d) => d.length))
    blocks.push(
      entries
        .map(
          (d, index) =>
            '  ' +
            heads[index].padEnd(headWidth) +
            '  ' +
            tails[index].padEnd(tailWidth) +
            '  ' +
            (color ? '\u001B[2m' + d.ruleId + '\u001B[22m' : d.ruleId)
        )
        .join('\n')
    )
  }

  blocks.push(formatCounts(counts))
  return blocks.join('\n\n')
}

/**
 * One file's findings: its path, each finding as
 * `line:column  severity  reason  rule`, with excerpt and note.
 *
 * @param group
 *   File and its messages.
 * @param options
 *   Configuration.
 * @param counts
 *   Counts per severity, added to.
 * @returns
 *   Block of lines.
 */
function formatGroup(
  group: Group,
  options: Readonly<HumanOptions> | null | undefined,
  counts: Record<FindingSeverity, number>
): string {
  const color = (options || emptyHuman).color === true
  const paint = (code: [number, number], value: string) =>
    color ? '\u001B[' + code[0] + 'm' + value + '\u001B[' + code[1] + 'm' : value
  const lines: string[] = [paint([4, 24], group.path || '<stdin>')]
  const text = group.file.value === undefined ? '' : String(group.file)
  const sourceLines = text ? text.split('\n') : []
  const places = group.messages.map((message) => placeOf(message))
  const width = Math.max(...places.map((d) => d.length))

  for (const [index, message] of group.messages.entries()) {
    const severity = severityOf(message)
    counts[severity]++
    const label = paint(
      severity === 'error' ? [31, 39] : severity === 'warning' ? [33, 39] : [34, 39],
      severity.padEnd(7)
    )
    let line = '  ' + places[index].padEnd(width) + '  ' + label + '  ' + message.reason
    if (message.ruleId) line += '  ' + paint([2, 22], message.ruleId)
    lines.push(line)
    if ((options || emptyHuman).excerpts !== false) lines.push(...excerpt(message, sourceLines, paint))
    if (message.note) {
      for (const noteLine of message.note.split('\n')) lines.push('    ' + paint([2, 22], noteLine))
    }
  }

  return lines.join('\n')
}

/**
 * Count line: `2 errors, 1 warning, 3 info` (zero counts left out).
 *
 * @param counts
 *   Counts per severity.
 * @returns
 *   Line.
 */
function formatCounts(counts: Record<FindingSeverity, number>): string {
  return (
    [
      [counts.error, 'error'],
      [counts.warning, 'warning'],
      [counts.info, 'info']
    ] as const
  )
    .filter((d) => d[0] > 0)
    .map(([count, name]) => count + ' ' + name + (count === 1 || name === 'info' ? '' : 's'))
    .join(', ')
}

/**
 * Order of severities in summaries.
 *
 * @param severity
 *   Severity.
 * @returns
 *   Rank (errors first).
 */
function severityRank(severity: FindingSeverity): number {
  return severity === 'error' ? 0 : severity === 'warning' ? 1 : 2
}

/**
 * Source line and caret under a finding.
 *
 * @param message
 *   Message.
 * @param sourceLines
 *   Lines of the file (empty when unknown).
 * @param paint
 *   Colouring.
 * @returns
 *   Two lines, or none.
 */
function excerpt(
  message: Message,
  sourceLines: string[],
  paint: (code: [number, number], value: string) => string
): string[] {
  const line = message.line
  const column = message.column
  if (line === undefined || column === undefined || line < 1 || line > sourceLines.length) return []
  const source = sourceLines[line - 1].replace(/\r$/, '')
  const end = endOf(message)
  // Underline the span when it ends on the same line, else one caret.
  const length = end && end.line === line && end.column > column ? end.column - column : 1
  // Keep tabs so the caret lines up with the source line.
  const pad = source.slice(0, column - 1).replace(/[^\t]/g, ' ')
  const gutter = ' '.repeat(String(line).length)
  return [
    '    ' + paint([2, 22], line + ' | ') + source,
    '    ' + paint([2, 22], gutter + ' | ') + pad + paint([31, 39], '^'.repeat(length))
  ]
}

/**
 * Files with messages, each with its messages sorted by place.
 *
 * @param files
 *   Files.
 * @returns
 *   Groups (files without messages left out).
 */
function groups(files: readonly VFile[]): Group[] {
  const result: Group[] = []

  for (const file of files) {
    if (file.messages.length === 0) continue
    const messages = (file.messages as Message[])
      .map((message, index) => ({message, index}))
      .sort(
        (a, b) =>
          (a.message.line ?? 0) - (b.message.line ?? 0) ||
          (a.message.column ?? 0) - (b.message.column ?? 0) ||
          a.index - b.index
      )
      .map((d) => d.message)
    result.push({file, path: file.path || messages[0].file || '', messages})
  }

  return result
}

/**
 * Severity of a message.
 *
 * @param message
 *   Message.
 * @returns
 *   `error` when fatal, `warning` when not, `info` when unset.
 */
function severityOf(message: VFileMessage): FindingSeverity {
  return message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'
}

/**
 * End of a message's place.
 *
 * @param message
 *   Message.
 * @returns
 *   End point, if the place is a range.
 */
function endOf(message: VFileMessage): {line: number; column: number} | undefined {
  const place = message.place
  return place && 'end' in place ? place.end : undefined
}

/**
 * `line:column` of a message (`0:0` without a place).
 *
 * @param message
 *   Message.
 * @returns
 *   Place.
 */
function placeOf(message: VFileMessage): string {
  return (message.line ?? 0) + ':' + (message.column ?? 0)
}
