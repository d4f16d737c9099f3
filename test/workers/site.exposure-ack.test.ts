// The site writes a page view's exposures beside the origin fetch and marks the ones the store
// acknowledged in that response's signed cookie (`!`); a marked cookie costs no store call at all
// (docs/scale.md, "Writes that grow with new units"). Store calls are counted at the Durable Object
// binding (test/workers/watched-counters.ts).
import { describe, expect, it } from 'vitest'
import { counterKeyOf } from '../../src/core/compile'
import type { Experiment } from '../../src/core/experiment'
import { admin, createExperiment, uniqueKey } from './helpers'
import { cookieValue, fakeOrigin, html, setCookies, visit } from './site-support'
import { objectNames, watchedCounters } from './watched-counters'

const twoWay = [
  { key: 'a', weight: 1 },
  { key: 'b', weight: 1 },
]
// A generous bound for the write, so tests do not depend on the machine's speed; production waits
// ACK_WAIT_MS (src/site/exposure-ack.ts).
const site = { ackWaitMs: 10_000 }

const exposures = async (key: string) => {
  const counters = (await (await admin(`/v1/experiments/${key}/counts`)).json<any>()).counters
  return Object.values<any>(counters.epochs['1']?.variants ?? {}).reduce((n, v) => n + v.exposures, 0)
}
const shardsOf = async (key: string) => objectNames(counterKeyOf(await (await admin(`/v1/experiments/${key}`)).json<Experiment>()))
const marked = (asg: string | undefined, key: string) => new RegExp(`(^|\\|)${key}=[ab]@1~[A-Za-z0-9-]+![|.]`).test(asg ?? '')
const unmarked = (asg: string | undefined, key: string) => new RegExp(`(^|\\|)${key}=[ab]@1~[A-Za-z0-9-]+[|.]`).test(asg ?? '')

describe('site middleware: the exposure acknowledged in the first response', () => {
  it('should mark every exposed experiment in a new visitor\'s first cookie, with the exposures in the store', async () => {
    const keys = [uniqueKey('ack'), uniqueKey('ack')]
    for (const key of keys) await createExperiment({ key, title: 'T', variants: twoWay })
    const first = await visit('/', { site })
    expect(first.status).toBe(200)
    const asg = cookieValue(setCookies(first).edgesplit_asg)
    for (const key of keys) {
      expect(marked(asg, key)).toBe(true)
      expect(await exposures(key)).toBe(1)
    }
  })

  it('should make no store call on the next page views with that cookie, and keep the counts exact', async () => {
    const keys = [uniqueKey('quiet'), uniqueKey('quiet')]
    for (const key of keys) await createExperiment({ key, title: 'T', variants: twoWay })
    const { calls, namespace } = watchedCounters()
    const first = await visit('/', { site, vars: { COUNTERS: namespace } })
    expect(calls.filter((c) => c.method === 'recordExposures').length).toBeGreaterThan(0)
    const cookie = `edgesplit_uid=${cookieValue(setCookies(first).edgesplit_uid)}; edgesplit_asg=${cookieValue(setCookies(first).edgesplit_asg)}`
    const before = calls.length
    for (let i = 0; i < 3; i++) {
      const again = await visit('/', { site, vars: { COUNTERS: namespace }, headers: { cookie } })
      expect(again.status).toBe(200)
      expect(setCookies(again).edgesplit_asg).toBeUndefined()
    }
    expect(calls.slice(before)).toEqual([])
    for (const key of keys) expect(await exposures(key)).toBe(1)
  })

  it('should serve the page with no mark when the store fails, mark none of the write\'s experiments, and write again on the next visit, counting once', async () => {
    const [broken, healthy] = [uniqueKey('down'), uniqueKey('up')]
    for (const key of [broken, healthy]) await createExperiment({ key, title: 'T', variants: twoWay })
    // One shard of the write fails: the write rejects as a whole, so nothing it carried is marked.
    const down = watchedCounters(new Set(await shardsOf(broken)))
    const first = await visit('/', { site, vars: { COUNTERS: down.namespace } })
    expect(first.status).toBe(200)
    expect(await first.text()).toContain('window.edgesplit=')
    const uid = cookieValue(setCookies(first).edgesplit_uid)!
    const asg1 = cookieValue(setCookies(first).edgesplit_asg)
    expect(asg1).not.toContain('!')
    expect(unmarked(asg1, broken) && unmarked(asg1, healthy)).toBe(true)
    expect(await exposures(broken)).toBe(0)

    const up = watchedCounters()
    const second = await visit('/', { site, vars: { COUNTERS: up.namespace }, headers: { cookie: `edgesplit_uid=${uid}; edgesplit_asg=${asg1}` } })
    expect(up.calls.filter((c) => c.method === 'recordExposures').length).toBeGreaterThan(0)
    expect(up.calls.filter((c) => c.method !== 'recordExposures')).toEqual([])
    const asg2 = cookieValue(setCookies(second).edgesplit_asg)
    expect(marked(asg2, broken) && marked(asg2, healthy)).toBe(true)
    // The healthy experiment's shard took the first write too: the store counts the unit once.
    expect(await exposures(broken)).toBe(1)
    expect(await exposures(healthy)).toBe(1)
  })

  it('should not hold the page for a slow store: no mark, the write goes on after the response, and the next page view marks it', async () => {
    const key = uniqueKey('slow')
    await createExperiment({ key, title: 'T', variants: twoWay })
    // Every store call takes 700 ms: far past the page's default bound (ACK_WAIT_MS), within the
    // store guard's 1 s, so the write succeeds after the response has left.
    const slow = watchedCounters(new Set(), 700)
    const res = await visit('/', { vars: { COUNTERS: slow.namespace } })
    expect(res.status).toBe(200)
    const uid = cookieValue(setCookies(res).edgesplit_uid)!
    const asg = cookieValue(setCookies(res).edgesplit_asg)
    expect(unmarked(asg, key)).toBe(true)
    expect(asg).not.toContain('!')
    expect(await exposures(key)).toBe(1)
    const next = await visit('/', { site, headers: { cookie: `edgesplit_uid=${uid}; edgesplit_asg=${asg}` } })
    expect(marked(cookieValue(setCookies(next).edgesplit_asg), key)).toBe(true)
    expect(await exposures(key)).toBe(1)
  })

  it('should count a page view whatever the origin answers, a 404 page or a non-HTML answer (intention to treat)', async () => {
    const key = uniqueKey('itt')
    await createExperiment({ key, title: 'T', variants: twoWay })
    const missing = fakeOrigin(() => html('<html><body>not here</body></html>', { status: 404 }))
    const res = await visit('/gone', { origin: missing, site, headers: { cookie: `edgesplit_uid=itt-${key}-1` } })
    expect(res.status).toBe(404)
    expect(await exposures(key)).toBe(1)
    expect(await res.text()).not.toContain('window.edgesplit')
    // The counted page view keeps its id and marked record, private to the browser, so the visitor's
    // next page view is the same unit and makes no second count.
    expect(res.headers.get('cache-control')).toBe('private, no-cache')
    const asg = cookieValue(setCookies(res).edgesplit_asg)
    expect(cookieValue(setCookies(res).edgesplit_uid)).toBe(`itt-${key}-1`)
    expect(marked(asg, key)).toBe(true)
    const newcomer = await visit('/gone', { origin: missing, site })
    const uid = cookieValue(setCookies(newcomer).edgesplit_uid)
    expect(uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(await exposures(key)).toBe(2)
    const back = await visit('/', { site, headers: { cookie: `edgesplit_uid=${uid}; edgesplit_asg=${cookieValue(setCookies(newcomer).edgesplit_asg)}` } })
    expect(back.status).toBe(200)
    expect(await exposures(key)).toBe(2)
    const broken = fakeOrigin(() => new Response('upstream failed', { status: 502, headers: { 'content-type': 'text/plain' } }))
    const failed = await visit('/', { origin: broken, site, headers: { cookie: `edgesplit_uid=itt-${key}-2` } })
    expect(failed.status).toBe(502)
    expect(await failed.text()).toBe('upstream failed')
    expect(failed.headers.get('content-type')).toBe('text/plain')
    expect(await exposures(key)).toBe(3)
    // Still only page views: the same 404 fetched by script counts nothing.
    const fetched = await visit('/gone', { origin: missing, site, headers: { cookie: `edgesplit_uid=itt-${key}-3`, 'sec-fetch-dest': 'empty', accept: '*/*' } })
    expect(fetched.headers.get('set-cookie')).toBeNull()
    expect(await exposures(key)).toBe(3)
    // An origin that cannot be reached (the visitor gets a 502): the page view was assigned and the
    // write waited on that fetch's answer, so it counts too.
    const unreachable = fakeOrigin(() => {
      throw new Error('connect ECONNREFUSED')
    })
    const down = await visit('/', { origin: unreachable, site, headers: { cookie: `edgesplit_uid=itt-${key}-4` } })
    expect(down.status).toBe(502)
    expect(await exposures(key)).toBe(4)
  })
})
