import * as z from 'zod/mini'
import { shortText } from './short-text'
import { reported, TargetingSchema, VariantSchema } from './experiment'

// Flag and rule keys follow experiment keys: they travel in URLs, headers and hash salts.
const key = VariantSchema.shape.key

/** The value types a flag can serve (OpenFeature's boolean, string, number and object). */
export const FLAG_TYPES = ['boolean', 'string', 'number', 'json'] as const
export type FlagType = (typeof FLAG_TYPES)[number]

/** One share of a percentage rollout: `weight` percent of the units get `value`. */
export const RolloutShareSchema = z.strictObject({
  value: z.json(),
  weight: z.number().check(z.gt(0, 'weight must be greater than 0 (percent of units)'), z.lte(100, 'weight must be at most 100 (percent of units)')),
})

/**
 * What a rule serves once its `when` matches: one value to everyone, a percentage rollout (weights
 * are percent of units, at most 100 in total; units beyond the total fall through to the next rule),
 * or the variant an experiment assigns.
 */
export const ServeSchema = z.union([
  z.strictObject({ value: z.json() }),
  z.strictObject({ rollout: z.array(RolloutShareSchema).check(z.minLength(1, 'a rollout needs at least 1 value'), z.maxLength(20, 'at most 20 values')) }),
  z.strictObject({ experiment: key }),
])
export type Serve = z.infer<typeof ServeSchema>

/** A targeting rule: `when` as for experiments (absent or null: everyone), then what it serves. */
export const FlagRuleSchema = z.strictObject({ id: key, when: z.optional(z.nullable(TargetingSchema)), serve: ServeSchema })
export type FlagRule = z.infer<typeof FlagRuleSchema>

const editableShape = {
  type: z.enum(FLAG_TYPES, 'type must be one of boolean, string, number, json'),
  enabled: z.boolean(),
  default: z.json(),
  rules: z.array(FlagRuleSchema).check(z.maxLength(50, 'at most 50 rules')),
  description: z.optional(z.string().check(z.maxLength(2000, 'must be at most 2000 characters'))),
  tags: z.optional(z.array(shortText(64)).check(z.maxLength(20, 'at most 20 tags'))),
}

type Typed = { type: FlagType; default: unknown; rules: readonly FlagRule[] }
const typedCheck = reported(checkFlag)

const createShape = { ...editableShape, enabled: z._default(editableShape.enabled, true), rules: z._default(editableShape.rules, []) }

/** A whole flag as a client writes it: the editable fields (enabled and rules default to true and none). */
export const FlagCreateSchema = z.strictObject({ key, ...createShape }).check(typedCheck)
export type FlagCreate = z.infer<typeof FlagCreateSchema>

/** Body of `PUT /v1/flags/:key`: a whole flag, its key optional (the path names it). */
export const FlagPutSchema = z.strictObject({ key: z.optional(key), ...createShape }).check(typedCheck)

/** Body of `PATCH /v1/flags/:key`: any editable field; the merged flag is checked whole. */
export const FlagPatchSchema = z.strictObject({
  ...Object.fromEntries(Object.entries(editableShape).map(([k, s]) => [k, z.optional(s)])),
  version: z.optional(z.int()),
} as { [K in keyof typeof editableShape]: z.ZodMiniOptional<(typeof editableShape)[K]> } & { version: z.ZodMiniOptional<z.ZodMiniInt> })
export type FlagPatch = z.infer<typeof FlagPatchSchema>

/** A flag as stored in the config document, next to the experiments. */
export const FlagSchema = z
  .strictObject({ key, ...editableShape, version: z.int().check(z.positive()), createdAt: z.string(), updatedAt: z.string() })
  .check(typedCheck)
export type Flag = z.infer<typeof FlagSchema>

/** Whether `value` is a value of flag type `type` (json takes any JSON value). */
export function fitsType(type: FlagType, value: unknown): boolean {
  if (type === 'json') return value !== undefined
  return type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === type
}

/** Cross-field rules: every served value has the flag's type, rule ids are unique, a rollout totals at most 100%. */
function checkFlag(f: Typed, fail: (path: PropertyKey[], message: string) => void): void {
  const wrong = (path: PropertyKey[], value: unknown) => {
    if (!fitsType(f.type, value)) fail(path, `must be a ${f.type} (the flag's type), got ${JSON.stringify(value)}`)
  }
  wrong(['default'], f.default)
  const ids = new Set<string>()
  f.rules.forEach((rule, i) => {
    if (ids.has(rule.id)) fail(['rules', i, 'id'], `duplicate rule id "${rule.id}"`)
    ids.add(rule.id)
    const serve = rule.serve
    if ('value' in serve) wrong(['rules', i, 'serve', 'value'], serve.value)
    else if ('rollout' in serve) {
      serve.rollout.forEach((share, j) => wrong(['rules', i, 'serve', 'rollout', j, 'value'], share.value))
      const total = serve.rollout.reduce((sum, share) => sum + share.weight, 0)
      if (total > 100 + 1e-9) fail(['rules', i, 'serve', 'rollout'], `weights are percent of units and total ${total}: at most 100`)
    }
  })
}

/** One entry of a flag's change history: which version a change made, when, and the flag as it then was (null once deleted). */
export const FlagChangeSchema = z.object({
  version: z.int(),
  at: z.string(),
  action: z.enum(['create', 'edit', 'enable', 'disable', 'delete']),
  flag: z.nullable(FlagSchema),
})
export type FlagChange = z.infer<typeof FlagChangeSchema>
