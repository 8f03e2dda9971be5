/**
 * The remark language server (what vscode-remark and Neovim's remark-ls run)
 * publishes our findings for an open chapter, on the chapter's own lines.
 *
 * The server is `unified-language-server` set up for remark exactly as
 * remark-language-server sets it up; it loads the plugins that `.remarkrc`
 * names from the folder (the preset, and `book` for remarkXrefRefs), here
 * the packed tarball installed as a user has it.
 * The test speaks LSP over stdio: initialize, didOpen, publishDiagnostics.
 */

import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {fixtures, installPacked, root} from '../helpers.js'

/** What remark-language-server runs. */
const serverSource = `import {createUnifiedLanguageServer} from 'unified-language-server'

createUnifiedLanguageServer({
  configurationSection: 'remark',
  ignoreName: '.remarkignore',
  packageField: 'remarkConfig',
  pluginPrefix: 'remark',
  processorName: 'remark',
  processorSpecifier: 'remark',
  rcName: '.remarkrc'
})
`

/** A diagnostic as LSP sends it. */
interface Diagnostic {
  range: {start: {line: number; character: number}; end: {line: number; character: number}}
  message: string
  severity?: number
  code?: string | number
  source?: string
}

/** A JSON-RPC message. */
interface Message {
  id?: number
  method?: string
  params?: unknown
  result?: unknown
}

describe('remark language server', () => {
  let folder: string
  let server: ChildProcessWithoutNullStreams
  const received: Message[] = []
  const waiting: Array<() => void> = []
  let buffer = Buffer.alloc(0)

  beforeAll(async () => {
    ;({folder} = await installPacked([
      'remark@' + version('remark'),
      'unified-language-server@' + version('unified-language-server')
    ]))
    fs.writeFileSync(path.join(folder, 'server.js'), serverSource)
    // The book beside it, with the set-up the readme shows for editors.
    fs.cpSync(path.join(fixtures, 'example-book'), path.join(folder, 'book'), {recursive: true})
    fs.writeFileSync(
      path.join(folder, 'book', '.remarkrc.json'),
      JSON.stringify(
        {plugins: ['mdbook-xref/remark-preset', ['mdbook-xref/remark-xref-refs', {book: '.'}]]},
        null,
        2
      ) + '\n'
    )
    server = spawn(process.execPath, ['server.js', '--stdio'], {cwd: folder})
    server.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      while (true) {
        const end = buffer.indexOf('\r\n\r\n')
        if (end === -1) break
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString('ascii'))?.[1])
        if (buffer.length < end + 4 + length) break
        received.push(JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Message)
        buffer = buffer.subarray(end + 4 + length)
        for (const wake of waiting.splice(0)) wake()
      }
    })
    send({
      id: 1,
      method: 'initialize',
      params: {
        processId: process.pid,
        rootUri: pathToFileURL(path.join(folder, 'book')).href,
        capabilities: {},
        workspaceFolders: null
      }
    })
    await receive((d) => d.id === 1)
    send({method: 'initialized', params: {}})
  }, 300_000)

  afterAll(() => {
    server?.kill()
  })

  it('should publish findings of an open chapter on its own lines, as warnings and errors with rule ids', async () => {
    const file = path.join(folder, 'book', 'src', 'chapter.md')
    const text = '# {{i:Async}} Rust\n\nSee [`smol`][c~smol~docs] and {{hi:}}.\n'
    const diagnostics = await open(file, text)
    expect(
      diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.severity, d.code, d.source, d.message])
    ).toEqual([
      [2, 30, 2, 'marker-empty', 'mdbook-xref', 'Unexpected empty term in `{{hi:}}`, expected a term such as `{{hi:tokio}}`'],
      [2, 4, 1, 'undefined-reference', 'mdbook-xref', 'Unexpected undefined reference `c~smol~docs`, expected a definition']
    ])
  })

  it('should count the definitions a chapter includes, with `book` in `.remarkrc`', async () => {
    const file = path.join(folder, 'book', 'src', 'drafts', 'persistence.md')
    const diagnostics = await open(file, fs.readFileSync(file, 'utf8'))
    // `[sled][c~sled~docs]` at 4:30 is the one reference that `links.md` does not define.
    expect(diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.code, d.message])).toEqual([
      [3, 29, 'undefined-reference', 'Unexpected undefined reference `c~sled~docs`, expected a definition']
    ])
  })

  it('should publish nothing for a comment-disabled rule', async () => {
    const file = path.join(folder, 'book', 'src', 'quiet.md')
    const text = '<!-- mdbook-xref disable undefined-reference -->\n\nSee [`smol`][c~smol~docs].\n'
    expect(await open(file, text)).toEqual([])
  })

  /**
   * Open a document and wait for its diagnostics.
   *
   * @param file
   *   Path (written with `text`, as an editor saves it).
   * @param text
   *   Text.
   * @returns
   *   Published diagnostics.
   */
  async function open(file: string, text: string): Promise<Diagnostic[]> {
    fs.writeFileSync(file, text)
    const uri = pathToFileURL(file).href
    send({method: 'textDocument/didOpen', params: {textDocument: {uri, languageId: 'markdown', version: 1, text}}})
    const message = await receive(
      (d) => d.method === 'textDocument/publishDiagnostics' && (d.params as {uri: string}).uri === uri
    )
    return (message.params as {diagnostics: Diagnostic[]}).diagnostics
  }

  /**
   * Send a JSON-RPC message.
   *
   * @param message
   *   Message (`jsonrpc` is added).
   * @returns
   *   Nothing.
   */
  function send(message: Message): undefined {
    const body = Buffer.from(JSON.stringify({jsonrpc: '2.0', ...message}), 'utf8')
    server.stdin.write('Content-Length: ' + body.length + '\r\n\r\n')
    server.stdin.write(body)
  }

  /**
   * Wait for a message.
   *
   * @param test
   *   Which message.
   * @returns
   *   The first received message that passes `test`.
   */
  async function receive(test: (message: Message) => boolean): Promise<Message> {
    while (true) {
      const found = received.find((d) => test(d))
      if (found) return found
      await new Promise<void>((resolve) => waiting.push(resolve))
    }
  }
})

/**
 * Version of a package in this project's install, so the consumer gets the
 * same one from the cache.
 *
 * @param name
 *   Package name.
 * @returns
 *   Version.
 */
function version(name: string): string {
  const file = path.join(root, 'node_modules', name, 'package.json')
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as {version: string}).version
}
