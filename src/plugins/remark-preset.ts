/**
 * unified preset: mdBook's flavour, index markers, link-reference checks and
 * `<!-- mdbook-xref disable … -->` comments, each with its defaults, so that `remark --use mdbook-xref/remark-preset` and
 * a `.remarkrc` naming it check a book's Markdown as the preprocessor does.
 */

import type {Preset} from 'unified'
import {remarkMdbook} from './remark-mdbook.js'
import {remarkXrefMarkers} from './remark-xref-markers.js'
import {remarkXrefControl} from './remark-xref-control.js'
import {remarkXrefRefs} from './remark-xref-refs.js'

/**
 * The plugins, in the order they must run: the flavour first, so the rules see
 * tables and footnotes as mdBook does; comment control last, as remark-lint
 * has it, so it sees every rule's messages.
 */
export const remarkPreset: Preset = {
  plugins: [remarkMdbook, remarkXrefMarkers, remarkXrefRefs, remarkXrefControl]
}
