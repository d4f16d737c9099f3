import type { Context } from 'hono'
import type { AppEnv } from '../http/app-env'
import { type Route, routes } from '../http/route'
import { adminHostOnly } from '../http/admin-host'
import { fixedText } from '../http/static-texts'
import { fillShell, shellName } from './fill-shell'
import { DEFAULTS, SAMPLE_SIZE_FIELDS } from './sample-size-form'
import type { AdminAccess, ShellProps } from './shell'

// The pages carry no data, so the strictest policy fits: only this origin's scripts, styles and API.
const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/**
 * The admin dashboard: server-rendered pages under `/admin` whose client code (Workers Static
 * Assets in `assets/admin/`, with the uPlot charting library) calls the JSON API with the admin
 * token. The pages themselves are public shells: every piece of data goes through the API's guard.
 * With `ADMIN_HOST` set they answer only on that host (docs/admin.md); the site middleware leaves
 * everything under `/admin` to the Worker, which is also where the static assets live.
 */
export const adminRoutes = routes(
  // The router matches `/admin/` here too (an optional trailing slash); it redirects to the one URL.
  page('/admin', (c) => (c.req.path.endsWith('/') ? c.redirect('/admin', 301) : listPage(c))),
  page('/admin/experiments/new', (c) => adminPage(c, { page: 'form', title: 'New experiment' })),
  page('/admin/experiments/:key', (c) => adminPage(c, { page: 'experiment', title: c.req.param('key')!, experiment: c.req.param('key') })),
  page('/admin/experiments/:key/edit', (c) => adminPage(c, { page: 'form', title: `Edit ${c.req.param('key')}`, experiment: c.req.param('key') })),
  page('/admin/flags', (c) => adminPage(c, { page: 'flags', title: 'Flags' })),
  page('/admin/flags/new', (c) => adminPage(c, { page: 'flag', title: 'New flag' })),
  page('/admin/flags/:key', (c) => adminPage(c, { page: 'flag', title: c.req.param('key')!, experiment: c.req.param('key') })),
  page('/admin/sample-size', (c) => adminPage(c, { page: 'sample-size', title: 'Sample size' }, c.req.query())),
  // Seed 001's experiments page is the dashboard's list (docs/compatibility.md, "Seed 001"), so it
  // answers only on ADMIN_HOST when that is set (seed 000's `POST /experiments` is API, and is not).
  page('/experiments', listPage),
)

/** The experiments list, at `/admin` and at seed 001's `/experiments`. */
function listPage(c: Context<AppEnv>): Promise<Response> {
  return adminPage(c, { page: 'list', title: 'Experiments' })
}

/** A dashboard page: a public HTML shell that, with ADMIN_HOST set, answers only on that host. */
function page(path: string, handler: Route['handler']): Route {
  return {
    method: 'GET',
    path,
    auth: 'public',
    response: { status: 200, mediaType: 'text/html' },
    before: [adminHostOnly()],
    handler,
  }
}

/**
 * Answers with one dashboard page (any path can serve one: the client reads only `data-page`): the
 * shell (src/admin/shell.ts) comes from its template in the static assets (src/admin/shell-texts.ts);
 * the sample-size page's form (src/admin/sample-size-form.ts) is pre-filled from `query`.
 * @example app.get('/experiments', (c) => adminPage(c, { page: 'list', title: 'Experiments' }))
 */
export async function adminPage(c: Context<AppEnv>, p: Omit<ShellProps, 'access' | 'transitions' | 'body'>, query: Record<string, string> = {}): Promise<Response> {
  const { adminToken, environment } = c.var.services
  // The same rule as the API's guard (src/http/admin-auth.ts), so the page asks for what the API needs.
  const access: AdminAccess = adminToken ? 'token' : environment === 'development' ? 'open' : 'disabled'
  c.header('content-security-policy', CSP)
  c.header('x-content-type-options', 'nosniff')
  c.header('referrer-policy', 'same-origin')
  c.header('cache-control', 'no-store')
  const template = await fixedText(c.var.services.assets, shellName(p.page, access, !!p.experiment, query.mdeType === 'absolute'), 'admin')
  const values = [p.title, p.experiment ?? '', ...SAMPLE_SIZE_FIELDS.map((name) => query[name] ?? DEFAULTS[name]!)]
  return c.html(fillShell(template, values), access === 'disabled' ? 403 : 200)
}
