#!/usr/bin/env node
/**
 * Remake the README's screenshots: `npm run screenshots`.
 *
 * Copies `fixtures/browser-book` to a temporary folder, points its
 * `[preprocessor.xref]` at `dist/bin.js`, runs `mdbook-xref init` (the
 * stylesheet), builds it with the real mdBook, and shoots, in headless
 * Chromium (`$CHROMIUM`, else `/usr/bin/chromium`), in mdBook's light
 * theme at 1280×800:
 *
 * * `docs/index-page.png`: the top of the index page;
 * * `docs/followed-link.png`: the chapter an index link opens, with the
 *   marked place below the menu bar and highlighted.
 *
 * Only the fixture book is shown: its text is ours to publish.
 */

import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import process from 'node:process'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {chromium} from 'playwright-core'

const projectRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))
const mdbook = path.join(projectRoot, 'node_modules', '.bin', 'mdbook')
const bin = path.join(projectRoot, 'dist', 'bin.js')
const docs = path.join(projectRoot, 'docs')
/** The index link to follow for the second shot (a mark in a paragraph, below the fold). */
const followed = 'kneading.html#xref-stretch-and-fold-1'
const executable = process.env.CHROMIUM || '/usr/bin/chromium'

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mdbook-xref-screenshots-'))

try {
  const book = path.join(work, 'book')
  fs.cpSync(path.join(projectRoot, 'fixtures', 'browser-book'), book, {recursive: true})
  const toml = path.join(book, 'book.toml')
  fs.writeFileSync(toml, fs.readFileSync(toml, 'utf8').replace('"node ../../dist/bin.js"', JSON.stringify('node ' + bin)))
  run(process.execPath, [bin, 'init'], book)
  const out = path.join(work, 'html')
  run(mdbook, ['build', book, '-d', out], book)

  const browser = await chromium.launch({executablePath: executable})

  try {
    const context = await browser.newContext({viewport: {width: 1280, height: 800}})
    await context.addInitScript(() => localStorage.setItem('mdbook-theme', 'light'))
    const page = await context.newPage()
    fs.mkdirSync(docs, {recursive: true})

    await page.goto(pathToFileURL(path.join(out, 'word_index.html')).href)
    await page.screenshot({path: path.join(docs, 'index-page.png')})

    // Follow the link as a reader does: click it on the index page.
    await page.locator('main a[href="' + followed + '"]').first().click()
    await page.waitForURL((url) => url.hash === followed.slice(followed.indexOf('#')))
    await page.waitForLoadState('load')
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    await page.screenshot({path: path.join(docs, 'followed-link.png')})
    console.log('wrote docs/index-page.png, docs/followed-link.png')
  } finally {
    await browser.close()
  }
} finally {
  fs.rmSync(work, {recursive: true, force: true})
}

/**
 * Run a program in a folder; throw with its stderr when it fails.
 *
 * @param {string} program
 *   Program.
 * @param {string[]} args
 *   Arguments.
 * @param {string} cwd
 *   Working directory.
 * @returns {undefined}
 *   Nothing.
 */
function run(program, args, cwd) {
  const result = spawnSync(program, args, {cwd, encoding: 'utf8'})
  if (result.status !== 0) {
    throw new Error('Cannot run `' + path.basename(program) + ' ' + args.join(' ') + '`:\n' + (result.error?.message ?? result.stderr))
  }

  return undefined
}
