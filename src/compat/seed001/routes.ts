import type { Route } from '../../http/route'
import { seedAdminPageRoutes } from './admin-page'
import { seedEventsRoutes } from './events'
import { seedExpGroupsRoutes } from './expgroups'
import { seedExperimentsRoutes } from './experiments'

/**
 * Seed 001's API, as thin adapters over the same core: `/api/experiments`, `/api/expgroups`,
 * `/api/experiments/update`, `/events` and the `/experiments` page, in the seed's shapes.
 */
export const seed001Routes: Route[] = [...seedExperimentsRoutes, ...seedExpGroupsRoutes, ...seedEventsRoutes, ...seedAdminPageRoutes]
