import * as z from 'zod/mini'
import { experimentOf } from '../config/config-writer'
import { counterKeyOf } from '../core/compile'
import { DomainError } from '../core/errors'
import { routes } from '../http/route'
import { analyzeExperiment } from '../results/analyze-experiment'
import { normalQuantile, requiredSampleSize } from '../stats'
import { parseCounters } from '../core/counters'
import { parseOrThrow } from '../core/validate'

const number = (what: string) => z.pipe(z.string().check(z.regex(/^-?\d*\.?\d+(e-?\d+)?$/i, `${what} must be a number`)), z.transform(Number))

/** Query of `GET /v1/sample-size`. */
export const SampleSizeQuerySchema = z.strictObject({
  baseline: z.pipe(number('baseline'), z.number().check(z.gt(0, 'baseline must be a rate in (0, 1)'), z.lt(1, 'baseline must be a rate in (0, 1)'))),
  mde: z.pipe(number('mde'), z.number().check(z.gt(0, 'mde must be greater than 0'))),
  mdeType: z._default(z.enum(['relative', 'absolute']), 'relative'),
  alpha: z._default(z.pipe(number('alpha'), z.number().check(z.gt(0, 'alpha must be in (0, 0.5]'), z.lte(0.5, 'alpha must be in (0, 0.5]'))), 0.05),
  power: z._default(z.pipe(number('power'), z.number().check(z.gt(0, 'power must be in (0, 1)'), z.lt(1, 'power must be in (0, 1)'))), 0.8),
  variants: z._default(z.pipe(number('variants'), z.int().check(z.gte(2, 'variants must be at least 2'), z.lte(20, 'variants must be at most 20'))), 2),
})

const SAMPLE_SIZE_HELP: Record<keyof typeof SampleSizeQuerySchema.shape, string> = {
  baseline: 'control conversion rate, in (0, 1)',
  mde: 'minimum detectable effect',
  mdeType: 'relative (default: mde is a fraction of baseline) or absolute',
  alpha: 'two-sided significance level (default 0.05)',
  power: 'default 0.8',
  variants: 'number of variants including control (default 2); alpha is split across the comparisons',
}

/** `GET /v1/experiments/:key/results` (admin) and `GET /v1/sample-size` (public calculator). */
export const resultsRoutes = routes(
  {
    method: 'GET',
    path: '/v1/experiments/:key/results',
    auth: 'admin',
    tag: 'results',
    summary:
      'Statistics per metric and variant: lift with CI, p-value (Holm/BH-adjusted), sequential p-value and CI, chance to beat control, expected loss, power, required n, SRM, verdict, daily series',
    response: { status: 200, description: 'the analysis of the current epoch' },
    handler: async (c) => {
      const key = c.req.param('key')!
      const { config, writer, store } = c.var.services
      const experiment = (await config.snapshot()).experiments.get(key)?.experiment ?? experimentOf(await writer.read(), key)
      if (!experiment) throw new DomainError('not_found', 'not_found', `experiment "${key}" does not exist`)
      return c.json(analyzeExperiment(experiment, parseCounters(await store.getCounters(counterKeyOf(experiment)))))
    },
  },
  {
    method: 'GET',
    path: '/v1/sample-size',
    auth: 'public',
    tag: 'results',
    summary: 'Required units per variant for a two-proportion test',
    request: {
      query: Object.entries(SAMPLE_SIZE_HELP).map(([name, description]) => ({ name, description, required: name === 'baseline' || name === 'mde' })),
    },
    response: { status: 200, description: '{ perVariant, total, expected, alphaPerComparison, … }' },
    handler: (c) => {
      const q = parseOrThrow(SampleSizeQuerySchema, Object.fromEntries(new URL(c.req.url).searchParams))
      const expected = q.mdeType === 'relative' ? q.baseline * (1 + q.mde) : q.baseline + q.mde
      if (expected >= 1) throw new DomainError('invalid', 'invalid_request', `mde: the expected rate ${expected} must stay below 1`)
      // Each treatment is compared with the control: plan with a Bonferroni share of alpha, the
      // conservative bound that Holm's procedure then improves on.
      const comparisons = q.variants - 1
      const alpha = q.alpha / comparisons
      const size = requiredSampleSize({ baseline: q.baseline, expected, alpha, power: q.power })
      return c.json({
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
      })
    },
  },
)
