/**
 * Cross-reference rules: `nestUnder` and `seeInstead` rewrites, their
 * loops, and dangling targets.
 */

import {addPrefixes, levelsOf, nearForm, pathKey, singulars} from './levels.js'
import {sep, type CrossReferenceProblem, type Item, type Level, type NestRule, type SeeRule, type Settings} from './model.js'
import {compareCodePoints, comparePaths} from './sort.js'

/**
 * Make `nestUnder` rules.
 *
 * @param settings
 *   Settings.
 * @returns
 *   Rules (first spelling wins when two keys have the same identity).
 */
export function nestRulesOf(
  settings: Settings,
  problems: CrossReferenceProblem[]
): NestRule[] {
  let rules: NestRule[] = []
  const seen = new Set<string>()

  for (const [name, target] of settings.nestUnder) {
    const from = levelsOf(name, true, settings)
    const to = levelsOf(target, true, settings)
    if (!from || !to) continue
    const fromKey = pathKey(from)
    if (seen.has(fromKey)) continue
    seen.add(fromKey)
    rules.push({name, target, from, fromKey, to, insert: true})
  }

  rules.sort((a, b) => comparePaths(a.from, b.from, settings.collator))

  // `{a = "b", b = "a"}`: `a` → `b!a` → `a!b!a` → … Find each cycle by
  // applying rules from each key; drop the member that sorts first.
  let cycle = findNestCycle(rules)

  while (cycle) {
    const cut = [...cycle].sort((a, b) =>
      comparePaths(a.from, b.from, settings.collator)
    )[0]
    const at = cycle.indexOf(cut)
    const ordered = [...cycle.slice(at), ...cycle.slice(0, at), cut]
    problems.push({
      ruleId: 'index-dangling-see',
      reason:
        'Unexpected nest loop ' +
        ordered.map((rule) => code(rule.name)).join(' → ') +
        ', expected a parent outside the chain (' +
        code(cut.name) +
        ' stays where it is)',
      term: cut.name,
      target: cut.target,
      expected: []
    })
    rules = rules.filter((rule) => rule !== cut)
    cycle = findNestCycle(rules)
  }

  return rules
}

/**
 * Find a cycle of nesting rules.
 *
 * @param rules
 *   Rules, sorted.
 * @returns
 *   Rules of the first cycle found, in application order, or `undefined`.
 */
function findNestCycle(rules: NestRule[]): NestRule[] | undefined {
  for (const start of rules) {
    const applied: NestRule[] = []
    const result = rewrite(start.from, rules, undefined, applied)
    const next = longestRule(result, rules)
    if (next && applied.includes(next)) {
      return applied.slice(applied.indexOf(next))
    }
  }

  return undefined
}

/**
 * The rule whose key is the longest prefix of a path.
 *
 * @param levels
 *   Path.
 * @param rules
 *   Rules.
 * @returns
 *   Rule, if any.
 */
function longestRule<Rule extends NestRule>(
  levels: Level[],
  rules: ReadonlyArray<Rule>
): Rule | undefined {
  for (let size = levels.length; size > 0; size--) {
    const key = pathKey(levels.slice(0, size))
    const rule = rules.find((rule) => rule.fromKey === key)
    if (rule) return rule
  }

  return undefined
}

/**
 * Make `seeInstead` rules, with keys and targets nested.
 *
 * @param settings
 *   Settings.
 * @param nestRules
 *   Nesting rules.
 * @returns
 *   Rules.
 */
export function seeRulesOf(settings: Settings, nestRules: NestRule[]): SeeRule[] {
  const rules: SeeRule[] = []
  const seen = new Set<string>()

  for (const [name, target] of settings.seeInstead) {
    const fromLevels = levelsOf(name, true, settings)
    const toLevels = levelsOf(target, true, settings)
    if (!fromLevels || !toLevels) continue
    const from = rewrite(fromLevels, nestRules, undefined)
    const to = rewrite(toLevels, nestRules, undefined)
    const fromKey = pathKey(from)
    if (seen.has(fromKey)) continue
    seen.add(fromKey)
    rules.push({
      name,
      target,
      from,
      fromKey,
      to,
      toKey: pathKey(to),
      insert: false,
      state: 'active'
    })
  }

  return rules.sort((a, b) => comparePaths(a.from, b.from, settings.collator))
}

/**
 * Whether a see rule moves occurrences.
 *
 * @param rule
 *   Rule.
 * @returns
 *   Whether active.
 */
export function activeRule(rule: NestRule | SeeRule): boolean {
  return !('state' in rule) || rule.state === 'active'
}

/**
 * Rewrite a path by the rule with the longest matching prefix, repeatedly;
 * each rule applies at most once (so `a → b`, `b → a` terminates).
 *
 * @param levels
 *   Path, such as `tokio!spawn`.
 * @param rules
 *   Rules.
 * @param active
 *   Filter on rules, if any.
 * @param applied
 *   Rules applied so far (filled in), if wanted.
 * @returns
 *   New path; rewritten prefixes are synthetic.
 */
export function rewrite<Rule extends NestRule>(
  levels: Level[],
  rules: ReadonlyArray<Rule>,
  active: ((rule: Rule) => boolean) | undefined,
  applied: Rule[] = []
): Level[] {
  if (rules.length === 0) return levels
  const byKey = new Map<string, Rule>()
  for (const rule of rules) {
    if (!active || active(rule)) byKey.set(rule.fromKey, rule)
  }

  let current = levels

  while (true) {
    let rule: Rule | undefined

    for (let size = current.length; size > 0 && !rule; size--) {
      rule = byKey.get(pathKey(current.slice(0, size)))
    }

    if (!rule || applied.includes(rule)) return current
    applied.push(rule)
    current = rule.insert
      ? [...rule.to, ...current]
      : [...rule.to, ...current.slice(rule.from.length)]
  }
}

/**
 * Decide the state of every see rule (the caller moves occurrences).
 *
 * 1. A rule that sees into itself or its own sub-entry, or one rule per
 *    cycle (`A → B → A`: the member that sorts first), is a loop: dropped.
 * 2. A rule whose final target is not an entry (counting only occurrences
 *    that no active rule moves) is dangling: its occurrences stay. Repeat
 *    until nothing changes (a dangling rule keeps occurrences, which can make
 *    another target exist).
 *
 * @param rules
 *   See rules, sorted.
 * @param items
 *   Occurrences with nested paths.
 * @param settings
 *   Settings.
 * @param problems
 *   Problems to add to.
 */
export function settleSeeRules(
  rules: SeeRule[],
  items: ReadonlyArray<Item>,
  settings: Settings,
  problems: CrossReferenceProblem[]
): void {
  cutLoops(rules, settings, problems)
  let changed = true

  while (changed) {
    changed = false
    const present = new Set<string>()

    for (const item of items) {
      if (rewrite(item.nested, rules, activeRule) === item.nested) {
        addPrefixes(present, item.nested)
      }
    }

    for (const rule of rules) {
      if (rule.state !== 'active') continue
      const applied: SeeRule[] = []
      const final = pathKey(rewrite(rule.to, rules, activeRule, applied))
      if (!present.has(final)) {
        // `B → A → X`, `X` missing: `A → X` is at fault, not `B → A`
        // (once `A` keeps its entries, `B → A` resolves).
        const culprit = applied.length > 0 ? applied[applied.length - 1] : rule
        culprit.state = 'dangling'
        changed = true
        // Recompute what is present before judging the next rule.
        break
      }
    }
  }

  for (const rule of rules) {
    if (rule.state === 'dangling') {
      problems.push(dangling(rule.name, rule.target, 'see', items, settings))
    }
  }
}

/**
 * Mark see rules that loop, with a problem per loop.
 *
 * @param rules
 *   See rules, sorted.
 * @param settings
 *   Settings.
 * @param problems
 *   Problems to add to.
 */
function cutLoops(
  rules: SeeRule[],
  settings: Settings,
  problems: CrossReferenceProblem[]
): void {
  for (const rule of rules) {
    // `{"a": "a"}`, `{"a": "a!b"}`: a rule into itself.
    if (rule.toKey === rule.fromKey || rule.toKey.startsWith(rule.fromKey + sep)) {
      rule.state = 'loop'
      problems.push({
        ruleId: 'index-dangling-see',
        reason:
          'Unexpected see loop ' +
          code(rule.name) +
          ' → ' +
          code(rule.target) +
          ', expected a target outside ' +
          code(rule.name),
        term: rule.name,
        target: rule.target,
        expected: []
      })
    }
  }

  const byKey = new Map(rules.map((rule) => [rule.fromKey, rule]))
  const done = new Set<SeeRule>()

  for (const start of rules) {
    const walk: SeeRule[] = []
    let rule: SeeRule | undefined = start

    while (rule && rule.state === 'active' && !done.has(rule)) {
      const index = walk.indexOf(rule)

      if (index !== -1) {
        const cycle = walk.slice(index)
        const cut = [...cycle].sort((a, b) =>
          comparePaths(a.from, b.from, settings.collator)
        )[0]
        const at = cycle.indexOf(cut)
        const ordered = [...cycle.slice(at), ...cycle.slice(0, at)]
        cut.state = 'loop'
        problems.push({
          ruleId: 'index-dangling-see',
          reason:
            'Unexpected see loop ' +
            [...ordered, cut].map((rule) => code(rule.name)).join(' → ') +
            ', expected a chain that ends at an index term (' +
            code(cut.name) +
            ' keeps its entries)',
          term: cut.name,
          target: cut.target,
          expected: []
        })
        break
      }

      walk.push(rule)
      rule = byKey.get(rule.toKey)
    }

    for (const rule of walk) done.add(rule)
  }
}

/**
 * Make a dangling-target problem, with a suggestion from near-duplicates.
 *
 * @param term
 *   Config key.
 * @param target
 *   Target as written.
 * @param kind
 *   `see` or `see also`.
 * @param items
 *   Items (for suggestions).
 * @param settings
 *   Settings.
 * @returns
 *   Problem.
 */
export function dangling(
  term: string,
  target: string,
  kind: 'see' | 'see also',
  items: ReadonlyArray<Item>,
  settings: Settings
): CrossReferenceProblem {
  const targetLevels = levelsOf(target, true, settings) || []
  const form = targetLevels.map((level) => nearForm(level.display)).join(sep)
  const forms = new Set([form, ...singulars(form)])
  const expected = new Set<string>()

  for (const item of items) {
    const own = item.nested.map((level) => nearForm(level.display))
    const last = own[own.length - 1]
    // `tokio` also finds `async!tokio`.
    if (
      [own.join(sep), last].some(
        (value) => forms.has(value) || singulars(value).includes(form)
      )
    ) {
      expected.add(item.nested.map((level) => level.display).join('!'))
    }
  }

  const suggestions = [...expected].sort(compareCodePoints)

  return {
    ruleId: 'index-dangling-see',
    reason:
      'Cannot find index term ' +
      code(target) +
      ' for ' +
      kind +
      ' from ' +
      code(term) +
      (suggestions.length > 0
        ? '; did you mean ' + suggestions.map((value) => code(value)).join(', ')
        : ''),
    term,
    target,
    expected: suggestions
  }
}

/**
 * Show a value as a code span in a message, with a longer fence when the
 * value has backticks (`` `tokio` ``).
 *
 * @param value
 *   Value.
 * @returns
 *   Code span source.
 */
export function code(value: string): string {
  let size = 1
  for (const run of value.match(/`+/g) || []) {
    size = Math.max(size, run.length + 1)
  }

  const fence = '`'.repeat(size)
  const pad = size > 1 ? ' ' : ''
  return fence + pad + value + pad + fence
}
