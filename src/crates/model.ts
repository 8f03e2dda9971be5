/**
 * The crates a book references: the types every step from chapters to the
 * crate pages, the JSON export and `lint --crates` shares.
 *
 * One model per book, collected from the references of rendered chapters
 * (never code, never the crate pages themselves).
 */

/** One place in a chapter that references a crate. */
export interface CrateReference {
  /** Chapter path (`path` of the mdBook chapter, `.md`). */
  chapter: string
  /** Chapter name. */
  chapterName: string
  /** Place of the chapter in book order. */
  chapterIndex: number
  /** Plain text of the heading whose section holds the reference, if any. */
  section: string | undefined
  /** Id mdBook gives that heading, if any. */
  sectionId: string | undefined
  /** Offset of the reference in the chapter content. */
  offset: number
  /** Through a family label (`c~tokio~docs`, `c-tokio`) or a link to docs.rs, crates.io or lib.rs. */
  via: 'label' | 'url'
  /** The label or URL as written. */
  written: string
}

/** A crate and where the book references it. */
export interface CrateEntry {
  /** Name as the book writes it most (`parking_lot`, `aho-corasick`). */
  name: string
  /** Identity: the name folded (`foldCrate`: `-` and `_` alike, lower case). */
  key: string
  /** Label of its badge image where the book defines one (`c~tokio~docs~badge`). */
  badge: string | undefined
  /** Label of its docs link where the book defines one (`c~tokio~docs`, `c-tokio`). */
  link: string | undefined
  /** Whether it is a crate of the standard library (`std`, `core`, `alloc`, `proc_macro`). */
  standard: boolean
  /** References in book order. */
  references: CrateReference[]
  /** Keys of the categories the book pairs it with, in first-seen order. */
  categories: string[]
}

/** A category (`cat~asynchronous`) some crate is paired with. */
export interface CategoryEntry {
  /** Identity: the category path as written in its label (`development-tools::debugging`). */
  key: string
  /** Label of the category link (`cat~asynchronous`, `cat-asynchronous`). */
  link: string | undefined
  /** Label of its badge image where the book defines one (`cat~asynchronous~badge`). */
  badge: string | undefined
  /** Keys of its crates, sorted as in `CrateIndex.crates`. */
  crates: string[]
}

/** Every crate the book references, and the categories they are paired with. */
export interface CrateIndex {
  /** Crates, sorted by name (the word index's collation and letter groups). */
  crates: CrateEntry[]
  /** Categories, sorted by key. */
  categories: CategoryEntry[]
  /** Crate labels the book defines that no chapter references (keys). */
  unreferenced: string[]
  /** Crates referenced that the book defines no docs label for (keys). */
  undefined: string[]
  /**
   * Where the book first defines each crate's docs label, in book order (for
   * `lint --crates`, which reports `unreferenced` there); optional so that
   * hand-made indexes need not say.
   */
  definitions?: CrateDefinition[] | undefined
}

/** The first definition of a crate's docs label (`[c~tokio~docs]: …`). */
export interface CrateDefinition {
  /** Crate key (`foldCrate`). */
  key: string
  /** Crate name as the label writes it. */
  name: string
  /** Label as written. */
  label: string
  /** Place of the chapter in book order. */
  chapterIndex: number
  /** Offset of the definition in the chapter content. */
  offset: number
}
