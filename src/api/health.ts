import { routes } from '../http/route'

/** `GET /health`: liveness plus what this isolate can see of the config. */
export const healthRoutes = routes({
  method: 'GET',
  path: '/health',
  auth: 'public',
  tag: 'operations',
  summary: 'Liveness and config visibility',
  response: { status: 200, description: 'ok, the environment, how many experiments this isolate sees and which are broken' },
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
