import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it, vi} from 'vitest'
import {commands} from '../../src/cli/argv.js'
import {
  ensureBuilt,
  readFixture,
  root,
  runBin,
  splitInput,
  temporaryDirectory
} from '../helpers.js'

/** Exact stdin of mdBook 0.4.4 (captured) and 0.5.4 (same book, 0.5 shape). */
const v04 = readFixture('protocol/mdbook-0.4.4-input.json')
const v05 = readFixture('protocol/mdbook-0.5.4-input.json')

/** Warnings for the unknown keys of mdBook's compatibility test table. */
const customKeyWarnings =
  'mdbook-xref: warning: Unexpected key `custom-config` in `[preprocessor.xref]`, expected one of the documented keys; ignoring it\n' +
  'mdbook-xref: warning: Unexpected key `custom-table` in `[preprocessor.xref]`, expected one of the documented keys; ignoring it\n'

const version = (
  JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string}
).version

/**
 * The 0.4.4 input with its context changed.
 *
 * @param change
 *   Function that edits the parsed context.
 * @returns
 *   New stdin text (compact, as mdBook writes it).
 */
function withContext(change: (context: Record<string, unknown>) => void): string {
  const [context, book] = JSON.parse(v04) as [Record<string, unknown>, unknown]
  change(context)
  return JSON.stringify([context, book])
}

/** The 0.4.4 input without the unknown keys (so no warnings). */
const quiet = withContext((context) => {
  ;(context.config as {preprocessor: unknown}).preprocessor = {xref: {command: 'mdbook-xref'}}
})

// Each test spawns Node (and mdBook) a few times: slow on a busy machine.
vi.setConfig({testTimeout: 30_000})

beforeAll(async () => {
  await ensureBuilt()
}, 120_000)

describe('help and version', () => {
  it('should print help with `--help`', async () => {
    expect(await runBin(['--help'])).toEqual([
      0,
      [
        'Usage: mdbook-xref [command] [options]',
        '',
        'mdBook preprocessor and linter: index markers to an A–Z index, link-reference checks.',
        '',
        'Commands:',
        '  (none)                run as an mdBook preprocessor: `[context, book]` JSON on stdin, the book on stdout',
        '  supports <renderer>   exit 0 when the preprocessor runs for <renderer>, 1 when not',
        '  lint [book-dir]       check index markers and link references of a book without mdBook',
        '  init [book-dir]       add [preprocessor.xref] and the anchor stylesheet (mdbook-xref.css) to book.toml, keeping everything else',
        '',
        'Options:',
        '  --help                  show this help and exit',
        '  --version               show the version and exit',
        '',
        'Examples:',
        '  mdbook build   # with [preprocessor.xref] in book.toml',
        '  mdbook-xref supports html',
        '  mdbook-xref lint ./my-book --format github',
        '  mdbook-xref init ./my-book --from-indexing',
        '',
        'Run `mdbook-xref <command> --help` for the options of a command.',
        ''
      ].join('\n'),
      ''
    ])
  })

  it('should print the version with `--version`', async () => {
    expect(await runBin(['--version'])).toEqual([0, version + '\n', ''])
    expect(version).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('should print the help of a command with `<cmd> --help`', async () => {
    expect(await runBin(['supports', '--help'])).toEqual([
      0,
      [
        'Usage: mdbook-xref supports <renderer> [options]',
        '',
        'exit 0 when the preprocessor runs for <renderer>, 1 when not',
        '',
        'Options:',
        '  --help                  show this help and exit',
        '  --version               show the version and exit',
        '',
        'Example:',
        '  mdbook-xref supports html',
        ''
      ].join('\n'),
      ''
    ])
  })

  it('should list every flag of `lint` and `init` in their help', async () => {
    for (const name of ['lint', 'init']) {
      const command = commands.find((d) => d.name === name)!
      const [code, stdout, stderr] = await runBin([name, '--help'])
      expect([code, stderr]).toEqual([0, ''])
      expect(stdout.split('\n')[0]).toBe('Usage: mdbook-xref ' + name + ' [book-dir] [options]')
      const flags = stdout
        .split('\n')
        .filter((line) => line.startsWith('  --'))
        .map((line) => line.trim().split(/\s/)[0].slice(2))
      expect(flags).toEqual(command.flags.map((d) => d.name))
    }
  })
})

describe('usage errors', () => {
  it('should exit 2 on an unknown command, naming the closest', async () => {
    expect(await runBin(['suports', 'html'])).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected command `suports`, expected `supports` (see `mdbook-xref --help`)\n'
    ])
  })

  it('should exit 2 on an unknown command, listing the commands when none is close', async () => {
    expect(await runBin(['build'])).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected command `build`, expected `supports`, `lint` or `init` (see `mdbook-xref --help`)\n'
    ])
  })

  it('should exit 2 on an unknown flag, naming the closest', async () => {
    expect(await runBin(['lint', '--fromat', 'json'])).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected flag `--fromat` for `lint`, expected `--format` (see `mdbook-xref lint --help`)\n'
    ])
    expect(await runBin(['--versoin'])).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected flag `--versoin`, expected `--version` (see `mdbook-xref --help`)\n'
    ])
  })

  it('should exit 2 on an unknown flag, listing the flags when none is close', async () => {
    expect(await runBin(['supports', '--renderer', 'html'])).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected flag `--renderer` for `supports`, expected `--help` or `--version` (see `mdbook-xref supports --help`)\n'
    ])
  })

  it('should exit 2 on a bad flag value or a missing argument', async () => {
    expect(await runBin(['lint', '--format', 'xml'])).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected `xml` for `--format`, expected `human`, `json`, `github`\n'
    ])
    expect(await runBin(['lint', '--format'])).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected end of arguments, expected a value for `--format`\n'
    ])
    expect(await runBin(['supports'])).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected missing renderer, expected `mdbook-xref supports <renderer>`\n'
    ])
    expect(await runBin(['supports', 'html', 'epub'])).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected argument `epub`, expected at most one (see `mdbook-xref supports --help`)\n'
    ])
  })

  it('should exit 2 on an argument to the preprocessor', async () => {
    expect(await runBin(['./book'], {input: v04})).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected command `./book`, expected `supports`, `lint` or `init` (see `mdbook-xref --help`)\n'
    ])
    expect(await runBin(['-'], {input: v04})).toEqual([
      2,
      '',
      'mdbook-xref: Unexpected argument `-`, expected none (see `mdbook-xref --help`)\n'
    ])
  })
})

describe('supports', () => {
  it('should exit 0 for `html`, `markdown` and `test`', async () => {
    for (const renderer of ['html', 'markdown', 'test']) {
      expect(await runBin(['supports', renderer])).toEqual([0, '', ''])
    }
  })

  it('should exit 1 for `epub`', async () => {
    expect(await runBin(['supports', 'epub'])).toEqual([1, '', ''])
  })

  it('should honour `renderers` and `skip-renderers` of `book.toml` in the working directory', async () => {
    const cwd = temporaryDirectory({
      'book.toml': [
        '[book]',
        'title = "T"',
        '',
        '[preprocessor.xref]',
        'command = "mdbook-xref"',
        'renderers = ["html", "epub", "markdown"]',
        'skip-renderers = ["markdown"]',
        ''
      ].join('\n')
    })
    expect(await runBin(['supports', 'epub'], {cwd})).toEqual([0, '', ''])
    expect(await runBin(['supports', 'html'], {cwd})).toEqual([0, '', ''])
    expect(await runBin(['supports', 'markdown'], {cwd})).toEqual([1, '', ''])
    expect(await runBin(['supports', 'test'], {cwd})).toEqual([1, '', ''])
  })

  it('should find the table by its command and read `skip_renderers`', async () => {
    const cwd = temporaryDirectory({
      'book.toml': '[preprocessor.index]\ncommand = "npx mdbook-xref"\nskip_renderers = ["html"]\n'
    })
    expect(await runBin(['supports', 'html'], {cwd})).toEqual([1, '', ''])
    expect(await runBin(['supports', 'markdown'], {cwd})).toEqual([0, '', ''])
  })

  it('should answer with the defaults for an invalid `book.toml`', async () => {
    const cwd = temporaryDirectory({'book.toml': '[preprocessor.xref\nrenderers = ["epub"]\n'})
    expect(await runBin(['supports', 'html'], {cwd})).toEqual([0, '', ''])
    expect(await runBin(['supports', 'epub'], {cwd})).toEqual([1, '', ''])
  })
})

describe('preprocessor: bad input', () => {
  it('should exit 1 on empty stdin', async () => {
    expect(await runBin([])).toEqual([
      1,
      '',
      'mdbook-xref: Unexpected empty input, expected `[context, book]` JSON on stdin from mdBook\n'
    ])
  })

  it('should exit 1 on invalid JSON', async () => {
    // Cut after `"sections":[`: the end of input, the same message in every Node.
    const truncated = v04.slice(0, v04.indexOf('"sections":[') + 12)
    expect(await runBin([], {input: truncated})).toEqual([
      1,
      '',
      'mdbook-xref: Unexpected invalid JSON on stdin (Unexpected end of JSON input), expected `[context, book]` from mdBook\n'
    ])
  })

  it('should exit 1 on JSON of the wrong shape', async () => {
    expect(await runBin([], {input: '{"sections":[]}'})).toEqual([
      1,
      '',
      'mdbook-xref: Unexpected object on stdin, expected a `[context, book]` array\n'
    ])
    expect(await runBin([], {input: '[{"root":"/b","config":{}},{"chapters":[]}]'})).toEqual([
      1,
      '',
      'mdbook-xref: Unexpected book without `items` or `sections`, expected an mdBook 0.4 or 0.5 book\n'
    ])
  })

  it('should exit 1 on invalid UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from(v04.slice(0, 100)), Buffer.from([0xff, 0xfe, 0x80])])
    expect(await runBin([], {input: bytes})).toEqual([
      1,
      '',
      'mdbook-xref: Unexpected invalid UTF-8 on stdin, expected `[context, book]` JSON from mdBook\n'
    ])
  })

  it('should print no stack for expected errors, even with `MDBOOK_XREF_DEBUG=1`', async () => {
    expect(await runBin([], {input: '[]', env: {MDBOOK_XREF_DEBUG: '1'}})).toEqual([
      1,
      '',
      'mdbook-xref: Unexpected array of 0 items on stdin, expected a `[context, book]` array\n'
    ])
  })

  it('should print one line for an unexpected error, and a stack with `MDBOOK_XREF_DEBUG=1`', async () => {
    // Sub chapters nested 100,000 deep: valid JSON that no recursive walk
    // survives (mdBook itself stops reading JSON at depth 128).
    let items = '[]'
    for (let depth = 0; depth < 100_000; depth++) {
      items =
        '[{"Chapter":{"name":"c","content":"","number":null,"path":null,"parent_names":[],"sub_items":' +
        items +
        '}}]'
    }

    const input =
      '[{"root":"/b","config":{},"renderer":"html","mdbook_version":"0.4.4"},{"sections":' +
      items +
      ',"__non_exhaustive":null}]'

    expect(await runBin([], {input})).toEqual([
      1,
      '',
      'mdbook-xref: Maximum call stack size exceeded\n'
    ])

    const [code, stdout, stderr] = await runBin([], {input, env: {MDBOOK_XREF_DEBUG: '1'}})
    expect([code, stdout]).toEqual([1, ''])
    const lines = stderr.split('\n')
    expect(lines[0]).toBe('mdbook-xref: RangeError: Maximum call stack size exceeded')
    expect(lines[1]).toMatch(/^ {4}at /)
    expect(stderr.endsWith('\n')).toBe(true)
  })

  it('should exit 1 with one line, not crash, when stdout is closed', async () => {
    expect(await runBin([], {input: quiet, closeStdout: true})).toEqual([
      1,
      '',
      'mdbook-xref: Cannot write to stdout (write EPIPE)\n'
    ])
  })
})

describe('preprocessor: pass-through', () => {
  it('should round-trip the mdBook 0.4.4 input byte for byte', async () => {
    expect(await runBin([], {input: v04})).toEqual([0, splitInput(v04).book, customKeyWarnings])
  })

  it('should round-trip the mdBook 0.5.4 input byte for byte', async () => {
    expect(await runBin([], {input: v05})).toEqual([0, splitInput(v05).book, customKeyWarnings])
  })

  it('should write nothing on stderr for a quiet book', async () => {
    expect(await runBin([], {input: quiet})).toEqual([0, splitInput(quiet).book, ''])
  })

  it('should accept a byte order mark', async () => {
    expect(await runBin([], {input: '\uFEFF' + quiet})).toEqual([0, splitInput(quiet).book, ''])
  })

  it('should warn, and go on, for an untested mdBook version', async () => {
    const input = withContext((context) => {
      context.mdbook_version = '0.3.1'
      ;(context.config as {preprocessor: unknown}).preprocessor = {xref: {}}
    })
    expect(await runBin([], {input})).toEqual([
      0,
      splitInput(input).book,
      'mdbook-xref: warning: Unexpected mdBook version `0.3.1`, expected `0.4.x` or `0.5.x`; continuing\n'
    ])
  })

  it('should pass a book through for a renderer it does not run for', async () => {
    const input = withContext((context) => {
      context.renderer = 'epub'
      ;(context.config as {preprocessor: unknown}).preprocessor = {xref: {}}
    })
    expect(await runBin([], {input})).toEqual([0, splitInput(input).book, ''])
  })

  it('should report configuration warnings from the config mdBook sends', async () => {
    const input = withContext((context) => {
      ;(context.config as {preprocessor: unknown}).preprocessor = {
        xref: {command: 'mdbook-xref', markers: 'yes'}
      }
    })
    expect(await runBin([], {input})).toEqual([
      0,
      splitInput(input).book,
      'mdbook-xref: warning: Unexpected `"yes"` for `markers` in `[preprocessor.xref]`, expected `true` or `false`; using the default\n'
    ])
  })
})
