import type { Context } from 'hono'
import type { AppEnv } from '../../http/app-env'
import { readJson } from '../../http/body'
import { routes } from '../../http/route'
import { handleSeed000Log } from './log'
import { fromSeed000, modelId, toSeed000 } from './mapping'
import { Seed000ExperimentSchema, Seed000ResultsSchema, Seed000RoutedSchema, Seed000StatusSchema } from './response-schemas'
import { SEED000_GROUPS, seed000Results } from './results'
import { Seed000CreateSchema, Seed000LogSchema, Seed000RouteSchema } from './schemas'
import { serverRoute } from './server-route'

/** Seed 000's 404 message (FastAPI's `detail`). */
const notFound = () => 'Experiment not found'
const toDict = { status: 200, schema: { name: 'Seed000Experiment', schema: Seed000ExperimentSchema } }

/**
 * Seed 000's FastAPI surface (the legacy experiment router described in docs/compatibility.md),
 * verbatim shapes, as a thin adapter over the flows: its clients and its curl sequence work unchanged. Managing
 * experiments and reading results are admin operations, as in the native API; under `npm run dev`
 * they are open, so the seed's curl sequence runs as written.
 */
export const seed000Routes = routes(
  {
    method: 'POST',
    path: '/experiments',
    auth: 'admin',
    request: { body: { name: 'Seed000Create', schema: Seed000CreateSchema } },
    response: toDict,
    handler: async (c) => {
      const body = await readJson(c, Seed000CreateSchema)
      const id = crypto.randomUUID().slice(0, 8)
      return c.json(toSeed000(await c.var.services.experiments.create(fromSeed000(id, body))))
    },
  },
  {
    method: 'POST',
    path: '/experiments/:id/start',
    auth: 'admin',
    response: { status: 200, schema: { name: 'Seed000Started', schema: Seed000StatusSchema('started') } },
    handler: (c) => move(c, 'running', 'started'),
  },
  {
    method: 'POST',
    path: '/experiments/:id/stop',
    auth: 'admin',
    response: { status: 200, schema: { name: 'Seed000Stopped', schema: Seed000StatusSchema('stopped') } },
    handler: (c) => move(c, 'stopped', 'stopped'),
  },
  {
    method: 'GET',
    path: '/experiments/:id',
    auth: 'admin',
    response: toDict,
    handler: async (c) => c.json(toSeed000(await c.var.services.experiments.get(c.req.param('id')!, notFound))),
  },
  {
    method: 'POST',
    path: '/route',
    auth: 'public',
    request: { body: { name: 'Seed000Route', schema: Seed000RouteSchema } },
    response: { status: 200, schema: { name: 'Seed000Routed', schema: Seed000RoutedSchema } },
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
    request: { body: { name: 'Seed000Log', schema: Seed000LogSchema } },
    response: { status: 200, schema: { name: 'Seed000Logged', schema: Seed000StatusSchema('logged') } },
    handler: async (c) => handleSeed000Log(c, await readJson(c, Seed000LogSchema)),
  },
  {
    method: 'GET',
    path: '/experiments/:id/results',
    auth: 'admin',
    response: { status: 200, schema: { name: 'Seed000Results', schema: Seed000ResultsSchema } },
    handler: async (c) => {
      const { experiment, test } = await c.var.services.results.conversion(c.req.param('id')!, SEED000_GROUPS, notFound)
      return c.json(seed000Results(experiment, test))
    },
  },
)

async function move(c: Context<AppEnv>, to: 'running' | 'stopped', status: string): Promise<Response> {
  const { experiments } = c.var.services
  const e = await experiments.get(c.req.param('id')!, notFound)
  // Seed 000 starts and stops from any state; edgesplit keeps its lifecycle, so starting a paused
  // experiment resumes it and starting a running one is a no-op.
  if (e.state === to) return c.json({ status })
  await experiments.transition(e.key, { to })
  return c.json({ status })
}
