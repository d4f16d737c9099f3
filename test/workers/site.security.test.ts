import { describe, expect, it } from 'vitest'
import { encodeItems, instanceTag, signItems } from '../../src/site/assignment-cookie'
import { admin, call, createExperiment, testEnv, uniqueKey } from './helpers'
import { cookieValue, fakeOrigin, pageData, setCookies, visit } from './site-support'

// The workerd tests run with ENVIRONMENT=test and an explicit COOKIE_SECRET (vitest.config.ts): the
// fixed development secret is only ever used under ENVIRONMENT=development.
const TEST_SECRET = testEnv.COOKIE_SECRET!
const DEV_SECRET = 'edgesplit-development-cookie-secret'

const hashVariant = async (key: string, unit: string) =>
  (await (await call(`/v1/assign?unit=${encodeURIComponent(unit)}&experiments=${key}&track=false`)).json<any>()).assignments[key].variant

/** A running experiment whose sticky records matter (weights changed after start). */
async function reweighted(): Promise<string> {
  const key = uniqueKey('sticky')
  await createExperiment({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
  const res = await admin(`/v1/experiments/${key}`, { method: 'PATCH', json: { variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 3 }] } })
  expect(res.status).toBe(200)
  return key
}

/** A cookie as the Worker signs it: each item names the experiment instance it belongs to. */
async function signed(unit: string, items: Record<string, { variant: string; epoch: number }>, secret = TEST_SECRET): Promise<string> {
  const all = (await (await admin('/v1/experiments')).json<any>()).experiments as { key: string; id?: string }[]
  const ids = new Map(all.map((e) => [e.key, e.id]))
  const tagged = Object.fromEntries(Object.entries(items).map(([key, r]) => [key, { ...r, instance: instanceTag({ id: ids.get(key) }) }]))
  return signItems(encodeItems(tagged), unit, secret)
}

describe('site middleware: the signed assignment cookie', () => {
  it('should answer the sticky read from a valid cookie, without asking the store', async () => {
    const key = await reweighted()
    const unit = `cookie-unit-${key}`
    const other = (await hashVariant(key, unit)) === 'a' ? 'b' : 'a'
    // The cookie must cover every experiment whose sticky record matters (other tests make some).
    const all = (await (await admin('/v1/experiments')).json<any>()).experiments as any[]
    const items: Record<string, { variant: string; epoch: number }> = { [key]: { variant: other, epoch: 1 } }
    for (const e of all) {
      if (e.key !== key && e.state === 'running' && (e.allocationVersion > 1 || e.epoch > 1)) items[e.key] = { variant: e.variants[0].key, epoch: e.epoch }
    }
    const cookie = `edgesplit_uid=${unit}; edgesplit_asg=${await signed(unit, items)}`
    // A store that never answers: a sticky read would take the full 1 s timeout. A fetch() of the
    // page (not a page view) logs no exposure, so nothing else waits on that store either.
    const slow = { UPSTASH_REDIS_REST_URL: (testEnv as any).TEST_SLOW_URL, UPSTASH_REDIS_REST_TOKEN: 'x' }
    const origin = fakeOrigin()
    const started = Date.now()
    await visit('/', { vars: slow, origin, headers: { cookie, 'sec-fetch-dest': 'empty' } })
    expect(Date.now() - started).toBeLessThan(700)
    expect(origin.calls[0]!.headers['x-edgesplit-assignments']!.split('; ')).toContain(`${key}=${other}`)
  })

  it('should ignore a tampered cookie, one signed for another visitor, and one with another secret', async () => {
    const key = await reweighted()
    const unit = `tamper-unit-${key}`
    const honest = await hashVariant(key, unit)
    const other = honest === 'a' ? 'b' : 'a'
    const valid = await signed(unit, { [key]: { variant: honest, epoch: 1 } })
    const forgeries = [
      valid.replace(`${key}=${honest}`, `${key}=${other}`), // edited items, old signature
      await signed('someone-else-0001', { [key]: { variant: other, epoch: 1 } }), // copied from another visitor
      await signed(unit, { [key]: { variant: other, epoch: 1 } }, 'a-different-secret-0123456789'), // not our secret
      `${key}=${other}@1`, // no signature at all
      await signed(unit, { [key]: { variant: other, epoch: 7 } }), // valid, but from an epoch that never was
    ]
    for (const forged of forgeries) {
      const res = await visit('/', { headers: { cookie: `edgesplit_uid=${unit}; edgesplit_asg=${forged}` } })
      expect(pageData(await res.text()).assignments[key]).toBe(honest)
      // The bad cookie is replaced by a good one.
      const fresh = cookieValue(setCookies(res).edgesplit_asg)
      expect(fresh).toBeDefined()
      expect(fresh).toContain(`${key}=${honest}@1`)
    }
  })

  it('should skip the assignment cookie in production without COOKIE_SECRET, and still serve the page', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    const res = await visit('/', { vars: { ENVIRONMENT: 'production', COOKIE_SECRET: undefined } })
    expect(res.status).toBe(200)
    expect(Object.keys(setCookies(res))).toEqual(['edgesplit_uid'])
    expect(pageData(await res.text()).assignments[key]).toMatch(/^[ab]$/)
    const withSecret = await visit('/', { vars: { ENVIRONMENT: 'production', COOKIE_SECRET: 'prod-secret-0123456789abcdef' } })
    expect(Object.keys(setCookies(withSecret)).sort()).toEqual(['edgesplit_asg', 'edgesplit_uid'])
  })
})

describe('site middleware: the cookie secret outside development', () => {
  it('should set no signed assignment cookie on staging (or any non-development environment) without COOKIE_SECRET', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }] })
    for (const ENVIRONMENT of ['staging', 'test', 'preview', 'Production', 'dev']) {
      const res = await visit('/', { vars: { ENVIRONMENT, COOKIE_SECRET: undefined } })
      expect(res.status, ENVIRONMENT).toBe(200)
      expect(Object.keys(setCookies(res)), ENVIRONMENT).toEqual(['edgesplit_uid'])
      expect(pageData(await res.text()).assignments[key], ENVIRONMENT).toMatch(/^[ab]$/)
    }
  }, 20_000)

  it('should not trust a cookie signed with the public development secret outside development', async () => {
    const key = await reweighted()
    const unit = `dev-secret-unit-${key}`
    const honest = await hashVariant(key, unit)
    const other = honest === 'a' ? 'b' : 'a'
    const forged = await signed(unit, { [key]: { variant: other, epoch: 1 } }, DEV_SECRET)
    for (const vars of [{ ENVIRONMENT: 'staging', COOKIE_SECRET: undefined }, { ENVIRONMENT: 'staging', COOKIE_SECRET: 'staging-secret-0123456789abcdef' }]) {
      const res = await visit('/', { vars, headers: { cookie: `edgesplit_uid=${unit}; edgesplit_asg=${forged}` } })
      expect(pageData(await res.text()).assignments[key], vars.COOKIE_SECRET ?? 'no secret').toBe(honest)
    }
  })

  it('should keep signing with the development secret under ENVIRONMENT=development', async () => {
    const res = await visit('/', { vars: { ENVIRONMENT: 'development', COOKIE_SECRET: undefined } })
    expect(Object.keys(setCookies(res)).sort()).toEqual(['edgesplit_asg', 'edgesplit_uid'])
  })
})

describe('site middleware: visitors it must not trust or count', () => {
  it('should replace an implausible id cookie with a new id', async () => {
    for (const bad of ['x', 'a'.repeat(300), '<script>', 'a b c d e f g h']) {
      const res = await visit('/', { headers: { cookie: `edgesplit_uid=${encodeURIComponent(bad)}` } })
      const uid = cookieValue(setCookies(res).edgesplit_uid)!
      expect(uid).toMatch(/^[0-9a-f-]{36}$/)
      expect(pageData(await res.text()).unit).toBe(uid)
    }
  })

  it('should serve bots the fallback and never enrol them', async () => {
    const key = uniqueKey()
    await createExperiment({ key, title: 'T', variants: [{ key: 'a', weight: 1 }, { key: 'b', weight: 1 }], fallback: 'b' })
    for (let i = 0; i < 5; i++) {
      const res = await visit('/', { headers: { cookie: `edgesplit_uid=bot-${key}-${i}`, 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0)' } })
      expect(pageData(await res.text()).assignments[key]).toBe('b')
    }
    const counters = (await (await admin(`/v1/experiments/${key}/counts`)).json<any>()).counters
    expect(counters.epochs['1']?.variants?.b?.exposures ?? 0).toBe(0)
  })

  it('should escape page data so a hostile id or key cannot break out of the script', async () => {
    const res = await visit('/', { headers: { cookie: 'edgesplit_uid=abc</script>x' } })
    const body = await res.text()
    expect(body).not.toContain('abc</script>')
  })
})
