import type { Hono } from 'hono'
import { adminPage } from '../../admin/routes'
import type { AppEnv } from '../../env'

/** `GET /experiments`: seed 001's experiments page is the dashboard's experiments list. */
export function registerSeedAdminPage(app: Hono<AppEnv>): void {
  app.get('/experiments', (c) => adminPage(c, { page: 'list', title: 'Experiments' }))
}
