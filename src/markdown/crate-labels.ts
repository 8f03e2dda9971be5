/**
 * Naming conventions of crate and category link references, as used by
 * books such as the Rust How-to book.
 *
 * Two styles exist:
 *
 * * tilde (current): `c~tokio~docs`, `c~tokio~crates.io`, `c~tokio~lib.rs`,
 *   `c~tokio~repo`, `c~tokio~docs~badge`, `c~tokio::spawn~docs`,
 *   `cat~asynchronous`, `cat~asynchronous~badge`;
 * * dash (old): `c-tokio`, `c-tokio-crates.io`, `c-tokio-lib.rs`,
 *   `c-tokio-github`, `c-tokio-badge`, `c-actix_web-docs.rs`,
 *   `cat-asynchronous`, `cat-asynchronous-badge`.
 *
 * The dash style is ambiguous (crate names contain `-` too): a dash label is
 * split at a known variant suffix only (`-crates.io`, `-lib.rs`, `-github`,
 * `-docs.rs`, `-docs`, `-website`, each optionally followed by `-badge`);
 * anything else is part of the name (`c-tokio-sync` is name `tokio-sync`,
 * variant `docs`).
 */

/** Style of a label: `c~x~docs` (tilde) or `c-x` (dash). */
export type LabelStyle = 'tilde' | 'dash'

/** What a family label refers to. */
export type LabelFamily = 'crate' | 'category'

/**
 * Variant of a crate label (without `badge`): the well-known ones, or any
 * other word the author used (`website`, `blog`, `examples~repo`).
 */
export type Variant = 'docs' | 'crates.io' | 'lib.rs' | 'repo' | (string & {})

/** A parsed family label. */
export interface CrateLabel {
  /** Style the label is written in. */
  style: LabelStyle
  /** Crate or category. */
  family: LabelFamily
  /** Name as written, with item path: `tokio::sync`, `actix_web`, `aerospace::drones`. */
  name: string
  /** Crate part of the name (before the first `::`): `tokio`; the category for categories. */
  crate: string
  /** Item path after the crate (`sync` for `tokio::sync`), or empty. */
  path: string
  /** Variant, normalised across styles (`github` is `repo`, no suffix is `docs`, `docs.rs` is `docs`). */
  variant: Variant
  /** Variant as written (`github`, `docs.rs`, empty for a bare dash label). */
  suffix: string
  /** Whether the label ends in `badge` (an image). */
  badge: boolean
}

/** Dash-style suffixes that name a variant, longest first. */
const dashSuffixes = ['crates.io', 'docs.rs', 'website', 'lib.rs', 'github', 'docs']

/** Hosts of repositories (`~repo`, `-github`). */
const repositoryHosts = new Set([
  'github.com',
  'gitlab.com',
  'codeberg.org',
  'bitbucket.org',
  'sr.ht',
  'git.sr.ht',
  'hg.sr.ht',
  'gitee.com',
  'sourceforge.net',
  'gitea.com',
  'salsa.debian.org',
  'gitlab.freedesktop.org',
  'gitlab.gnome.org',
  'gitlab.redox-os.org',
  'chromium.googlesource.com',
  'android.googlesource.com',
  'git.kernel.org'
])

/** Hosts that only serve images (badges). */
const imageHosts = new Set([
  'img.shields.io',
  'shields.io',
  'badgen.net',
  'badge.fury.io',
  'flat.badgen.net',
  'deps.rs'
])

/** Crates documented on doc.rust-lang.org instead of docs.rs. */
const standardCrates = new Set(['std', 'core', 'alloc', 'proc_macro', 'test'])

/**
 * Parse a family label.
 *
 * @param label
 *   Label as written (`c~tokio~docs`, `c-actix_web-github`, `cat~science`).
 * @returns
 *   Parts, or `undefined` when the label is not a crate or category label
 *   (`ex~language~x`, `c~`, `c-`).
 */
export function parseCrateLabel(label: string): CrateLabel | undefined {
  if (label.startsWith('c~')) return parseTilde(label.slice(2), 'crate')
  if (label.startsWith('cat~')) return parseTilde(label.slice(4), 'category')
  if (label.startsWith('c-')) return parseDash(label.slice(2), 'crate')
  if (label.startsWith('cat-')) return parseDash(label.slice(4), 'category')
  return undefined
}

/**
 * Parse the rest of a tilde label: `tokio~docs~badge`, `tokio::sync~docs`.
 *
 * @param rest
 *   Label without `c~`/`cat~`.
 * @param family
 *   Family.
 * @returns
 *   Parts, or `undefined` for an empty name.
 */
function parseTilde(rest: string, family: LabelFamily): CrateLabel | undefined {
  const parts = rest.split('~')
  const name = parts[0]
  if (!name) return undefined
  const badge = parts.length > 1 && parts[parts.length - 1] === 'badge'
  const words = parts.slice(1, badge ? -1 : undefined)
  const suffix = words.join('~')
  // Categories have no variant word: `cat~science`, `cat~science~badge`.
  const variant =
    family === 'category' && suffix === '' ? 'category' : suffix
  return withName(name, family, {style: 'tilde', variant, suffix, badge})
}

/**
 * Parse the rest of a dash label: `tokio-crates.io-badge`, `tokio-sync`.
 *
 * @param rest
 *   Label without `c-`/`cat-`.
 * @param family
 *   Family.
 * @returns
 *   Parts, or `undefined` for an empty name.
 */
function parseDash(rest: string, family: LabelFamily): CrateLabel | undefined {
  let name = rest
  let badge = false
  let suffix = ''
  if (name.endsWith('-badge') && name.length > 6) {
    badge = true
    name = name.slice(0, -6)
  }
  if (family === 'crate') {
    for (const candidate of dashSuffixes) {
      if (name.length > candidate.length + 1 && name.endsWith('-' + candidate)) {
        suffix = candidate
        name = name.slice(0, -candidate.length - 1)
        break
      }
    }
  }
  if (!name) return undefined
  const variant =
    family === 'category'
      ? 'category'
      : suffix === '' || suffix === 'docs.rs' || suffix === 'docs'
        ? 'docs'
        : suffix === 'github'
          ? 'repo'
          : suffix
  return withName(name, family, {style: 'dash', variant, suffix, badge})
}

/**
 * Complete a parsed label with its crate and item path.
 *
 * @param name
 *   Name as written (`tokio::sync`).
 * @param family
 *   Family.
 * @param fields
 *   Style, variant, suffix, badge.
 * @returns
 *   Parts.
 */
function withName(
  name: string,
  family: LabelFamily,
  fields: Pick<CrateLabel, 'style' | 'variant' | 'suffix' | 'badge'>
): CrateLabel {
  // Categories use `::` for subcategories: `aerospace::drones` is one name.
  const index = family === 'crate' ? name.indexOf('::') : -1
  // Written out (no spread): this runs for every definition of a book.
  return {
    style: fields.style,
    family,
    name,
    crate: index === -1 ? name : name.slice(0, index),
    path: index === -1 ? '' : name.slice(index + 2),
    variant: fields.variant,
    suffix: fields.suffix,
    badge: fields.badge
  }
}

/**
 * Write a parsed label in a style (to suggest `c~tokio~docs` for `c-tokio`).
 *
 * @param parts
 *   Parsed label.
 * @param style
 *   Style to write.
 * @returns
 *   Label.
 */
export function formatCrateLabel(parts: CrateLabel, style: LabelStyle): string {
  const isCategory = parts.family === 'category'
  if (style === 'tilde') {
    let value = (isCategory ? 'cat~' : 'c~') + parts.name
    if (!isCategory) {
      value += '~' + (parts.style === 'tilde' ? parts.suffix : tildeVariant(parts.variant))
    }
    return value + (parts.badge ? '~badge' : '')
  }
  let value = (isCategory ? 'cat-' : 'c-') + parts.name
  if (!isCategory) {
    const suffix = parts.style === 'dash' ? parts.suffix : dashVariant(parts.variant)
    if (suffix) value += '-' + suffix
  }
  return value + (parts.badge ? '-badge' : '')
}

/**
 * Tilde spelling of a variant.
 *
 * @param variant
 *   Normalised variant.
 * @returns
 *   Tilde words (`examples-github` → `examples~repo`).
 */
function tildeVariant(variant: string): string {
  return variant.replace(/-github$/, '~repo').replace(/-/g, '~')
}

/**
 * Dash spelling of a variant.
 *
 * @param variant
 *   Normalised variant.
 * @returns
 *   Dash suffix (`docs` → empty, `repo` → `github`).
 */
function dashVariant(variant: string): string {
  if (variant === 'docs') return ''
  if (variant === 'repo') return 'github'
  return variant.replace(/~repo$/, '~github').replace(/~/g, '-')
}

/**
 * Fold a crate name for comparison: crates.io treats `-` and `_` and case
 * as the same name (`actix_web` is `actix-web`, `RustQuant` is `rustquant`).
 *
 * @param name
 *   Crate name.
 * @returns
 *   Folded name.
 */
export function foldCrate(name: string): string {
  return name.toLowerCase().replace(/-/g, '_')
}

/**
 * Escape text for a shields.io static badge (`ab_glyph` → `ab__glyph`,
 * `tokio-sync` → `tokio--sync`).
 *
 * @param value
 *   Text.
 * @returns
 *   Badge path text.
 */
export function escapeBadge(value: string): string {
  return value.replace(/_/g, '__').replace(/-/g, '--').replace(/ /g, '_')
}

/**
 * The URL a family label conventionally points to, to generate a missing
 * definition.
 *
 * Known limits: crate item docs (`c~tokio::spawn~docs`) need the item kind
 * (`fn.spawn.html`) and repositories and category badges need data the
 * label does not have: those give `undefined`.
 * The docs.rs and crates.io URLs use the crate name in lower case (as the
 * real book does: `c~RustQuant~docs` → `https://docs.rs/rustquant`).
 *
 * @param label
 *   Label (`c~tokio~docs`, `c-tokio-lib.rs-badge`, `cat~science`).
 * @param crate
 *   Real crate name when the label spells it differently (dash labels write
 *   `c-actix_web` for `actix-web`); default: the name in the label.
 * @returns
 *   URL, or `undefined` when there is no convention for it.
 */
export function expectedUrl(
  label: string,
  crate?: string | null | undefined
): string | undefined {
  const parts = parseCrateLabel(label)
  if (!parts) return undefined
  if (parts.family === 'category') {
    return parts.badge ? undefined : 'https://crates.io/categories/' + parts.name
  }
  const name = crate || parts.crate
  const lower = name.toLowerCase()
  if (parts.badge) {
    switch (parts.variant) {
      case 'docs': {
        // `c~std~docs~badge`: the standard library has no crates.io version.
        return standardCrates.has(lower)
          ? 'https://img.shields.io/badge/' + lower + '-firebrick?logo=rust'
          : 'https://img.shields.io/crates/v/' + lower + '?label=' + lower
      }
      case 'crates.io': {
        return 'https://img.shields.io/badge/crates.io-' + escapeBadge(lower) + '-crimson'
      }
      case 'lib.rs': {
        return 'https://img.shields.io/badge/lib.rs-' + escapeBadge(lower) + '-yellow'
      }
      case 'repo': {
        return 'https://img.shields.io/badge/' + escapeBadge(lower) + '-steelblue?logo=github'
      }
      case 'website': {
        return 'https://img.shields.io/badge/' + escapeBadge(lower) + '-coral'
      }
      default: {
        return undefined
      }
    }
  }
  // Item paths (`c~tokio::sync~docs`) have no derivable URL, except that
  // crates.io and lib.rs only know crates.
  switch (parts.variant) {
    case 'docs': {
      if (parts.path) return undefined
      return standardCrates.has(lower)
        ? 'https://doc.rust-lang.org/' + lower
        : 'https://docs.rs/' + lower
    }
    case 'crates.io': {
      return 'https://crates.io/crates/' + lower
    }
    case 'lib.rs': {
      return 'https://lib.rs/crates/' + lower
    }
    default: {
      return undefined
    }
  }
}

/**
 * The crate a registry definition names: `c~xml~crates.io` →
 * `https://crates.io/crates/xml` names `xml`; `c-actix_web-lib.rs` →
 * `https://lib.rs/crates/actix-web` names `actix-web`.
 *
 * @param label
 *   Label.
 * @param url
 *   Destination.
 * @returns
 *   Group (the folded crate of the label), registry, and crate; `undefined`
 *   for other labels, item labels (`c~tokio::sync~crates.io`), badges, and
 *   URLs that are no registry page of a crate.
 */
export function registryCrate(
  label: string,
  url: string
): {group: string; registry: 'crates.io' | 'lib.rs'; crate: string} | undefined {
  const parts = parseCrateLabel(label)
  if (!parts || parts.family !== 'crate' || parts.badge || parts.path) return undefined
  if (parts.variant !== 'crates.io' && parts.variant !== 'lib.rs') return undefined
  const match = /^https?:\/\/(?:www\.)?(crates\.io|lib\.rs)\/crates\/([A-Za-z\d_-]+)\/?$/.exec(url)
  if (!match || match[1] !== parts.variant) return undefined
  return {group: foldCrate(parts.crate), registry: match[1] as 'crates.io' | 'lib.rs', crate: match[2]}
}

/** A break of the URL convention of a family label. */
export interface ConventionProblem {
  /** Reason, “Unexpected …, expected …”. */
  reason: string
  /** Expected URL when one can be generated. */
  expected?: string
}

/**
 * Check the URL of a family label against its convention.
 *
 * Only genuine breaks are reported: a docs label may point to documentation
 * hosted anywhere (`c~mdbook~docs` → `https://rust-lang.github.io/mdBook`),
 * but a docs.rs URL must name the label’s crate and a rustdoc module
 * (`data_encoding`, not `data-encoding`); crates.io and lib.rs labels must
 * point to that crate’s page (or lib.rs’s `gh/owner/repo/crate` page);
 * repository labels to a code host; badges to an image.
 * Crate names compare with case, `-` and `_` folded, against the crate that
 * the label’s crates.io definition names when there is one (see
 * `registryCrate`): `c-cargo_flamegraph` whose variants all point to
 * `flamegraph` is consistent, `c~xml~docs` → `https://docs.rs/xml-rs` next to
 * `c~xml~crates.io` → `https://crates.io/crates/xml` is not.
 *
 * @param label
 *   Label as written.
 * @param url
 *   Destination (decoded).
 * @param crate
 *   Crate the label’s registry definitions name (default: the crate in the
 *   label).
 * @returns
 *   Problem, or `undefined` when the URL fits or the label is no family label.
 */
export function checkConvention(
  label: string,
  url: string,
  crate?: string | null | undefined
): ConventionProblem | undefined {
  const parsedLabel = parseCrateLabel(label)
  if (!parsedLabel) return undefined
  const parts = crate ? {...parsedLabel, crate} : parsedLabel
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (parsed && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    parsed = undefined
  }
  if (!parsed) {
    // Relative or odd URLs (`../x.md`, `mailto:`) break every family convention.
    return problem(label, parts, url, 'an absolute `https:` URL')
  }
  if (parts.badge) {
    if (!isImage(parsed)) {
      return problem(label, parts, url, 'an image URL (such as `https://img.shields.io/…`)')
    }

    return parts.family === 'crate' ? checkBadge(label, parts, url) : undefined
  }
  if (parts.family === 'category') {
    const expected = 'https://crates.io/categories/' + parts.name
    return url.replace(/\/$/, '') === expected
      ? undefined
      : problem(label, parts, url, '`' + expected + '`')
  }
  switch (parts.variant) {
    case 'docs': {
      return checkDocs(label, parts, url, parsed)
    }
    case 'crates.io': {
      return checkRegistry(label, parts, url, parsed, 'crates.io')
    }
    case 'lib.rs': {
      return checkRegistry(label, parts, url, parsed, 'lib.rs')
    }
    case 'repo': {
      return isRepository(parsed)
        ? undefined
        : problem(label, parts, url, 'a repository URL (such as `https://github.com/…`)')
    }
    default: {
      return undefined
    }
  }
}

/**
 * Check the crate that a crate badge names: `crates/v/<crate>`,
 * `badge/crates.io-<crate>-…`, `badge/lib.rs-<crate>-…` (shields.io writes
 * `-` as `--` and `_` as `__`).
 *
 * @param label
 *   Label.
 * @param parts
 *   Parsed label.
 * @param url
 *   URL as written.
 * @returns
 *   Problem, if any.
 */
function checkBadge(label: string, parts: CrateLabel, url: string): ConventionProblem | undefined {
  const match =
    /^https:\/\/img\.shields\.io\/crates\/[a-z]+\/([^?/#]+)/.exec(url) ||
    /^https:\/\/img\.shields\.io\/badge\/(?:crates\.io|lib\.rs)-((?:[^-]|--)+)-/.exec(url)
  if (!match) return undefined
  const crate = match[1].replace(/--/g, '-').replace(/__/g, '_')
  if (foldCrate(crate) === foldCrate(parts.crate)) return undefined
  const result: ConventionProblem = {
    reason:
      'Unexpected crate `' + crate + '` in the badge URL of `' + label + '`, expected `' + parts.crate + '`'
  }
  const generated = expectedUrl(label, parts.crate)
  if (generated !== undefined) result.expected = generated
  return result
}

/**
 * Check a docs label (`c~tokio~docs`, `c-tokio`, `c-tokio-docs.rs`).
 *
 * @param label
 *   Label.
 * @param parts
 *   Parsed label.
 * @param url
 *   URL as written.
 * @param parsed
 *   Parsed URL.
 * @returns
 *   Problem, if any.
 */
function checkDocs(
  label: string,
  parts: CrateLabel,
  url: string,
  parsed: URL
): ConventionProblem | undefined {
  if (parsed.hostname !== 'docs.rs') {
    // `c-x-docs.rs` promises docs.rs; other docs labels may point anywhere.
    return parts.suffix === 'docs.rs'
      ? problem(label, parts, url, 'a `https://docs.rs/…` URL')
      : undefined
  }
  const segments = parsed.pathname.split('/').filter(Boolean)
  // `https://docs.rs/crate/cross` is the crate’s docs.rs info page.
  const urlCrate = segments[0] === 'crate' ? segments[1] : segments[0]
  if (!urlCrate) {
    return problem(label, parts, url, 'a crate in the URL (`https://docs.rs/' + parts.crate + '`)')
  }
  if (!sameCrate(parts, urlCrate, segments.length > 1)) {
    return {
      reason:
        'Unexpected crate `' +
        urlCrate +
        '` in the URL of `' +
        label +
        '`, expected `' +
        parts.crate +
        '`'
    }
  }
  // `https://docs.rs/error-chain/latest/error-chain/`: rustdoc writes the
  // module as `error_chain`, so this page does not exist.
  const module = segments[0] === 'crate' ? undefined : segments[2]
  if (module && module.includes('-') && !module.includes('.')) {
    return {
      reason:
        'Unexpected module `' +
        module +
        '` in the URL of `' +
        label +
        '`, expected `' +
        module.replace(/-/g, '_') +
        '` (rustdoc modules have no `-`)'
    }
  }
  return undefined
}

/**
 * Check a crates.io or lib.rs label.
 *
 * @param label
 *   Label.
 * @param parts
 *   Parsed label.
 * @param url
 *   URL as written.
 * @param parsed
 *   Parsed URL.
 * @param host
 *   Registry host.
 * @returns
 *   Problem, if any.
 */
function checkRegistry(
  label: string,
  parts: CrateLabel,
  url: string,
  parsed: URL,
  host: 'crates.io' | 'lib.rs'
): ConventionProblem | undefined {
  const expected = 'https://' + host + '/crates/' + parts.crate.toLowerCase()
  const segments = parsed.pathname.split('/').filter(Boolean)
  let urlCrate: string | undefined
  if (parsed.hostname === host || parsed.hostname === 'www.' + host) {
    if (segments[0] === 'crates' && segments.length === 2) urlCrate = segments[1]
    // `https://lib.rs/gh/lapce/lapce/lapce`: lib.rs page of a crate that
    // is only on GitHub.
    if (host === 'lib.rs' && segments[0] === 'gh' && segments.length === 4) {
      urlCrate = segments[3]
    }
  }
  if (urlCrate === undefined) return problem(label, parts, url, '`' + expected + '`')
  // A registry knows crates, not items: `c~tokio::sync~crates.io` →
  // `https://crates.io/crates/tokio::sync` does not exist.
  if (foldCrate(urlCrate) !== foldCrate(parts.crate) || urlCrate.includes(':')) {
    return problem(label, parts, url, '`' + expected + '`')
  }
  return undefined
}

/**
 * Whether a crate named in a URL is the label’s crate.
 *
 * @param parts
 *   Parsed label.
 * @param urlCrate
 *   Crate in the URL.
 * @param deep
 *   Whether the URL goes below the crate root (an item or module).
 * @returns
 *   Whether they match.
 */
function sameCrate(parts: CrateLabel, urlCrate: string, deep: boolean): boolean {
  const wanted = foldCrate(parts.crate)
  const got = foldCrate(urlCrate)
  if (wanted === got) return true
  // Dash labels name modules with `-`: `c-tokio-sync` →
  // `https://docs.rs/tokio/latest/tokio/sync`.
  return parts.style === 'dash' && deep && wanted.startsWith(got + '_')
}

/**
 * Whether a URL is an image (a badge).
 *
 * @param url
 *   Parsed URL.
 * @returns
 *   Whether it is.
 */
function isImage(url: URL): boolean {
  return (
    imageHosts.has(url.hostname) ||
    /\.(?:svg|png|jpe?g|gif|webp|avif)$/i.test(url.pathname) ||
    url.pathname.startsWith('/badge')
  )
}

/**
 * Whether a URL is on a code host (a repository).
 *
 * @param url
 *   Parsed URL.
 * @returns
 *   Whether it is.
 */
function isRepository(url: URL): boolean {
  const host = url.hostname.replace(/^www\./, '')
  return (
    repositoryHosts.has(host) ||
    /^(?:git|gitlab|gitea|forgejo|hg|code)\./.test(host) ||
    url.pathname.endsWith('.git')
  )
}

/**
 * Make a convention problem.
 *
 * @param label
 *   Label.
 * @param parts
 *   Parsed label.
 * @param url
 *   URL as written.
 * @param expected
 *   What was expected (Markdown).
 * @returns
 *   Problem, with the generated URL when there is one.
 */
function problem(
  label: string,
  parts: CrateLabel,
  url: string,
  expected: string
): ConventionProblem {
  const result: ConventionProblem = {
    reason:
      'Unexpected URL `' +
      url +
      '` for ' +
      (parts.badge ? 'badge ' : parts.family === 'category' ? 'category ' : '') +
      '`' +
      label +
      '`, expected ' +
      expected
  }
  const generated = expectedUrl(label, parts.crate)
  if (generated !== undefined) result.expected = generated
  return result
}
