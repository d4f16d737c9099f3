import { ExperimentResultsSchema } from '../flows/results'
import { parseSampleSizeQuery, planSampleSize, type SampleSizeQuerySchema, SampleSizeSchema } from '../flows/sample-size'
import { routes } from '../http/route'

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
      'Statistics per metric and variant: lift with CI, p-value (Holm/BH-adjusted), sequential p-value and CI, chance to beat control, expected loss, power, required n, SRM, verdict, daily series (of the primary metric unless ?series= says otherwise)',
    request: {
      query: [{ name: 'series', description: 'which metrics get daily series: a metric key, all, or none (default: the primary metric)', required: false }],
    },
    response: { status: 200, description: 'the analysis of the current epoch', schema: { name: 'ExperimentResults', schema: ExperimentResultsSchema } },
    handler: async (c) => c.json(await c.var.services.results.analyse(c.req.param('key')!, c.req.query('series'))),
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
    response: { status: 200, description: 'units per variant and in total, with the effect and the critical values', schema: { name: 'SampleSize', schema: SampleSizeSchema } },
    handler: (c) => c.json(planSampleSize(parseSampleSizeQuery(Object.fromEntries(new URL(c.req.url).searchParams)))),
  },
)
