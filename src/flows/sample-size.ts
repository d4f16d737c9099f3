import * as z from 'zod/mini'
import { AlphaSchema, PowerSchema } from '../core/experiment'
import { DomainError } from '../core/errors'
import { parseOrThrow } from '../core/validate'
import { normalQuantile, requiredSampleSize } from '../stats'

// A query value that is a number: a decimal (no hex, blanks or "Infinity"), then `target`'s checks on
// its value, each issue worded as `target` words it. Not z.pipe(…, z.transform(Number)): zod's pipe
// and transform cost 0.4 KiB of the Worker's gzipped bundle; parseSampleSizeQuery converts instead.
const number = (what: string, target: z.ZodMiniType<number>) =>
  z.string().check(
    z.regex(/^-?\d*\.?\d+(e-?\d+)?$/i, { message: `${what} must be a number`, abort: true }),
    z.superRefine((s, ctx) => {
      for (const issue of target.safeParse(Number(s)).error?.issues ?? []) ctx.addIssue({ code: 'custom', message: issue.message, input: s })
    }),
  )

/** Query of the sample-size calculator (`GET /v1/sample-size`): decimal strings, read by parseSampleSizeQuery. */
export const SampleSizeQuerySchema = z.strictObject({
  baseline: number('baseline', z.number().check(z.gt(0, 'baseline must be a rate in (0, 1)'), z.lt(1, 'baseline must be a rate in (0, 1)'))),
  mde: number('mde', z.number().check(z.gt(0, 'mde must be greater than 0'))),
  mdeType: z._default(z.enum(['relative', 'absolute']), 'relative'),
  alpha: z._default(number('alpha', AlphaSchema), '0.05'),
  power: z._default(number('power', PowerSchema), '0.8'),
  variants: z._default(number('variants', z.int().check(z.gte(2, 'variants must be at least 2'), z.lte(20, 'variants must be at most 20'))), '2'),
})

type NumericField = 'baseline' | 'mde' | 'alpha' | 'power' | 'variants'

/** A parsed sample-size question: the schema's fields, the numeric ones as numbers. */
export type SampleSizeQuery = Omit<z.output<typeof SampleSizeQuerySchema>, NumericField> & Record<NumericField, number>

/**
 * Parses the calculator's query or throws an `invalid` DomainError naming each field.
 * @example parseSampleSizeQuery({ baseline: '0.1', mde: '0.2' }) // { baseline: 0.1, mde: 0.2, mdeType: 'relative', alpha: 0.05, power: 0.8, variants: 2 }
 */
export function parseSampleSizeQuery(query: unknown): SampleSizeQuery {
  const q = parseOrThrow(SampleSizeQuerySchema, query)
  return { ...q, baseline: Number(q.baseline), mde: Number(q.mde), alpha: Number(q.alpha), power: Number(q.power), variants: Number(q.variants) }
}

/** Answer of the calculator; perVariant and total are null (with a reason) when no n reaches the power. */
export const SampleSizeSchema = z.object({
  baseline: z.number(),
  expected: z.number(),
  absoluteEffect: z.number(),
  relativeEffect: z.number(),
  alpha: z.number(),
  alphaPerComparison: z.number(),
  power: z.number(),
  variants: z.number(),
  perVariant: z.nullable(z.number()),
  total: z.nullable(z.number()),
  zAlpha: z.number(),
  zBeta: z.number(),
  reason: z.nullable(z.string()),
})
export type SampleSize = z.infer<typeof SampleSizeSchema>

/**
 * Units needed per variant to detect `mde` on a binomial metric (docs/design.md, "Power and sample
 * size"). Each treatment is compared with the control, so the plan uses a Bonferroni share of
 * alpha: the conservative bound that Holm's procedure then improves on.
 */
export function planSampleSize(q: SampleSizeQuery): SampleSize {
  const expected = q.mdeType === 'relative' ? q.baseline * (1 + q.mde) : q.baseline + q.mde
  if (expected >= 1) throw new DomainError('invalid', 'invalid_request', `mde: the expected rate ${expected} must stay below 1`)
  const alpha = q.alpha / (q.variants - 1)
  const size = requiredSampleSize({ baseline: q.baseline, expected, alpha, power: q.power })
  return {
    baseline: q.baseline,
    expected,
    absoluteEffect: expected - q.baseline,
    relativeEffect: expected / q.baseline - 1,
    alpha: q.alpha,
    alphaPerComparison: alpha,
    power: q.power,
    variants: q.variants,
    perVariant: size.sampleSize,
    total: size.sampleSize === null ? null : size.sampleSize * q.variants,
    zAlpha: normalQuantile(1 - alpha / 2),
    zBeta: normalQuantile(q.power),
    reason: size.reason,
  }
}
