import type { Hono } from 'hono'
import type { AppEnv } from '../../env'
import { registerSeedAdminPage } from './admin-page'
import { registerSeedEvents } from './events'
import { registerSeedExpGroups } from './expgroups'
import { registerSeedExperiments } from './experiments'

/**
 * Seed 001's API, as thin adapters over the same core: `/api/experiments`, `/api/expgroups`,
 * `/api/experiments/update`, `/events` and the `/experiments` page, in the seed's shapes.
 * @example registerSeed001(app)
 */
export function registerSeed001(app: Hono<AppEnv>): void {
  registerSeedExperiments(app)
  registerSeedExpGroups(app)
  registerSeedEvents(app)
  registerSeedAdminPage(app)
}
