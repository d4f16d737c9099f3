import * as z from 'zod/mini'
import { DomainError } from '../core/errors'
import { normalQuantile, requiredSampleSize } from '../stats'

const number = (what: string) => z.pipe(z.string().check(z.regex(/^-?\d*\.?\d+(e-?\d+)?$/i, `${what} must be a number`)), z.transform(Number))

/** Query of the sample-size calculator (`GET /v1/sample-size`): strings in, numbers out. */
export const SampleSizeQuerySchema = z.strictObject({
  baseline: z.pipe(number('baseline'), z.number().check(z.gt(0, 'baseline must be a rate in (0, 1)'), z.lt(1, 'baseline must be a rate in (0, 1)'))),
  mde: z.pipe(number('mde'), z.number().check(z.gt(0, 'mde must be greater than 0'))),
  mdeType: z._default(z.enum(['relative', 'absolute']), 'relative'),
  alpha: z._default(z.pipe(number('alpha'), z.number().check(z.gt(0, 'alpha must be in (0, 0.5]'), z.lte(0.5, 'alpha must be in (0, 0.5]'))), 0.05),
  power: z._default(z.pipe(number('power'), z.number().check(z.gt(0, 'power must be in (0, 1)'), z.lt(1, 'power must be in (0, 1)'))), 0.8),
  variants: z._default(z.pipe(number('variants'), z.int().check(z.gte(2, 'variants must be at least 2'), z.lte(20, 'variants must be at most 20'))), 2),
})

/** A parsed sample-size question. */
export type SampleSizeQuery = z.output<typeof SampleSizeQuerySchema>

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
