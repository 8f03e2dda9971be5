/**
 * Files read for include expansion, kept for one run: the chapters of a book
 * include the same refs files, which are read (and their directives
 * rendered) once per run. The caller owns the cache, so it lives as long as
 * the run and no longer.
 */

import fs from 'node:fs'
import type {LineIndex, Mapped} from './source-map.js'

/** What we keep per file contents, across the calls of a run when the contents match. */
export interface CacheEntry extends LineIndex {
  /** Rust `str::lines()` of `text`: start and end (before `\r\n`/`\n`). */
  lines?: {starts: number[]; ends: number[]; crlf: boolean}
  /** Rendered directives (`kind|spec`) of this file, before expansion. */
  rendered: Map<string, Mapped>
  /** Whether `text` has no directive at all (then expansion is a no-op). */
  plain?: boolean
}

/**
 * Files read through the default reader in one run, each checked against
 * `stat` before reuse. Made by `createFileCache`; the caller owns it, so it
 * lives as long as the run.
 */
export type FileCache = Map<string, {mtimeMs: number; size: number; ino: number; entry: CacheEntry}>

/**
 * Create a cache of files for the calls of one run.
 *
 * @returns
 *   Empty cache, for `IncludeOptions.cache`.
 */
export function createFileCache(): FileCache {
  return new Map()
}

/**
 * Read a file through the cache of the run, checked with `stat`.
 *
 * @param cache
 *   Cache of the run.
 * @param file
 *   Real path.
 * @returns
 *   Cache entry.
 */
export function readCached(cache: FileCache, file: string): CacheEntry {
  const stat = fs.statSync(file)
  const cached = cache.get(file)

  if (
    cached &&
    cached.mtimeMs === stat.mtimeMs &&
    cached.size === stat.size &&
    cached.ino === stat.ino
  ) {
    return cached.entry
  }

  const entry: CacheEntry = {text: readUtf8(file), rendered: new Map()}
  cache.set(file, {mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino, entry})
  return entry
}

/**
 * Read a file as strict UTF-8, keeping a BOM (Rust `read_to_string`).
 *
 * @param file
 *   Path.
 * @returns
 *   Text.
 */
export function readUtf8(file: string): string {
  const buffer = fs.readFileSync(file)
  return new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(buffer)
}
