import type { Context } from 'hono'
import { parseOrThrow } from '../core/validate'
import type { AppEnv } from '../http/app-env'
import { readJson } from '../http/body'
import { routes } from '../http/route'
import { unitContext, unitQuery } from './unit-request'
import { queryToRequest } from './assign-query'
import { type FlagsRequest, FlagsRequestSchema, type FlagsResponse, FlagsResponseSchema } from './flags-schema'

/** Evaluates one validated request; exposures of experiment rules are logged after the response, as for /v1/assign. */
async function handle(c: Context<AppEnv>, body: FlagsRequest): Promise<Response> {
  const { evaluateFlags, background } = c.var.services
  const outcome = await evaluateFlags({
    unit: body.unit,
    ...unitContext(c.req.raw, body),
    keys: body.flags,
    track: body.track !== false,
  })
  background(outcome.pending)
  const response: FlagsResponse = { unit: body.unit, flags: Object.fromEntries(outcome.flags.map(({ key, ...result }) => [key, result])) }
  return c.json(response)
}

const evaluated = { status: 200, schema: { name: 'FlagsResponse', schema: FlagsResponseSchema } }

/** `GET /v1/flags?unit=…` and `POST /v1/flags`: flag values for one unit, with the reason of each. */
export const flagEvaluateRoutes = routes(
  {
    method: 'GET',
    path: '/v1/flags',
    auth: 'public',
    request: { query: unitQuery('flags') },
    response: evaluated,
    handler: (c) => {
      const query = queryToRequest(new URL(c.req.url).searchParams)
      if (typeof query.flags === 'string') query.flags = query.flags.split(',').map((s) => s.trim()).filter(Boolean)
      return handle(c, parseOrThrow(FlagsRequestSchema, query))
    },
  },
  {
    method: 'POST',
    path: '/v1/flags',
    auth: 'public',
    request: { body: { name: 'FlagsRequest', schema: FlagsRequestSchema } },
    response: evaluated,
    handler: async (c) => handle(c, await readJson(c, FlagsRequestSchema)),
  },
)
