/**
 * The build log of the real book (`../shared/corpus/rust_howto`, exact
 * mdBook input from `captureInput`): a screenful, with every error in full.
 */

import {describe, expect, it} from 'vitest'
import {corpus, rustHowto} from '../corpus.js'
import {captureInput, ensureBuilt, runBin} from '../helpers.js'

describe.skipIf(!corpus)('build log of rust_howto', () => {
  it('should fit a screen and show all five errors in full', async () => {
    await ensureBuilt()
    // mdBook ran the capture in a folder that is gone: point it at the book.
    const [context, book] = JSON.parse(await captureInput(rustHowto)) as [{root: string}, unknown]
    context.root = rustHowto
    const input = JSON.stringify([context, book])
    const [code, , stderr] = await runBin([], {input})
    const lines = stderr.split('\n')
    expect(code).toBe(0)
    expect(lines.length).toBeLessThanOrEqual(60)
    expect(lines.filter((d) => /^ {2}\d+:\d+ +error /.test(d))).toEqual([
      '  6:3  error    Unexpected undefined reference `ex~data-structures~heapless`, expected a definition  undefined-reference',
      '  7851:1  error    Unexpected label `c~std::result::Result::err~docs` for `https://doc.rust-lang.org/std/result/enum.Result.html#method.err`, expected a label that differs from `c~std::result::Result::Err~docs` in more than case (CommonMark ignores case: the first definition wins, so links go to `https://doc.rust-lang.org/std/result/enum.Result.html#variant.Err`)  conflicting-definition',
      '  7858:1  error    Unexpected label `c~std::result::Result::ok~docs` for `https://doc.rust-lang.org/std/result/enum.Result.html#method.ok`, expected a label that differs from `c~std::result::Result::Ok~docs` in more than case (CommonMark ignores case: the first definition wins, so links go to `https://doc.rust-lang.org/std/result/enum.Result.html#variant.Ok`)  conflicting-definition',
      '  773:1  error    Unexpected second definition of `c~data-encoding::HEXUPPER~docs`, expected one definition, with `https://docs.rs/data-encoding/latest/data_encoding/constant.HEXUPPER.html` (the first definition wins, so links go to `https://docs.rs/data-encoding/latest/data-encoding/constant.HEXUPPER.html`, which breaks the URL convention)  conflicting-definition',
      '  817:1  error    Unexpected label `c~tracing::event~docs` for `https://docs.rs/tracing/latest/tracing/macro.event.html`, expected a label that differs from `c~tracing::Event~docs` in more than case (CommonMark ignores case: the first definition wins, so links go to `https://docs.rs/tracing/latest/tracing/struct.Event.html`)  conflicting-definition'
    ])
    // Warnings only as one line per rule, and where to see them all.
    expect(lines).toContain('  590 warnings  in 100 files  wiki-link')
    expect(lines.filter((d) => /warning {2}Unexpected/.test(d))).toEqual([])
    expect(lines.at(-2)).toBe(
      'Run `mdbook-xref lint` to list every warning, or set `warnings = "all"` (or `MDBOOK_XREF_WARNINGS=all`) to show them here'
    )

    const [, , full] = await runBin([], {input, env: {MDBOOK_XREF_WARNINGS: 'all'}})
    expect(full.split('\n').filter((d) => /warning {2}Unexpected/.test(d)).length).toBe(666)
  }, 120_000)
})
