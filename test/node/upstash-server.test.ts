// The local Upstash REST server is only useful if the real @upstash/redis client cannot tell it from
// Upstash, so almost everything here goes through that client; raw fetch covers what the client never sends.
import { Redis, type RedisConfigNodejs } from '@upstash/redis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
// @ts-ignore -- plain .mjs tools: typed when the tsconfig has allowJs, `any` otherwise; either way it must compile.
import { ensureSystemDeps } from '../../tools/provision.mjs'
// @ts-ignore -- see above
import { startRedisStack } from '../../tools/upstash/redis-harness.mjs'

const TOKEN = 'test-token'

type Stack = Awaited<ReturnType<typeof startRedisStack>>
let stack: Stack
let url: string

// Auto-pipelining is on by default in @upstash/redis 1.39; turning it off makes each call a plain `POST /`.
const client = (opts: Partial<RedisConfigNodejs> = {}) =>
  new Redis({ url, token: TOKEN, enableTelemetry: false, enableAutoPipelining: false, retry: false, ...opts })

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, { method: 'POST', body, headers: { authorization: `Bearer ${TOKEN}`, ...headers } })

const run = Math.random().toString(36).slice(2, 8)
let n = 0
const key = (name: string) => `t:${run}:${++n}:${name}`

beforeAll(async () => {
  await ensureSystemDeps(['redis-server'], { install: false })
  stack = await startRedisStack({ redisPort: 0, restPort: 0, token: TOKEN })
  url = stack.restUrl
}, 20_000)

afterAll(async () => {
  await stack?.stop()
})

afterEach(() => {
  stack.server.setDelay(0)
  stack.server.setDown(false)
})

describe('the Upstash REST server used through @upstash/redis', () => {
  it('should set and get a plain string', async () => {
    const redis = client()
    const k = key('str')
    expect(await redis.set(k, 'hello world')).toBe('OK')
    expect(await redis.get(k)).toBe('hello world')
    expect(await redis.get(key('missing'))).toBeNull()
  })

  it('should round-trip JSON objects and numbers', async () => {
    const redis = client()
    const obj = { variant: 'b', weights: [0.5, 0.5], nested: { ok: true } }
    const j = key('json')
    await redis.set(j, obj)
    expect(await redis.get(j)).toEqual(obj)
    const num = key('num')
    await redis.set(num, 42)
    expect(await redis.get(num)).toBe(42)
    expect(await redis.incrby(num, 8)).toBe(50)
  })

  it('should round-trip non-ASCII and binary-ish strings byte for byte', async () => {
    const redis = client()
    const values = ['ünïcödé ✓ 😀 中文', '\u0000\u0001\u0002\u007f\u00ff', 'OK', 'PONG', 'T0s=', 'line1\r\nline2', ' spaced ']
    for (const value of values) {
      const k = key('bin')
      await redis.set(k, value)
      expect(await redis.get(k)).toBe(value)
      expect(await client({ responseEncoding: false }).get(k)).toBe(value)
    }
  })

  it('should count with hincrby and read the hash back with hgetall', async () => {
    const redis = client()
    const h = key('hash')
    expect(await redis.hincrby(h, 'exposures', 1)).toBe(1)
    expect(await redis.hincrby(h, 'exposures', 2)).toBe(3)
    await redis.hincrby(h, 'conversions', 1)
    expect(await redis.hgetall(h)).toEqual({ exposures: 3, conversions: 1 })
    expect(await redis.hgetall(key('nohash'))).toBeNull()
  })

  it('should batch concurrent commands into one HTTP request with auto-pipelining', async () => {
    const redis = client({ enableAutoPipelining: true })
    const h = key('auto')
    const before = stack.server.stats().requests
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => redis.hincrby(h, `f${i % 3}`, 1)))
    expect(stack.server.stats().requests - before).toBe(1)
    expect(results).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4])
    const reads = await Promise.all([redis.hget(h, 'f0'), redis.hget(h, 'f1'), redis.hget(h, 'nope')])
    expect(reads).toEqual([4, 3, null])
    expect(stack.server.stats().requests - before).toBe(2)
  })

  it('should surface an error inside an auto-pipelined batch only on the failing command', async () => {
    const redis = client({ enableAutoPipelining: true })
    const s = key('str')
    await redis.set(s, 'not a number')
    const [ok, bad] = await Promise.allSettled([redis.incr(key('counter')), redis.incr(s)])
    expect(ok).toEqual({ status: 'fulfilled', value: 1 })
    expect(bad.status).toBe('rejected')
    expect(String((bad as PromiseRejectedResult).reason)).toMatch(/ERR value is not an integer/)
  })

  it('should run an explicit pipeline and return results in order', async () => {
    const redis = client()
    const a = key('p')
    const res = await redis.pipeline().set(a, 'x').get(a).incr(key('pc')).mget(a, key('none')).ping().exec()
    expect(res).toEqual(['OK', 'x', 1, ['x', null], 'PONG'])
  })

  it('should report a failing pipeline command per entry when keepErrors is set, and throw otherwise', async () => {
    const redis = client()
    const s = key('p')
    await redis.set(s, 'text')
    const kept = await redis.pipeline().incr(s).get(s).exec({ keepErrors: true })
    expect(kept[0].error).toMatch(/^ERR value is not an integer/)
    expect(kept[1]).toEqual({ error: undefined, result: 'text' })
    await expect(redis.pipeline().incr(s).get(s).exec()).rejects.toThrow(/Command 1 \[ incr \] failed: ERR/)
  })

  it('should run multi() inside MULTI/EXEC and return every result', async () => {
    const redis = client()
    const c = key('m')
    const res = await redis.multi().set(c, 1).incr(c).incrby(c, 10).get(c).exec()
    expect(res).toEqual(['OK', 2, 12, 12])
  })

  it('should keep concurrent multi() transactions from interleaving', async () => {
    const redis = client()
    const c = key('iso')
    const runs = await Promise.all(Array.from({ length: 20 }, () => redis.multi().incr(c).incr(c).exec()))
    // Each transaction's two increments are adjacent, so every pair is (odd, odd + 1).
    for (const [first, second] of runs as [number, number][]) {
      expect(first % 2).toBe(1)
      expect(second).toBe(first + 1)
    }
  })

  it('should eval a Lua script, load it, and evalsha it', async () => {
    const redis = client()
    // The client JSON-parses each array element, so the counts come back as numbers.
    const src = "redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[2])); return redis.call('HGETALL', KEYS[1])"
    const h = key('lua')
    expect(await redis.eval(src, [h], ['exposures', '2'])).toEqual(['exposures', 2])
    const sha = await redis.scriptLoad(src)
    expect(sha).toMatch(/^[0-9a-f]{40}$/)
    expect(await redis.evalsha(sha, [h], ['exposures', '3'])).toEqual(['exposures', 5])
  })

  it('should pass NOSCRIPT through so createScript falls back to EVAL', async () => {
    const redis = client()
    // A script body no other test uses, so Redis has certainly never cached it.
    const script = redis.createScript<number>(`return tonumber(ARGV[1]) * 2 -- ${run}-${Date.now()}`)
    await expect(redis.evalsha('0'.repeat(40), [], [])).rejects.toThrow(/NOSCRIPT/)
    expect(await script.exec([], ['21'])).toBe(42)
    expect(await script.evalsha([], ['5'])).toBe(10)
  })

  it('should return Lua status, integer, nil and nested array replies as the client expects', async () => {
    const src = "return {redis.status_reply('OK'), 7, false, {'a', {'b'}}, 'PONG'}"
    expect(await client().eval(src, [], [])).toEqual(['OK', 7, null, ['a', ['b']], 'PONG'])
    expect(await client({ responseEncoding: false }).eval(src, [], [])).toEqual(['OK', 7, null, ['a', ['b']], 'PONG'])
  })

  it('should surface a wrong command as a client error', async () => {
    const redis = client()
    await expect(redis.exec(['NOSUCHCOMMAND', 'x'])).rejects.toThrow(/ERR unknown command/)
    const s = key('s')
    await redis.set(s, 'v')
    await expect(redis.hincrby(s, 'f', 1)).rejects.toThrow(/WRONGTYPE/)
  })

  it('should reject a wrong token with 401 and Upstash\'s error text', async () => {
    await expect(client({ token: 'wrong' }).get('x')).rejects.toThrow(/WRONGPASS invalid or missing auth token/)
    const res = await fetch(url, { method: 'POST', body: '["PING"]', headers: { authorization: 'Bearer nope' } })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'WRONGPASS invalid or missing auth token' })
    expect((await fetch(url, { method: 'POST', body: '["PING"]' })).status).toBe(401)
  })

  it('should work with base64 response encoding turned off', async () => {
    const redis = client({ responseEncoding: false })
    const k = key('plain')
    await redis.set(k, 'plain ✓')
    expect(await redis.get(k)).toBe('plain ✓')
    expect(await redis.pipeline().get(k).ping().exec()).toEqual(['plain ✓', 'PONG'])
  })

  it('should delay requests when a delay is set', async () => {
    const redis = client()
    stack.server.setDelay(150)
    const t0 = performance.now()
    await redis.ping()
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140)
    stack.server.setDelay(0)
    const t1 = performance.now()
    await redis.ping()
    expect(performance.now() - t1).toBeLessThan(140)
  })

  it('should answer 503 while down and recover when brought back up', async () => {
    const redis = client()
    stack.server.setDown(true)
    await expect(redis.get('x')).rejects.toThrow(/Service Unavailable/)
    expect((await post('/', '["PING"]')).status).toBe(503)
    stack.server.setDown(false)
    expect(await redis.ping()).toBe('PONG')
  })

  it('should drop connections without answering in close mode', async () => {
    stack.server.setDown('close')
    await expect(client().ping()).rejects.toThrow()
    await expect(post('/', '["PING"]')).rejects.toThrow()
    stack.server.setDown(false)
    expect(await client().ping()).toBe('PONG')
  })
})

describe('the Upstash REST server on the wire', () => {
  it('should base64-encode every string except a top-level OK when asked', async () => {
    const h = { 'upstash-encoding': 'base64' }
    const k = key('wire')
    expect(await (await post('/', JSON.stringify(['SET', k, 'bar']), h)).json()).toEqual({ result: 'OK' })
    expect(await (await post('/', JSON.stringify(['GET', k]), h)).json()).toEqual({ result: 'YmFy' })
    expect(await (await post('/', '["PING"]', h)).json()).toEqual({ result: 'UE9ORw==' })
    expect(await (await post('/', JSON.stringify(['MGET', k, key('none')]), h)).json()).toEqual({ result: ['YmFy', null] })
    expect(await (await post('/', JSON.stringify(['STRLEN', k]), h)).json()).toEqual({ result: 3 })
    expect(await (await post('/pipeline', JSON.stringify([['SET', k, 'bar'], ['GET', k]]), h)).json()).toEqual([{ result: 'OK' }, { result: 'YmFy' }])
  })

  it('should return plain strings without the encoding header', async () => {
    const k = key('wire')
    await post('/', JSON.stringify(['SET', k, 'bär']))
    expect(await (await post('/', JSON.stringify(['GET', k]))).json()).toEqual({ result: 'bär' })
    expect(await (await post('/', '["PING"]')).json()).toEqual({ result: 'PONG' })
  })

  it('should accept numbers and booleans as arguments', async () => {
    const k = key('args')
    expect(await (await post('/', JSON.stringify(['SET', k, 1.5, 'EX', 100]))).json()).toEqual({ result: 'OK' })
    expect(await (await post('/', JSON.stringify(['GET', k]))).json()).toEqual({ result: '1.5' })
    await post('/', JSON.stringify(['SET', k, true]))
    expect(await (await post('/', JSON.stringify(['GET', k]))).json()).toEqual({ result: 'true' })
  })

  it('should answer a Redis error on a single command with 400 and the Redis text', async () => {
    const res = await post('/', '["GET"]')
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: "ERR wrong number of arguments for 'get' command" })
  })

  it('should reject malformed JSON with 400 and a clear message', async () => {
    const res = await post('/', '["SET","k",')
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(/^ERR failed to parse request body as JSON/)
  })

  it('should reject bodies that are not command arrays', async () => {
    for (const body of ['{"cmd":"GET"}', '"GET"', '[]', '[1,2]', '']) {
      const res = await post('/', body)
      expect(res.status, body).toBe(400)
      expect((await res.json()).error, body).toMatch(/^ERR /)
    }
  })

  it('should reject object, array and null arguments naming the offending index', async () => {
    for (const arg of [{ a: 1 }, ['x'], null]) {
      const res = await post('/', JSON.stringify(['SET', 'k', arg]))
      expect(res.status).toBe(400)
      expect((await res.json()).error).toMatch(/invalid argument at index 2/)
    }
  })

  it('should reject a malformed pipeline as a whole', async () => {
    for (const body of ['[]', '[["PING"], "GET"]', '{"a":1}', '[["PING"]']) {
      const res = await post('/pipeline', body)
      expect(res.status, body).toBe(400)
      expect((await res.json()).error, body).toMatch(/^ERR /)
    }
  })

  it('should discard a whole transaction when a command fails to queue', async () => {
    const k = key('tx')
    const res = await post('/multi-exec', JSON.stringify([['SET', k, 'v'], ['NOSUCHCOMMAND']]))
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(/^EXECABORT/)
    expect(await (await post('/', JSON.stringify(['EXISTS', k]))).json()).toEqual({ result: 0 })
    const nested = await post('/multi-exec', '[["MULTI"]]')
    expect(nested.status).toBe(400)
  })

  it('should refuse commands that would hijack a pooled connection', async () => {
    const res = await post('/', '["SUBSCRIBE","chan"]')
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(/not supported/)
    expect(await (await post('/pipeline', '[["MONITOR"],["PING"]]')).json()).toEqual([
      { error: "ERR command 'MONITOR' is not supported by this REST server" },
      { result: 'PONG' },
    ])
  })

  it('should support the path form with a body value, query options and _token', async () => {
    const k = key('path')
    const set = await fetch(`${url}/set/${encodeURIComponent(k)}?EX=100&_token=${TOKEN}`, { method: 'POST', body: 'body value ✓' })
    expect(await set.json()).toEqual({ result: 'OK' })
    const get = await fetch(`${url}/get/${encodeURIComponent(k)}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(await get.json()).toEqual({ result: 'body value ✓' })
    const ttl = await fetch(`${url}/ttl/${encodeURIComponent(k)}?_token=${TOKEN}`)
    expect((await ttl.json()).result).toBeGreaterThan(90)
  })

  it('should answer 405 to unsupported methods', async () => {
    const res = await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
    expect(res.status).toBe(405)
  })
})
