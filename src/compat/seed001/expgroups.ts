import { requestFacts } from '../../http/request-facts'
import { routes } from '../../http/route'
import { SeedGroupsSchema } from './response-schemas'
import { type SeedState, seedError, seedState } from './shape'

/** One experiment in seed 001's `/api/expgroups` answer. */
type SeedGroup = { state: SeedState; fallback: string; group: string }

/**
 * `GET /api/expgroups?device_id=…`: every experiment's group for a device, by the same assignment
 * as `/v1/assign` (exposures logged after the response), plus seed 001's backend `exp_groups`
 * event in the raw event log. Without `device_id` the groups are empty strings, as in the seed.
 */
export const seedExpGroupsRoutes = routes({
  method: 'GET',
  path: '/api/expgroups',
  auth: 'public',
  request: { query: [{ name: 'device_id' }] },
  response: { status: 200, schema: { name: 'Seed001Groups', schema: SeedGroupsSchema } },
  handler: async (c) => {
    const deviceId = c.req.query('device_id')
    if (deviceId !== undefined && (deviceId.length > 256 || deviceId.trim() === '')) {
      return seedError(c, 400, 'device_id must be 1-256 characters')
    }
    const { config, assignment, background } = c.var.services
    const snapshot = await config.snapshot()
    const targets = [...snapshot.experiments.values()]
    const result: Record<string, SeedGroup> = {}
    for (const t of targets) result[t.experiment.key] = { state: seedState(t.experiment), fallback: t.fallback, group: '' }
    if (!deviceId) return c.json(result)

    const now = Date.now()
    const outcome = await assignment.assign({ unit: deviceId, facts: requestFacts(c.req.raw), snapshot, select: { targets }, track: true, now })
    for (const a of outcome.assignments) result[a.experiment]!.group = a.variant
    background(outcome.pending)
    const groups = Object.fromEntries(outcome.assignments.map((a) => [a.experiment, a.variant]))
    const exp_group = Object.keys(groups).length > 0 ? groups : null
    background(c.var.services.eventLog.add({ ts: new Date(now).toISOString(), device_id: deviceId, source: 'backend', event: 'exp_groups', exp_group, params: result }, now))
    return c.json(result)
  },
})
