/**
 * Add `[preprocessor.xref]` to the text of a `book.toml` (`mdbook-xref init`).
 *
 * `book.toml` is edited as text: smol-toml only reads and validates it, and
 * a small scanner finds where each table header and key is written, so
 * comments, order and formatting of everything we do not touch stay byte
 * for byte. Every result is parsed again and checked before it is written.
 *
 * * No table of ours: add
 *   `[preprocessor.xref]`, `command = "mdbook-xref"`, `after = ["links"]`
 *   after the last `[preprocessor.*]` table (else at the end).
 * * A table of ours (`[preprocessor.xref]`, or any `[preprocessor.*]` whose
 *   `command` runs mdbook-xref): make sure `after` holds `"links"`, nothing
 *   else.
 * * `--from-indexing`: mdbook-indexing's `[preprocessor.indexing]` (and its
 *   sub-tables `[preprocessor.indexing.see_instead]`, `.nest_under`) becomes
 *   our table, keeping the options we share (`see_instead`, `nest_under`:
 *   our config reads `snake_case`), translating `use_chapter_names` and
 *   `skip_renderer`, and dropping the rest with a note.
 *
 * A second run changes nothing.
 */

import {parse} from 'smol-toml'
import {findTable, isKnownKey, isMdbookKey} from './config.js'
import {
  afterLine,
  applyEdits,
  bareKey,
  header,
  names,
  scanArray,
  scanToml,
  type Edit,
  type Entry,
  type Section
} from './toml-text.js'
import {isRecord} from '../util/record.js'
import {bomLength, stripBom} from '../util/text.js'

/** Options of `initToml`. */
export interface InitOptions {
  /** Carry over and replace `[preprocessor.indexing]` (default: `false`). */
  fromIndexing?: boolean | null | undefined
}

/** Result of `initToml`. */
export interface InitResult {
  /** New text of `book.toml` (the input itself when nothing changed). */
  text: string
  /** What was done, one line each (`added after = ["links"] to [preprocessor.xref]`). */
  changes: string[]
  /** Advice that changes nothing (`note: …`). */
  notes: string[]
  /** Name of our table afterwards (`xref` for `[preprocessor.xref]`). */
  table: string
}

/** A `book.toml` that cannot be edited safely; the message says why. */
export class InitError extends Error {
  override name = 'InitError'
}

/** What `initToml` works with. */
interface State {
  /** Text of `book.toml` (no BOM). */
  text: string
  /** Line ending of the file. */
  eol: string
  /** Tables as written. */
  sections: Section[]
  /** Parsed `[preprocessor]` table. */
  preprocessors: Record<string, unknown>
  /** Edits so far. */
  edits: Edit[]
  /** Change lines so far. */
  changes: string[]
}

/** Our command. */
const command = 'mdbook-xref'

const emptyOptions: InitOptions = {}

/**
 * Add or update our table in the text of a `book.toml`.
 *
 * @param text
 *   `book.toml`, valid TOML (a BOM is kept).
 * @param options
 *   Options.
 * @returns
 *   New text and what changed.
 * @throws {TomlError}
 *   On invalid TOML.
 * @throws {InitError}
 *   When our table is written in a form we cannot edit as text (an inline
 *   table, dotted keys), or a carried-over option is set in both tables.
 */
export function initToml(text: string, options?: Readonly<InitOptions> | null | undefined): InitResult {
  const settings = options || emptyOptions
  const bom = text.slice(0, bomLength(text))
  const body = bom ? text.slice(1) : text
  const data = parse(body) as Record<string, unknown>
  const preprocessors = isRecord(data.preprocessor) ? data.preprocessor : {}
  const state: State = {
    text: body,
    eol: body.includes('\r\n') ? '\r\n' : '\n',
    sections: scanToml(body),
    preprocessors,
    edits: [],
    changes: []
  }
  const notes: string[] = []
  let ours = findTable(data)?.name ?? (isRecord(preprocessors.xref) ? 'xref' : undefined)
  const indexing = ours !== 'indexing' && isRecord(preprocessors.indexing)
  let carried = false

  if (settings.fromIndexing && indexing) {
    if (ours === undefined) {
      renameIndexing(state)
      ours = 'xref'
    } else {
      mergeIndexing(state, ours)
    }

    carried = true
  } else if (ours === undefined) {
    if (settings.fromIndexing) {
      notes.push('note: no [preprocessor.indexing] table to carry over')
    }

    addTable(state)
    ours = 'xref'
  } else {
    ensureAfter(state, ours)
  }

  if (!settings.fromIndexing && indexing) {
    notes.push(
      'note: [preprocessor.indexing] also turns {{i:…}} markers into anchors; run `mdbook-xref init --from-indexing` to replace it'
    )
  }

  const output = state.edits.length > 0 ? bom + applyEdits(body, state.edits) : text
  if (output !== text) verify(data, output, ours, carried)
  return {text: output, changes: state.changes, notes, table: ours}
}

/**
 * Add a new table after the last `[preprocessor.*]` table, else at the end.
 *
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function addTable(state: State): undefined {
  const {eol, text} = state
  const block = ['[preprocessor.xref]', 'command = "' + command + '"', 'after = ["links"]'].join(eol) + eol
  const last = state.sections.filter((d) => d.key.length > 0 && d.key[0].value === 'preprocessor').pop()
  let at: number
  let value: string

  if (last) {
    at = contentEnd(last)
    value = lineBreakBefore(state, at) + eol + block
  } else {
    at = text.length
    // Separate from what comes before by one blank line.
    value =
      (text.trim() === '' ? '' : text.endsWith(eol + eol) ? '' : text.endsWith('\n') ? eol : eol + eol) + block
  }

  state.edits.push({start: at, end: at, value})
  state.changes.push('added [preprocessor.xref] with command = "' + command + '" and after = ["links"]')
}

/**
 * Make sure `after` of our table holds `"links"`.
 *
 * @param state
 *   State.
 * @param name
 *   Name of our table.
 * @returns
 *   Nothing.
 */
function ensureAfter(state: State, name: string): undefined {
  const table = state.preprocessors[name] as Record<string, unknown>
  const value = table.after
  if (Array.isArray(value) && value.includes('links')) return
  const section = findSection(state, ['preprocessor', name])

  if (!section) {
    throw new InitError(
      'Cannot edit `' +
        header(['preprocessor', name]) +
        '`: it is written as an inline table or dotted keys, expected a `' +
        header(['preprocessor', name]) +
        '` header; add `after = ["links"]` to it by hand'
    )
  }

  addAfter(state, section, name, value)
}

/**
 * Add `"links"` to `after` in a section, or add `after` to it.
 *
 * @param state
 *   State.
 * @param section
 *   Section of the table.
 * @param name
 *   Table name, for change lines.
 * @param value
 *   Current `after` (parsed), if any.
 * @returns
 *   Nothing.
 */
function addAfter(state: State, section: Section, name: string, value: unknown): undefined {
  if (Array.isArray(value) && value.includes('links')) return
  const entry = findEntry(section, 'after')
  const title = header(['preprocessor', name])

  if (!entry) {
    // Next to `command` when there is one: `after = ["links"]` under it.
    const anchor = findEntry(section, 'command')
    const at = anchor ? anchor.end : section.headerEnd
    const indent = anchor ? leadingSpace(state.text, anchor.start) : ''
    state.edits.push({start: at, end: at, value: lineBreakBefore(state, at) + indent + 'after = ["links"]' + state.eol})
    state.changes.push('added after = ["links"] to ' + title)
    return
  }

  if (Array.isArray(value)) {
    const array = scanArray(state.text, entry.valueStart)
    const last = array.elements[array.elements.length - 1]

    if (!last) {
      // `after = []` or `after = [ # comment⏎ ]`.
      state.edits.push({start: entry.valueStart + 1, end: entry.valueStart + 1, value: '"links"'})
    } else if (array.comma === undefined) {
      // `after = ["index"]` → `after = ["index", "links"]`.
      state.edits.push({start: last.end, end: last.end, value: ', "links"'})
    } else {
      // `after = ["index",]`, multi-line arrays with a trailing comma.
      state.edits.push({start: array.comma + 1, end: array.comma + 1, value: ' "links",'})
    }

    state.changes.push('added "links" to after of ' + title)
    return
  }

  // mdBook wants an array: `after = "index"` → `after = ["index", "links"]`.
  const items = typeof value === 'string' && value !== 'links' ? [JSON.stringify(value), '"links"'] : ['"links"']
  const replacement = '[' + items.join(', ') + ']'
  state.edits.push({start: entry.valueStart, end: entry.valueEnd, value: replacement})
  state.changes.push('replaced after = ' + state.text.slice(entry.valueStart, entry.valueEnd) + ' with after = ' + replacement + ' in ' + title)
}

/**
 * `--from-indexing` without a table of ours: `[preprocessor.indexing]`
 * becomes `[preprocessor.xref]`, in place.
 *
 * @param state
 *   State.
 * @returns
 *   Nothing.
 */
function renameIndexing(state: State): undefined {
  const main = findSection(state, ['preprocessor', 'indexing'])
  const subs = subSections(state)

  if (!main && subs.length === 0) {
    throw new InitError(
      'Cannot carry over `[preprocessor.indexing]`: it is written as an inline table or dotted keys, expected a `[preprocessor.indexing]` header'
    )
  }

  if (main) {
    renameHeader(state, main)
    const commandEntry = findEntry(main, 'command')

    if (commandEntry) {
      state.edits.push({start: commandEntry.valueStart, end: commandEntry.valueEnd, value: '"' + command + '"'})
    } else {
      state.edits.push({
        start: main.headerEnd,
        end: main.headerEnd,
        value: lineBreakBefore(state, main.headerEnd) + 'command = "' + command + '"' + state.eol
      })
    }

    state.changes.push('set command = "' + command + '" in [preprocessor.xref]')
    addAfter(state, main, 'xref', (state.preprocessors.indexing as Record<string, unknown>).after)

    for (const [entry, action] of classifyEntries(state, main, 'rename')) {
      if (action.kind === 'drop') {
        state.edits.push({start: entry.start, end: entry.end, value: ''})
        if (action.change) state.changes.push(action.change)
      } else if (action.kind === 'replace') {
        state.edits.push({start: entry.key[0].start, end: entry.valueEnd, value: action.value})
        if (action.change) state.changes.push(action.change)
      }
    }
  } else {
    // Only sub-tables are written (`[preprocessor.indexing.see_instead]`):
    // the table itself goes before the first of them.
    const first = subs[0]
    const block = ['[preprocessor.xref]', 'command = "' + command + '"', 'after = ["links"]'].join(state.eol) + state.eol + state.eol
    state.edits.push({start: first.start, end: first.start, value: block})
    state.changes.push('added [preprocessor.xref] with command = "' + command + '" and after = ["links"]')
  }

  for (const section of subs) {
    const keep = knownKey(section.key[2].value)

    if (keep) {
      renameHeader(state, section)
    } else {
      state.edits.push({start: section.start, end: contentEnd(section), value: ''})
      state.changes.push('dropped ' + header(names(section.key)) + ': mdbook-xref has no such option')
    }
  }
}

/**
 * `--from-indexing` with a table of ours: move the options of
 * `[preprocessor.indexing]` into it and remove the indexing table.
 *
 * @param state
 *   State.
 * @param name
 *   Name of our table.
 * @returns
 *   Nothing.
 */
function mergeIndexing(state: State, name: string): undefined {
  const ours = findSection(state, ['preprocessor', name])
  const main = findSection(state, ['preprocessor', 'indexing'])
  const subs = subSections(state)
  const title = header(['preprocessor', name])
  const table = state.preprocessors[name] as Record<string, unknown>
  const taken = new Set(Object.keys(table).map((d) => d.replace(/_/g, '-')))

  if (!ours || (!main && subs.length === 0)) {
    throw new InitError(
      'Cannot merge `[preprocessor.indexing]` into `' +
        title +
        '`: one of them is written as an inline table or dotted keys, expected a header for each'
    )
  }

  ensureAfter(state, name)

  if (main) {
    const at = contentEnd(ours)
    const done = new Set<string>()
    let moved = ''

    for (const [entry, action] of classifyEntries(state, main, 'merge')) {
      if (action.kind === 'drop' || action.kind === 'mdbook') {
        if (action.change) state.changes.push(action.change)
        continue
      }

      const key = action.kind === 'replace' ? action.key : entry.key[0].value
      if (taken.has(key.replace(/_/g, '-'))) throw conflict(key, title)
      let line =
        action.kind === 'replace'
          ? state.text.slice(entry.start, entry.key[0].start) + action.value + state.text.slice(entry.valueEnd, entry.end)
          : state.text.slice(entry.start, entry.end)
      if (!line.endsWith('\n')) line += state.eol
      moved += line
      if (done.has(key)) continue
      done.add(key)
      state.changes.push(
        'moved ' +
          (action.kind === 'replace' ? shown(state.text, entry) : entry.key[0].value) +
          ' from [preprocessor.indexing] to ' +
          title +
          (action.kind === 'replace' ? ' as ' + action.value : '')
      )
    }

    if (moved) state.edits.push({start: at, end: at, value: lineBreakBefore(state, at) + moved})
    removeSection(state, main)
  }

  for (const section of subs) {
    const key = section.key[2].value

    if (!knownKey(key)) {
      state.edits.push({start: section.start, end: contentEnd(section), value: ''})
      state.changes.push('dropped ' + header(names(section.key)) + ': mdbook-xref has no such option')
      continue
    }

    if (taken.has(key.replace(/_/g, '-'))) throw conflict(key, title)
    renameHeader(state, section, name)
  }

  state.changes.push('removed [preprocessor.indexing]')
}

/**
 * Remove a section whose entries all moved or went: its header and entry
 * lines, and, when nothing else is written in it, the blank lines after it
 * (`[preprocessor.indexing]⏎command = …⏎⏎` goes as a whole). Comments stay.
 *
 * @param state
 *   State.
 * @param section
 *   Section.
 * @returns
 *   Nothing.
 */
function removeSection(state: State, section: Section): undefined {
  let position = section.headerEnd
  let plain = true

  for (const entry of section.entries) {
    if (entry.start !== position) plain = false
    position = entry.end
  }

  if (plain) {
    let end = position
    while (end < state.text.length && /^[ \t]*\r?\n/.test(state.text.slice(end, end + 100))) {
      end = afterLine(state.text, end)
    }

    state.edits.push({start: section.start, end, value: ''})
    return
  }

  state.edits.push({start: section.start, end: section.headerEnd, value: ''})
  for (const entry of section.entries) state.edits.push({start: entry.start, end: entry.end, value: ''})
}

/**
 * Error for an option set in both tables.
 *
 * @param key
 *   Key.
 * @param title
 *   Our table, as a header.
 * @returns
 *   Error.
 */
function conflict(key: string, title: string): InitError {
  return new InitError(
    'Unexpected `' +
      key +
      '` in both `[preprocessor.indexing]` and `' +
      title +
      '`, expected it in one of them; merge them by hand'
  )
}

/** What to do with an entry of `[preprocessor.indexing]`. */
type Action =
  | {kind: 'keep'}
  | {kind: 'mdbook'; change: string | undefined}
  | {kind: 'drop'; change: string | undefined}
  | {kind: 'replace'; key: string; value: string; change: string | undefined}

/**
 * Decide, for each entry of `[preprocessor.indexing]`, what becomes of it.
 *
 * @param state
 *   State.
 * @param section
 *   The `[preprocessor.indexing]` section.
 * @param mode
 *   `rename`: the table becomes ours (its `command` and `after` are handled
 *   apart and left out here, other mdBook keys stay); `merge`: its options
 *   move into our table (its mdBook keys are dropped: ours has its own).
 * @returns
 *   Entries and their actions.
 */
function classifyEntries(state: State, section: Section, mode: 'rename' | 'merge'): Array<[Entry, Action]> {
  const table = state.preprocessors.indexing as Record<string, unknown>
  const result: Array<[Entry, Action]> = []
  const reported = new Set<string>()

  for (const entry of section.entries) {
    const key = entry.key[0].value
    const value = table[key]
    const written = shown(state.text, entry)
    // Dotted keys (`see_instead.a = "b"`, `see_instead.c = "d"`) are one option.
    const once = function (change: string): string | undefined {
      if (reported.has(key)) return undefined
      reported.add(key)
      return change
    }

    if (isMdbookKey(key)) {
      if (mode === 'merge') {
        result.push([entry, {kind: 'mdbook', change: key === 'command' ? undefined : once('dropped ' + written + ' of [preprocessor.indexing]')}])
      } else if (key !== 'command' && key !== 'after') {
        result.push([entry, {kind: 'keep'}])
      }

      continue
    }

    // `use_chapter_names = true`: chapter names as link labels, else numbers.
    if ((key === 'use_chapter_names' || key === 'use-chapter-names') && entry.key.length === 1 && typeof value === 'boolean') {
      const replacement = 'link_labels = "' + (value ? 'name' : 'number') + '"'
      result.push([entry, {kind: 'replace', key: 'link_labels', value: replacement, change: 'replaced ' + written + ' with ' + replacement}])
      continue
    }

    // `skip_renderer = "pdf,epub"`: a comma-separated string there, an array here.
    if ((key === 'skip_renderer' || key === 'skip-renderer') && entry.key.length === 1 && typeof value === 'string') {
      const list = value
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => JSON.stringify(d))
      const replacement = 'skip_renderers = [' + list.join(', ') + ']'
      result.push([entry, {kind: 'replace', key: 'skip_renderers', value: replacement, change: 'replaced ' + written + ' with ' + replacement}])
      continue
    }

    if (knownKey(key)) {
      result.push([entry, {kind: 'keep'}])
      continue
    }

    result.push([entry, {kind: 'drop', change: once('dropped ' + written + ': mdbook-xref has no such option')}])
  }

  return result
}

/**
 * Whether a key of `[preprocessor.indexing]` is one we take as is
 * (`see_instead`, `nest-under`, `deny`); `use_chapter_names` is not, as it
 * is replaced.
 *
 * @param key
 *   Key as written.
 * @returns
 *   Whether to keep it.
 */
function knownKey(key: string): boolean {
  if (key === 'use_chapter_names' || key === 'use-chapter-names') return false
  return isKnownKey(key)
}

/**
 * Sections below `[preprocessor.indexing]` (`[preprocessor.indexing.x]`).
 *
 * @param state
 *   State.
 * @returns
 *   Sections.
 */
function subSections(state: State): Section[] {
  return state.sections.filter(
    (d) => d.key.length > 2 && d.key[0].value === 'preprocessor' && d.key[1].value === 'indexing'
  )
}

/**
 * Rename `indexing` in a header to our name, touching only that key.
 *
 * @param state
 *   State.
 * @param section
 *   Section (`[preprocessor.indexing…]`).
 * @param name
 *   New name (default: `xref`).
 * @returns
 *   Nothing.
 */
function renameHeader(state: State, section: Section, name = 'xref'): undefined {
  const segment = section.key[1]
  state.edits.push({start: segment.start, end: segment.end, value: bareKey(name)})
  const after = names(section.key)
  after[1] = name
  state.changes.push('renamed ' + header(names(section.key)) + ' to ' + header(after))
}

/**
 * Check the result: valid TOML, our table with `after = ["links"]`, no
 * indexing table when carried over, and every other table unchanged.
 *
 * @param before
 *   Parsed input.
 * @param output
 *   New text.
 * @param name
 *   Our table.
 * @param carried
 *   Whether `[preprocessor.indexing]` was carried over.
 * @returns
 *   Nothing.
 * @throws {InitError}
 *   When the edit went wrong.
 */
function verify(before: Record<string, unknown>, output: string, name: string, carried: boolean): undefined {
  let after: Record<string, unknown>

  try {
    after = parse(stripBom(output)) as Record<string, unknown>
  } catch {
    throw new InitError('Cannot edit `book.toml` as text: the result is no valid TOML; add `[preprocessor.xref]` by hand')
  }

  const preprocessors = isRecord(after.preprocessor) ? after.preprocessor : {}
  const table = preprocessors[name]
  const rest = function (data: Record<string, unknown>): string {
    const copy = {...data}
    const inner = isRecord(copy.preprocessor) ? {...copy.preprocessor} : undefined
    if (inner) {
      delete inner[name]
      delete inner.xref
      if (carried) delete inner.indexing
      copy.preprocessor = inner
      // `[preprocessor]` appears with our table when the book had none.
      if (Object.keys(inner).length === 0) delete copy.preprocessor
    }

    return JSON.stringify(copy)
  }

  if (
    !isRecord(table) ||
    !Array.isArray(table.after) ||
    !table.after.includes('links') ||
    (carried && preprocessors.indexing !== undefined) ||
    rest(before) !== rest(after)
  ) {
    throw new InitError(
      'Cannot edit `book.toml` as text: `[preprocessor.' +
        name +
        ']` or `[preprocessor.indexing]` is partly written as dotted keys or inline tables; edit it by hand'
    )
  }
}

/**
 * Find the section of a table header.
 *
 * @param state
 *   State.
 * @param key
 *   Key (`['preprocessor', 'xref']`).
 * @returns
 *   Section, if written as a `[…]` header.
 */
function findSection(state: State, key: string[]): Section | undefined {
  return state.sections.find(
    (d) => !d.array && d.key.length === key.length && d.key.every((segment, index) => segment.value === key[index])
  )
}

/**
 * Find a one-segment entry in a section.
 *
 * @param section
 *   Section.
 * @param key
 *   Key.
 * @returns
 *   Entry.
 */
function findEntry(section: Section, key: string): Entry | undefined {
  return section.entries.find((d) => d.key.length === 1 && d.key[0].value === key)
}

/**
 * End of a section's content: after its last entry, else after its header
 * (comments and blank lines before the next header stay with that header).
 *
 * @param section
 *   Section.
 * @returns
 *   Offset.
 */
function contentEnd(section: Section): number {
  const last = section.entries[section.entries.length - 1]
  return last ? last.end : section.headerEnd
}

/**
 * A line break to insert before new lines at an offset when the file ends
 * there without one (`…"links"]` + EOF).
 *
 * @param state
 *   State.
 * @param at
 *   Offset.
 * @returns
 *   `''` or the line ending.
 */
function lineBreakBefore(state: State, at: number): string {
  return at > 0 && state.text.charCodeAt(at - 1) !== 10 ? state.eol : ''
}

/**
 * Leading spaces and tabs of the line at an offset.
 *
 * @param text
 *   Text.
 * @param start
 *   Start of a line.
 * @returns
 *   Indentation.
 */
function leadingSpace(text: string, start: number): string {
  return /^[ \t]*/.exec(text.slice(start, start + 100))![0]
}

/**
 * An entry as shown in change lines: `suppress_head = true`, or only the key
 * when the value spans lines.
 *
 * @param text
 *   Text.
 * @param entry
 *   Entry.
 * @returns
 *   Display text.
 */
function shown(text: string, entry: Entry): string {
  const key = text.slice(entry.key[0].start, entry.key[entry.key.length - 1].end)
  const value = text.slice(entry.valueStart, entry.valueEnd)
  return /[\r\n]/.test(value) ? key : key + ' = ' + value
}
