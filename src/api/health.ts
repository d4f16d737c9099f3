import * as z from 'zod/mini'
import { authRefusal } from '../http/admin-auth'
import { routes } from '../http/route'

/** `GET /health?deep=1`'s view of the config: the latest revision, the one KV holds, and any repair. */
export const ConfigSyncSchema = z.object({
  latest: z.number(),
  published: z.number(),
  kv: z.nullable(z.number()),
  republished: z.enum(['now', 'scheduled', 'no']),
})

/** Answer of `GET /health`. */
export const HealthSchema = z.object({
  ok: z.literal(true),
  environment: z.string(),
  experiments: z.number(),
  brokenExperiments: z.array(z.string()),
  config: z.optional(ConfigSyncSchema),
})

/**
 * `GET /health`: liveness plus what this isolate can see of the config. `?deep=1` also asks the
 * ConfigWriter to compare the revision in KV with the latest and republish when KV is behind
 * (within KV's one write per second), and answers both under `config`. The deep check needs the
 * admin token: every call reaches the one global ConfigWriter, which the public must not be able
 * to keep busy.
 */
export const healthRoutes = routes({
  method: 'GET',
  path: '/health',
  auth: 'public',
  request: { query: [{ name: 'deep' }] },
  response: { status: 200, schema: { name: 'Health', schema: HealthSchema } },
  handler: async (c) => {
    const deep = c.req.query('deep') === '1'
    const refused = deep ? await authRefusal(c) : undefined
    if (refused) return refused
    const snapshot = await c.var.services.config.snapshot()
    return c.json({
      ok: true,
      environment: c.var.services.environment,
      experiments: snapshot.experiments.size,
      brokenExperiments: [...snapshot.broken.keys()],
      ...(deep ? { config: await c.var.services.writer.sync() } : {}),
    })
  },
})
