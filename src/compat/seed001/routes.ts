import type { Route } from '../../http/route'
import { seedEventsRoutes } from './events'
import { seedExpGroupsRoutes } from './expgroups'
import { seedExperimentsRoutes } from './experiments'

/**
 * Seed 001's API (the legacy Flask demo site described in docs/compatibility.md), as thin adapters over the flows: `/api/experiments`, `/api/expgroups`,
 * `/api/experiments/update` and `/events`, in the seed's shapes (its `/experiments` page is the
 * dashboard's list: src/admin/routes.ts).
 */
export const seed001Routes: Route[] = [...seedExperimentsRoutes, ...seedExpGroupsRoutes, ...seedEventsRoutes]
