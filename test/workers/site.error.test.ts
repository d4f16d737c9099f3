import { describe, expect, it } from 'vitest'
import { createExperiment, env, testEnv, uniqueKey } from './helpers'
import { fakeOrigin, html, pageData, setCookies, visit } from './site-support'

describe('site middleware: when the origin fails', () => {
  it('should answer 502 without leaking why when the origin is unreachable', async () => {
    const origin = fakeOrigin(() => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:8080 (internal-db.origin.local)')
    })
    const res = await visit('/', { origin })
    expect(res.status).toBe(502)
    const body = await res.text()
    expect(body).toMatch(/temporarily unavailable/)
    expect(body).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|internal-db/)
    expect(res.headers.get('cache-control')).toBe('no-store')
  })

  it('should pass the origin own errors through unchanged', async () => {
    const origin = fakeOrigin(() => html('<h1>Oops</h1>', { status: 503, headers: { 'retry-after': '30' } }))
    const res = await visit('/', { origin })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('30')
    expect(await res.text()).toBe('<h1>Oops</h1>')
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('should hand redirects to the visitor, pointed at the public host', async () => {
    const origin = fakeOrigin(() => new Response(null, { status: 301, headers: { location: 'https://origin.test/new-home?x=1' } }))
    const res = await visit('/old-home', { origin, base: 'https://www.site.test' })
    expect(origin.calls).toHaveLength(1)
    // Not followed here: the origin's redirect is the visitor's to follow.
    expect(origin.calls[0]!.redirect).toBe('manual')
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe('https://www.site.test/new-home?x=1')
    const elsewhere = fakeOrigin(() => new Response(null, { status: 302, headers: { location: 'https://login.example.com/' } }))
    expect((await visit('/account', { origin: elsewhere })).headers.get('location')).toBe('https://login.example.com/')
  })
})

describe('site middleware: when edgesplit itself struggles', () => {
  it('should still serve the page, assigning by hash, when the counter store is down', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    const down = { UPSTASH_REDIS_REST_URL: (testEnv as any).TEST_DOWN_URL, UPSTASH_REDIS_REST_TOKEN: 'x' }
    const res = await visit('/', { vars: down, headers: { cookie: 'edgesplit_uid=store-down-visitor' } })
    expect(res.status).toBe(200)
    expect(pageData(await res.text()).assignments[key]).toMatch(/^[ab]$/)
  })

  it('should answer a misconfigured origin with a message that says what to fix', async () => {
    const res = await visit('/', { vars: { ORIGIN_URL: 'origin.example.com' } })
    expect(res.status).toBe(503)
    expect((await res.json<any>()).error.message).toMatch(/ORIGIN_URL must be/)
    expect(env.ORIGIN_URL).toBeUndefined()
  })

  it('should set cookies on a page that is not a successful one only when its page view counted an exposure (the rule changed: such page views now count), and none on a script\'s fetch of it', async () => {
    await createExperiment({ key: uniqueKey('missing'), title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    const counted = await visit('/missing-page')
    expect(counted.status).toBe(404)
    // A counted page view keeps its id, else the visitor's next one would count again under a new id.
    expect(Object.keys(setCookies(counted)).sort()).toEqual(['edgesplit_asg', 'edgesplit_uid'])
    const fetched = await visit('/missing-page', { headers: { 'sec-fetch-dest': 'empty', accept: '*/*' } })
    expect(fetched.status).toBe(404)
    expect(setCookies(fetched)).toEqual({})
  })
})
