import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../src/core/random'
import { runVisits } from '../../../tools/simulate/run-visits'

/** A fake edgesplit: assigns by unit parity, answers the first post of each event not_exposed. */
function fakeService() {
  const calls: string[] = []
  const seen = new Set<string>()
  let inFlight = 0
  let maxInFlight = 0
  const fetch = (async (input: string, init?: RequestInit) => {
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    await new Promise((r) => setTimeout(r, 1))
    inFlight--
    const url = new URL(input)
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}`)
    if (url.pathname === '/v1/assign') {
      const unit = url.searchParams.get('unit')!
      const variant = Number(unit.split('-').at(-1)) % 2 === 0 ? 'Moon' : 'Mars'
      return Response.json({ unit, assignments: { moon_mars: { variant, reason: 'hash', enrolled: true } } })
    }
    const event = JSON.parse(String(init?.body)) as { id: string }
    const first = !seen.has(event.id)
    seen.add(event.id)
    return Response.json({ accepted: first ? 0 : 1, duplicate: 0, ignored: first ? [{ index: 0, id: event.id, reason: 'not_exposed', message: '' }] : [] }, { status: 202 })
  }) as typeof globalThis.fetch
  return { fetch, calls, maxInFlight: () => maxInFlight }
}

describe('runVisits, seed 001\'s visitor loop over the API', () => {
  it('should assign, send a pageview and click with the variant\'s probability, with bounded concurrency', async () => {
    const service = fakeService()
    const run = await runVisits({ url: 'http://edgesplit.test', visits: 400, probs: { moon_mars: { Moon: 0, Mars: 1 } }, concurrency: 8, rng: seededRandom(1), prefix: 'v', fetch: service.fetch, retryDelayMs: 0 })
    expect(run.visits).toHaveLength(400)
    expect(run.failed).toBe(0)
    expect(service.maxInFlight()).toBeLessThanOrEqual(8)
    expect(run.visits.every((v) => v.clicked === (v.variants.moon_mars === 'Mars'))).toBe(true)
    expect(run.visits[0]).toEqual({ unit: 'v-0', variants: { moon_mars: 'Moon' }, reasons: { moon_mars: 'hash' }, clicked: false })
    // Every event was retried once after its not_exposed answer, and then counted.
    expect(run.retries).toBe(400 + 200)
    expect(run.ignored).toEqual({})
    expect(service.calls.filter((c) => c === 'GET /v1/assign')).toHaveLength(400)
  })

  it('should count failed visitors and keep their messages', async () => {
    const down = (async () => new Response('boom', { status: 500 })) as typeof globalThis.fetch
    const run = await runVisits({ url: 'http://x', visits: 10, probs: {}, concurrency: 4, rng: seededRandom(1), prefix: 'v', fetch: down })
    expect(run).toMatchObject({ visits: [], failed: 10 })
    expect(run.errors[0]).toBe('GET /v1/assign answered 500: boom')
  })
})
