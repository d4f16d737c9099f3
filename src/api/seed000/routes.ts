import type { Context, Hono } from 'hono'
import { assign } from '../../core/assign'
import { DomainError } from '../../core/errors'
import type { Experiment } from '../../core/experiment'
import type { AppEnv } from '../../env'
import { adminAuth } from '../../http/admin-auth'
import { readJson } from '../../http/body'
import { domainError } from '../../http/errors'
import { requestFacts } from '../../http/request-facts'
import { utcDay } from '../../store/exposure-log'
import { eventId } from '../event-plan'
import { fromSeed000, modelId, toSeed000 } from './mapping'
import { seed000Results } from './results'
import { Seed000CreateSchema, Seed000LogSchema, Seed000RouteSchema } from './schemas'

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
    const facts = requestFacts(c.req.raw)
    const a = await assign(target, { unit: body.user_id, bot: false, device: facts.device, country: facts.country, attributes: {} })
    if (!a.enrolled) return c.json(none)
    return c.json({ experiment_id: target.experiment.key, variant_name: a.variant, model_id: modelId(a.payload) ?? a.variant })
  })

  app.post('/log', async (c) => {
    const body = await readJson(c, Seed000LogSchema)
    const e = await find(c, body.experiment_id)
    const variant = e.variants.find((v) => v.key === body.variant_name)
    if (!variant) {
      throw new DomainError('invalid', 'invalid_request', `variant_name: "${body.variant_name}" is not one of ${e.variants.map((v) => v.key).join(', ')}`)
    }
    if (e.epoch === 0) throw new DomainError('conflict', 'not_started', `experiment "${e.key}" has not been started`)
    const { store } = c.var.services
    const now = Date.now()
    // As in the seed, /log is the backend's record of what it served: an exposure under the named
    // variant (the first one for a unit wins, as everywhere), then the conversion.
    await store.recordExposures([{ experiment: e.key, epoch: e.epoch, exposures: [{ unit: body.user_id, variant: variant.key, allocationVersion: e.allocationVersion, day: utcDay(now) }] }])
    if (body.converted) {
      const event = { unit: body.user_id, name: 'conversion', value: body.value ?? 0 }
      const metrics = e.metrics.filter((m) => m.event === 'conversion')
      await store.recordEvents([
        {
          experiment: e.key,
          epoch: e.epoch,
          metrics: metrics.map((m) => ({ key: m.key, type: m.type, ...(m.cap === undefined ? {} : { cap: m.cap }) })),
          events: [{ id: await eventId(event), unit: event.unit, value: event.value, day: utcDay(now), metrics: metrics.map((m) => m.key) }],
        },
      ])
    }
    return c.json({ status: 'logged' })
  })

  app.get('/experiments/:id/results', admin, async (c) => {
    const e = await find(c, c.req.param('id'))
    return c.json(seed000Results(e, await c.var.services.store.getCounters(e.key)))
  })
}

async function find(c: Context<AppEnv>, id: string): Promise<Experiment> {
  const e = (await c.var.services.writer.read()).experiments[id]
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
