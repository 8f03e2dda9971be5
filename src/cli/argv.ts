/**
 * The command table: every command and its flags, parsing against it, and
 * the `--help` text made from it.
 *
 * Loaded on every run (`supports` too): imports nothing heavy.
 */

import {suggest} from '../util/did-you-mean.js'

/** A flag of a command. */
export interface Flag {
  /** Name without dashes. */
  name: string
  /** Takes a value (`--format json`). */
  value?: string | undefined
  /** Allowed values. */
  values?: readonly string[] | undefined
  /** One-line description. */
  description: string
}

/** A command. */
export interface Command {
  /** Name (`''` for the preprocessor). */
  name: string
  /** Positional arguments, for help. */
  args: string
  /** One-line description. */
  description: string
  /** Flags. */
  flags: Flag[]
  /** Example invocation. */
  example: string
}

const common: Flag[] = [
  {name: 'help', description: 'show this help and exit'},
  {name: 'version', description: 'show the version and exit'}
]

/** Every command and its flags: drives parsing and `--help`. */
export const commands: Command[] = [
  {
    name: '',
    args: '',
    description: 'run as an mdBook preprocessor: `[context, book]` JSON on stdin, the book on stdout',
    flags: common,
    example: 'mdbook build   # with [preprocessor.xref] in book.toml'
  },
  {
    name: 'supports',
    args: '<renderer>',
    description: 'exit 0 when the preprocessor runs for <renderer>, 1 when not',
    flags: common,
    example: 'mdbook-xref supports html'
  },
  {
    name: 'lint',
    args: '[book-dir]',
    description: 'check index markers and link references of a book without mdBook',
    flags: [
      {name: 'format', value: 'name', values: ['human', 'json', 'github'], description: 'report format: human (default), json or github'},
      {name: 'all', description: 'also check Markdown files under src/ that SUMMARY.md does not list'},
      {name: 'unused', description: 'also report definitions no chapter uses (unused-definition)'},
      {name: 'crates', description: 'also report crates referenced without a docs label, and crate labels no chapter references'},
      {name: 'crates-json', value: 'path', description: 'write the crates the book references to <path> as JSON'},
      {name: 'fix', description: 'append missing crate definitions that the convention can generate'},
      {name: 'fix-file', value: 'path', description: 'refs file that --fix appends to (default: config `fix-file`)'},
      {name: 'allow-outside-root', description: 'allow includes outside the repository root'},
      {name: 'quiet', description: 'report only findings at error level'},
      ...common
    ],
    example: 'mdbook-xref lint ./my-book --format github'
  },
  {
    name: 'init',
    args: '[book-dir]',
    description: 'add [preprocessor.xref] and the anchor stylesheet (mdbook-xref.css) to book.toml, keeping everything else',
    flags: [
      {name: 'from-indexing', description: 'carry over and replace an existing [preprocessor.indexing] table'},
      ...common
    ],
    example: 'mdbook-xref init ./my-book --from-indexing'
  }
]

/** Parsed command line. */
export interface Parsed {
  command: Command
  positionals: string[]
  flags: Record<string, string | true>
}

/** A usage error (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError'
}

/**
 * Parse arguments against the flag table.
 *
 * @param argv
 *   Arguments after the program name.
 * @returns
 *   Command, positionals and flags.
 * @throws {UsageError}
 *   On an unknown command or flag, or a bad value.
 */
export function parseArgv(argv: string[]): Parsed {
  let command = commands[0]
  let rest = argv

  if (argv.length > 0 && !argv[0].startsWith('-')) {
    const found = commands.find((d) => d.name !== '' && d.name === argv[0])
    if (!found) {
      throw new UsageError(
        'Unexpected command `' +
          argv[0] +
          '`, expected ' +
          expected(argv[0], commands.filter((d) => d.name).map((d) => d.name)) +
          ' (see `mdbook-xref --help`)'
      )
    }

    command = found
    rest = argv.slice(1)
  }

  const positionals: string[] = []
  const flags: Record<string, string | true> = {}

  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index]

    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg)
      continue
    }

    const equals = arg.indexOf('=')
    const name = arg.slice(2, equals === -1 ? undefined : equals)
    const flag = command.flags.find((d) => d.name === name)

    if (!flag) {
      throw new UsageError(
        'Unexpected flag `--' +
          name +
          '`' +
          (command.name ? ' for `' + command.name + '`' : '') +
          ', expected ' +
          expected('--' + name, command.flags.map((d) => '--' + d.name)) +
          ' (see `mdbook-xref ' +
          (command.name ? command.name + ' ' : '') +
          '--help`)'
      )
    }

    if (flag.value) {
      const value = equals === -1 ? rest[++index] : arg.slice(equals + 1)
      if (value === undefined) {
        throw new UsageError('Unexpected end of arguments, expected a value for `--' + name + '`')
      }

      if (flag.values && !flag.values.includes(value)) {
        throw new UsageError(
          'Unexpected `' + value + '` for `--' + name + '`, expected `' + flag.values.join('`, `') + '`'
        )
      }

      flags[name] = value
    } else {
      if (equals !== -1) {
        throw new UsageError('Unexpected value for `--' + name + '`, expected no value')
      }

      flags[name] = true
    }
  }

  const max = command.name === '' ? 0 : 1
  if (!flags.help && !flags.version && positionals.length > max) {
    throw new UsageError(
      'Unexpected argument `' + positionals[max] + '`, expected ' + (max ? 'at most one' : 'none') +
        ' (see `mdbook-xref ' + (command.name ? command.name + ' ' : '') + '--help`)'
    )
  }

  if (command.name === 'supports' && !flags.help && !flags.version && positionals.length === 0) {
    throw new UsageError('Unexpected missing renderer, expected `mdbook-xref supports <renderer>`')
  }

  return {command, positionals, flags}
}

/**
 * What was expected instead of a misspelled name: the near one, else all.
 *
 * @param value
 *   Name as given, such as `suports` or `--frob`.
 * @param candidates
 *   Valid names.
 * @returns
 *   Such as `` `supports` `` or `` `--help` or `--version` ``.
 */
function expected(value: string, candidates: string[]): string {
  const near = suggest(value, candidates)
  if (near) return '`' + near + '`'
  const quoted = candidates.map((d) => '`' + d + '`')
  return quoted.length > 1
    ? quoted.slice(0, -1).join(', ') + ' or ' + quoted[quoted.length - 1]
    : quoted.join('')
}

/**
 * Help text of a command.
 *
 * @param command
 *   Command (default: the overview).
 * @returns
 *   Text.
 */
export function help(command?: Command): string {
  if (!command || command.name === '') {
    const lines = [
      'Usage: mdbook-xref [command] [options]',
      '',
      'mdBook preprocessor and linter: index markers to an A–Z index, link-reference checks.',
      '',
      'Commands:'
    ]
    for (const d of commands) {
      lines.push('  ' + (d.name ? (d.name + ' ' + d.args).padEnd(22) : '(none)'.padEnd(22)) + d.description)
    }

    lines.push('', 'Options:', ...flagLines(common), '', 'Examples:')
    for (const d of commands) lines.push('  ' + d.example)
    lines.push('', 'Run `mdbook-xref <command> --help` for the options of a command.')
    return lines.join('\n') + '\n'
  }

  return [
    'Usage: mdbook-xref ' + command.name + (command.args ? ' ' + command.args : '') + ' [options]',
    '',
    command.description,
    '',
    'Options:',
    ...flagLines(command.flags),
    '',
    'Example:',
    '  ' + command.example,
    ''
  ].join('\n')
}

/**
 * Lines describing flags.
 *
 * @param flags
 *   Flags.
 * @returns
 *   Lines.
 */
function flagLines(flags: Flag[]): string[] {
  return flags.map(
    (d) => '  ' + ('--' + d.name + (d.value ? ' <' + d.value + '>' : '')).padEnd(24) + d.description
  )
}
