import type { Context } from 'hono'
import { experimentOf } from '../../config/config-writer'
import { counterKeyOf } from '../../core/compile'
import { DomainError } from '../../core/errors'
import type { Experiment } from '../../core/experiment'
import type { AppEnv } from '../../http/app-env'
import { readJson } from '../../http/body'
import { domainError } from '../../http/errors'
import { routes } from '../../http/route'
import { handleSeed000Log } from './log'
import { fromSeed000, modelId, toSeed000 } from './mapping'
import { seed000Results } from './results'
import { Seed000CreateSchema, Seed000LogSchema, Seed000RouteSchema } from './schemas'
import { serverRoute } from './server-route'

const seed = (summary: string) => ({ tag: 'seed 000', summary }) as const
const toDict = { status: 200, description: 'seed 000 Experiment.to_dict()' }

/**
 * Seed 000's FastAPI surface, verbatim shapes, as a thin adapter over the same core and stores:
 * its clients (and its README's curl sequence) work unchanged against edgesplit. Managing
 * experiments and reading results are admin operations, as in the native API; under `npm run dev`
 * they are open, so the seed's curl sequence runs as written.
 */
export const seed000Routes = routes(
  {
    method: 'POST',
    path: '/experiments',
    auth: 'admin',
    ...seed('Seed 000: create an experiment (control/treatment model ids)'),
    request: { body: { name: 'Seed000Create', schema: Seed000CreateSchema } },
    response: toDict,
    handler: async (c) => {
      const body = await readJson(c, Seed000CreateSchema)
      const id = crypto.randomUUID().slice(0, 8)
      const result = await c.var.services.writer.create(fromSeed000(id, body))
      if (!result.ok) throw domainError(result.error)
      c.var.services.config.replace(result.doc)
      return c.json(toSeed000(result.experiment!))
    },
  },
  {
    method: 'POST',
    path: '/experiments/:id/start',
    auth: 'admin',
    ...seed('Seed 000: start'),
    response: { status: 200, description: '{"status": "started"}' },
    handler: (c) => move(c, 'running', 'started'),
  },
  {
    method: 'POST',
    path: '/experiments/:id/stop',
    auth: 'admin',
    ...seed('Seed 000: stop'),
    response: { status: 200, description: '{"status": "stopped"}' },
    handler: (c) => move(c, 'stopped', 'stopped'),
  },
  {
    method: 'GET',
    path: '/experiments/:id',
    auth: 'admin',
    ...seed('Seed 000: get an experiment'),
    response: toDict,
    handler: async (c) => c.json(toSeed000(await find(c, c.req.param('id')!))),
  },
  {
    method: 'POST',
    path: '/route',
    auth: 'public',
    ...seed('Seed 000: route a user'),
    request: { body: { name: 'Seed000Route', schema: Seed000RouteSchema } },
    response: { status: 200, description: '{experiment_id, variant_name, model_id}' },
    handler: async (c) => {
      const body = await readJson(c, Seed000RouteSchema)
      const snapshot = await c.var.services.config.snapshot()
      // Seed 000 routes to "the first active experiment" when none is named; the most recently
      // started one is the deterministic reading of that (and the one its usage example just started).
      const target = body.experiment_id
        ? snapshot.experiments.get(body.experiment_id)
        : [...snapshot.experiments.values()]
            .filter((x) => x.experiment.state === 'running')
            .sort((a, b) => (b.experiment.startedAt ?? '').localeCompare(a.experiment.startedAt ?? ''))[0]
      const none = { experiment_id: null, variant_name: null, model_id: null }
      if (!target || target.experiment.state !== 'running') return c.json(none)
      // The same assignment /log checks against; seed 000's /route records nothing (its /log does).
      const a = await serverRoute(c, target, body.user_id)
      if (!a.enrolled) return c.json(none)
      return c.json({ experiment_id: target.experiment.key, variant_name: a.variant, model_id: modelId(a.payload) ?? a.variant })
    },
  },
  {
    method: 'POST',
    path: '/log',
    auth: 'public',
    ...seed('Seed 000: log an exposure under the named variant and a conversion'),
    request: { body: { name: 'Seed000Log', schema: Seed000LogSchema } },
    response: { status: 200, description: '{"status": "logged"}' },
    handler: async (c) => handleSeed000Log(c, await readJson(c, Seed000LogSchema)),
  },
  {
    method: 'GET',
    path: '/experiments/:id/results',
    auth: 'admin',
    ...seed('Seed 000: two-proportion results'),
    response: { status: 200, description: 'seed 000 ExperimentResultsResponse' },
    handler: async (c) => {
      const e = await find(c, c.req.param('id')!)
      return c.json(seed000Results(e, await c.var.services.store.getCounters(counterKeyOf(e))))
    },
  },
)

async function find(c: Context<AppEnv>, id: string): Promise<Experiment> {
  const e = experimentOf(await c.var.services.writer.read(), id)
  if (!e) throw new DomainError('not_found', 'not_found', 'Experiment not found')
  return e
}

async function move(c: Context<AppEnv>, to: 'running' | 'stopped', status: string): Promise<Response> {
  const e = await find(c, c.req.param('id')!)
  // Seed 000 starts and stops from any state; edgesplit keeps its lifecycle, so starting a paused
  // experiment resumes it and starting a running one is a no-op.
  if (e.state === to) return c.json({ status })
  const result = await c.var.services.writer.transition(e.key, { to })
  if (!result.ok) throw domainError(result.error)
  c.var.services.config.replace(result.doc)
  return c.json({ status })
}
