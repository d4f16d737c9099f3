import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { interleavedOneAtATime, oneAtATime, paced } from '../../tools/bench/latency.mjs'

// Local servers standing in for Workers: each answers after `delayMs`, and 500 to every `failEvery`th
// request; `arrivals` names the server of each request, in the order they came.
const servers: Server[] = []
const arrivals: string[] = []
async function serve(delayMs: number, failEvery = 0, name = ''): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = []
  const server = createServer((req, res) => {
    paths.push(req.url ?? '')
    arrivals.push(name)
    res.statusCode = failEvery && paths.length % failEvery === 0 ? 500 : 200
    setTimeout(() => res.end('ok'), delayMs)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as { port: number }
  return { url: `http://127.0.0.1:${address.port}`, paths }
}
afterEach(async () => {
  arrivals.length = 0
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
})

describe('the bench latency timers (tools/bench/latency.mjs)', () => {
  it('should time one request at a time from its sending, each with a fresh id', async () => {
    const { url, paths } = await serve(5)
    const { quietP50, quietP99 } = await oneAtATime(url, '/?v={i}', {}, 20)
    expect(quietP50).toBeGreaterThanOrEqual(4.5)
    expect(quietP99).toBeGreaterThanOrEqual(quietP50)
    expect(paths).toHaveLength(70)
    expect(new Set(paths).size).toBe(70)
  })

  it('should time several servers one request at a time, interleaved, each p50 its own', async () => {
    const fast = await serve(0, 0, 'fast')
    const slow = await serve(8, 0, 'slow')
    const [fastP50, slowP50] = await interleavedOneAtATime(
      [
        { url: fast.url, path: '/?v={i}', headers: {} },
        { url: slow.url, path: '/?v={i}', headers: {} },
      ],
      30,
    )
    expect(slowP50).toBeGreaterThanOrEqual(7.5)
    expect(fastP50).toBeLessThan(slowP50)
    // 20 warm-up rounds and 30 measured, one request to each server a round, each with a fresh id.
    expect(fast.paths).toHaveLength(50)
    expect(new Set(slow.paths).size).toBe(50)
    // Interleaved, with the order rotating: never three requests in a row to one server.
    expect(arrivals.join(',')).not.toMatch(/(fast,){3}|(slow,){3}/)
    expect(arrivals.slice(0, 4)).toEqual(['fast', 'slow', 'slow', 'fast'])
  })

  it('should send paced requests on schedule whatever the earlier ones are doing, and time each from its sending', async () => {
    const { url, paths } = await serve(20)
    const started = performance.now()
    const { pacedP50 } = await paced(url, '/?v={i}', {}, { seconds: 0.5, sockets: 50, rate: 200 })
    // 100 requests at 200 a second take ~0.5 s whatever each one's 20 ms: they overlap (open loop).
    expect(paths).toHaveLength(100)
    expect(performance.now() - started).toBeLessThan(1500)
    expect(pacedP50).toBeGreaterThanOrEqual(19)
    expect(pacedP50).toBeLessThan(200)
  })

  it('should reject with the answer when a paced request fails, after the requests sent have settled', async () => {
    const { url, paths } = await serve(1, 10)
    await expect(paced(url, '/?v={i}', {}, { seconds: 0.5, sockets: 10, rate: 200 })).rejects.toThrow('paced requests: status 500')
    // It stopped sending soon after the failure instead of finishing the schedule.
    expect(paths.length).toBeLessThan(100)
  })
})
