// Results scenario of `npm run bench`: microseconds per results computation (the pure
// analyzeExperiment of src/results, as GET /v1/experiments/:key/results runs it after its one store
// read) for 2 and for 10 variants × 5 metrics with 30 days of series, and for 10 × 5 with 90 days
// (a long-running experiment's daily series), in Node's V8 (workerd runs the same V8; its clocks
// would not advance during the loop).
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { OUT_DIR, ROOT } from './bindings.mjs'

/** Bundles a small driver with esbuild and runs it; returns rows { variants, metrics, days, us } (2 × 5 × 30, 10 × 5 × 30, 10 × 5 × 90). */
export async function resultsBench() {
  const dir = join(OUT_DIR, 'results')
  mkdirSync(dir, { recursive: true })
  const entry = join(dir, 'driver.ts')
  writeFileSync(
    entry,
    `import { analyzeExperiment } from ${JSON.stringify(join(ROOT, 'src/results/analyze-experiment.ts'))}
import { parseCounters } from ${JSON.stringify(join(ROOT, 'src/core/counters.ts'))}
const rows = []
for (const [k, days] of [[2, 30], [10, 30], [10, 90]]) {
  const variants = Array.from({ length: k }, (_, i) => ({ key: 'v' + i, weight: 1 }))
  const metrics = Array.from({ length: 5 }, (_, m) => ({ key: 'm' + m, type: m % 2 ? 'mean' : 'binomial', event: 'e' + m, role: m ? 'secondary' : 'primary' }))
  const e = { key: 'x', title: 'x', variants, coverage: 1, qaOverrides: false, metrics, alpha: 0.05, power: 0.8, minDetectableEffect: 0.1, correction: 'holm', sequentialNStar: 5000,
    hashVersion: 1, state: 'running', rolloutVariant: null, epoch: 1, allocationVersion: 1, version: 2, createdAt: '', updatedAt: '', startedAt: '', endedAt: null,
    allocations: [{ version: 1, epoch: 1, weights: Object.fromEntries(variants.map((v) => [v.key, 1])), coverage: 1, at: '' }] }
  const raw = {}
  for (let d = 0; d < days; d++) {
    const day = new Date(Date.UTC(2026, 9, 1) + d * 86400000).toISOString().slice(0, 10) // from 2026-10-01
    variants.forEach((v, i) => {
      const n = 1000 + i * 7 + d
      raw['x|1|' + v.key] = (raw['x|1|' + v.key] ?? 0) + n
      raw['xa|1|1|' + v.key] = (raw['xa|1|1|' + v.key] ?? 0) + n
      raw['xd|1|' + day + '|' + v.key] = n
      metrics.forEach((m, j) => {
        const c = Math.round(n * (0.1 + 0.01 * i + 0.002 * j))
        for (const [f, x] of [['n', c], ['s', c * 3.5], ['q', c * 20.25]]) {
          raw[f + '|1|' + v.key + '|' + m.key] = (raw[f + '|1|' + v.key + '|' + m.key] ?? 0) + x
          raw[f + 'd|1|' + day + '|' + v.key + '|' + m.key] = x
        }
      })
    })
  }
  const counters = parseCounters(raw)
  for (let i = 0; i < 20; i++) analyzeExperiment(e, counters)
  const runs = []
  for (let r = 0; r < 7; r++) {
    const reps = k === 2 ? 200 : days > 30 ? 15 : 40
    const t = performance.now()
    for (let i = 0; i < reps; i++) analyzeExperiment(e, counters)
    runs.push(((performance.now() - t) * 1000) / reps)
  }
  runs.sort((a, b) => a - b)
  rows.push({ variants: k, metrics: 5, days, us: runs[3] })
}
console.log(JSON.stringify(rows))
`,
  )
  const out = join(dir, 'driver.mjs')
  execFileSync(join(ROOT, 'node_modules/.bin/esbuild'), [entry, '--bundle', '--format=esm', '--platform=node', `--outfile=${out}`, '--log-level=error'])
  return JSON.parse(execFileSync(process.execPath, [out], { encoding: 'utf8' }).trim().split('\n').pop())
}
