import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {
  checkConvention,
  escapeBadge,
  expectedUrl,
  foldCrate,
  formatCrateLabel,
  parseCrateLabel,
  registryCrate
} from '../../src/markdown/crate-labels.js'
import {parseDefinitions} from '../../src/markdown/definitions.js'
import {corpus, rustHowto, rustHowtoOld} from '../corpus.js'

describe('parseCrateLabel', () => {
  it('should parse tilde crate labels', () => {
    expect(parseCrateLabel('c~tokio~docs')).toEqual({
      style: 'tilde',
      family: 'crate',
      name: 'tokio',
      crate: 'tokio',
      path: '',
      variant: 'docs',
      suffix: 'docs',
      badge: false
    })
    expect(parseCrateLabel('c~tokio::sync~lib.rs~badge')).toEqual({
      style: 'tilde',
      family: 'crate',
      name: 'tokio::sync',
      crate: 'tokio',
      path: 'sync',
      variant: 'lib.rs',
      suffix: 'lib.rs',
      badge: true
    })
    expect(parseCrateLabel('c~yew~realworld~example')?.variant).toBe('realworld~example')
  })

  it('should parse dash crate labels at a known suffix only', () => {
    expect(parseCrateLabel('c-tokio')).toEqual({
      style: 'dash',
      family: 'crate',
      name: 'tokio',
      crate: 'tokio',
      path: '',
      variant: 'docs',
      suffix: '',
      badge: false
    })
    expect(parseCrateLabel('c-actix_web-crates.io-badge')).toMatchObject({
      crate: 'actix_web',
      variant: 'crates.io',
      suffix: 'crates.io',
      badge: true
    })
    expect(parseCrateLabel('c-ab_glyph-github')).toMatchObject({variant: 'repo', suffix: 'github'})
    expect(parseCrateLabel('c-cross-docs.rs')).toMatchObject({crate: 'cross', variant: 'docs', suffix: 'docs.rs'})
    // No known suffix: all of it is the name.
    expect(parseCrateLabel('c-tokio-sync')).toMatchObject({name: 'tokio-sync', variant: 'docs'})
    expect(parseCrateLabel('c-actix-examples-github')).toMatchObject({name: 'actix-examples', variant: 'repo'})
    expect(parseCrateLabel('c-std-badge')).toMatchObject({crate: 'std', variant: 'docs', badge: true})
  })

  it('should parse category labels', () => {
    expect(parseCrateLabel('cat~aerospace::drones~badge')).toEqual({
      style: 'tilde',
      family: 'category',
      name: 'aerospace::drones',
      crate: 'aerospace::drones',
      path: '',
      variant: 'category',
      suffix: '',
      badge: true
    })
    expect(parseCrateLabel('cat-science')).toMatchObject({family: 'category', name: 'science', badge: false})
  })

  it('should not parse other labels', () => {
    expect(parseCrateLabel('ex~language~closures')).toBe(undefined)
    expect(parseCrateLabel('c~')).toBe(undefined)
    expect(parseCrateLabel('c-')).toBe(undefined)
    expect(parseCrateLabel('crate')).toBe(undefined)
  })
})

describe('formatCrateLabel', () => {
  it('should write a label in the other style', () => {
    const format = (label: string, style: 'tilde' | 'dash') =>
      formatCrateLabel(parseCrateLabel(label)!, style)
    expect(format('c-tokio', 'tilde')).toBe('c~tokio~docs')
    expect(format('c-tokio-badge', 'tilde')).toBe('c~tokio~docs~badge')
    expect(format('c-tokio-github', 'tilde')).toBe('c~tokio~repo')
    expect(format('c~tokio~repo~badge', 'dash')).toBe('c-tokio-github-badge')
    expect(format('c~tokio~docs', 'dash')).toBe('c-tokio')
    expect(format('c~tokio~lib.rs', 'dash')).toBe('c-tokio-lib.rs')
    expect(format('cat~science~badge', 'dash')).toBe('cat-science-badge')
    expect(format('c~tokio~docs', 'tilde')).toBe('c~tokio~docs')
  })
})

describe('expectedUrl', () => {
  it('should generate conventional URLs', () => {
    expect(expectedUrl('c~tokio~docs')).toBe('https://docs.rs/tokio')
    expect(expectedUrl('c~tokio~crates.io')).toBe('https://crates.io/crates/tokio')
    expect(expectedUrl('c~tokio~lib.rs')).toBe('https://lib.rs/crates/tokio')
    expect(expectedUrl('c~ab_glyph~docs~badge')).toBe('https://img.shields.io/crates/v/ab_glyph?label=ab_glyph')
    expect(expectedUrl('c~ab_glyph~crates.io~badge')).toBe(
      'https://img.shields.io/badge/crates.io-ab__glyph-crimson'
    )
    expect(expectedUrl('c~aes-gcm~lib.rs~badge')).toBe('https://img.shields.io/badge/lib.rs-aes--gcm-yellow')
    expect(expectedUrl('c~tokio~repo~badge')).toBe('https://img.shields.io/badge/tokio-steelblue?logo=github')
    expect(expectedUrl('c~tokio~website~badge')).toBe('https://img.shields.io/badge/tokio-coral')
    expect(expectedUrl('c~RustQuant~docs')).toBe('https://docs.rs/rustquant')
    expect(expectedUrl('c~std~docs')).toBe('https://doc.rust-lang.org/std')
    expect(expectedUrl('c~std~docs~badge')).toBe('https://img.shields.io/badge/std-firebrick?logo=rust')
    expect(expectedUrl('cat~science')).toBe('https://crates.io/categories/science')
    expect(expectedUrl('c-tokio-lib.rs-badge')).toBe('https://img.shields.io/badge/lib.rs-tokio-yellow')
  })

  it('should use a given crate name for dash labels', () => {
    expect(expectedUrl('c-actix_web', 'actix-web')).toBe('https://docs.rs/actix-web')
    expect(expectedUrl('c-actix_web-crates.io-badge', 'actix-web')).toBe(
      'https://img.shields.io/badge/crates.io-actix--web-crimson'
    )
  })

  it('should give `undefined` without a convention', () => {
    expect(expectedUrl('c~tokio~repo')).toBe(undefined)
    expect(expectedUrl('c~tokio::spawn~docs')).toBe(undefined)
    expect(expectedUrl('c~tokio~website')).toBe(undefined)
    expect(expectedUrl('cat~science~badge')).toBe(undefined)
    expect(expectedUrl('c~tokio~license~badge')).toBe(undefined)
    expect(expectedUrl('ex~a~b')).toBe(undefined)
  })

  it('should fold and escape crate names', () => {
    expect(foldCrate('Actix-Web')).toBe('actix_web')
    expect(escapeBadge('a_b-c d')).toBe('a__b--c_d')
  })
})

describe('checkConvention', () => {
  it('should accept conventional URLs', () => {
    expect(checkConvention('c~tokio~docs', 'https://docs.rs/tokio')).toBe(undefined)
    expect(checkConvention('c~tokio::sync~docs', 'https://docs.rs/tokio/latest/tokio/sync')).toBe(undefined)
    expect(checkConvention('c~tokio~crates.io', 'https://crates.io/crates/tokio')).toBe(undefined)
    expect(checkConvention('c~RustQuant~crates.io', 'https://crates.io/crates/rustquant')).toBe(undefined)
    expect(checkConvention('c~tokio~lib.rs', 'https://lib.rs/crates/tokio')).toBe(undefined)
    expect(checkConvention('c~tokio~repo', 'https://github.com/tokio-rs/tokio')).toBe(undefined)
    expect(checkConvention('c~tokio~docs~badge', 'https://img.shields.io/crates/v/tokio?label=tokio')).toBe(
      undefined
    )
    expect(checkConvention('cat~science', 'https://crates.io/categories/science')).toBe(undefined)
  })

  it('should accept what the real books legitimately do', () => {
    // Docs hosted elsewhere.
    expect(checkConvention('c~mdbook~docs', 'https://rust-lang.github.io/mdBook')).toBe(undefined)
    expect(checkConvention('c~std::vec::Vec~docs', 'https://doc.rust-lang.org/std/vec/struct.Vec.html')).toBe(
      undefined
    )
    // Dash labels spell `actix-web` as `actix_web`, and modules with `-`.
    expect(checkConvention('c-actix_web', 'https://docs.rs/actix-web')).toBe(undefined)
    expect(checkConvention('c-tokio-sync', 'https://docs.rs/tokio/latest/tokio/sync')).toBe(undefined)
    expect(checkConvention('c-cross-docs.rs', 'https://docs.rs/crate/cross')).toBe(undefined)
    // lib.rs pages of GitHub-only crates; SourceHut and GitLab repositories.
    expect(checkConvention('c-lapce-lib.rs', 'https://lib.rs/gh/lapce/lapce/lapce')).toBe(undefined)
    expect(checkConvention('c~oorandom~repo', 'https://hg.sr.ht/~icefox/oorandom')).toBe(undefined)
    expect(checkConvention('c~redox~repo', 'https://gitlab.redox-os.org/redox-os/redox')).toBe(undefined)
    // Labels of other variants have no convention.
    expect(checkConvention('c~tokio~website', 'https://tokio.rs')).toBe(undefined)
    expect(checkConvention('ex~a~b', 'javascript:x')).toBe(undefined)
  })

  it('should report a docs.rs URL of another crate', () => {
    expect(checkConvention('c~xml~docs', 'https://docs.rs/xml-rs')).toEqual({
      reason: 'Unexpected crate `xml-rs` in the URL of `c~xml~docs`, expected `xml`'
    })
    expect(checkConvention('c-tokio_util', 'https://docs.rs/tokio')).toEqual({
      reason: 'Unexpected crate `tokio` in the URL of `c-tokio_util`, expected `tokio_util`'
    })
  })

  it('should compare against the crate the registry definitions name', () => {
    expect(checkConvention('c-cargo_flamegraph', 'https://docs.rs/flamegraph', 'flamegraph')).toBe(undefined)
    expect(checkConvention('c~prettytable~docs', 'https://docs.rs/prettytable-rs', 'prettytable')).toEqual({
      reason: 'Unexpected crate `prettytable-rs` in the URL of `c~prettytable~docs`, expected `prettytable`'
    })
  })

  it('should report a rustdoc module with `-`', () => {
    expect(
      checkConvention(
        'c~data-encoding::HEXUPPER~docs',
        'https://docs.rs/data-encoding/latest/data-encoding/constant.HEXUPPER.html'
      )
    ).toEqual({
      reason:
        'Unexpected module `data-encoding` in the URL of `c~data-encoding::HEXUPPER~docs`, expected `data_encoding` (rustdoc modules have no `-`)'
    })
  })

  it('should report registry URLs that are not the crate page', () => {
    expect(checkConvention('c~tokio::sync~crates.io', 'https://crates.io/crates/tokio::sync')).toEqual({
      reason:
        'Unexpected URL `https://crates.io/crates/tokio::sync` for `c~tokio::sync~crates.io`, expected `https://crates.io/crates/tokio`',
      expected: 'https://crates.io/crates/tokio'
    })
    expect(checkConvention('c-tokio-lib.rs', 'https://docs.rs/tokio')).toEqual({
      reason:
        'Unexpected URL `https://docs.rs/tokio` for `c-tokio-lib.rs`, expected `https://lib.rs/crates/tokio`',
      expected: 'https://lib.rs/crates/tokio'
    })
  })

  it('should report repositories, badges and categories off convention', () => {
    expect(checkConvention('c~tokio~repo', 'https://tokio.rs')).toEqual({
      reason:
        'Unexpected URL `https://tokio.rs` for `c~tokio~repo`, expected a repository URL (such as `https://github.com/…`)'
    })
    expect(checkConvention('c~tokio~docs~badge', 'https://docs.rs/tokio')).toEqual({
      reason:
        'Unexpected URL `https://docs.rs/tokio` for badge `c~tokio~docs~badge`, expected an image URL (such as `https://img.shields.io/…`)',
      expected: 'https://img.shields.io/crates/v/tokio?label=tokio'
    })
    expect(
      checkConvention('c~tokio~crates.io~badge', 'https://img.shields.io/badge/crates.io-tokio--util-crimson')
    ).toEqual({
      reason: 'Unexpected crate `tokio-util` in the badge URL of `c~tokio~crates.io~badge`, expected `tokio`',
      expected: 'https://img.shields.io/badge/crates.io-tokio-crimson'
    })
    expect(checkConvention('cat~science', 'https://crates.io/categories/maths')).toEqual({
      reason:
        'Unexpected URL `https://crates.io/categories/maths` for category `cat~science`, expected `https://crates.io/categories/science`',
      expected: 'https://crates.io/categories/science'
    })
    expect(checkConvention('c~tokio~docs', 'tokio.md')).toEqual({
      reason: 'Unexpected URL `tokio.md` for `c~tokio~docs`, expected an absolute `https:` URL',
      expected: 'https://docs.rs/tokio'
    })
  })
})

describe('registryCrate', () => {
  it('should read the crate of registry definitions', () => {
    expect(registryCrate('c-actix_web-crates.io', 'https://crates.io/crates/actix-web')).toEqual({
      group: 'actix_web',
      registry: 'crates.io',
      crate: 'actix-web'
    })
    expect(registryCrate('c~xml~lib.rs', 'https://lib.rs/crates/xml')).toEqual({
      group: 'xml',
      registry: 'lib.rs',
      crate: 'xml'
    })
    expect(registryCrate('c~tokio::sync~crates.io', 'https://crates.io/crates/tokio::sync')).toBe(undefined)
    expect(registryCrate('c~tokio~crates.io~badge', 'https://img.shields.io/x')).toBe(undefined)
    expect(registryCrate('c~tokio~docs', 'https://docs.rs/tokio')).toBe(undefined)
  })
})

describe('real books', () => {
  it.skipIf(!corpus)('should generate the URLs the current book uses', () => {
    const tally = new Map<string, {total: number; equal: number}>()

    for (const name of ['crate-refs.md', 'other-refs.md', 'category-refs.md']) {
      const text = fs.readFileSync(path.join(rustHowto, 'src', 'refs', name), 'utf8')
      for (const definition of parseDefinitions(text).definitions) {
        const parts = parseCrateLabel(definition.label)
        const expected = expectedUrl(definition.label)
        if (!parts || expected === undefined) continue
        const key = parts.variant + (parts.badge ? '~badge' : '')
        const entry = tally.get(key) || {total: 0, equal: 0}
        entry.total++
        if (expected === definition.url) entry.equal++
        tally.set(key, entry)
      }
    }

    expect(Object.fromEntries([...tally].sort())).toEqual({
      category: {total: 87, equal: 87},
      // `c~tokio::sync~crates.io` → `https://crates.io/crates/tokio::sync` is off.
      'crates.io': {total: 1043, equal: 1042},
      'crates.io~badge': {total: 1041, equal: 1039},
      // The rest are documented elsewhere (`https://rust-lang.github.io/mdBook`).
      docs: {total: 1045, equal: 979},
      'docs~badge': {total: 1044, equal: 1043},
      'lib.rs': {total: 1043, equal: 1041},
      'lib.rs~badge': {total: 1043, equal: 1039},
      'repo~badge': {total: 1042, equal: 1040},
      'website~badge': {total: 205, equal: 205}
    })
  })

  it.skipIf(!corpus)('should generate the URLs the old book uses, given the crate', () => {
    const text = fs.readFileSync(path.join(rustHowtoOld, 'src', 'refs', 'crate-refs.md'), 'utf8')
    const definitions = parseDefinitions(text).definitions
    const crates = new Map<string, string>()
    for (const definition of definitions) {
      const found = registryCrate(definition.label, definition.url)
      if (found && found.registry === 'crates.io') crates.set(found.group, found.crate)
    }

    let total = 0
    let equal = 0
    for (const definition of definitions) {
      const parts = parseCrateLabel(definition.label)
      if (!parts || parts.variant !== 'crates.io' || parts.badge) continue
      total++
      if (expectedUrl(definition.label, crates.get(foldCrate(parts.crate))) === definition.url) equal++
    }

    expect([total, equal]).toEqual([878, 878])
  })
})
