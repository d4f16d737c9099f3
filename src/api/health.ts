import type { Hono } from 'hono'
import type { AppEnv } from '../env'

/** `GET /health`: liveness plus what this isolate can see of the config. */
export function registerHealth(app: Hono<AppEnv>): void {
  app.get('/health', async (c) => {
    const snapshot = await c.var.services.config.snapshot()
    return c.json({
      ok: true,
      environment: c.var.services.environment,
      experiments: snapshot.experiments.size,
      brokenExperiments: [...snapshot.broken.keys()],
    })
  })
}
