import type { Context } from 'hono'
import { DomainError } from '../core/errors'
import type { AppEnv } from '../http/app-env'
import { readJson } from '../http/body'
import { routes } from '../http/route'
import { unitContext, unitQuery } from './unit-request'
import { assignQuery } from './assign-query'
import { type AssignRequest, AssignRequestSchema, type AssignResponse, AssignResponseSchema } from './assign-schema'

/**
 * Answers one validated assign request; its exposures are logged after the response, so the caller
 * never waits for bookkeeping (docs/design.md, "Counting"). With `confirm` they are written before
 * it instead, and `logged` lists the experiments whose exposure the store holds: a store that fails
 * lists none and still answers the assignments, which never fail because of counting.
 */
async function handle(c: Context<AppEnv>, body: AssignRequest): Promise<Response> {
  if (body.confirm && body.track === false) throw new DomainError('invalid', 'invalid_request', 'confirm: cannot be used with track=false')
  // c.get, not c.var: Hono's `var` copies every variable into a new object on each read.
  const { assignment, background } = c.get('services')
  const outcome = await assignment.assign({
    unit: body.unit,
    ...unitContext(c.req.raw, body),
    select: body.experiments ? { keys: body.experiments } : undefined,
    track: body.track !== false && !body.confirm,
  })
  background(outcome.pending)
  const response: AssignResponse = { unit: body.unit, assignments: Object.fromEntries(outcome.assignments.map((a) => [a.experiment, a])) }
  if (body.confirm) {
    const written = await assignment.confirm(outcome)?.acked
    // A sticky record in the current epoch was read from the store: it is the store's own proof.
    response.logged = outcome.assignments.filter((a) => written?.has(a.experiment) || (a.reason === 'sticky' && a.enrolled)).map((a) => a.experiment)
  }
  return c.json(response)
}

const assigned = { status: 200, schema: { name: 'AssignResponse', schema: AssignResponseSchema } }

/** `GET /v1/assign?unit=…` and `POST /v1/assign`: variants for one unit in one or more experiments. */
export const assignRoutes = routes(
  {
    method: 'GET',
    path: '/v1/assign',
    auth: 'public',
    request: { query: unitQuery('experiments', { name: 'confirm' }) },
    response: assigned,
    handler: (c) => handle(c, assignQuery(c.req.url)),
  },
  {
    method: 'POST',
    path: '/v1/assign',
    auth: 'public',
    request: { body: { name: 'AssignRequest', schema: AssignRequestSchema } },
    response: assigned,
    handler: async (c) => handle(c, await readJson(c, AssignRequestSchema)),
  },
)
