// The site middleware must never become an open proxy: whatever the visitor's path (or a split-URL
// variant's `url`) says, the origin request goes to the configured origin, and the visitor's cookies
// go nowhere else.
import { describe, expect, it } from 'vitest'
import { createExperiment, uniqueKey } from './helpers'
import { fakeOrigin, html, type OriginCall, visit } from './site-support'

// Paths that resolve to another host when joined to a base URL naively, or that an origin might
// decode into one (encoded slashes, backslashes, dot segments, NUL).
const HOSTILE = [
  '//evil.test/x',
  '///evil.test/x',
  '//evil.test:8798/x',
  '//user@evil.test/x',
  '/\\evil.test/x',
  '/\\\\evil.test/x',
  '/%2F%2Fevil.test/x',
  '/%2f/evil.test/x',
  '/%5Cevil.test/x',
  '/%5c%5cevil.test/x',
  '/./%2F/evil.test/x',
  '/a/..%2F..%2Fsecret',
  '/a/%2e%2e%2f%2e%2e%2fsecret',
  '/x%00.html',
  '/%00//evil.test/x',
]

// Dot segments the URL parser resolves before the middleware sees the path: harmless, but they must
// still land on the origin, under its path.
const NORMALISED = ['/../evil.test/x', '/./x', '/%2e%2e/x', '/a/b/../../x']

/** The error envelope of a 400, with no origin call made (and none to any other host). */
async function expectRefused(res: Response, calls: OriginCall[], path: string, origin = 'https://origin.test'): Promise<void> {
  expect(calls.map((c) => new URL(c.url).origin).filter((o) => o !== origin), path).toEqual([])
  expect(res.status, path).toBe(400)
  const body = await res.json<any>()
  expect(body.error.code, path).toBe('bad_path')
  expect(body.error.message, path).toMatch(/path/)
  expect(calls, path).toEqual([])
}

describe('site middleware: origin requests stay on the origin', () => {
  it('should refuse every path that could leave the origin, with a 400 and no fetch', async () => {
    for (const path of HOSTILE) {
      const origin = fakeOrigin()
      const res = await visit(path, { origin, headers: { cookie: 'sid=secret' } })
      await expectRefused(res, origin.calls, path)
    }
  })

  it('should refuse the same paths for assets and excluded paths (plain passthrough)', async () => {
    for (const path of HOSTILE) {
      const origin = fakeOrigin(() => new Response('body', { headers: { 'content-type': 'image/png' } }))
      const res = await visit(path, { origin, vars: { SITE_EXCLUDE: '/*' }, headers: { accept: 'image/png', 'sec-fetch-dest': 'image' } })
      await expectRefused(res, origin.calls, path)
    }
  })

  it('should refuse them in passthrough mode too, and keep the request on its own host', async () => {
    for (const path of HOSTILE) {
      const origin = fakeOrigin()
      const res = await visit(path, { site: { fetch: origin.fetch }, vars: { ORIGIN_URL: 'passthrough' } })
      await expectRefused(res, origin.calls, path, 'http://site.test')
    }
    const origin = fakeOrigin()
    const res = await visit('/pricing?x=1', { site: { fetch: origin.fetch }, vars: { ORIGIN_URL: 'passthrough' }, headers: { cookie: 'sid=secret' } })
    expect(res.status).toBe(200)
    expect(origin.calls.map((c) => c.url)).toEqual(['http://site.test/pricing?x=1'])
    expect(origin.calls[0]!.headers.cookie).toContain('sid=secret')
  })

  it('should send normalised dot-segment paths to the origin host, under the origin path', async () => {
    for (const path of NORMALISED) {
      const origin = fakeOrigin()
      const res = await visit(path, { origin, vars: { ORIGIN_URL: 'https://origin.test/base' } })
      expect(res.status, path).toBe(200)
      expect(origin.calls, path).toHaveLength(1)
      const dest = new URL(origin.calls[0]!.url)
      expect(dest.origin, path).toBe('https://origin.test')
      expect(dest.pathname, path).toMatch(/^\/base\//)
    }
  })

  it('should send the visitor cookie and host only to the configured origin', async () => {
    const origin = fakeOrigin()
    await visit('/account', { origin, headers: { cookie: 'sid=secret' } })
    expect(origin.calls).toHaveLength(1)
    expect(new URL(origin.calls[0]!.url).origin).toBe('https://origin.test')
    expect(origin.calls[0]!.headers.cookie).toContain('sid=secret')
    expect(origin.calls[0]!.headers.host).toBeUndefined()
    expect(origin.calls[0]!.headers['x-forwarded-host']).toBe('site.test')
  })

  it('should keep a split-URL rewrite on the origin, and refuse one that would leave it', async () => {
    const key = uniqueKey('split_hostile')
    const page = `/landing-${key}`
    // `/\host` passes the experiment schema's "starts with one slash" rule, yet a URL parser reads it as `//host`.
    await createExperiment({
      key,
      title: 'T',
      variants: [
        { key: 'a', weight: 1, url: '/\\evil.test/a' },
        { key: 'b', weight: 1, url: '/%2F%2Fevil.test/b' },
      ],
      targeting: { paths: [page] },
    })
    for (let i = 0; i < 6; i++) {
      const origin = fakeOrigin()
      const res = await visit(page, { origin, headers: { cookie: `edgesplit_uid=split-visitor-${key}-${i}; sid=secret` } })
      await expectRefused(res, origin.calls, page)
    }
  })
})

describe('site middleware: redirects from the origin', () => {
  it('should never turn an origin redirect into one to another host', async () => {
    for (const location of ['https://origin.test//evil.test/x', 'https://origin.test/%2F%2Fevil.test/x', '//origin.test//evil.test/x', 'https://origin.test/\\evil.test/x']) {
      const origin = fakeOrigin(() => new Response(null, { status: 302, headers: { location } }))
      const res = await visit('/old', { origin, base: 'https://www.site.test' })
      expect(res.status, location).toBe(302)
      expect(new URL(res.headers.get('location')!, 'https://www.site.test/old').host, location).toBe('www.site.test')
    }
  })

  it('should rewrite only redirects under the origin path, at a segment boundary', async () => {
    const vars = { ORIGIN_URL: 'https://origin.test/base' }
    const inside = fakeOrigin(() => new Response(null, { status: 301, headers: { location: 'https://origin.test/base/new?x=1#top' } }))
    expect((await visit('/old', { origin: inside, vars, base: 'https://www.site.test' })).headers.get('location')).toBe('https://www.site.test/new?x=1#top')
    const root = fakeOrigin(() => new Response(null, { status: 301, headers: { location: 'https://origin.test/base' } }))
    expect((await visit('/old', { origin: root, vars, base: 'https://www.site.test' })).headers.get('location')).toBe('https://www.site.test/')
    // `/basement` is not under `/base`: the public host has no path that reaches it.
    const outside = fakeOrigin(() => new Response(null, { status: 301, headers: { location: 'https://origin.test/basement' } }))
    expect((await visit('/old', { origin: outside, vars, base: 'https://www.site.test' })).headers.get('location')).toBe('https://origin.test/basement')
  })

  it('should still serve a page for an ordinary path with an encoded character', async () => {
    const origin = fakeOrigin(() => html('<html><head></head><body>ok</body></html>'))
    const res = await visit('/caf%C3%A9/a%20b?q=%2F%2Fx', { origin })
    expect(res.status).toBe(200)
    expect(origin.calls[0]!.url).toBe('https://origin.test/caf%C3%A9/a%20b?q=%2F%2Fx')
  })
})
