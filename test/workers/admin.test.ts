// The dashboard's server side: the page shells under /admin (no data in them: the client reads the
// API with the token) and who may use them. The client code and uPlot are Workers Static Assets,
// which only the real `wrangler dev` serves: test/node/browser-admin.test.ts loads them there.
import { describe, expect, it } from 'vitest'
import { EXPERIMENT_STATES } from '../../src/core/experiment'
import { allowedTransitions } from '../../src/core/lifecycle'
import { call, createExperiment, env, uniqueKey } from './helpers'

/** The page at `path` under other deployment variables (a fresh object, so they are checked anew). */
function pageWith(overrides: Partial<Env>, path: string): Promise<Response> {
  return call(path, { bindings: { ...env, ...overrides } as Env })
}

/** Decodes the few entities the shell escapes with. */
function unescape(s: string): string {
  return s.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
}

describe('admin pages', () => {
  it('should serve every dashboard page as a server-rendered shell that names its client module', async () => {
    for (const [path, page, title] of [
      ['/admin', 'list', 'Experiments'],
      ['/admin/experiments/new', 'form', 'New experiment'],
      ['/admin/experiments/moon_mars', 'experiment', 'moon_mars'],
      ['/admin/experiments/moon_mars/edit', 'form', 'Edit moon_mars'],
      ['/admin/sample-size', 'sample-size', 'Sample size'],
    ]) {
      const res = await call(path!)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      const html = await res.text()
      expect(html).toContain(`data-page="${page}"`)
      expect(html).toContain(`<h1 id="title">${title}</h1>`)
      expect(html).toContain('<script type="module" src="/admin/js/main.js"></script>')
      expect(html).toContain('<script src="/admin/vendor/uPlot.iife.min.js" defer></script>')
      expect(html).not.toMatch(/https?:\/\//) // everything from the Worker's own origin, no CDN
    }
  })

  it('should send a strict content security policy and keep the pages out of caches', async () => {
    const res = await call('/admin')
    expect(res.headers.get('content-security-policy')).toBe("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('should put no experiment data into the pages, so a page without the token reveals nothing', async () => {
    const key = uniqueKey('secret')
    await createExperiment({ key, title: 'Top secret title', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] }, false)
    const html = await (await call(`/admin/experiments/${key}`)).text()
    expect(html).not.toContain('Top secret title')
    expect(html).not.toContain('"variants"')
  })

  it('should offer exactly the lifecycle moves src/core/lifecycle.ts allows', async () => {
    const html = await (await call('/admin/experiments/moon_mars')).text()
    const transitions = JSON.parse(unescape(/data-transitions="([^"]*)"/.exec(html)![1]!))
    expect(transitions).toEqual(Object.fromEntries(EXPERIMENT_STATES.map((s) => [s, [...allowedTransitions(s)]])))
  })

  it('should escape the experiment key from the URL wherever the page shows it', async () => {
    const html = await (await call(`/admin/experiments/${encodeURIComponent('"><img src=x onerror=alert(1)>')}`)).text()
    expect(html).not.toContain('<img')
    expect(html).toContain('data-experiment="&#34;&#62;&#60;img src=x onerror=alert(1)&#62;"')
  })

  it('should redirect /admin/ to /admin', async () => {
    const res = await call('/admin/')
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('/admin')
  })
})

describe('who may use the dashboard', () => {
  it('should ask for the admin token when ADMIN_TOKEN is set', async () => {
    const html = await (await call('/admin')).text()
    expect(html).toContain('data-access="token"')
    expect(html).toMatch(/<form id="signin"[^>]*hidden/)
    expect(html).toMatch(/<label for="token">Admin token<\/label><input id="token" name="token" type="password"/)
  })

  it('should say "development: admin open" and ask for nothing in development without a token', async () => {
    const res = await pageWith({ ADMIN_TOKEN: undefined, ENVIRONMENT: 'development' }, '/admin')
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(html).toContain('data-access="open"')
    expect(html).toContain('development: admin open')
    expect(html).not.toContain('id="signin"')
  })

  it('should refuse with instructions when no token is set outside development', async () => {
    const res = await pageWith({ ADMIN_TOKEN: undefined, ENVIRONMENT: 'production' }, '/admin')
    const html = await res.text()
    expect(res.status).toBe(403)
    expect(html).toContain('data-access="disabled"')
    expect(html).toContain('npx wrangler secret put ADMIN_TOKEN')
    expect(html).not.toContain('id="view"')
  })
})

describe('sample-size page', () => {
  it('should render the calculator form filled from the query, with a label on every control', async () => {
    const html = await (await call('/admin/sample-size?baseline=0.2&mde=0.05&mdeType=absolute')).text()
    expect(html).toMatch(/<label for="ss-baseline">Baseline conversion rate<\/label><input id="ss-baseline" name="baseline" type="number" step="any" value="0.2"/)
    expect(html).toMatch(/id="ss-mde" name="mde" type="number" step="any" value="0.05"/)
    expect(html).toMatch(/value="absolute" checked/)
    expect(html).toMatch(/id="ss-alpha" name="alpha" type="number" step="any" value="0.05"/)
    const controls = [...html.matchAll(/<input id="([^"]+)"/g)].map((m) => m[1])
    for (const id of controls) expect(html).toContain(`<label for="${id}">`)
  })

  it('should escape query values it echoes', async () => {
    const html = await (await call(`/admin/sample-size?baseline=${encodeURIComponent('"><script>x</script>')}`)).text()
    expect(html).not.toContain('<script>x')
    expect(html).toContain('value="&#34;&#62;&#60;script&#62;x&#60;/script&#62;"')
  })
})
