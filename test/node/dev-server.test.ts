// `npm run dev` as a user meets it: the real wrangler dev, seeded on first start, keeping edits
// across a restart. Slow (two wrangler starts), so one test walks the whole story.
import { afterAll, describe, expect, it } from 'vitest'
import { bucketRanges, chooseRange } from '../../src/core/bucket'
import { hashToUnitInterval } from '../../src/core/hash'
import { newStateDir, removeState, startDevServer } from './dev-harness'

const persist = newStateDir('dev')
afterAll(() => removeState(persist))

async function withDev<T>(work: (base: string) => Promise<T>): Promise<T> {
  const dev = await startDevServer({ persist })
  try {
    return await work(dev.base)
  } finally {
    await dev.stop()
  }
}

describe('npm run dev', () => {
  it('should serve the seed-001 experiments by the hashing spec and keep API edits across restarts', async () => {
    await withDev(async (base) => {
      const body = await (await fetch(`${base}/v1/assign?unit=user-456`)).json()
      for (const [key, variants] of [['moon_mars', ['Moon', 'Mars']], ['white_gold_btn', ['White', 'Gold']]] as const) {
        const expected = variants[chooseRange(await hashToUnitInterval('user-456', key), bucketRanges([50, 50], 1))]
        expect(body.assignments[key]).toMatchObject({ variant: expected, reason: 'hash', enrolled: true, epoch: 1 })
      }
      const patched = await fetch(`${base}/v1/experiments/moon_mars`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Moon/Mars (edited)' }),
      })
      expect(patched.status).toBe(200)
    })
    await withDev(async (base) => {
      const list = await (await fetch(`${base}/v1/experiments`)).json()
      expect(list.experiments.map((e: { key: string }) => e.key).sort()).toEqual(['moon_mars', 'white_gold_btn'])
      expect(list.experiments.find((e: { key: string }) => e.key === 'moon_mars').title).toBe('Moon/Mars (edited)')
    })
  }, 150_000)
})
