// ADMIN_HOST: the dashboard keeps its token in sessionStorage, which every script of the same origin
// can read. With ADMIN_HOST set, the dashboard pages answer only on that hostname, so the site's own
// pages (and their scripts) never share an origin with it; the JSON API stays reachable by token.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { ADMIN, env } from './helpers'
import { fakeOrigin, visit } from './site-support'

const ADMIN_HOST = 'admin.site.test'
const PAGES = ['/admin', '/admin/', '/admin/experiments/new', '/admin/experiments/moon_mars', '/admin/experiments/moon_mars/edit', '/admin/sample-size', '/experiments']

/** Sends `path` to the Worker as `url`'s host, under extra deployment variables. */
async function at(url: string, vars: Partial<Env> = {}, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(url, init), { ...env, ...vars } as Env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

describe('ADMIN_HOST: the dashboard on its own hostname', () => {
  it('should answer every dashboard page with a 404 envelope on any other host', async () => {
    for (const path of PAGES) {
      for (const host of ['www.site.test', 'site.test', 'admin.site.test.evil.test', 'evil-admin.site.test']) {
        const res = await at(`https://${host}${path}`, { ADMIN_HOST })
        expect(res.status, `${host}${path}`).toBe(404)
        const body = await res.json<any>()
        expect(body.error.code, `${host}${path}`).toBe('not_found')
        expect(JSON.stringify(body), `${host}${path}`).not.toContain(ADMIN_HOST)
      }
    }
  })

  it('should serve the dashboard on the admin host, whatever its case or trailing dot', async () => {
    for (const host of [ADMIN_HOST, 'ADMIN.Site.Test', `${ADMIN_HOST}.`, `${ADMIN_HOST}:8443`]) {
      const res = await at(`https://${host}/admin`, { ADMIN_HOST })
      expect(res.status, host).toBe(200)
      expect(await res.text(), host).toContain('data-page="list"')
    }
    expect((await at(`https://${ADMIN_HOST}/experiments`, { ADMIN_HOST })).status).toBe(200)
    expect((await at(`https://${ADMIN_HOST}/admin/sample-size`, { ADMIN_HOST: 'Admin.Site.Test' })).status).toBe(200)
  })

  it('should keep the admin JSON API reachable by bearer token on every host', async () => {
    const res = await at('https://www.site.test/v1/experiments', { ADMIN_HOST }, { headers: ADMIN })
    expect(res.status).toBe(200)
    expect(Array.isArray((await res.json<any>()).experiments)).toBe(true)
    expect((await at('https://www.site.test/v1/experiments', { ADMIN_HOST })).status).toBe(401)
    // Seed 000's `POST /experiments` shares the page's path but is the API, not the dashboard: it
    // answers (here: validation of an empty body) instead of the dashboard's 404.
    const seed = await at('https://www.site.test/experiments', { ADMIN_HOST }, { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: '{}' })
    expect(seed.status).toBe(400)
    expect((await seed.json<any>()).error.code).not.toBe('not_found')
  })

  it('should serve no site pages on the admin host, so no origin script runs beside the dashboard', async () => {
    const origin = fakeOrigin()
    const res = await visit('/', { origin, base: `https://${ADMIN_HOST}`, vars: { ADMIN_HOST } })
    expect(res.status).toBe(404)
    expect((await res.json<any>()).error.code).toBe('not_found')
    expect(origin.calls).toEqual([])
    const site = fakeOrigin()
    expect((await visit('/', { origin: site, base: 'https://www.site.test', vars: { ADMIN_HOST } })).status).toBe(200)
    expect(site.calls).toHaveLength(1)
  })

  it('should serve the dashboard on every host when ADMIN_HOST is unset (local development)', async () => {
    expect((await at('https://www.site.test/admin')).status).toBe(200)
    expect((await at('https://www.site.test/admin', { ADMIN_HOST: '' })).status).toBe(200)
  })

  it('should refuse an ADMIN_HOST that is not a hostname, saying what to set', async () => {
    for (const bad of ['https://admin.site.test', 'admin.site.test/admin', 'admin site', 'admin.site.test:8443', '*.site.test', '-admin.site.test']) {
      const res = await at('https://www.site.test/health', { ADMIN_HOST: bad })
      expect(res.status, bad).toBe(503)
      expect((await res.json<any>()).error.message, bad).toMatch(/ADMIN_HOST must be a hostname/)
    }
  })
})
