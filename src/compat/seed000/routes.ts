import type { Context, Hono } from 'hono'
import { experimentOf } from '../../config/config-writer'
import { counterKeyOf } from '../../core/compile'
import { DomainError } from '../../core/errors'
import type { Experiment } from '../../core/experiment'
import type { AppEnv } from '../../env'
import { adminAuth } from '../../http/admin-auth'
import { readJson } from '../../http/body'
import { domainError } from '../../http/errors'
import { handleSeed000Log } from './log'
import { fromSeed000, modelId, toSeed000 } from './mapping'
import { seed000Results } from './results'
import { Seed000CreateSchema, Seed000LogSchema, Seed000RouteSchema } from './schemas'
import { serverRoute } from './server-route'

/**
 * Seed 000's FastAPI surface, verbatim shapes, as a thin adapter over the same core and stores:
 * its clients (and its README's curl sequence) work unchanged against edgesplit.
 */
export function registerSeed000(app: Hono<AppEnv>): void {
  // Managing experiments and reading results are admin operations (SPEC), as in the native API;
  // under `npm run dev` they are open, so the seed's curl sequence runs as written.
  const admin = adminAuth()
  app.post('/experiments', admin, async (c) => {
    const body = await readJson(c, Seed000CreateSchema)
    const id = crypto.randomUUID().slice(0, 8)
    const result = await c.var.services.writer.create(fromSeed000(id, body))
    if (!result.ok) throw domainError(result.error)
    c.var.services.config.replace(result.doc)
    return c.json(toSeed000(result.experiment!))
  })

  app.post('/experiments/:id/start', admin, (c) => move(c, 'running', 'started'))
  app.post('/experiments/:id/stop', admin, (c) => move(c, 'stopped', 'stopped'))

  app.get('/experiments/:id', admin, async (c) => c.json(toSeed000(await find(c, c.req.param('id')))))

  app.post('/route', async (c) => {
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
  })

  app.post('/log', async (c) => handleSeed000Log(c, await readJson(c, Seed000LogSchema)))

  app.get('/experiments/:id/results', admin, async (c) => {
    const e = await find(c, c.req.param('id'))
    return c.json(seed000Results(e, await c.var.services.store.getCounters(counterKeyOf(e))))
  })
}

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
