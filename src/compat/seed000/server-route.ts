import type { Context } from 'hono'
import type { Assignment } from '../../core/assignment-schema'
import type { CompiledExperiment } from '../../core/compile'
import type { AppEnv } from '../../http/app-env'
import { requestFacts } from '../../http/request-facts'

/**
 * The server's assignment of one unit in one experiment, as `/route` serves it and `/log` checks
 * it: the shared assignment flow (bot, targeting, coverage, sticky record when it can matter, hash),
 * with nothing logged.
 */
export async function serverRoute(c: Context<AppEnv>, target: CompiledExperiment, unit: string): Promise<Assignment> {
  const { assignments } = await c.var.services.assignment.assign({ unit, facts: requestFacts(c.req.raw), select: { targets: [target] } })
  return assignments[0]!
}
