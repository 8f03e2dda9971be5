/**
 * The wording of the reference and definition rules: one builder per
 * message, called by the book pass and the remark plugin alike, so that
 * both say the same thing byte for byte.
 *
 * Wording: “Unexpected `x`, expected `y`” or “Cannot find `x`; did you mean
 * `y`”, values in backticks, no final period.
 */

/** A place in a source file, as a note names it. */
export interface NotePlace {
  /** File, as the caller names it (such as `src/refs/crate-refs.md`). */
  file: string
  /** Line (1-indexed). */
  line: number
  /** Column (1-indexed). */
  column: number
}

/**
 * `undefined-reference`: a reference whose label has no definition.
 *
 * @param label
 *   Label as written (`c~tokio~docs`).
 * @param suggestion
 *   A defined label close to it (default: none).
 * @returns
 *   Reason.
 */
export function undefinedReferenceReason(label: string, suggestion?: string | undefined): string {
  return suggestion === undefined
    ? 'Unexpected undefined reference `' + label + '`, expected a definition'
    : 'Cannot find definition for `' + label + '`; did you mean `' + suggestion + '`'
}

/**
 * `wiki-link`: a `[[target | text]]` link, which mdBook renders literally.
 *
 * @param whole
 *   The link as written (`[[tokio | Tokio]]`).
 * @returns
 *   Reason.
 */
export function wikiLinkReason(whole: string): string {
  return (
    'Unexpected wiki link `' +
    whole +
    '`, expected a Markdown link such as `[text][label]` (mdBook renders wiki links literally)'
  )
}

/**
 * `duplicate-definition`: a label defined again with the same URL.
 *
 * @param label
 *   Label of the later definition.
 * @returns
 *   Reason.
 */
export function duplicateDefinitionReason(label: string): string {
  return 'Unexpected duplicate definition `' + label + '`, expected one definition per label'
}

/** What a conflicting definition is measured against. */
export interface Conflict {
  /** Label of the later definition, as written. */
  label: string
  /** Its URL. */
  url: string
  /** Label of the first definition, as written. */
  firstLabel: string
  /** URL of the first definition, which wins: where links go. */
  firstUrl: string
  /** Which URL the crate-label convention agrees with, when only one fits. */
  fits?: 'first' | 'later' | undefined
  /** Whether the labels differ in case and name different things (rename one). */
  rename?: boolean | undefined
}

/**
 * `conflicting-definition`: a label defined again with another URL.
 *
 * CommonMark matches labels without case, so the first definition wins and
 * links go to its URL; a URL is called expected only when the crate-label
 * convention agrees; labels that differ in case name different things, so
 * the advice is to rename one.
 *
 * @param conflict
 *   Both definitions.
 * @returns
 *   Reason.
 */
export function conflictingDefinitionReason(conflict: Readonly<Conflict>): string {
  const {label, url, firstLabel, firstUrl, fits, rename} = conflict
  const wins = 'the first definition wins, so links go to `' + firstUrl + '`'

  // `[c~std::result::Result::Err~docs]: …#variant.Err` then
  // `[c~std::result::Result::err~docs]: …#method.err`.
  if (rename) {
    return (
      'Unexpected label `' +
      label +
      '` for `' +
      url +
      '`, expected a label that differs from `' +
      firstLabel +
      '` in more than case (CommonMark ignores case: ' +
      wins +
      ')'
    )
  }

  if (fits === 'first') {
    return 'Unexpected URL `' + url + '` for `' + label + '`, expected `' + firstUrl + '` (' + wins + ')'
  }

  if (fits === 'later') {
    return (
      'Unexpected second definition of `' +
      label +
      '`, expected one definition, with `' +
      url +
      '` (' +
      wins +
      ', which breaks the URL convention)'
    )
  }

  return (
    'Unexpected second definition of `' +
    label +
    '` with `' +
    url +
    '`, expected one definition per label (' +
    wins +
    ')'
  )
}

/**
 * Note of a duplicate or conflicting definition: where the first one is.
 *
 * @param first
 *   Place of the first definition.
 * @param firstLabel
 *   Its label as written.
 * @param label
 *   Label of the later definition (the first’s is named when they differ).
 * @param samePlace
 *   Whether both are one place included twice.
 * @returns
 *   Note (`First defined at `src/refs.md:3:1`, which wins`).
 */
export function firstDefinitionNote(
  first: NotePlace,
  firstLabel: string,
  label: string | undefined,
  samePlace: boolean
): string {
  return (
    'First defined at `' +
    first.file +
    ':' +
    first.line +
    ':' +
    first.column +
    '`' +
    (firstLabel === label ? '' : ' as `' + firstLabel + '`') +
    (samePlace ? ' (the same place, included twice)' : '') +
    ', which wins'
  )
}

/**
 * Reason of the related place of a duplicate or conflict (its `cause`).
 *
 * @param label
 *   Label of the first definition.
 * @returns
 *   Reason.
 */
export function firstDefinitionReason(label: string): string {
  return 'First definition of `' + label + '`, which wins'
}

/**
 * `unused-definition`: a definition no reference uses.
 *
 * @param label
 *   Label.
 * @returns
 *   Reason.
 */
export function unusedDefinitionReason(label: string): string {
  return 'Unexpected unused definition `' + label + '`, expected a reference to it'
}

/**
 * `unsafe-url`: a `javascript:`, `vbscript:` or non-image `data:` URL.
 *
 * @param protocol
 *   Scheme, lowercase (`javascript`).
 * @param label
 *   Label.
 * @returns
 *   Reason.
 */
export function unsafeUrlReason(protocol: string, label: string): string {
  return 'Unexpected `' + protocol + ':` URL for `' + label + '`, expected a `https:` or relative URL'
}

/**
 * `malformed-definition`: `~` where a label conversion turned `-` into it
 * (`https://docs.rs/concat~string`).
 *
 * @param url
 *   URL.
 * @param label
 *   Label.
 * @returns
 *   Reason.
 */
export function strayTildeReason(url: string, label: string): string {
  return (
    'Unexpected `~` in URL `' +
    url +
    '` of `' +
    label +
    '`, expected `-` (`~` only starts a user path such as `/~user`)'
  )
}

/**
 * `malformed-definition`: doubled brackets (`[[label]]: url`).
 *
 * @param written
 *   The line up to its `:` (`[[label]]:`).
 * @param label
 *   Label inside.
 * @returns
 *   Reason.
 */
export function doubledBracketsReason(written: string, label: string): string {
  return 'Unexpected brackets in `' + written + '`, expected `[' + label + ']:`'
}

/**
 * `malformed-definition`: a definition after text of the same paragraph.
 *
 * @param label
 *   Label.
 * @returns
 *   Reason.
 */
export function definitionInParagraphReason(label: string): string {
  return (
    'Unexpected definition `[' +
    label +
    ']:` inside a paragraph, expected a blank line before it (a definition cannot interrupt a paragraph)'
  )
}

/**
 * `malformed-definition`: `[label]:` and nothing after it.
 *
 * @param label
 *   Label.
 * @returns
 *   Reason.
 */
export function missingDestinationReason(label: string): string {
  return 'Unexpected missing destination after `[' + label + ']:`, expected a URL'
}

/**
 * `malformed-definition`: a space in the destination (`[a]: b c`).
 *
 * @param label
 *   Label.
 * @returns
 *   Reason.
 */
export function spaceInDestinationReason(label: string): string {
  return (
    'Unexpected space in the destination of `[' +
    label +
    ']:`, expected `%20` or `<…>` around it (or a quoted title)'
  )
}

/**
 * `malformed-definition`: other text after a URL-like destination.
 *
 * @param label
 *   Label.
 * @returns
 *   Reason.
 */
export function definitionTextReason(label: string): string {
  return 'Unexpected text in definition-like line `[' + label + ']:`, expected a URL and an optional quoted title'
}

/**
 * `malformed-definition`: a label without `]` (`[label: url`).
 *
 * @param label
 *   Label.
 * @returns
 *   Reason.
 */
export function unclosedLabelReason(label: string): string {
  return 'Unexpected unclosed label `[' + label + '`, expected `[' + label + ']:`'
}
