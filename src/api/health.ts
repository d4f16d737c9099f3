import * as z from 'zod/mini'
import { routes } from '../http/route'

/** Answer of `GET /health`. */
export const HealthSchema = z.object({ ok: z.literal(true), environment: z.string(), experiments: z.number(), brokenExperiments: z.array(z.string()) })

/** `GET /health`: liveness plus what this isolate can see of the config. */
export const healthRoutes = routes({
  method: 'GET',
  path: '/health',
  auth: 'public',
  tag: 'operations',
  summary: 'Liveness and config visibility',
  response: {
    status: 200,
    description: 'ok, the environment, how many experiments this isolate sees and which are broken',
    schema: { name: 'Health', schema: HealthSchema },
  },
  handler: async (c) => {
    const snapshot = await c.var.services.config.snapshot()
    return c.json({
      ok: true,
      environment: c.var.services.environment,
      experiments: snapshot.experiments.size,
      brokenExperiments: [...snapshot.broken.keys()],
    })
  },
})
