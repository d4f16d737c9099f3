import { describe, expect, it } from 'vitest'
import { admin, call, createExperiment, uniqueKey } from './helpers'
import { cookieValue, fakeOrigin, html, NAVIGATION, pageData, setCookies, visit } from './site-support'

const twoWay = [
  { key: 'a', weight: 1 },
  { key: 'b', weight: 1 },
]

const apiVariant = async (key: string, unit: string, path = '/') =>
  (await (await call(`/v1/assign?unit=${encodeURIComponent(unit)}&experiments=${key}&track=false&path=${encodeURIComponent(path)}`)).json<any>()).assignments[key].variant

const exposures = async (key: string) => {
  const counters = (await (await admin(`/v1/experiments/${key}/counts`)).json<any>()).counters
  const variants = counters.epochs['1']?.variants ?? {}
  return Object.values<any>(variants).reduce((n, v) => n + v.exposures, 0)
}

describe('site middleware: a visitor', () => {
  it('should get an id cookie, a signed assignment cookie and a private page with its variants injected', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay })
    const res = await visit('/')
    expect(res.status).toBe(200)
    const cookies = setCookies(res)
    const uid = cookieValue(cookies.edgesplit_uid)!
    expect(uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(cookies.edgesplit_uid).toBe(`edgesplit_uid=${uid}; Path=/; SameSite=Lax; Max-Age=31536000`)
    expect(cookies.edgesplit_asg).toMatch(new RegExp(`^edgesplit_asg=[^;]*${key}=[ab]@1[^;]*\\.[A-Za-z0-9_-]{43}; Path=/; SameSite=Lax; Max-Age=31536000; HttpOnly$`))
    expect(res.headers.get('cache-control')).toBe('private, no-cache')
    const body = await res.text()
    const data = pageData(body)
    expect(data.unit).toBe(uid)
    expect(data.assignments[key]).toBe(await apiVariant(key, uid))
    expect(body).toMatch(/<head>\s*<meta charset="utf-8"><script>window\.edgesplit=.*<\/script><script src="\/_edgesplit\/track\.js\?v=[0-9a-z]+" defer><\/script>\s*<meta name="viewport"/)
    // The demo origin rendered the page.
    expect(body).toContain('Reserve Your Spot')
  })

  it('should keep its id and variants on every return visit, and be exposed once, the exposure marked in the first response', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay })
    // A generous bound for the exposure write (production waits ACK_WAIT_MS), so the first cookie is marked.
    const site = { ackWaitMs: 10_000 }
    const first = await visit('/', { site })
    const uid = cookieValue(setCookies(first).edgesplit_uid)!
    const asg = cookieValue(setCookies(first).edgesplit_asg)!
    const variant = pageData(await first.text()).assignments[key]
    // The store acknowledged the exposure before the response left (docs/scale.md): `!`.
    expect(asg).toMatch(new RegExp(`${key}=${variant}@1~[A-Za-z0-9-]+!`))
    for (let i = 0; i < 3; i++) {
      const again = await visit('/', { site, headers: { cookie: `edgesplit_uid=${uid}; edgesplit_asg=${asg}` } })
      expect(pageData(await again.text())).toMatchObject({ unit: uid, assignments: { [key]: variant } })
      // The assignment cookie is rewritten only when it changes: never again.
      expect(setCookies(again).edgesplit_asg).toBeUndefined()
      expect(cookieValue(setCookies(again).edgesplit_uid)).toBe(uid)
    }
    expect(await exposures(key)).toBe(1)
  })

  it('should tell the origin who the visitor is and what it got, dropping client-sent copies', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay })
    const origin = fakeOrigin()
    const res = await visit('/pricing?x=1', { origin, headers: { cookie: 'edgesplit_uid=visitor-0001', 'x-edgesplit-unit': 'forged', 'X-Edgesplit-Assignments': `${key}=forged`, 'x-edgesplit-other': '1' } })
    expect(res.status).toBe(200)
    expect(origin.calls).toHaveLength(1)
    const seen = origin.calls[0]!
    expect(seen.url).toBe('https://origin.test/pricing?x=1')
    expect(seen.headers['x-edgesplit-unit']).toBe('visitor-0001')
    expect(seen.headers['x-edgesplit-other']).toBeUndefined()
    expect(seen.headers['x-forwarded-host']).toBe('site.test')
    const header = seen.headers['x-edgesplit-assignments']!
    expect(header.split('; ')).toContain(`${key}=${await apiVariant(key, 'visitor-0001')}`)
    expect(header).toMatch(/^[A-Za-z0-9_.-]+=[A-Za-z0-9_.-]+(; [A-Za-z0-9_.-]+=[A-Za-z0-9_.-]+)*$/)
  })

  it('should pass non-HTML through untouched, in one origin fetch', async () => {
    const origin = fakeOrigin(() => new Response('body{color:red}', { headers: { 'content-type': 'text/css', etag: '"v1"', 'cache-control': 'public, max-age=600' } }))
    const res = await visit('/app.css', { origin, headers: { 'sec-fetch-dest': 'style', accept: 'text/css' } })
    expect(origin.calls).toHaveLength(1)
    expect(await res.text()).toBe('body{color:red}')
    expect(res.headers.get('etag')).toBe('"v1"')
    expect(res.headers.get('cache-control')).toBe('public, max-age=600')
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('should stream HTML through the rewriter without buffering it', async () => {
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const encoder = new TextEncoder()
    const origin = fakeOrigin(() => {
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(encoder.encode(`<html><head><title>slow</title></head><body>${'x'.repeat(20_000)}`))
          await held // the rest of the page only comes after the client has seen the start
          controller.enqueue(encoder.encode('<p>end</p></body></html>'))
          controller.close()
        },
      })
      return new Response(body, { headers: { 'content-type': 'text/html' } })
    })
    const res = await visit('/', { origin })
    const reader = res.body!.getReader()
    let seen = ''
    // While the origin still holds the end of the page, the start (with the injection) arrives.
    while (!seen.includes('window.edgesplit=')) {
      const chunk = await Promise.race([reader.read(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 2000))])
      if (chunk === 'timeout' || chunk.done) throw new Error(`the start of the page did not arrive before its end (got ${seen.length} chars)`)
      seen += new TextDecoder().decode(chunk.value)
    }
    expect(seen).not.toContain('<p>end</p>')
    release()
    let rest = ''
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      rest += new TextDecoder().decode(value)
    }
    expect(rest).toContain('<p>end</p>')
  })

  it('should put the tags first in <head> (after its charset), else in <body>, else after a bare fragment, with the page CSP nonce', async () => {
    const cases: [string, RegExp][] = [
      ['<html><head><title>t</title></head><body></body></html>', /^<html><head><script>window\.edgesplit/],
      ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>t</title></head></html>', /charset=utf-8"><script>window\.edgesplit/],
      ['<html><head></head><body></body></html>', /^<html><head><script>window\.edgesplit.*<\/script><\/head><body><\/body>/],
      ['<html><body><p>hi</p></body></html>', /^<html><body><script>window\.edgesplit/],
      ['<p>fragment</p>', /^<p>fragment<\/p><script>window\.edgesplit/],
    ]
    for (const [page, expected] of cases) {
      const res = await visit('/', { origin: fakeOrigin(() => html(page)) })
      expect(await res.text()).toMatch(expected)
    }
    const csp = "script-src 'nonce-r4nd0m' 'strict-dynamic'"
    const res = await visit('/', { origin: fakeOrigin(() => html('<html><head></head></html>', { headers: { 'content-security-policy': csp } })) })
    const body = await res.text()
    expect(body).toContain('<script nonce="r4nd0m">window.edgesplit=')
    expect(body).toContain('<script nonce="r4nd0m" src="/_edgesplit/track.js?v=')
    expect(res.headers.get('content-security-policy')).toBe(csp)
  })

  it('should serve a split-URL variant from its origin path by rewrite, not redirect', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1, url: '/landing-b' }], targeting: { paths: ['/landing'] } })
    const seen = { a: 0, b: 0 }
    for (let i = 0; i < 12; i++) {
      const unit = `split-visitor-${i}`
      const origin = fakeOrigin((r) => html(`<html><head></head><body>${new URL(r.url).pathname}</body></html>`))
      const res = await visit('/landing?utm=1', { origin, headers: { cookie: `edgesplit_uid=${unit}` } })
      const variant = await apiVariant(key, unit, '/landing')
      expect(res.status).toBe(200)
      expect(origin.calls[0]!.url).toBe(variant === 'b' ? 'https://origin.test/landing-b?utm=1' : 'https://origin.test/landing?utm=1')
      seen[variant as 'a' | 'b']++
      // The page's own assets are never rewritten.
      const asset = fakeOrigin(() => new Response('', { headers: { 'content-type': 'image/png' } }))
      await visit('/landing.png', { origin: asset, headers: { cookie: `edgesplit_uid=${unit}`, 'sec-fetch-dest': 'image' } })
      expect(asset.calls[0]!.url).toBe('https://origin.test/landing.png')
    }
    expect(seen.a).toBeGreaterThan(0)
    expect(seen.b).toBeGreaterThan(0)
  })

  it('should log exposures for page views only, and count a 404 page view too (the unit was assigned and the origin told)', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay })
    const visitor = (n: number) => ({ cookie: `edgesplit_uid=exposure-${key}-${n}` })
    await visit('/', { headers: { ...visitor(1), 'sec-fetch-dest': 'empty', accept: '*/*' } }) // fetch() of the page
    await visit('/', { method: 'HEAD', headers: visitor(2) })
    await visit('/', { headers: { ...visitor(3), 'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' } })
    await visit('/static/banners.css', { headers: { ...visitor(4), 'sec-fetch-dest': 'style', accept: 'text/css' } })
    expect(await exposures(key)).toBe(0)
    // Intention to treat (docs/design.md, "Counting"): leaving error pages out could bias against a variant that breaks pages.
    const missing = await visit('/missing', { headers: visitor(5) })
    expect(missing.status).toBe(404)
    expect(await exposures(key)).toBe(1)
    await visit('/', { headers: visitor(6) })
    // A client without Fetch Metadata that asks for HTML (older browsers, curl -H 'accept: text/html').
    await visit('/', { headers: { ...visitor(7), 'sec-fetch-dest': null, accept: 'text/html', 'user-agent': 'curl/8.5.0' } })
    expect(await exposures(key)).toBe(3)
  })

  it('should honour QA overrides where allowed, remember them for the session and never count them', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: twoWay, qaOverrides: true })
    const unit = `qa-${key}`
    const other = (await apiVariant(key, unit)) === 'a' ? 'b' : 'a'
    const forced = await visit(`/?edgesplit=${key}:${other}`, { headers: { cookie: `edgesplit_uid=${unit}` } })
    expect(pageData(await forced.text()).assignments[key]).toBe(other)
    const qa = setCookies(forced).edgesplit_qa!
    expect(qa).toBe(`edgesplit_qa=${key}:${other}; Path=/; SameSite=Lax`)
    const remembered = await visit('/', { headers: { cookie: `edgesplit_uid=${unit}; edgesplit_qa=${cookieValue(qa)}` } })
    expect(pageData(await remembered.text()).assignments[key]).toBe(other)
    const cleared = await visit('/?edgesplit=off', { headers: { cookie: `edgesplit_uid=${unit}; edgesplit_qa=${cookieValue(qa)}` } })
    expect(setCookies(cleared).edgesplit_qa).toBe('edgesplit_qa=; Path=/; SameSite=Lax; Max-Age=0')
    expect(await exposures(key)).toBe(1) // only the unforced visit
  })
})

describe('site middleware: configuration', () => {
  it('should set Secure on https and the configured cookie domain and names', async () => {
    const res = await visit('/', { base: 'https://www.site.test', vars: { COOKIE_DOMAIN: '.site.test', UID_COOKIE_NAME: 'vid', ASSIGNMENT_COOKIE_NAME: 'vasg' } })
    const cookies = setCookies(res)
    expect(cookies.vid).toMatch(/^vid=[0-9a-f-]{36}; Path=\/; SameSite=Lax; Max-Age=31536000; Domain=\.site\.test; Secure$/)
    expect(cookies.vasg ?? '').toMatch(/^(vasg=.*; Domain=\.site\.test; Secure; HttpOnly)?$/)
    expect(cookies.edgesplit_uid).toBeUndefined()
  })

  it('should leave excluded paths to the origin untouched and personalise only included ones', async () => {
    const origin = fakeOrigin()
    const vars = { SITE_EXCLUDE: '/static/*', SITE_INCLUDE: '/,/shop*' }
    for (const path of ['/static/page.html', '/blog/post']) {
      const res = await visit(path, { origin, vars, headers: { 'x-edgesplit-unit': 'forged' } })
      expect(res.headers.getSetCookie()).toEqual([])
      expect(await res.text()).not.toContain('edgesplit')
    }
    expect(origin.calls.map((c) => c.headers['x-edgesplit-unit'])).toEqual([undefined, undefined])
    const shop = await visit('/shop/cart', { origin, vars })
    expect(await shop.text()).toContain('window.edgesplit=')
  })

  it('should never touch the Worker own paths', async () => {
    const origin = fakeOrigin()
    for (const path of ['/v1/nothing', '/api/nothing', '/admin/nothing/here', '/_edgesplit/nothing', '/experiments/x/y/z']) {
      const res = await visit(path, { origin })
      expect(res.status).toBe(404)
      expect((await res.json<any>()).error.code).toBe('not_found')
    }
    expect(origin.calls).toEqual([])
  })

  it('should serve the tracking script with a long cache', async () => {
    const res = await call('/_edgesplit/track.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/javascript/)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const script = await res.text()
    expect(script).toContain('sendBeacon')
    expect(script).toContain('/v1/events')
    expect(script).toContain('data-edgesplit-event')
  })
})
