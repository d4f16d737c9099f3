import * as z from 'zod/mini'
import { ExperimentCreateSchema, ExperimentPatchSchema, ExperimentSchema, ExperimentStateSchema } from '../core/experiment'
import { CountsSchema } from '../flows/results'
import { readJson } from '../http/body'
import { routes } from '../http/route'
import { ifMatch, tagged } from '../http/versioned'

/** Answer of `GET /v1/experiments`: every experiment, newest first. */
export const ExperimentListSchema = z.object({ experiments: z.array(ExperimentSchema) })

/** Body of `POST /v1/experiments/:key/transition`. */
export const TransitionRequestSchema = z.strictObject({ to: ExperimentStateSchema, variant: z.optional(z.string()) })

const experiment = { status: 200, schema: { name: 'Experiment', schema: ExperimentSchema } }

/** Experiments CRUD with optimistic concurrency (`ETag` = version, `If-Match`) and state transitions (admin). */
export const experimentsRoutes = routes(
  {
    method: 'GET',
    path: '/v1/experiments',
    auth: 'admin',
    response: { status: 200, schema: { name: 'ExperimentList', schema: ExperimentListSchema } },
    handler: async (c) => {
      return c.json({ experiments: await c.var.services.experiments.list() })
    },
  },
  {
    method: 'POST',
    path: '/v1/experiments',
    auth: 'admin',
    request: { body: { name: 'ExperimentCreate', schema: ExperimentCreateSchema } },
    response: { status: 201, schema: { name: 'Experiment', schema: ExperimentSchema } },
    handler: async (c) => {
      const body = await readJson(c, ExperimentCreateSchema)
      const experiment = await c.var.services.experiments.create(body)
      c.header('Location', `/v1/experiments/${encodeURIComponent(experiment.key)}`)
      return tagged(c, experiment, 201)
    },
  },
  {
    method: 'GET',
    path: '/v1/experiments/:key',
    auth: 'admin',
    response: experiment,
    handler: async (c) => {
      return tagged(c, await c.var.services.experiments.get(c.req.param('key')!))
    },
  },
  {
    method: 'PATCH',
    path: '/v1/experiments/:key',
    auth: 'admin',
    request: { body: { name: 'ExperimentPatch', schema: ExperimentPatchSchema } },
    response: experiment,
    handler: async (c) => {
      const body = await readJson(c, ExperimentPatchSchema)
      return tagged(c, await c.var.services.experiments.edit(c.req.param('key')!, body, ifMatch(c)))
    },
  },
  {
    method: 'DELETE',
    path: '/v1/experiments/:key',
    auth: 'admin',
    response: { status: 204 },
    handler: async (c) => {
      await c.var.services.experiments.remove(c.req.param('key')!, ifMatch(c))
      return c.body(null, 204)
    },
  },
  {
    method: 'GET',
    path: '/v1/experiments/:key/counts',
    auth: 'admin',
    response: { status: 200, schema: { name: 'Counts', schema: CountsSchema } },
    handler: async (c) => c.json(await c.var.services.results.counts(c.req.param('key')!)),
  },
  {
    method: 'POST',
    path: '/v1/experiments/:key/transition',
    auth: 'admin',
    request: { body: { name: 'TransitionRequest', schema: TransitionRequestSchema } },
    response: experiment,
    handler: async (c) => {
      const body = await readJson(c, TransitionRequestSchema)
      return tagged(c, await c.var.services.experiments.transition(c.req.param('key')!, body, ifMatch(c)))
    },
  },
)
