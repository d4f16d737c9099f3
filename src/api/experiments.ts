import type { Context } from 'hono'
import * as z from 'zod/mini'
import { counterKeyOf } from '../core/compile'
import { DomainError } from '../core/errors'
import { type Experiment, ExperimentCreateSchema, ExperimentPatchSchema, ExperimentSchema, ExperimentStateSchema } from '../core/experiment'
import { experimentOf, type WriteResult } from '../config/config-writer'
import type { AppEnv } from '../http/app-env'
import { readJson } from '../http/body'
import { domainError } from '../http/errors'
import { routes } from '../http/route'
import { parseCounters } from '../core/counters'

/** Body of `POST /v1/experiments/:key/transition`. */
export const TransitionRequestSchema = z.strictObject({ to: ExperimentStateSchema, variant: z.optional(z.string()) })

const experiment = (description: string) => ({ status: 200, description, schema: { name: 'Experiment', schema: ExperimentSchema } })
const key = (summary: string) => ({ auth: 'admin', tag: 'experiments', summary }) as const

/** Experiments CRUD with optimistic concurrency (`ETag` = version, `If-Match`) and state transitions (admin). */
export const experimentsRoutes = routes(
  {
    method: 'GET',
    path: '/v1/experiments',
    ...key('List experiments'),
    response: { status: 200, description: '{ experiments: Experiment[] }, newest first' },
    handler: async (c) => {
      const doc = await c.var.services.writer.read()
      c.var.services.config.replace(doc)
      const experiments = Object.values(doc.experiments).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.key.localeCompare(b.key))
      return c.json({ experiments })
    },
  },
  {
    method: 'POST',
    path: '/v1/experiments',
    ...key('Create an experiment (in draft)'),
    request: { body: { name: 'ExperimentCreate', schema: ExperimentCreateSchema } },
    response: { status: 201, description: 'the experiment; ETag is its version', schema: { name: 'Experiment', schema: ExperimentSchema } },
    handler: async (c) => {
      const body = await readJson(c, ExperimentCreateSchema)
      const experiment = await applied(c, await c.var.services.writer.create(body))
      c.header('Location', `/v1/experiments/${encodeURIComponent(experiment.key)}`)
      return c.json(experiment, 201)
    },
  },
  {
    method: 'GET',
    path: '/v1/experiments/:key',
    ...key('Get an experiment'),
    response: experiment('the experiment; ETag is its version'),
    handler: async (c) => {
      const key = c.req.param('key')!
      const experiment = experimentOf(await c.var.services.writer.read(), key)
      if (!experiment) throw new DomainError('not_found', 'not_found', `experiment "${key}" does not exist`)
      c.header('ETag', etag(experiment))
      return c.json(experiment)
    },
  },
  {
    method: 'PATCH',
    path: '/v1/experiments/:key',
    ...key('Edit an experiment (If-Match: its version)'),
    request: { body: { name: 'ExperimentPatch', schema: ExperimentPatchSchema } },
    response: experiment('the edited experiment'),
    handler: async (c) => {
      const body = await readJson(c, ExperimentPatchSchema)
      const result = await c.var.services.writer.edit(c.req.param('key')!, body, ifMatch(c))
      return c.json(await applied(c, result))
    },
  },
  {
    method: 'DELETE',
    path: '/v1/experiments/:key',
    ...key('Delete a draft or stopped experiment'),
    response: { status: 204, description: 'deleted' },
    handler: async (c) => {
      await applied(c, await c.var.services.writer.remove(c.req.param('key')!, ifMatch(c)), true)
      return c.body(null, 204)
    },
  },
  {
    method: 'GET',
    path: '/v1/experiments/:key/counts',
    auth: 'admin',
    tag: 'results',
    summary: 'Raw counters per epoch, variant, metric and UTC day',
    response: { status: 200, description: '{ experiment, store, epoch, counters }' },
    handler: async (c) => {
      const key = c.req.param('key')!
      const experiment = experimentOf(await c.var.services.writer.read(), key)
      if (!experiment) throw new DomainError('not_found', 'not_found', `experiment "${key}" does not exist`)
      const raw = await c.var.services.store.getCounters(counterKeyOf(experiment))
      return c.json({ experiment: key, store: c.var.services.store.kind, epoch: experiment.epoch, counters: parseCounters(raw) })
    },
  },
  {
    method: 'POST',
    path: '/v1/experiments/:key/transition',
    ...key('Change state: draft→running, running↔paused, →rollout (with variant), →stopped'),
    request: { body: { name: 'TransitionRequest', schema: TransitionRequestSchema } },
    response: experiment('the experiment in its new state'),
    handler: async (c) => {
      const body = await readJson(c, TransitionRequestSchema)
      const result = await c.var.services.writer.transition(c.req.param('key')!, body, ifMatch(c))
      return c.json(await applied(c, result))
    },
  },
)

/** Unwraps a ConfigWriter result: refreshes this isolate's config and sets the ETag, or throws. */
async function applied(c: Context<AppEnv>, result: WriteResult, deleted?: true): Promise<Experiment> {
  if (!result.ok) throw domainError(result.error)
  c.var.services.config.replace(result.doc)
  if (deleted || !result.experiment) return undefined as never
  c.header('ETag', etag(result.experiment))
  return result.experiment
}

function etag(e: Experiment): string {
  return `"${e.version}"`
}

/** The version named by `If-Match` (`"3"`, `W/"3"` or `3`), if any. */
function ifMatch(c: Context): number | undefined {
  const header = c.req.header('if-match')
  if (header === undefined) return undefined
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header)
  if (!match) throw new DomainError('invalid', 'invalid_request', `If-Match: expected the experiment's version as an ETag like "3", got ${header}`)
  return Number(match[1])
}
