// The `origin-latency` scenario of `npm run bench` (run.mjs): what each page row adds to a page's
// latency in front of an origin that takes time to answer, as a real site's does. The site rows
// proper use the demo origin in the Worker's own isolate, which answers in microseconds. Here the
// demo site runs in its own workerd (slow-origin.ts) and answers each request after `origin_ms`
// milliseconds; the pass-through Worker, the reference middleware, our middleware (new visitors
// with the counter objects' files on disk, and in memory as in the site-tmpfs row, and a
// returning visitor, who makes no store call) and GrowthBook's edge app each reach it over the
// network through their ORIGIN_URL. All run at once and are timed one request at a time,
// interleaved (latency.mjs), so the figures of one delay come from the same seconds: timed one
// after another, rows of the same Worker moved by ±1 ms between runs. No paced or closed-loop
// load: in front of a slow origin a closed loop measures the origin's delay (connections ÷ delay),
// and paced rows run one after another moved as much.

import { join } from 'node:path'
import { ASSETS_DIR, BENCH_DIR, edgesplitWorker, passthroughWorker, referenceMiddleware, storedInMemory, wranglerCompat } from './bindings.mjs'
import { bundleGrowthbookWorker, checkGrowthbookPage, growthbookWorker } from './growthbook.mjs'
import { interleavedOneAtATime } from './latency.mjs'

/** How long the origin takes to answer, in ms: 0 (the network hop alone), then origins that answer quickly. */
export const ORIGIN_DELAYS = [0, 2, 10]

/** The rows, in the order they are run and printed; `pass` is the baseline the others add to. */
const CONTENDERS = [
  ['pass', 'pass-through Worker'],
  ['reference', 'reference middleware'],
  ['site', 'edgesplit, new visitor'],
  ['siteTmpfs', 'edgesplit, new visitor, counter storage in memory'],
  ['returning', 'edgesplit, returning visitor (no store call)'],
  ['growthbook', 'GrowthBook edge app'],
]

/**
 * Runs the scenario in bare workerd; `h` carries run.mjs's helpers (bundleWorker, withRuntime,
 * withRuntimes, seedDemo, expectOk, demoPage, injectedPage, acknowledgedVisitor, PAGE_VIEW, S). Every Worker
 * runs at once, each in its own workerd, and the requests are interleaved (latency.mjs,
 * interleavedOneAtATime), so the rows of one delay are measured over the same seconds.
 * @returns {Promise<{ originMs: number, p50: Record<string, number> }[]>} ms, per delay and contender
 */
export async function originLatencyBench(modules, h) {
  const origin = await h.bundleWorker(join(BENCH_DIR, 'slow-origin.ts'), 'slow-origin.js')
  const originSpec = { name: 'slow-origin', modules: [{ name: 'slow-origin.js', path: origin }], ...wranglerCompat(), vars: {}, kv: [], durableObjects: {}, assets: ASSETS_DIR }
  const out = []
  await h.withRuntime('workerd', originSpec, '/', async (o) => {
    const networked = (spec) => ({ ...spec, localOutbound: true, vars: { ...spec.vars, ORIGIN_URL: o.url } })
    const site = networked(edgesplitWorker(modules))
    const runtimes = [
      ['pass', networked(passthroughWorker(await h.bundleWorker(join(BENCH_DIR, 'passthrough-worker.ts'), 'passthrough-worker.js'))), '/', h.demoPage],
      ['reference', networked(referenceMiddleware(await h.bundleWorker(join(BENCH_DIR, 'reference-middleware.ts'), 'reference-middleware.js'))), '/', h.injectedPage],
      ['site', site, '/health', h.injectedPage],
      ['siteTmpfs', storedInMemory(site, `${site.name}-tmpfs`), '/health', h.injectedPage],
      ['growthbook', networked(growthbookWorker(await bundleGrowthbookWorker())), '/', checkGrowthbookPage],
    ]
    await h.withRuntimes(
      'workerd',
      runtimes.map(([, spec, readyPath]) => [spec, readyPath]),
      async (rts) => {
        const started = {}
        for (const [i, [name, , readyPath, check]] of runtimes.entries()) {
          if (readyPath === '/health') await h.seedDemo(rts[i].url)
          await h.expectOk(rts[i].url, '/?v=sanity', check)
          started[name] = rts[i]
        }
        // The returning visitor's page views make no store call: what the new visitor's adds is the write.
        const returning = { ...h.PAGE_VIEW, cookie: await h.acknowledgedVisitor(started.siteTmpfs.url) }
        const targets = CONTENDERS.map(([name]) => (name === 'returning' ? { rt: started.siteTmpfs, headers: returning } : { rt: started[name], headers: h.PAGE_VIEW }))
        for (const originMs of ORIGIN_DELAYS) {
          const path = `/?v={i}&origin_ms=${originMs}`
          const p50s = await interleavedOneAtATime(targets.map((t) => ({ url: t.rt.url, path, headers: t.headers })), h.S.quietRequests)
          // The delay must have reached the origin: a Worker that dropped the query would measure nothing.
          p50s.forEach((p50, k) => {
            if (p50 < originMs) throw new Error(`${CONTENDERS[k][0]}: p50 ${p50.toFixed(2)} ms in front of an origin that takes ${originMs} ms: the query did not reach the origin`)
          })
          out.push({ originMs, p50: Object.fromEntries(CONTENDERS.map(([name], k) => [name, p50s[k]])) })
        }
      },
    )
  })
  return out
}

/** The scenario's table: per origin delay, the pass-through's p50 and what each other row adds to it. */
export function originLatencyTable(rows) {
  const header = ['origin answers in', ...CONTENDERS.map(([, title], i) => (i === 0 ? `${title}: p50 ms` : `${title}: added p50 ms`))]
  const body = rows.map(({ originMs, p50 }) => [`${originMs} ms`, ...CONTENDERS.map(([c], i) => (i === 0 ? p50[c] : p50[c] - p50.pass).toFixed(2))])
  return { header, body, note: 'One request at a time, the Workers interleaved (latency.mjs); the origin is the demo site in its own workerd (tools/bench/slow-origin.ts), reached over the network by every row.' }
}
