/**
 * End to end: build the fixture books with the real mdBook 0.4.4 and our
 * built binary as `[preprocessor.xref]`, then check the generated HTML.
 *
 * Harness (test/helpers.ts): `buildBook(dir)` runs
 * `node_modules/.bin/mdbook build <dir> -d <tmpdir>` in the book root and
 * gives exit code, stderr, the preprocessor's own stderr, the runs of
 * `dist/bin.js` (arguments and exit code), and the HTML pages.
 */

import fs from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it, vi} from 'vitest'
import {allChapters, parseInput} from '../../src/mdbook/protocol.js'
import {
  buildBook,
  captureInput,
  ensureBuilt,
  fixtures,
  mainText,
  runBin,
  splitInput,
  temporaryDirectory,
  type BuiltBook
} from '../helpers.js'

const partsBook = path.join(fixtures, 'parts-book')
const exampleBook = path.join(fixtures, 'example-book')

/** What a successful build shows of our binary: `supports html`, then the run. */
const ranOnce = [
  {args: ['supports', 'html'], code: 0},
  {args: [], code: 0}
]

/**
 * Copy a book without its `[preprocessor.xref]` table: what mdBook renders
 * with no preprocessor of ours.
 *
 * @param bookDir
 *   Book root.
 * @returns
 *   Root of the copy.
 */
function withoutXref(bookDir: string): string {
  const copy = temporaryDirectory()
  fs.cpSync(bookDir, copy, {recursive: true, filter: (from) => from !== path.join(bookDir, 'book')})
  const toml = fs.readFileSync(path.join(copy, 'book.toml'), 'utf8')
  // From the table header to the next header (a line starting with `[`).
  const kept = toml.replace(/^\[preprocessor\.xref\]\n(?:(?!\[).*\n?)*/m, '')
  expect(kept).not.toContain('xref')
  expect(kept).not.toContain('links')
  fs.writeFileSync(path.join(copy, 'book.toml'), kept)
  return copy
}

// Each test spawns Node (and mdBook) a few times: slow on a busy machine.
vi.setConfig({testTimeout: 30_000})

beforeAll(async () => {
  await ensureBuilt()
}, 120_000)

describe('parts-book', () => {
  let built: BuiltBook
  let plain: BuiltBook

  beforeAll(async () => {
    ;[built, plain] = await Promise.all([buildBook(partsBook), buildBook(withoutXref(partsBook))])
  }, 60_000)

  it('should build, running our preprocessor once, with nothing on stderr', () => {
    expect([built.code, built.runs, built.preprocessorStderr]).toEqual([0, ranOnce, ''])
    expect(plain.runs).toEqual([])
  })

  it('should write a page for every chapter and none for the draft', () => {
    expect(built.pages).toEqual([
      '404.html',
      'before-you-go.html',
      'glossary.html',
      'index.html',
      'notebook.html',
      'print.html',
      'tides/index.html',
      'tides/safe-windows.html',
      'tides/spring-neap.html',
      'zones/barnacles.html',
      'zones/high.html',
      'zones/index.html',
      'zones/low.html'
    ])
  })

  it('should list parts, chapters, the draft and the separator in the table of contents', () => {
    const index = built.read('index.html')
    expect(index).toContain('<li class="part-title">Part I: The Shoreline</li>')
    expect(index).toContain('<li class="part-title">Part II: Field Notes</li>')
    expect(index).toContain(
      '<a href="zones/barnacles.html"><strong aria-hidden="true">2.1.1.</strong> Barnacle Bands</a>'
    )
    expect(index).toContain('<div><strong aria-hidden="true">4.</strong> Photographing Pools</div>')
    expect(index).toContain(
      '<li class="spacer"></li><li class="chapter-item expanded affix "><a href="glossary.html">Glossary</a></li>'
    )
  })

  it('should leave every page as mdBook renders it without the preprocessor', () => {
    expect(plain.pages).toEqual(built.pages)
    for (const page of built.pages) {
      expect({page, html: built.read(page)}).toEqual({page, html: plain.read(page)})
    }
  })

  it('should keep chapter text, tables, code and raw HTML', () => {
    expect(mainText(built.read('before-you-go.html'))).toContain(
      'put every stone back the way you found it — the\nunderside is somebody\'s roof.'
    )
    expect(built.read('tides/index.html')).toContain('<td align="right">-0.2 m</td>')
    expect(built.read('tides/safe-windows.html')).toContain(
      '<code class="language-text">low water 11:31  -&gt;  out at 10:31, back by 12:31\n</code>'
    )
    expect(built.read('zones/barnacles.html')).toContain('<div class="note">')
    expect(built.read('zones/index.html')).toContain('<a href="high.html">the high zone</a>')
  })

  it('should give the preprocessor README chapters as `index.md` (mdBook renames them first)', async () => {
    const {book} = parseInput(await captureInput(partsBook))
    expect(allChapters(book).map((d) => [d.name, d.path])).toEqual([
      ['Before You Go', 'before-you-go.md'],
      ['Reading a Tide Table', 'tides/index.md'],
      ['Spring and Neap Tides', 'tides/spring-neap.md'],
      ['Safe Windows', 'tides/safe-windows.md'],
      ['Zones of the Shore', 'zones/index.md'],
      ['The High Zone', 'zones/high.md'],
      ['Barnacle Bands', 'zones/barnacles.md'],
      ['The Low Zone', 'zones/low.md'],
      ['Keeping a Notebook', 'notebook.md'],
      ['Photographing Pools', null],
      ['Glossary', 'glossary.md']
    ])
  })

  it('should round-trip the real mdBook input byte for byte', async () => {
    const input = await captureInput(partsBook)
    expect(await runBin([], {input})).toEqual([0, splitInput(input).book, ''])
  })
})

describe('example-book', () => {
  let built: BuiltBook

  beforeAll(async () => {
    built = await buildBook(exampleBook)
  }, 60_000)

  it('should build, running our preprocessor once', () => {
    expect([built.code, built.runs]).toEqual([0, ranOnce])
  })

  it('should write a page for every chapter, the index chapter included', () => {
    expect(built.pages).toEqual([
      '404.html',
      'drafts/persistence.html',
      'further/backpressure.html',
      'further/bounded-channels.html',
      'further/serialisation.html',
      'getting-started/consumers.html',
      'getting-started/first-queue.html',
      'getting-started/installing.html',
      'getting-started/producers.html',
      'index-page.html',
      'index.html',
      'introduction.html',
      'print.html'
    ])
  })

  it('should give the preprocessor chapters with includes expanded (`after = ["links"]`)', async () => {
    const chapters = allChapters(parseInput(await captureInput(exampleBook)).book)
    const withRefs = chapters.filter((d) =>
      d.content.includes('[c~tokio~docs]: https://docs.rs/tokio\n')
    )
    expect(withRefs.map((d) => d.path)).toEqual([
      'introduction.md',
      'getting-started/installing.md',
      'getting-started/first-queue.md',
      'getting-started/producers.md',
      'getting-started/consumers.md',
      'further/backpressure.md',
      'further/bounded-channels.md',
      'further/serialisation.md',
      'drafts/persistence.md'
    ])
    expect(chapters.filter((d) => d.content.includes('{{#include'))).toEqual([])
    expect(chapters.find((d) => d.name === 'Index')?.content).toBe('# Index\n')
  })

  it('should keep markers in code as written', () => {
    expect(built.read('getting-started/installing.html')).toContain(
      '# {{hi:features}} written here are code, not index markers\n'
    )
    expect(built.read('getting-started/consumers.html')).toContain(
      '<code>{{hi:not-a-marker}}</code>'
    )
  })

  it('should show an escaped marker as text', () => {
    expect(mainText(built.read('getting-started/installing.html'))).toContain(
      'built from markers such as {{hi:x}}, which you\nwill not see in the text.'
    )
  })
})

describe('example-book: markers become anchors', () => {
  let built: BuiltBook

  beforeAll(async () => {
    built = await buildBook(exampleBook)
  }, 60_000)

  it('should turn `{{hi:message queue}}` into an anchor and keep the text around it', () => {
    expect(built.read('introduction.html')).toContain(
      'is an in-process <span id="xref-message-queue-1"></span> for async'
    )
  })

  it('should keep the term of `{{i:…}}` and `<<i:…>>` visible after its anchor', () => {
    expect(built.read('introduction.html')).toContain('A <span id="xref-work-queue-1"></span>work queue adds')
    expect(built.read('getting-started/producers.html')).toContain(
      'A <span id="xref-producer-1"></span>producer holds'
    )
  })

  it('should put the anchor of a marker in link text inside the link, which still works', () => {
    expect(built.read('getting-started/installing.html')).toContain(
      '<a href="https://docs.rs/tokio"><span id="xref-tokio-1"></span>tokio</a>'
    )
  })

  it('should keep a table whole with markers in its cells', () => {
    const html = built.read('getting-started/first-queue.html')
    expect(html).toContain('<td><span id="xref-channel-bounded-1"></span></td>')
    expect(html.match(/<tr>/g)?.length).toBe(3)
  })

  it('should anchor a heading marker before the heading and keep the heading id', () => {
    const html = built.read('introduction.html')
    expect(html).toMatch(/<a id="xref-queue-1"><\/a>\s*<\/p>\s*<h2><a class="header" href="#why-a-queue" id="why-a-queue">Why a queue\?<\/a><\/h2>/)
  })

  it('should leave no marker outside code in any page', () => {
    for (const page of built.pages) {
      const text = built
        .read(page)
        .replace(/<code[^>]*>[\s\S]*?<\/code>/g, '')
        .replace(/<pre[^>]*>[\s\S]*?<\/pre>/g, '')
        // The escaped `\{{hi:x}}` shows as text on purpose.
        .replace('such as {{hi:x}}, which', '')
      expect([page, /\{\{(?:hi|ii|i):|<<(?:hi|ii|i):|&lt;&lt;(?:hi|ii|i):/.exec(text)?.[0]]).toEqual([page, undefined])
    }
  })

  it('should give every anchor a unique id in its page', () => {
    // `print.html` joins every chapter: ids are unique per chapter, as
    // mdBook's own heading ids are.
    for (const page of built.pages.filter((d) => d !== 'print.html')) {
      const ids = [...built.read(page).matchAll(/ id="(xref-[^"]+)"/g)].map((d) => d[1])
      expect([page, ids.length]).toEqual([page, new Set(ids).size])
    }
  })
})

describe('example-book: index page links resolve', () => {
  let built: BuiltBook

  beforeAll(async () => {
    built = await buildBook(exampleBook)
  }, 60_000)

  it('should fill `index-page.html` with an A–Z index under the chapter’s own title', () => {
    const html = built.read('index-page.html')
    expect(html.match(/<h1>/g)?.length).toBe(1)
    expect([...html.matchAll(/<h2><a class="header" href="#([^"]+)"/g)].map((d) => d[1])).toEqual([
      'b', 'c', 'm', 'p', 'q', 's', 't', 'w', 'z'
    ])
  })

  it('should nest `channel!bounded` under `channel`', () => {
    expect(built.read('index-page.html')).toContain(
      '<li><span id="xref-entry-channel"></span>channel\n<ul>\n<li><span id="xref-entry-channel-bounded"></span>bounded, <a href="getting-started/first-queue.html#xref-channel-bounded-1">Your First Queue</a></li>'
    )
  })

  it('should link every index entry to a page and an id that exists in the output', () => {
    const html = built.read('index-page.html')
    const links = [...html.matchAll(/<a href="([^"#]+\.html)#(xref-[^"]+)"/g)]
    expect(links.length).toBeGreaterThan(15)

    for (const [, page, id] of links) {
      expect([page, id, built.read(page).includes(' id="' + id + '"')]).toEqual([page, id, true])
    }
  })

  it('should give the same bytes on a second build', async () => {
    const again = await buildBook(exampleBook)
    expect(again.read('index-page.html')).toBe(built.read('index-page.html'))
    expect(again.read('getting-started/installing.html')).toBe(built.read('getting-started/installing.html'))
  })
})

describe('example-book: broken ref reported', () => {
  it('should report `c~sled~docs` on stderr and still build', async () => {
    const built = await buildBook(exampleBook)
    expect(built.code).toBe(0)
    expect(built.preprocessorStderr).toContain(
      'src/drafts/persistence.md\n  4:30  error    Unexpected undefined reference `c~sled~docs`, expected a definition  undefined-reference'
    )
  })

  it('should fail the build with `MDBOOK_XREF_DENY=1`', async () => {
    const built = await buildBook(exampleBook, {MDBOOK_XREF_DENY: '1'})
    expect(built.code).not.toBe(0)
    expect(built.preprocessorStderr).toContain('undefined-reference')
  })
})
