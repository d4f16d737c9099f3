import { describe, expect, it } from 'vitest'
import { admin, call, createExperiment, uniqueKey } from './helpers'
import { fakeOrigin, pageData, visit } from './site-support'

const exposures = async (key: string) => {
  const variants = (await (await admin(`/v1/experiments/${key}/counts`)).json<any>()).counters.epochs['1']?.variants ?? {}
  return Object.values<any>(variants).reduce((n, v) => n + v.exposures, 0)
}

describe('site middleware: flags', () => {
  it('should give the page window.edgesplit.flags and the origin x-edgesplit-flags, dropping a client-sent copy', async () => {
    const key = uniqueKey('flag')
    await admin(`/v1/flags/${key}`, { method: 'PUT', json: { type: 'string', default: 'plain', rules: [{ id: 'pricing', when: { paths: ['/pricing'] }, serve: { value: 'café ☕' } }] } })
    const origin = fakeOrigin()
    const res = await visit('/pricing', { origin, headers: { cookie: 'edgesplit_uid=visitor-flags-1', 'x-edgesplit-flags': '{"forged":true}' } })
    const flags = pageData(await res.text()).flags!
    expect(flags[key]).toBe('café ☕')
    const header = JSON.parse(origin.calls[0]!.headers['x-edgesplit-flags']!)
    expect(header[key]).toBe('café ☕')
    expect(header.forged).toBeUndefined()
    expect(origin.calls[0]!.headers['x-edgesplit-flags']).toMatch(/^[\x20-\x7e]+$/)
    const elsewhere = await visit('/', { origin, headers: { cookie: 'edgesplit_uid=visitor-flags-1' } })
    expect(pageData(await elsewhere.text()).flags![key]).toBe('plain')
  })

  it('should serve an experiment rule from the visitor’s own assignment and count its page view once', async () => {
    const exp = uniqueKey()
    await createExperiment({ key: exp, title: 'T', variants: [{ key: 'a', weight: 1, payload: { value: 1 } }, { key: 'b', weight: 1, payload: { value: 2 } }] })
    const key = uniqueKey('flag')
    await admin(`/v1/flags/${key}`, { method: 'PUT', json: { type: 'number', default: 0, rules: [{ id: 'e', serve: { experiment: exp } }] } })
    const res = await visit('/', { headers: { cookie: 'edgesplit_uid=visitor-flags-2' } })
    const data = pageData(await res.text())
    expect(data.flags![key]).toBe(data.assignments[exp] === 'a' ? 1 : 2)
    expect(await exposures(exp)).toBe(1)
    const api = (await (await call(`/v1/flags?unit=visitor-flags-2&flags=${key}&track=false`)).json<any>()).flags[key]
    expect(api).toMatchObject({ value: data.flags![key], reason: 'experiment', variant: data.assignments[exp] })
  })
})
