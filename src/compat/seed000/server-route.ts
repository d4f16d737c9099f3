import type { Context } from 'hono'
import type { AssignContext } from '../../core/assign'
import type { Assignment } from '../../core/assignment-schema'
import type { CompiledExperiment } from '../../core/compile'
import type { AppEnv } from '../../env'
import { requestFacts } from '../../http/request-facts'
import { assignUnit } from '../../api/assign'

/**
 * The server's assignment of one unit in one experiment, as `/route` serves it and `/log` checks
 * it: the shared assignment flow (bot, targeting, coverage, sticky record when it can matter, hash).
 */
export async function serverRoute(c: Context<AppEnv>, target: CompiledExperiment, unit: string): Promise<Assignment> {
  const facts = requestFacts(c.req.raw)
  // Getters keep the request facts lazy, as in /v1/assign.
  const ctx: AssignContext = {
    unit,
    get bot() {
      return facts.bot
    },
    get device() {
      return facts.device
    },
    get country() {
      return facts.country
    },
    attributes: {},
  }
  const { assignments } = await assignUnit([target], ctx, c.var.services.store)
  return assignments[0]!
}
