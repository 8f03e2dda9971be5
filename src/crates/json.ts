/**
 * JSON export of the crates a book references (`lint --crates-json`).
 */

import type {CrateIndex} from './model.js'

/**
 * JSON export of the crates (`cratesJson`). Stable shape: every field is
 * always present (`null` or `[]` when empty); `version` changes if the shape
 * does.
 */
export interface CratesJson {
  version: 1
  /** Crates, sorted as the word index sorts terms. */
  crates: CratesJsonCrate[]
  /** Categories crates are paired with, sorted by key. */
  categories: CratesJsonCategory[]
  /** Keys of crates whose docs label the book defines but no chapter references. */
  unreferenced: string[]
  /** Keys of crates referenced that the book defines no docs label for. */
  undefined: string[]
}

/** A crate. */
export interface CratesJsonCrate {
  /** Name as the book writes it most. */
  name: string
  /** Identity (`foldCrate`). */
  key: string
  /** Whether it is `std`, `core`, `alloc` or `proc_macro`. */
  standard: boolean
  /** Docs label the book defines for it. */
  link: string | null
  /** Badge label the book defines for it. */
  badge: string | null
  /** Category keys. */
  categories: string[]
  /** Every reference, in book order. */
  references: CratesJsonReference[]
}

/** A reference to a crate. */
export interface CratesJsonReference {
  /** Chapter path (`.md`). */
  chapter: string
  /** Chapter name. */
  chapterName: string
  /** Heading text of its section. */
  section: string | null
  /** Heading id of its section. */
  sectionId: string | null
  /** Through a family label or a registry URL. */
  via: 'label' | 'url'
  /** Label or URL as written. */
  written: string
}

/** A category. */
export interface CratesJsonCategory {
  key: string
  link: string | null
  badge: string | null
  /** Crate keys, in crate order. */
  crates: string[]
}

/**
 * Turn collected crates into their JSON export.
 *
 * @param index
 *   Crates of a book (`collectCrates`).
 * @returns
 *   Plain data, ready for `JSON.stringify`.
 */
export function cratesJson(index: CrateIndex): CratesJson {
  return {
    version: 1,
    crates: index.crates.map((crate) => ({
      name: crate.name,
      key: crate.key,
      standard: crate.standard,
      link: crate.link ?? null,
      badge: crate.badge ?? null,
      categories: [...crate.categories],
      references: crate.references.map((d) => ({
        chapter: d.chapter,
        chapterName: d.chapterName,
        section: d.section ?? null,
        sectionId: d.sectionId ?? null,
        via: d.via,
        written: d.written
      }))
    })),
    categories: index.categories.map((d) => ({
      key: d.key,
      link: d.link ?? null,
      badge: d.badge ?? null,
      crates: [...d.crates]
    })),
    unreferenced: [...index.unreferenced],
    undefined: [...index.undefined]
  }
}
