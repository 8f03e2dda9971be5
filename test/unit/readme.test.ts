/**
 * The readme is checked against the code: every sample runs and must print
 * what the readme shows after it.
 *
 * How the readme’s fenced blocks are read (top-level blocks, in order; a
 * heading starts afresh):
 *
 * * ```` ```markdown <path> ```` and ```` ```toml book.toml ```` are input
 *   files;
 * * ```` ```js ```` is a sample: its imports are loaded here (`mdbook-xref`
 *   from `src/index.ts`, `node:fs/promises` reading the input files above
 *   it), it runs with a `console` that collects output, and the next block,
 *   ```` ```txt ````, is what it must print;
 * * ```` ```sh ```` lists commands, which must be npm scripts, the package
 *   or valid `mdbook-xref` command lines (parsed with the CLI’s flag table);
 *   a ```` ```txt ```` or ```` ```json ```` block right after is their output;
 * * input files followed by a ```` ```txt ```` block (no sample between) are
 *   a book: `lint` of it must print that block;
 * * a ```` ```toml ```` block that is not part of such a book must parse and
 *   give no configuration warnings;
 * * ```` ```yaml ```` is a workflow whose `run:` lines are checked as
 *   commands.
 */

import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {format} from 'node:util'
import type {Code, Heading, Nodes, Root, RootContent, Table} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {parse as parseToml} from 'smol-toml'
import {visit} from 'unist-util-visit'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {commands, parseArgv} from '../../src/cli/argv.js'
import {run} from '../../src/cli/main.js'
import {defaults, readConfig, resolveOptions} from '../../src/mdbook/config.js'
import {rules, type RuleId} from '../../src/diagnostics/rules.js'
import {parseMarkdown} from '../../src/markdown/parse-markdown.js'
import * as api from '../../src/index.js'
import {lintBook} from '../../src/book/lint.js'
import {formatHuman} from '../../src/diagnostics/report.js'
import {ensureBuilt, root, temporaryDirectory} from '../helpers.js'

/** Output blocks to rewrite (with `UPDATE_README=1`: samples and lint runs). */
const updates: Array<{code: Code; value: string}> = []

afterAll(() => {
  if (updates.length === 0) return
  let text = readme
  for (const {code, value} of updates.sort((a, b) => b.code.position!.start.offset! - a.code.position!.start.offset!)) {
    const start = code.position!.start.offset!
    const end = code.position!.end.offset!
    const block = text.slice(start, end)
    const open = block.slice(0, block.indexOf('\n'))
    const close = block.slice(block.lastIndexOf('\n') + 1)
    text = text.slice(0, start) + open + '\n' + value + '\n' + close + text.slice(end)
  }

  fs.writeFileSync(path.join(root, 'README.md'), text)
})

/** Flags of remark-cli that the readme names (`remark --use …`). */
const remarkCliFlags = ['use', 'frail', 'quiet']

/** Where the readme pretends this repository is cloned. */
const shownRoot = '/home/me/mdbook-xref'

/** Where the readme pretends a linted example book is. */
const shownBook = '/home/me/book'

const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
const tree = parseMarkdown(readme)
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string
  scripts: Record<string, string>
  exports: Record<string, unknown>
}

/** A ```` ```js ```` sample with the input files above it and its output. */
interface JsSample {
  code: Code
  files: Code[]
  output: Code | undefined
}

/** A ```` ```sh ```` block and its output, if shown. */
interface ShSample {
  code: Code
  /** Input files above it (for `npx remark …`). */
  files: Code[]
  output: Code | undefined
}

/** A book made of input files, and what `lint` prints for it. */
interface LintSample {
  inputs: Code[]
  output: Code
}

const samples = collectSamples(tree)

// Samples build books and run mdBook once: slow on a busy machine.
vi.setConfig({testTimeout: 60_000})

beforeAll(async () => {
  await ensureBuilt()
}, 120_000)

describe('readme: samples', () => {
  it('should have fenced blocks only at the top level, in known languages', () => {
    const nested: string[] = []
    visit(tree, 'code', function (node, _, parent) {
      if (parent !== tree) nested.push(String(node.position?.start.line))
    })
    expect(nested).toEqual([])
    expect(samples.unknown.map(where)).toEqual([])
    expect(samples.orphans.map(where)).toEqual([])
  })

  it('should have samples of every kind', () => {
    expect(samples.js.length).toBeGreaterThanOrEqual(5)
    expect(samples.sh.length).toBeGreaterThanOrEqual(4)
    expect(samples.lint.length).toBeGreaterThanOrEqual(12)
    expect(samples.toml.length).toBeGreaterThanOrEqual(3)
    expect(samples.yaml.length).toBe(1)
  })

  for (const sample of samples.js) {
    it('should print what the readme shows for the `js` sample at ' + where(sample.code), async () => {
      expect(sample.output, 'output block after the sample').toBeDefined()
      const printed = await runJs(sample)
      if (process.env.UPDATE_README === '1') updates.push({code: sample.output!, value: printed})
      expect(printed).toBe(sample.output!.value)
    })
  }

  for (const sample of samples.sh) {
    it('should list only real commands in the `sh` block at ' + where(sample.code), () => {
      for (const command of commandsOf(sample.code.value)) checkCommand(command)
    })

    if (sample.output) {
      it('should print what the readme shows for `' + sample.code.value.trim() + '`', async () => {
        const printed = await runShell(sample.code.value.trim(), sample.files)
        if (process.env.UPDATE_README === '1') updates.push({code: sample.output!, value: printed})
        expect(printed).toBe(sample.output!.value)
      })
    }
  }

  for (const sample of samples.lint) {
    it('should lint the book at ' + where(sample.inputs[0]) + ' as the readme shows', async () => {
      const printed = await runLint(sample.inputs)
      // `UPDATE_README=1 npx vitest run test/unit/readme.test.ts` writes what lint
      // prints into the readme instead (then review the diff).
      if (process.env.UPDATE_README === '1') updates.push({code: sample.output, value: printed})
      else expect(printed).toBe(sample.output.value)
    })
  }

  for (const code of samples.toml) {
    it('should parse the `book.toml` at ' + where(code) + ' without configuration warnings', () => {
      const config = parseToml(code.value)
      const result = readConfig(config, {})
      expect(result.warnings).toEqual([])
      expect(result.table).toBeDefined()
      const table = (config as {preprocessor: Record<string, {command?: string; after?: string[]}>})
        .preprocessor[result.table!]
      expect(table.after).toEqual(['links'])
    })
  }

  it('should give the workflow real commands, run on pull requests', () => {
    const [code] = samples.yaml
    const runs = [...code.value.matchAll(/^\s*(?:-\s+)?run:\s*(.+)$/gm)].map((d) => d[1].trim())
    expect(runs).toEqual(['npm ci', 'npx mdbook-xref lint . --format github'])
    expect(code.value).toMatch(/^on:\n {2}pull_request:/m)
    for (const line of runs) for (const command of commandsOf(line)) checkCommand(command)
  })

  it('should give a quick start of exactly two commands: install and example, then test', () => {
    const section = sectionNodes(tree, 'Quick start')
    const blocks = section.filter((d): d is Code => d.type === 'code' && d.lang === 'sh')
    expect(blocks.map((d) => d.value)).toEqual(['npm install && npm run example', 'npm test'])
  })
})

describe('readme: reference', () => {
  it('should have a section for every rule, at the anchor of its `url`, with its default severity', () => {
    const slugs = headingSlugs(tree)

    for (const [id, rule] of Object.entries(rules)) {
      const anchor = rule.url.slice(rule.url.indexOf('#') + 1)
      expect([id, slugs.has(anchor)]).toEqual([id, true])
      const text = sectionNodes(tree, slugs.get(anchor)!)
        .map((d) => toString(d))
        .join(' ')
        .replace(/\s+/g, ' ')

      if (id === 'config') {
        expect(text).toContain('rule config (default: ' + rule.severity + ')')
      } else {
        expect([id, anchor]).toEqual([id, id])
        expect([id, text.startsWith('Default: ' + rule.severity + '.')]).toEqual([id, true])
      }
    }
  })

  it('should list every rule with its default severity in the table of diagnostics', () => {
    const table = sectionNodes(tree, 'Diagnostics').find((d): d is Table => d.type === 'table')!
    const rows = table.children.slice(1).map((row) => row.children.map((cell) => toString(cell)))
    expect(rows).toEqual(Object.entries(rules).map(([id, rule]) => [id, rule.severity]))
  })

  it('should have an API section for every runtime export, and no other', () => {
    const headings = sectionHeadings(tree, 'API', 3)
    const names = Object.keys(api).sort()
    const typeNames = exportedTypes()

    for (const name of names) {
      const found = headings.some((text) => new RegExp('(^|[^\\w])' + name + '([^\\w]|$)').test(text))
      expect([name, found]).toEqual([name, true])
    }

    for (const text of headings) {
      // `unified().use(remarkXrefRefs[, options])`, `findMarkers(tree, …)`, `rules`, `MarkerOptions`.
      const name = /use\((\w+)/.exec(text)?.[1] ?? /^(\w+)/.exec(text)![1]
      expect([text, names.includes(name) || typeNames.includes(name)]).toEqual([text, true])
    }
  })

  it('should list every exported type in Types, and no other', () => {
    const paragraph = sectionNodes(tree, 'Types').map((d) => d as Nodes)
    const listed: string[] = []
    for (const node of paragraph) {
      visit(node, 'inlineCode', (code) => {
        if (/^[A-Z]\w+$/.test(code.value)) listed.push(code.value)
      })
    }

    expect(listed).toEqual([...exportedTypes()].sort())
  })

  it('should document every key of the configuration table with its default', () => {
    const table = sectionNodes(tree, 'Configuration').find((d): d is Table => d.type === 'table')!
    const rows = table.children.slice(1)
    const fields: string[] = []

    for (const row of rows) {
      const key = toString(row.children[0])
      const field = key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())
      fields.push(field)
      // A known key with a wrong value warns about the value, not the key.
      const {warnings} = resolveOptions({[key]: Symbol.for('wrong')})
      expect([key, warnings.length, /^Unexpected key/.test(warnings[0] ?? '')]).toEqual([key, 1, false])

      const cell = row.children[2].children
      if (cell.length === 1 && cell[0].type === 'inlineCode') {
        let shown: unknown
        try {
          shown = JSON.parse(cell[0].value)
        } catch {
          continue
        }

        expect([key, shown]).toEqual([key, defaults[field as keyof typeof defaults]])
      }
    }

    expect(fields.sort()).toEqual(Object.keys(defaults).sort())
  })

  it('should name only real flags, and every flag of `lint` and `init`', () => {
    const flags = new Set(commands.flatMap((d) => d.flags.map((flag) => flag.name)))
    const named = new Set<string>()

    visit(tree, 'inlineCode', function (node) {
      // The sample message of an unknown flag names a wrong one on purpose.
      if (node.value.includes('Unexpected')) return
      for (const match of node.value.matchAll(/(?:^|\s)--([a-z][a-z-]*)/g)) named.add(match[1])
    })

    // remark-cli’s own flags, named where the readme shows remark-cli.
    for (const name of remarkCliFlags) if (!flags.has(name)) named.delete(name)

    for (const name of named) expect([name, flags.has(name)]).toEqual([name, true])
    for (const name of flags) expect([name, named.has(name)]).toEqual([name, true])
  })

  it('should link only to headings that exist', () => {
    const slugs = headingSlugs(tree)
    const broken: string[] = []
    visit(tree, 'link', function (node) {
      if (node.url.startsWith('#') && !slugs.has(node.url.slice(1))) broken.push(node.url)
    })
    expect(broken).toEqual([])
  })

  it('should state the Node.js versions of `engines`', () => {
    const engines = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      engines: {node: string}
    }).engines.node
    expect(engines).toBe('>=18.18')
    expect(readme).toContain('In Node.js (version 18.18+)')
    expect(readme).toContain('**Node.js**: 18.18 and later')
  })
})

/**
 * Sort the readme’s fenced blocks into samples.
 *
 * @param root
 *   Readme tree.
 * @returns
 *   Samples by kind, and blocks that fit nowhere.
 */
function collectSamples(root: Root) {
  const js: JsSample[] = []
  const sh: ShSample[] = []
  const lint: LintSample[] = []
  const yaml: Code[] = []
  const tomlAll: Code[] = []
  const tomlInBooks = new Set<Code>()
  const unknown: Code[] = []
  const orphans: Code[] = []
  let pending: Code[] = []
  let awaiting: JsSample | ShSample | undefined

  for (const node of root.children) {
    if (node.type === 'heading') {
      pending = []
      awaiting = undefined
      continue
    }

    if (node.type !== 'code') continue

    switch (node.lang) {
      case 'js': {
        const sample: JsSample = {code: node, files: pending.filter((d) => d.lang === 'markdown'), output: undefined}
        js.push(sample)
        // Input files stay for the next samples under the same heading.
        awaiting = sample
        break
      }

      case 'sh': {
        const sample: ShSample = {code: node, files: pending.filter((d) => d.lang !== 'toml'), output: undefined}
        sh.push(sample)
        awaiting = sample
        break
      }

      case 'txt':
      case 'json': {
        if (node.lang === 'json' && node.meta) {
          // An input file such as ```` ```json .remarkrc.json ````.
          pending.push(node)
          awaiting = undefined
          break
        }

        if (awaiting) {
          awaiting.output = node
        } else if (pending.length > 0 && node.lang === 'txt') {
          lint.push({inputs: pending, output: node})
          for (const input of pending) if (input.lang === 'toml') tomlInBooks.add(input)
          pending = []
        } else {
          orphans.push(node)
        }

        awaiting = undefined
        break
      }

      case 'markdown':
      case 'toml': {
        if (node.lang === 'toml') tomlAll.push(node)
        if (node.meta) pending.push(node)
        else unknown.push(node)
        awaiting = undefined
        break
      }

      case 'yaml': {
        yaml.push(node)
        awaiting = undefined
        break
      }

      default: {
        unknown.push(node)
      }
    }
  }

  return {js, sh, lint, yaml, toml: tomlAll.filter((d) => !tomlInBooks.has(d)), unknown, orphans}
}

/**
 * Run a `js` sample.
 *
 * @param sample
 *   Sample.
 * @returns
 *   What it printed (without the final line ending).
 */
async function runJs(sample: JsSample): Promise<string> {
  const files = new Map(sample.files.map((d) => [d.meta!, d.value + '\n']))
  /** `node:fs/promises` for the sample: reads the readme’s input files. */
  const readFile = async (name: string) => {
    const value = files.get(name)
    if (value === undefined) throw new Error('ENOENT: no such file in the readme, `' + name + '`')
    return value
  }

  const virtualFs = {default: {readFile}, readFile}
  const load = async (specifier: string): Promise<Record<string, unknown>> => {
    if (specifier === pkg.name) return api as unknown as Record<string, unknown>
    if (specifier.startsWith(pkg.name + '/')) {
      // A subpath such as `mdbook-xref/remark-preset`: its entry in `src/`.
      const entry = '../../src/' + specifier.slice(pkg.name.length + 1) + '.js'
      return (await import(/* @vite-ignore */ entry)) as Record<string, unknown>
    }
    if (specifier === 'node:fs/promises') return virtualFs
    return (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>
  }

  const lines: string[] = []
  const console = {
    log: (...values: unknown[]) => lines.push(format(...values)),
    error: (...values: unknown[]) => lines.push(format(...values))
  }
  const body = rewriteImports(sample.code.value)
  const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
    ...args: string[]
  ) => (load: typeof loadType, console: Pick<Console, 'log' | 'error'>) => Promise<void>
  await new AsyncFunction('__load', 'console', body)(load, console)
  return lines.join('\n')
}

/** Type of the loader passed to samples. */
declare function loadType(specifier: string): Promise<Record<string, unknown>>

/**
 * Turn `import` statements into `await __load()` calls.
 *
 * @param code
 *   Sample code.
 * @returns
 *   Function body.
 */
function rewriteImports(code: string): string {
  return code.replace(/^import\s+([\s\S]+?)\s+from\s+'([^']+)'\s*$/gm, function (_, clause: string, from: string) {
    const specifier = JSON.stringify(from)
    const named = /\{([^}]*)\}/.exec(clause)
    const parts: string[] = []
    const rest = clause.replace(/\{[^}]*\}/, '').replace(/,\s*$/, '').trim()

    if (rest.startsWith('* as ')) {
      parts.push('const ' + rest.slice(5).trim() + ' = await __load(' + specifier + ')')
    } else if (rest) {
      parts.push('const ' + rest.replace(/,$/, '') + ' = (await __load(' + specifier + ')).default')
    }

    if (named) {
      const names = named[1]
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => d.replace(/\s+as\s+/, ': '))
      parts.push('const {' + names.join(', ') + '} = await __load(' + specifier + ')')
    }

    return parts.join('; ')
  })
}

/**
 * Commands in a shell text: lines without comments, split at `&&`.
 *
 * @param text
 *   Shell text.
 * @returns
 *   Commands as argument lists.
 */
function commandsOf(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter(Boolean)
    .flatMap((line) => line.split('&&'))
    .map((command) => command.trim().split(/\s+/))
}

/**
 * Check that a command exists: an npm script, the package, or an
 * `mdbook-xref` command line that the CLI’s flag table accepts.
 *
 * @param argv
 *   Command.
 * @returns
 *   Nothing.
 */
function checkCommand(argv: string[]): undefined {
  const [program, ...args] = argv
  const text = argv.join(' ')

  if (program === 'npm') {
    if (args[0] === 'install') {
      // `npm install` in a clone, or `npm install --save-dev mdbook-xref`.
      const names = args.slice(1).filter((d) => !d.startsWith('-'))
      expect([text, names.every((d) => d === pkg.name)]).toEqual([text, true])
    } else if (args[0] === 'ci') {
      expect(args).toEqual(['ci'])
    } else if (args[0] === 'test') {
      expect([text, typeof pkg.scripts.test]).toEqual([text, 'string'])
    } else {
      expect([text, args[0], typeof pkg.scripts[args[1]]]).toEqual([text, 'run', 'string'])
    }

    return
  }

  if (program === 'npx' && args[0] === 'remark') {
    // remark-cli with our plugins: every `--use` names an entry of `exports`.
    for (const [index, arg] of args.entries()) {
      if (arg !== '--use') continue
      const name = args[index + 1]
      const entry = name === pkg.name ? '.' : name.startsWith(pkg.name + '/') ? '.' + name.slice(pkg.name.length) : ''
      expect([text, name, entry in pkg.exports]).toEqual([text, name, true])
    }

    return
  }

  const cli = program === 'npx' ? args : program === 'mdbook-xref' ? ['mdbook-xref', ...args] : undefined
  if (cli) {
    expect([text, cli[0]]).toEqual([text, 'mdbook-xref'])
    expect(() => parseArgv(cli.slice(1)), text).not.toThrow()
    return
  }

  expect([text, program, ['build', 'serve'].includes(args[0])]).toEqual([text, 'mdbook', true])
}

/**
 * Run a shell sample that has output: `npx mdbook-xref …` in process, or the
 * example build.
 *
 * @param text
 *   Command line.
 * @returns
 *   What it printed (without the final line ending).
 */
async function runShell(text: string, inputs: Code[]): Promise<string> {
  if (text === 'npm install && npm run example') {
    // `npm run example` is `npm run build && node test/scripts/example.js`;
    // `dist/` is built (see `beforeAll`).
    expect(pkg.scripts.example).toBe('npm run build && node test/scripts/example.js')
    const result = spawnSync(process.execPath, [path.join(root, 'test', 'scripts', 'example.js')], {
      cwd: root,
      encoding: 'utf8'
    })
    expect(result.status).toBe(0)
    return result.stdout.replaceAll(root, shownRoot).replace(/\n$/, '')
  }

  const [program, ...args] = text.split(/\s+/)
  if (program === 'npx' && args[0] === 'remark') return runRemark(args.slice(1), inputs)
  expect([program, args[0]]).toEqual(['npx', 'mdbook-xref'])
  const outcome = await run(args.slice(1), {
    cwd: root,
    env: {},
    readStdin: async () => Buffer.from('')
  })
  expect(outcome.stderr ?? '').toBe('')
  return (outcome.stdout ?? '').replace(/\n$/, '')
}

/**
 * Run remark-cli in a folder of the readme’s input files, where this package
 * is installed (linked) as a user has it.
 *
 * @param args
 *   Arguments after `remark`.
 * @param inputs
 *   Files above the command (```` ```markdown example.md ````,
 *   ```` ```json .remarkrc.json ````).
 * @returns
 *   What it printed on stderr (its report), without colours, and its exit
 *   code when not 0.
 */
async function runRemark(args: string[], inputs: Code[]): Promise<string> {
  const files: Record<string, string> = {}
  for (const input of inputs) files[input.meta!] = input.value + '\n'
  const folder = temporaryDirectory(files)
  fs.mkdirSync(path.join(folder, 'node_modules'))
  fs.symlinkSync(root, path.join(folder, 'node_modules', pkg.name), 'dir')
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'remark-cli', 'cli.js'), ...args, '--no-color'], {
    cwd: folder,
    encoding: 'utf8'
  })
  const exit = result.status === 0 ? '' : '\n(exit code ' + result.status + ')'
  return result.stderr.replace(/\n$/, '') + exit
}

/**
 * Lint a book made of the readme’s input files.
 *
 * @param inputs
 *   `book.toml` (the `[book]` table is added after it) and files under `src/`.
 * @returns
 *   Human report, with the book’s folder shown as `/home/me/book`.
 */
async function runLint(inputs: Code[]): Promise<string> {
  const files: Record<string, string> = {
    'book.toml': '[book]\ntitle = "Example"\n',
    'src/SUMMARY.md': '# Summary\n\n- [Example](example.md)\n\n[Index](index-page.md)\n',
    'src/index-page.md': '# Index\n',
    'src/example.md': '# Example\n'
  }

  for (const input of inputs) {
    expect(input.meta === 'book.toml' || input.meta!.startsWith('src/'), where(input)).toBe(true)
    files[input.meta!] =
      // `[book]` after the sample: findings in `book.toml` keep the sample's line numbers.
      input.meta === 'book.toml' ? input.value + '\n\n' + files['book.toml'] : input.value + '\n'
  }

  const dir = temporaryDirectory(files)
  const result = await lintBook(dir, {cwd: dir, env: {}})
  return formatHuman(result.files)
    .replaceAll(fs.realpathSync(dir), shownBook)
    .replaceAll(dir, shownBook)
}

/**
 * Names of the types that `src/index.ts` exports.
 *
 * @returns
 *   Names, sorted.
 */
function exportedTypes(): string[] {
  const source = fs.readFileSync(path.join(root, 'src', 'index.ts'), 'utf8')
  const names: string[] = []
  for (const match of source.matchAll(/export type \{([^}]*)\}/g)) {
    for (const name of match[1].split(',')) if (name.trim()) names.push(name.trim())
  }

  return names.sort()
}

/**
 * Slugs of every heading, as GitHub makes them, to heading text.
 *
 * @param root
 *   Tree.
 * @returns
 *   Map of slug to heading text.
 */
function headingSlugs(root: Root): Map<string, string> {
  const slugs = new Map<string, string>()
  const counts = new Map<string, number>()

  visit(root, 'heading', function (node) {
    const text = toString(node)
    // GitHub: lowercase, drop punctuation but `-` and `_`, spaces to `-`.
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-')
    const count = counts.get(base) ?? 0
    counts.set(base, count + 1)
    slugs.set(count === 0 ? base : base + '-' + count, text)
  })

  return slugs
}

/**
 * Nodes of a section: after the heading with this text, up to the next
 * heading of the same or a higher rank.
 *
 * @param root
 *   Tree.
 * @param text
 *   Heading text.
 * @returns
 *   Nodes (empty when there is no such heading).
 */
function sectionNodes(root: Root, text: string): RootContent[] {
  const start = root.children.findIndex((d) => d.type === 'heading' && toString(d) === text)
  if (start === -1) return []
  const depth = (root.children[start] as Heading).depth
  const nodes: RootContent[] = []

  for (const node of root.children.slice(start + 1)) {
    if (node.type === 'heading' && node.depth <= depth) break
    nodes.push(node)
  }

  return nodes
}

/**
 * Texts of the headings of one rank within a section.
 *
 * @param root
 *   Tree.
 * @param text
 *   Section heading text.
 * @param depth
 *   Rank of the headings to list.
 * @returns
 *   Heading texts.
 */
function sectionHeadings(root: Root, text: string, depth: number): string[] {
  return sectionNodes(root, text)
    .filter((d): d is Heading => d.type === 'heading' && d.depth === depth)
    .map((d) => toString(d))
}

/**
 * Where a block is in the readme.
 *
 * @param node
 *   Block.
 * @returns
 *   Such as `README.md:120`.
 */
function where(node: Code): string {
  return 'README.md:' + (node.position ? node.position.start.line : '?')
}
