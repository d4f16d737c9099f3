import { isRecord } from './is-record'
import { bucketRanges, chooseRange, type Range } from './bucket'
import type { Flag } from './flag'
import { hashToUnitInterval } from './hash'
import { compileTargeting, type TargetingContext, type TargetingPredicate } from './targeting'

/** A JSON value a flag serves. */
export type FlagValue = Flag['default']

type CompiledServe =
  | { kind: 'value'; value: FlagValue }
  | { kind: 'rollout'; salt: string; ranges: readonly Range[]; values: readonly FlagValue[] }
  | { kind: 'experiment'; experiment: string }

/** A flag prepared for the hot path: each rule's targeting and rollout ranges computed once per load. */
export type CompiledFlag = {
  readonly flag: Flag
  readonly rules: readonly { readonly id: string; readonly when: TargetingPredicate; readonly serve: CompiledServe }[]
}

/**
 * How a flag decided, for one unit (README, "Flags"):
 * - `flag_disabled`: the flag is off; everyone gets its default.
 * - `rule:<id>`: rule `<id>` matched and serves one value.
 * - `rollout`: rule `rule` matched and the unit's hash fell in one of its percentages.
 * - `experiment`: rule `rule` matched and hands the unit to an experiment (resolved by the caller).
 * - `targeting`: the flag has rules and the request matched none of their `when`.
 * - `default`: the flag has no rules, or a rule matched but the unit fell outside its rollout and no later rule served.
 */
export type FlagDecision =
  | { kind: 'value'; value: FlagValue; reason: string; rule?: string }
  | { kind: 'experiment'; experiment: string; rule: string }

/**
 * The salt of a rollout rule's hash. It names the flag and the rule, never the percentages, so
 * ramping a rule up only adds units (bucketRanges) and each rule buckets independently of the others.
 * @example rolloutSalt('new-checkout', 'beta') // 'flag:new-checkout:beta'
 */
export function rolloutSalt(flag: string, rule: string): string {
  return `flag:${flag}:${rule}`
}

/**
 * The ranges of a rollout: its values split the units in proportion to their weights, over the
 * first (Σ weights)% of the hash. Scaling the weights up only widens every range from its fixed
 * start, so no unit already served changes value (docs/design.md, "Hashing": GrowthBook ranges).
 * @example rolloutRanges([10]) // [[0, 0.1]]
 */
export function rolloutRanges(weights: readonly number[]): Range[] {
  const total = weights.reduce((a, b) => a + b, 0)
  return bucketRanges(weights, Math.min(total / 100, 1))
}

/** Prepares one validated flag for evaluation. */
export function compileFlag(flag: Flag): CompiledFlag {
  return {
    flag,
    rules: flag.rules.map((rule) => {
      const s = rule.serve
      const serve: CompiledServe =
        'value' in s
          ? { kind: 'value', value: s.value }
          : 'rollout' in s
            ? { kind: 'rollout', salt: rolloutSalt(flag.key, rule.id), ranges: rolloutRanges(s.rollout.map((r) => r.weight)), values: s.rollout.map((r) => r.value) }
            : { kind: 'experiment', experiment: s.experiment }
      return { id: rule.id, when: compileTargeting(rule.when), serve }
    }),
  }
}

/**
 * Evaluates one flag for one unit: disabled → default; else the first rule whose `when` matches and
 * that serves the unit decides; else the default (reasons in FlagDecision). Pure but for hashing.
 * @example await evaluateFlag(compileFlag(flag), { unit: 'u1', device: 'desktop', attributes: {} })
 */
export async function evaluateFlag(c: CompiledFlag, ctx: TargetingContext & { unit: string }): Promise<FlagDecision> {
  const f = c.flag
  if (!f.enabled) return { kind: 'value', value: f.default, reason: 'flag_disabled' }
  let matched = false
  for (const rule of c.rules) {
    if (!rule.when(ctx)) continue
    matched = true
    const s = rule.serve
    if (s.kind === 'value') return { kind: 'value', value: s.value, reason: `rule:${rule.id}`, rule: rule.id }
    if (s.kind === 'experiment') return { kind: 'experiment', experiment: s.experiment, rule: rule.id }
    const index = chooseRange(await hashToUnitInterval(ctx.unit, s.salt), s.ranges)
    if (index >= 0) return { kind: 'value', value: s.values[index]!, reason: 'rollout', rule: rule.id }
  }
  return { kind: 'value', value: f.default, reason: matched || c.rules.length === 0 ? 'default' : 'targeting' }
}

/**
 * The value an experiment rule serves for a variant: its payload's `value` when the payload is an
 * object that has one, else the variant key.
 * @example variantValue({ key: 'treatment', payload: { value: true } }) // true
 */
export function variantValue(v: { key: string; payload?: unknown }): FlagValue {
  const p = v.payload
  return isRecord(p) && 'value' in p ? (p.value as FlagValue) : v.key
}
