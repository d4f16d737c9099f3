// The OpenFeature providers (openfeature/) with the real SDKs, against a running `wrangler dev`.
import { ErrorCode, OpenFeature as ServerOpenFeature } from '@openfeature/server-sdk'
import { OpenFeature as WebOpenFeature } from '@openfeature/web-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EdgesplitServerProvider, EdgesplitWebProvider } from 'edgesplit/openfeature'
import { type DevServer, newStateDir, removeState, startDevServer } from './dev-harness'

const TOKEN = 'openfeature-test-token'
let dev: DevServer
let persist: string

async function api(method: string, path: string, json?: unknown): Promise<any> {
  const res = await fetch(`${dev.base}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) }, body: json === undefined ? undefined : JSON.stringify(json) })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.status === 204 ? null : res.json()
}

/** A fetch that counts its calls. */
function countingFetch() {
  const counter = { calls: 0, fetch: ((input: RequestInfo | URL, init?: RequestInit) => (counter.calls++, fetch(input, init))) as typeof fetch }
  return counter
}

beforeAll(async () => {
  persist = newStateDir('openfeature')
  dev = await startDevServer({ persist, vars: { ADMIN_TOKEN: TOKEN } })
  await api('PUT', '/v1/flags/of-bool', { type: 'boolean', default: false, rules: [{ id: 'pro', when: { attributes: [{ attribute: 'plan', op: 'eq', value: 'pro' }] }, serve: { value: true } }] })
  await api('PUT', '/v1/flags/of-string', { type: 'string', default: 'grey', rules: [{ id: 'half', serve: { rollout: [{ value: 'green', weight: 100 }] } }] })
  await api('PUT', '/v1/flags/of-json', { type: 'json', default: { size: 1 }, rules: [] })
  await api('POST', '/v1/experiments', { key: 'of-exp', title: 'T', variants: [{ key: 'a', weight: 1, payload: { value: 10 } }, { key: 'b', weight: 1, payload: { value: 20 } }] })
  await api('POST', '/v1/experiments/of-exp/transition', { to: 'running' })
  await api('PUT', '/v1/flags/of-number', { type: 'number', default: 0, rules: [{ id: 'exp', serve: { experiment: 'of-exp' } }] })
}, 120_000)

afterAll(async () => {
  await ServerOpenFeature.close()
  await WebOpenFeature.close()
  await dev?.stop()
  if (persist) removeState(persist)
})

describe('EdgesplitServerProvider with @openfeature/server-sdk', () => {
  it('should evaluate each flag type with OpenFeature reasons, variants and errors', async () => {
    await ServerOpenFeature.setProviderAndWait('server-1', new EdgesplitServerProvider({ url: dev.base, cacheTtlMs: 0 }))
    const client = ServerOpenFeature.getClient('server-1')
    expect(await client.getBooleanDetails('of-bool', false, { targetingKey: 'u1', plan: 'pro' })).toMatchObject({ value: true, reason: 'TARGETING_MATCH', variant: 'pro' })
    expect(await client.getBooleanDetails('of-bool', true, { targetingKey: 'u1', plan: 'free' })).toMatchObject({ value: false, reason: 'DEFAULT', flagMetadata: { reason: 'targeting' } })
    expect(await client.getStringDetails('of-string', 'x', { targetingKey: 'u1' })).toMatchObject({ value: 'green', reason: 'SPLIT' })
    expect(await client.getObjectValue('of-json', {}, { targetingKey: 'u1' })).toEqual({ size: 1 })
    const exp = await client.getNumberDetails('of-number', -1, { targetingKey: 'u1' })
    const assigned = (await (await fetch(`${dev.base}/v1/assign?unit=u1&experiments=of-exp&track=false`)).json()).assignments['of-exp'].variant
    expect(exp).toMatchObject({ value: assigned === 'a' ? 10 : 20, reason: 'SPLIT', variant: assigned, flagMetadata: { reason: 'experiment', experiment: 'of-exp' } })
    expect(await client.getBooleanDetails('of-missing', true, { targetingKey: 'u1' })).toMatchObject({ value: true, reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND })
    expect(await client.getNumberDetails('of-bool', 7, { targetingKey: 'u1' })).toMatchObject({ value: 7, reason: 'ERROR', errorCode: ErrorCode.TYPE_MISMATCH })
    expect(await client.getBooleanDetails('of-bool', true, {})).toMatchObject({ value: true, errorCode: ErrorCode.TARGETING_KEY_MISSING })
  })

  it('should reuse a cached answer per flag and context, and see the kill switch once the cache is off', async () => {
    const counter = countingFetch()
    await ServerOpenFeature.setProviderAndWait('server-2', new EdgesplitServerProvider({ url: dev.base, cacheTtlMs: 600_000, fetch: counter.fetch }))
    const cached = ServerOpenFeature.getClient('server-2')
    const pro = { targetingKey: 'u2', plan: 'pro' }
    expect(await cached.getBooleanValue('of-bool', false, pro)).toBe(true)
    expect(await cached.getBooleanValue('of-bool', false, pro)).toBe(true)
    expect(counter.calls).toBe(1)
    await cached.getBooleanValue('of-bool', false, { ...pro, targetingKey: 'u3' })
    expect(counter.calls).toBe(2)
    await ServerOpenFeature.setProviderAndWait('server-3', new EdgesplitServerProvider({ url: dev.base, cacheTtlMs: 0 }))
    const fresh = ServerOpenFeature.getClient('server-3')
    await api('POST', '/v1/flags/of-bool/disable')
    try {
      expect(await fresh.getBooleanDetails('of-bool', true, pro)).toMatchObject({ value: false, reason: 'DISABLED' })
      expect(await cached.getBooleanValue('of-bool', false, pro)).toBe(true) // still within its cache
    } finally {
      await api('POST', '/v1/flags/of-bool/enable')
    }
  })
})

describe('EdgesplitWebProvider with @openfeature/web-sdk', () => {
  it('should fetch once per context and evaluate synchronously from that answer', async () => {
    const counter = countingFetch()
    await WebOpenFeature.setContext({ targetingKey: 'w1', plan: 'pro' })
    await WebOpenFeature.setProviderAndWait(new EdgesplitWebProvider({ url: dev.base, fetch: counter.fetch }))
    const client = WebOpenFeature.getClient()
    expect(client.getBooleanDetails('of-bool', false)).toMatchObject({ value: true, reason: 'TARGETING_MATCH' })
    expect(client.getStringValue('of-string', 'x')).toBe('green')
    expect(client.getObjectValue('of-json', {})).toEqual({ size: 1 })
    expect(client.getBooleanDetails('of-missing', true)).toMatchObject({ value: true, errorCode: ErrorCode.FLAG_NOT_FOUND })
    expect(client.getStringDetails('of-bool', 'd')).toMatchObject({ value: 'd', errorCode: ErrorCode.TYPE_MISMATCH })
    expect(counter.calls).toBe(1)
    await WebOpenFeature.setContext({ targetingKey: 'w1', plan: 'free' })
    expect(counter.calls).toBe(2)
    expect(client.getBooleanDetails('of-bool', true)).toMatchObject({ value: false, reason: 'DEFAULT' })
  })
})
