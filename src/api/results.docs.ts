import type { SampleSizeQuerySchema } from '../flows/sample-size'
import type { RouteDocs } from '../http/route'

// Typed by the calculator's query schema, so a new parameter cannot go undescribed.
const SAMPLE_SIZE_QUERY_DOCS: Record<keyof typeof SampleSizeQuerySchema.shape, string> = {
  baseline: 'control conversion rate, in (0, 1)',
  mde: 'minimum detectable effect',
  mdeType: 'relative (default: mde is a fraction of baseline) or absolute',
  alpha: 'two-sided significance level (default 0.05)',
  power: 'default 0.8',
  variants: 'number of variants including control (default 2); alpha is split across the comparisons',
}

/** The OpenAPI words (tag, summary, query and response descriptions) of the routes in results.ts: read by `npm run assets` only, never bundled into the Worker. */
export const resultsDocs: Record<string, RouteDocs> = {
  'GET /v1/experiments/:key/results': {
    tag: 'results',
    summary: 'Statistics per metric and variant: lift with CI, p-value (Holm/BH-adjusted), sequential p-value and CI, chance to beat control, expected loss, power, required n, SRM, verdict, daily series (of the primary metric unless ?series= says otherwise)',
    query: {
      series: 'which metrics get daily series: a metric key, all, or none (default: the primary metric)',
    },
    response: 'the analysis of the current epoch',
  },
  'GET /v1/sample-size': {
    tag: 'results',
    summary: 'Required units per variant for a two-proportion test',
    query: SAMPLE_SIZE_QUERY_DOCS,
    response: 'units per variant and in total, with the effect and the critical values',
  },
}
