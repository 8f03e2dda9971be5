/**
 * Which crate a label or a URL names: crate family labels (item labels name
 * their crate), standard-library crates, primitive types (no crate), and
 * crate pages on docs.rs, crates.io and lib.rs.
 */

import {defaultPrefixes} from '../markdown/labels.js'
import {parseCrateLabel, type CrateLabel} from '../markdown/crate-labels.js'

/** Crates of the standard library (documented on doc.rust-lang.org). */
export const standardCrates: ReadonlySet<string> = new Set(['std', 'core', 'alloc', 'proc_macro'])

/**
 * Primitive types, which rustdoc documents under `std` but which label
 * conventions write as the first path segment (`c~f64::consts~docs`,
 * `c~str::from_utf8~docs`): no crate.
 */
export const primitiveTypes: ReadonlySet<string> = new Set([
  'array',
  'bool',
  'char',
  'f16',
  'f32',
  'f64',
  'f128',
  'fn',
  'i8',
  'i16',
  'i32',
  'i64',
  'i128',
  'isize',
  'never',
  'pointer',
  'reference',
  'slice',
  'str',
  'tuple',
  'u8',
  'u16',
  'u32',
  'u64',
  'u128',
  'unit',
  'usize'
])

/** First path segments of docs.rs that are no crate (`https://docs.rs/releases`). */
const docsRsPages = new Set(['about', 'releases', 'crate', 'search', '-', 'sitemap.xml', 'robots.txt', 'favicon.ico'])

/** A crate name as crates.io allows it (`tokio`, `actix-web`, `RustQuant`). */
const crateName = /^[A-Za-z][\w-]{0,63}$/

/** A crate or category named by a label. */
export interface LabelTarget {
  /** Family. */
  family: 'crate' | 'category'
  /** Crate (as written, without item path) or category path. */
  name: string
  /** Parsed label. */
  parts: CrateLabel
}

/**
 * Make a function that tells which crate or category a label names, for
 * the label families a book uses.
 *
 * Only labels that start with one of `prefixes` (compared in lower case)
 * and parse as a crate family label count: a book that configures
 * `prefixes = ["c~", "cat~"]` says its `c-…` labels are something else.
 *
 * @param prefixes
 *   Label families (default: `['c-', 'c~', 'cat-', 'cat~']`).
 * @returns
 *   Judge: the crate or category, or `undefined` for other labels and for
 *   primitive types (`c~f64::consts~docs`).
 */
export function labelJudge(
  prefixes?: ReadonlyArray<string> | null | undefined
): (label: string) => LabelTarget | undefined {
  const lower = (prefixes || defaultPrefixes).map((d) => d.toLowerCase())

  return function (label) {
    const trimmed = label.trim()
    const folded = trimmed.toLowerCase()
    if (!lower.some((d) => folded.startsWith(d))) return undefined
    // The conventions are lower case (`c~`, `cat-`); a reference may write
    // `[C~Tokio~docs]` for the same definition.
    const parts = parseCrateLabel(trimmed) || parseCrateLabel(lowerPrefix(trimmed))
    if (!parts) return undefined
    if (parts.family === 'category') return {family: 'category', name: parts.name, parts}
    if (!crateName.test(parts.crate) || primitiveTypes.has(parts.crate)) return undefined
    return {family: 'crate', name: parts.crate, parts}
  }
}

/**
 * Lower-case the family prefix of a label (`C~Tokio~docs` → `c~Tokio~docs`).
 *
 * @param label
 *   Label.
 * @returns
 *   Label with its prefix in lower case.
 */
function lowerPrefix(label: string): string {
  const match = /^(?:cat|c)[~-]/i.exec(label)
  return match ? match[0].toLowerCase() + label.slice(match[0].length) : label
}

/**
 * The crate whose page a URL is: `https://docs.rs/tokio/latest/tokio/`,
 * `https://docs.rs/crate/cross`, `https://crates.io/crates/serde`,
 * `https://lib.rs/crates/serde`.
 *
 * Images (badges of `img.shields.io`) and other hosts name no crate;
 * neither do `https://docs.rs/releases` and the like.
 *
 * @param url
 *   Destination as written.
 * @returns
 *   Crate name as written in the URL, or `undefined`.
 */
export function crateOfUrl(url: string): string | undefined {
  const match = /^(?:https?:)?\/\/(?:www\.)?(docs\.rs|crates\.io|lib\.rs)(\/[^?#]*)?/i.exec(url.trim())
  if (!match) return undefined
  const host = match[1].toLowerCase()
  const segments = (match[2] || '').split('/').filter(Boolean)
  let name: string | undefined

  if (host === 'docs.rs') {
    name = segments[0] === 'crate' ? segments[1] : docsRsPages.has(segments[0] || '') ? undefined : segments[0]
  } else if (segments[0] === 'crates') {
    name = segments[1]
  }

  if (!name) return undefined
  try {
    name = decodeURIComponent(name)
  } catch {
    return undefined
  }

  return crateName.test(name) && !primitiveTypes.has(name) ? name : undefined
}
