import type { Hono } from 'hono'
import { adminHostOnly } from '../../admin/host'
import { adminPage } from '../../admin/routes'
import type { AppEnv } from '../../env'

/**
 * `GET /experiments`: seed 001's experiments page is the dashboard's experiments list, so it
 * answers only on `ADMIN_HOST` when that is set (seed 000's `POST /experiments` is API, and is not).
 */
export function registerSeedAdminPage(app: Hono<AppEnv>): void {
  app.get('/experiments', adminHostOnly(), (c) => adminPage(c, { page: 'list', title: 'Experiments' }))
}
