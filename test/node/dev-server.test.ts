// `npm run dev` as a user meets it: the real wrangler dev, seeded on first start, keeping edits
// across a restart. Slow (two wrangler starts), so one test walks the whole story.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { bucketRanges, chooseRange } from '../../src/core/bucket'
import { hashToUnitInterval } from '../../src/core/hash'
import { startDev } from '../../tools/dev.mjs'

const persist = mkdtempSync(join(tmpdir(), 'edgesplit-dev-'))
afterAll(() => rmSync(persist, { recursive: true, force: true }))

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

async function withDev<T>(work: (base: string) => Promise<T>): Promise<T> {
  const port = await freePort()
  const child = startDev({ port, args: ['--persist-to', persist], stdio: 'pipe' })
  let log = ''
  child.stdout?.on('data', (d) => (log += d))
  child.stderr?.on('data', (d) => (log += d))
  const base = `http://127.0.0.1:${port}`
  try {
    const deadline = Date.now() + 60_000
    for (;;) {
      if (Date.now() > deadline) throw new Error(`wrangler dev did not start:\n${log}`)
      try {
        if ((await fetch(`${base}/health`)).ok) break
      } catch {}
      await new Promise((r) => setTimeout(r, 250))
    }
    return await work(base)
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
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
