/**
 * remark plugin that lets comments turn mdbook-xref messages off and on, as
 * `remark-lint` does for lint rules:
 * `<!-- mdbook-xref disable undefined-reference -->`,
 * `<!-- mdbook-xref enable undefined-reference -->`, and
 * `<!-- mdbook-xref ignore wiki-link -->` (the next node only).
 */

import type {Root} from 'mdast'
import remarkMessageControl from 'remark-message-control'
import type {Plugin, Processor} from 'unified'
import {rules, source, type RuleId} from '../diagnostics/rules.js'

/** Configuration of `remarkXrefControl`. */
export interface ControlOptions {
  /** Rules to turn on at the start; used when `reset` is `true` (default: `[]`). */
  enable?: RuleId[] | null | undefined
  /** Rules to turn off at the start; used when `reset` is not `true` (default: `[]`). */
  disable?: RuleId[] | null | undefined
  /** Whether every rule starts off, to be turned on by `enable` or comments (default: `false`). */
  reset?: boolean | null | undefined
}

const emptyOptions: Readonly<ControlOptions> = {}

/** Rule ids a comment may name; others get remark-message-control's warning. */
const known: string[] = Object.keys(rules)

/**
 * Let `<!-- mdbook-xref disable|enable|ignore [rule…] -->` comments control
 * the messages of mdbook-xref (`source: 'mdbook-xref'`).
 *
 * Message control keeps or drops the messages that exist when it runs, so it
 * is added from this attacher: attachers run when the processor freezes, so
 * it lands after every plugin used on the processor, also those used after
 * this one (as `remark-lint` does).
 *
 * @param options
 *   Configuration (optional).
 * @returns
 *   Nothing.
 */
export const remarkXrefControl: Plugin<[(Readonly<ControlOptions> | null | undefined)?], Root> =
  function (this: Processor, options) {
    this.use(remarkMessageControl, {...(options || emptyOptions), known, name: source, source})
  }
