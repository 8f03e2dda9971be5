/**
 * Configuration: the `[preprocessor.xref]` table of `book.toml`.
 *
 * mdBook hands preprocessors the whole `book.toml` as JSON; our table is the
 * one named `xref`, or any `[preprocessor.*]` table whose `command` runs
 * `mdbook-xref` (so a book can keep its own name for it). Keys use
 * `kebab-case`; `snake_case` spellings are accepted too, so that a
 * `[preprocessor.indexing]` table of mdbook-indexing can be renamed and keep
 * working (`see_instead`, `nest_under`).
 *
 * This module is on the `supports` path: it must stay free of the Markdown
 * stack.
 */

import {rules, type RuleId, type RuleLevels, type Severity} from '../diagnostics/rules.js'
import {suggest} from '../util/did-you-mean.js'
import {isRecord} from '../util/record.js'

/** Options of the preprocessor, as written in `book.toml`. */
export interface Options {
  /** Renderers we run for (default: `['html', 'markdown', 'test']`). */
  renderers?: string[] | null | undefined
  /** Renderers we never run for, even if listed in `renderers` (default: `[]`). */
  skipRenderers?: string[] | null | undefined
  /** Turn index markers into anchors (default: `true`). */
  markers?: boolean | null | undefined
  /** Index markers in raw HTML blocks too (default: `false`). */
  htmlMarkers?: boolean | null | undefined
  /** Path (in `src/`) of the index chapter (default: the chapter named `Index`, or the one holding `{{#xref-index}}`). */
  indexChapter?: string | null | undefined
  /** Title of the generated index (default: the chapter's name). */
  indexTitle?: string | null | undefined
  /** Merge terms differing only in the case of their first letter (default: `true`). */
  mergeCase?: boolean | null | undefined
  /** Label of index links: chapter `name` or occurrence `number` (default: `name`). */
  linkLabels?: 'name' | 'number' | null | undefined
  /** Terms shown as “see …” instead of their own entry (default: `{}`). */
  seeInstead?: Record<string, string> | null | undefined
  /** “See also” references per term (default: `{}`). */
  seeAlso?: Record<string, string[]> | null | undefined
  /** Terms filed under a parent term (default: `{}`). */
  nestUnder?: Record<string, string> | null | undefined
  /** Write a JSON export of the index to this path, relative to the book root (default: none). */
  indexJson?: string | null | undefined
  /** Check link references (default: `true`). */
  refs?: boolean | null | undefined
  /** Label families whose shortcut references `[label]` must be defined (default: `['c-', 'c~', 'cat-', 'cat~']`). */
  prefixes?: string[] | null | undefined
  /** Severity per rule id (default: each rule's own). */
  rules?: RuleLevels | null | undefined
  /** Fail the build on findings at error level (default: `false`; `MDBOOK_XREF_DENY=1` sets it). */
  deny?: boolean | null | undefined
  /** Findings below error level in the build log: `'summary'` (one line per rule) or `'all'` (default: `'summary'`; `MDBOOK_XREF_WARNINGS=all` sets it). */
  warnings?: 'summary' | 'all' | null | undefined
  /** Refs file, relative to the book root, that `lint --fix` adds definitions to (default: the file with most definitions of the label's family). */
  fixFile?: string | null | undefined
  /** Labels resolved elsewhere, never reported as undefined: `'/^expr\./'` (between slashes) is a regular expression, any other string an exact label (default: `[]`). */
  allowLabels?: string[] | null | undefined
  /** Keep crates of the standard library (`std`, `core`, `alloc`, `proc_macro`) on crate pages (default: `true`). */
  cratesStandard?: boolean | null | undefined
  /** Write a JSON export of the crates the book references to this path, relative to the book root (default: none). */
  cratesJson?: string | null | undefined
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  renderers: string[]
  skipRenderers: string[]
  markers: boolean
  htmlMarkers: boolean
  indexChapter: string | undefined
  indexTitle: string | undefined
  mergeCase: boolean
  linkLabels: 'name' | 'number'
  seeInstead: Record<string, string>
  seeAlso: Record<string, string[]>
  nestUnder: Record<string, string>
  indexJson: string | undefined
  refs: boolean
  prefixes: string[]
  rules: RuleLevels
  deny: boolean
  warnings: 'summary' | 'all'
  fixFile: string | undefined
  /** Exact labels and compiled patterns of `allow-labels`. */
  allowLabels: Array<string | RegExp>
  cratesStandard: boolean
  cratesJson: string | undefined
}

/** Defaults. */
export const defaults: Readonly<ResolvedOptions> = {
  renderers: ['html', 'markdown', 'test'],
  skipRenderers: [],
  markers: true,
  htmlMarkers: false,
  indexChapter: undefined,
  indexTitle: undefined,
  mergeCase: true,
  linkLabels: 'name',
  seeInstead: {},
  seeAlso: {},
  nestUnder: {},
  indexJson: undefined,
  refs: true,
  prefixes: ['c-', 'c~', 'cat-', 'cat~'],
  rules: {},
  deny: false,
  warnings: 'summary',
  fixFile: undefined,
  allowLabels: [],
  cratesStandard: true,
  cratesJson: undefined
}

type Kind =
  | 'boolean'
  | 'string'
  | 'strings'
  | 'table'
  | 'table-of-strings'
  | 'labels'
  | 'warnings'
  | 'rules'
  | 'allow'

/** Every key of our table (kebab-case), its field, and the type it takes. */
const schema: Record<string, {field: keyof ResolvedOptions; kind: Kind}> = {
  renderers: {field: 'renderers', kind: 'strings'},
  'skip-renderers': {field: 'skipRenderers', kind: 'strings'},
  markers: {field: 'markers', kind: 'boolean'},
  'html-markers': {field: 'htmlMarkers', kind: 'boolean'},
  'index-chapter': {field: 'indexChapter', kind: 'string'},
  'index-title': {field: 'indexTitle', kind: 'string'},
  'merge-case': {field: 'mergeCase', kind: 'boolean'},
  'link-labels': {field: 'linkLabels', kind: 'labels'},
  'see-instead': {field: 'seeInstead', kind: 'table'},
  'see-also': {field: 'seeAlso', kind: 'table-of-strings'},
  'nest-under': {field: 'nestUnder', kind: 'table'},
  'index-json': {field: 'indexJson', kind: 'string'},
  refs: {field: 'refs', kind: 'boolean'},
  prefixes: {field: 'prefixes', kind: 'strings'},
  rules: {field: 'rules', kind: 'rules'},
  deny: {field: 'deny', kind: 'boolean'},
  warnings: {field: 'warnings', kind: 'warnings'},
  'fix-file': {field: 'fixFile', kind: 'string'},
  'allow-labels': {field: 'allowLabels', kind: 'allow'},
  'crates-standard': {field: 'cratesStandard', kind: 'boolean'},
  'crates-json': {field: 'cratesJson', kind: 'string'}
}

/** Keys mdBook itself reads from every preprocessor table. */
const mdbookKeys = new Set(['command', 'before', 'after', 'renderers', 'optional'])

/** Keys of mdbook-indexing that mean nothing here but are harmless. */
const ignoredKeys = new Set(['use-chapter-names', 'use_chapter_names'])

/** Result of reading our table. */
export interface ConfigResult {
  options: ResolvedOptions
  /** Warnings, phrased “Unexpected …, expected …”. */
  warnings: string[]
  /** Name of the table the options came from, if any. */
  table: string | undefined
}

/**
 * Find our table in `book.toml` (as JSON): the first `[preprocessor.*]`
 * table whose `command` runs mdbook-xref, else `[preprocessor.xref]` when it
 * has no `command` (mdBook then runs `mdbook-xref`).
 *
 * @param config
 *   Whole `book.toml`.
 * @param runsUs
 *   Check whether a command runs us (default: `runsXref`).
 * @returns
 *   Name and table, or `undefined`.
 */
export function findTable(
  config: unknown,
  runsUs?: ((command: string) => boolean) | null | undefined
): {name: string; table: Record<string, unknown>} | undefined {
  const preprocessors = isRecord(config) ? config.preprocessor : undefined
  if (!isRecord(preprocessors)) return undefined
  const matches = runsUs || runsXref

  let found: {name: string; table: Record<string, unknown>} | undefined

  for (const [name, table] of Object.entries(preprocessors)) {
    if (!isRecord(table)) continue
    const command = typeof table.command === 'string' ? table.command : ''
    if (command && matches(command)) return {name, table}
    if (name === 'xref' && !command) found = {name, table}
  }

  return found
}

/**
 * Whether a command runs mdbook-xref: `mdbook-xref`, `npx mdbook-xref`,
 * `C:\\tools\\mdbook-xref.cmd`, `node ./node_modules/mdbook-xref/dist/bin.js`,
 * and `node ../../dist/bin.js` (our own fixtures), but not `mdbook-xrefs`.
 *
 * @param command
 *   Command line.
 * @returns
 *   Whether it runs us.
 */
export function runsXref(command: string): boolean {
  return (
    /(?:^|[\s/\\"'])mdbook-xref(?:$|[\s/\\"'.@])/.test(command) ||
    /(^|[\\/ ])bin\.js\b/.test(command)
  )
}

/**
 * Whether mdBook itself reads a key of a `[preprocessor.*]` table
 * (`command`, `before`, `after`, `renderers`, `optional`).
 *
 * @param key
 *   Key as written.
 * @returns
 *   Whether it is mdBook's.
 */
export function isMdbookKey(key: string): boolean {
  return mdbookKeys.has(key)
}

/**
 * Whether a key of our table is known: one of our options in either
 * spelling (`see_instead`, `see-instead`), one of mdBook's, or one of
 * mdbook-indexing's that we ignore.
 *
 * @param key
 *   Key as written.
 * @returns
 *   Whether `resolveOptions` takes it without an “unexpected key” warning.
 */
export function isKnownKey(key: string): boolean {
  return Boolean(optionOf(key)) || mdbookKeys.has(key) || ignoredKeys.has(key)
}

/**
 * Our option a key names, in either spelling (`see_instead`, `see-instead`).
 *
 * @param key
 *   Key as written.
 * @returns
 *   Field and kind, or `undefined`.
 */
function optionOf(key: string): {field: keyof ResolvedOptions; kind: Kind} | undefined {
  return schema[kebab(key)]
}

/**
 * The `kebab-case` spelling of a key (`see_instead` → `see-instead`).
 *
 * @param key
 *   Key as written.
 * @returns
 *   Key with dashes.
 */
function kebab(key: string): string {
  return key.replace(/_/g, '-')
}

/**
 * Read options from `book.toml` (as JSON).
 *
 * @param config
 *   Whole `book.toml`.
 * @param env
 *   Environment (for `MDBOOK_XREF_DENY` and `MDBOOK_XREF_WARNINGS`).
 * @returns
 *   Options and warnings.
 */
export function readConfig(
  config: unknown,
  env: Record<string, string | undefined> = {}
): ConfigResult {
  const found = findTable(config)
  const result = resolveOptions(found ? found.table : {}, found ? found.name : 'xref')
  if (env.MDBOOK_XREF_DENY === '1' || env.MDBOOK_XREF_DENY === 'true') {
    result.options.deny = true
  }

  // The environment wins over `book.toml`: it is how a reader of one build asks for more.
  const warnings = env.MDBOOK_XREF_WARNINGS
  if (warnings === 'all' || warnings === 'summary') {
    result.options.warnings = warnings
  } else if (warnings !== undefined && warnings !== '') {
    result.warnings.push(
      'Unexpected `' + warnings + '` for `MDBOOK_XREF_WARNINGS`, expected `all` or `summary`; using `' + result.options.warnings + '`'
    )
  }

  return {...result, table: found ? found.name : undefined}
}

/**
 * The key a warning of `resolveOptions` is about, as written: `warnings` in
 * ``Unexpected `"some"` for `warnings` in `[preprocessor.xref]`, …``, `rules`
 * in ``… in `[preprocessor.xref].rules` ``.
 *
 * @param warning
 *   Warning.
 * @returns
 *   Key, or `undefined` for a warning about no key (an environment variable).
 */
export function warningKey(warning: string): string | undefined {
  const nested = /in `\[preprocessor\.[^`]*\]\.([^`]+)`$/.exec(warning)
  if (nested) return nested[1]
  const own = /`([^`]+)` in `\[preprocessor\.[^`]*\]`/.exec(warning)
  return own ? own[1] : undefined
}

/**
 * Check and fill in options from a table.
 *
 * @param table
 *   Table of `book.toml`.
 * @param name
 *   Its name, for messages.
 * @returns
 *   Options and warnings.
 */
export function resolveOptions(
  table: Record<string, unknown>,
  name = 'xref'
): {options: ResolvedOptions; warnings: string[]} {
  const options: ResolvedOptions = structuredClone(defaults) as ResolvedOptions
  const warnings: string[] = []

  for (const [rawKey, value] of Object.entries(table)) {
    const entry = optionOf(rawKey)

    if (!entry) {
      if (isKnownKey(rawKey)) continue
      const near = suggest(kebab(rawKey), Object.keys(schema))
      warnings.push(
        'Unexpected key `' +
          rawKey +
          '` in `[preprocessor.' +
          name +
          ']`, expected ' +
          (near ? '`' + near + '`' : 'one of the documented keys') +
          '; ignoring it'
      )
      continue
    }

    const checked = check(value, entry.kind)

    if (checked.ok) {
      ;(options as unknown as Record<string, unknown>)[entry.field] = checked.value
    } else {
      warnings.push(
        'Unexpected ' +
          describe(value) +
          ' for `' +
          rawKey +
          '` in `[preprocessor.' +
          name +
          ']`, expected ' +
          checked.expected +
          '; using the default'
      )
    }

    for (const warning of checked.warnings) {
      warnings.push(warning + ' in `[preprocessor.' + name + '].' + rawKey + '`')
    }
  }

  return {options, warnings}
}

/**
 * Whether we run for a renderer.
 *
 * @param renderer
 *   Renderer name, such as `html`.
 * @param options
 *   Options.
 * @returns
 *   Whether to run.
 */
export function supportsRenderer(
  renderer: string,
  options: Pick<ResolvedOptions, 'renderers' | 'skipRenderers'>
): boolean {
  return (
    options.renderers.includes(renderer) &&
    !options.skipRenderers.includes(renderer)
  )
}

/**
 * Check a value against a kind.
 *
 * @param value
 *   Value from TOML.
 * @param kind
 *   Expected kind.
 * @returns
 *   Checked value, or what was expected.
 */
function check(
  value: unknown,
  kind: Kind
):
  | {ok: true; value: unknown; warnings: string[]}
  | {ok: false; expected: string; warnings: string[]} {
  switch (kind) {
    case 'boolean': {
      return typeof value === 'boolean'
        ? {ok: true, value, warnings: []}
        : {ok: false, expected: '`true` or `false`', warnings: []}
    }

    case 'string': {
      return typeof value === 'string'
        ? {ok: true, value, warnings: []}
        : {ok: false, expected: 'a string', warnings: []}
    }

    case 'strings': {
      return Array.isArray(value) && value.every((d) => typeof d === 'string')
        ? {ok: true, value, warnings: []}
        : {ok: false, expected: 'an array of strings', warnings: []}
    }

    case 'labels': {
      return value === 'name' || value === 'number'
        ? {ok: true, value, warnings: []}
        : {ok: false, expected: '`"name"` or `"number"`', warnings: []}
    }

    case 'warnings': {
      return value === 'summary' || value === 'all'
        ? {ok: true, value, warnings: []}
        : {ok: false, expected: '`"summary"` or `"all"`', warnings: []}
    }

    case 'table': {
      return isRecord(value) && Object.values(value).every((d) => typeof d === 'string')
        ? {ok: true, value, warnings: []}
        : {ok: false, expected: 'a table of strings', warnings: []}
    }

    case 'table-of-strings': {
      if (!isRecord(value)) return {ok: false, expected: 'a table', warnings: []}
      const result: Record<string, string[]> = {}

      for (const [key, item] of Object.entries(value)) {
        if (typeof item === 'string') result[key] = [item]
        else if (Array.isArray(item) && item.every((d) => typeof d === 'string')) result[key] = item
        else return {ok: false, expected: 'a table of strings or arrays of strings', warnings: []}
      }

      return {ok: true, value: result, warnings: []}
    }

    case 'rules': {
      if (!isRecord(value)) return {ok: false, expected: 'a table of rule ids', warnings: []}
      const result: RuleLevels = {}
      const warnings: string[] = []

      for (const [key, level] of Object.entries(value)) {
        if (!(key in rules)) {
          const near = suggest(key, Object.keys(rules))
          warnings.push(
            'Unexpected rule `' + key + '`, expected ' + (near ? '`' + near + '`' : 'a rule id of the documentation')
          )
          continue
        }

        const severity = level === false ? 'off' : level === true ? 'warn' : level

        if (severity === 'off' || severity === 'warn' || severity === 'error') {
          result[key as RuleId] = severity as Severity
        } else {
          warnings.push(
            'Unexpected ' + describe(level) + ' for rule `' + key + '`, expected `"off"`, `"warn"` or `"error"`'
          )
        }
      }

      return {ok: true, value: result, warnings}
    }

    case 'allow': {
      if (!Array.isArray(value) || !value.every((d) => typeof d === 'string')) {
        return {ok: false, expected: 'an array of strings', warnings: []}
      }

      const result: Array<string | RegExp> = []
      const warnings: string[] = []

      for (const item of value as string[]) {
        const pattern = parsePattern(item)
        if (pattern.ok) result.push(pattern.value)
        else warnings.push(pattern.warning)
      }

      return {ok: true, value: result, warnings}
    }

    default: {
      return {ok: false, expected: 'nothing', warnings: []}
    }
  }
}

/**
 * Read one item of `allow-labels`: `'/^(std|core)::/'` or `'/x/i'`, written
 * between slashes, is a regular expression (TOML cannot hold one); any other
 * string, `'/'` and `'a/b/'` among them, is an exact label.
 *
 * @param item
 *   Item as written.
 * @returns
 *   Exact label or pattern, or a warning for an invalid pattern.
 */
function parsePattern(item: string): {ok: true; value: string | RegExp} | {ok: false; warning: string} {
  const match = /^\/(.+)\/([a-z]*)$/s.exec(item)
  if (!match) return {ok: true, value: item}

  try {
    return {ok: true, value: new RegExp(match[1], match[2])}
  } catch (error) {
    // V8 says “Invalid regular expression: /(/: Unterminated group”; keep the why.
    const message = String((error as Error).message)
    const why = message.includes(': ') ? message.slice(message.lastIndexOf(': ') + 2) : message
    return {
      ok: false,
      warning: 'Unexpected invalid regular expression `' + item + '` (' + why + '), expected a JavaScript regular expression'
    }
  }
}

/**
 * Describe a TOML value for messages.
 *
 * @param value
 *   Value.
 * @returns
 *   Such as `` `3` `` or `table`.
 */
function describe(value: unknown): string {
  // Subject of “Unexpected … for `key`”: no article.
  if (Array.isArray(value)) return 'array'
  if (isRecord(value)) return 'table'
  return '`' + JSON.stringify(value) + '`'
}
