import { ExperimentResultsSchema } from '../flows/results'
import { parseSampleSizeQuery, planSampleSize, SampleSizeQuerySchema, SampleSizeSchema } from '../flows/sample-size'
import { routes } from '../http/route'

/** `GET /v1/experiments/:key/results` (admin) and `GET /v1/sample-size` (public calculator). */
export const resultsRoutes = routes(
  {
    method: 'GET',
    path: '/v1/experiments/:key/results',
    auth: 'admin',
    request: { query: [{ name: 'series', required: false }] },
    response: { status: 200, schema: { name: 'ExperimentResults', schema: ExperimentResultsSchema } },
    handler: async (c) => c.json(await c.var.services.results.analyse(c.req.param('key')!, c.req.query('series'))),
  },
  {
    method: 'GET',
    path: '/v1/sample-size',
    auth: 'public',
    request: { query: Object.keys(SampleSizeQuerySchema.shape).map((name) => ({ name, required: name === 'baseline' || name === 'mde' })) },
    response: { status: 200, schema: { name: 'SampleSize', schema: SampleSizeSchema } },
    handler: (c) => c.json(planSampleSize(parseSampleSizeQuery(Object.fromEntries(new URL(c.req.url).searchParams)))),
  },
)
