/**
 * unified preset: mdBook's flavour, index markers and link-reference checks,
 * each with its defaults, so that `remark --use mdbook-xref/remark-preset` and
 * a `.remarkrc` naming it check a book's Markdown as the preprocessor does.
 */

import type {Preset} from 'unified'
import {remarkMdbook} from './remark-mdbook.js'
import {remarkXrefMarkers} from './remark-xref-markers.js'
import {remarkXrefRefs} from './remark-xref-refs.js'

/** The three plugins, in the order they must run. */
export const remarkPreset: Preset = {plugins: [remarkMdbook, remarkXrefMarkers, remarkXrefRefs]}
