import { adminHostOnly } from '../../http/admin-host'
import { adminPage } from '../../admin/routes'
import { routes } from '../../http/route'

/**
 * `GET /experiments`: seed 001's experiments page is the dashboard's experiments list, so it
 * answers only on `ADMIN_HOST` when that is set (seed 000's `POST /experiments` is API, and is not).
 */
export const seedAdminPageRoutes = routes({
  method: 'GET',
  path: '/experiments',
  auth: 'public',
  tag: 'seed 001',
  summary: "Seed 001: the experiments page (the dashboard's list; its data comes through the admin API)",
  response: { status: 200, description: 'the dashboard page', mediaType: 'text/html' },
  before: [adminHostOnly()],
  handler: (c) => adminPage(c, { page: 'list', title: 'Experiments' }),
})
