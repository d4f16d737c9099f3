#!/usr/bin/env node
/**
 * `npm run bench`: checks edgesplit against the SPEC's non-functional targets on this machine.
 *
 *   npm run bench                          everything (~3 minutes)
 *   npm run bench -- --quick               short runs (~1 minute), for a smoke test
 *   npm run bench -- --only hello,assign-1 some scenarios: bundle, hello, reference, assign-1,
 *                                          assign-1-untracked, assign-10, assign-10-random, assign-10-untracked, assign-upstash, assign-tmpfs, flags-10, site, growthbook,
 *                                          side-by-side, origin-latency, cpu, events, results
 *   npm run bench -- --runtime workerd     one runtime: workerd or miniflare
 *   npm run bench -- --strict              also exit non-zero when a SPEC target is missed
 *   npm run bench -- --profile assign-1    CPU profile of one scenario in bare workerd (hello,
 *                                          passthrough, growthbook, assign-1, assign-1-untracked,
 *                                          assign-10, site, site-returning, site-upstash, site-tmpfs): .bench/<scenario>-<time>.cpuprofile
 *                                          and the top 20 functions by self time (see 6 below)
 *   npm run bench -- --native assign-10    where workerd's own CPU goes under one scenario's load, by
 *                                          Linux perf: the Worker against the Durable Object it calls,
 *                                          SQLite statements and commits, GC, sockets (see 7 below)
 *   npm run bench -- --alloc site          bytes each function allocates per request on the JS heap,
 *                                          under one scenario's load (see 8 below)
 *   npm run bench -- --connections 1 …     the load generator's connections (default 50); with 1 and
 *                                          --profile, a profile of requests one at a time
 *   BENCH_WORKERD_ARGS='--async-trace trace.jsonl' npm run bench -- …
 *                                          extra arguments for every bare workerd (runtimes.mjs); an
 *                                          async trace lands in .bench/workerd/<Worker>/
 *
 * Method
 *  1. Bundle. `wrangler deploy --dry-run --outdir .bench/dist` builds exactly what would be deployed;
 *     the size is that of every module it writes (source maps and README excluded), raw and gzipped
 *     (zlib level 9, as wrangler counts it); target ≤ 100 KiB gzipped.
 *  2. Throughput. Every row uses the same harness: the Worker runs alone in its runtime on
 *     127.0.0.1, autocannon runs in a separate Node process (never in Miniflare's event loop), 50
 *     connections, pipelining 1, a warm-up run, then the measured run. Every request carries a
 *     fresh unit id (`?unit=<prefix><counter>`, hello-world too) so nothing can be cached.
 *     Runtimes: bare workerd (`workerd serve` with a generated capnp config: runtimes.mjs, bindings
 *     listed once in bindings.mjs, KV served by kv-service.mjs) and Miniflare (wrangler's own copy;
 *     its Node side adds a hop, so its ratios say less about the Worker). Rows: a hello-world
 *     Worker; a reference Worker (`reference`, reference-worker.mjs: URL, one Web Crypto digest per
 *     experiment, JSON; nothing else) answering the same two assign requests, which the targets
 *     table sets each assign row beside; `GET /v1/assign?unit=…&experiments=bench-0` with 1 running experiment; then
 *     `GET /v1/assign?unit=…` with 10 running experiments (all active ones). Experiments are created
 *     through the admin API, so KV and the ConfigWriter Durable Object are the real ones. An extra
 *     row, `…&track=false`, separates assignment from exposure counting (no UPSTASH_* vars are set,
 *     so exposures go to the embedded COUNTERS Durable Object, whose SQLite files are on disk); `assign-upstash` (bare
 *     workerd only) runs both assign rows with exposures counted in Redis through tools/upstash,
 *     out of the runtime's process, as the site-upstash row below does for the middleware;
 *     `assign-tmpfs` (bare workerd only) runs them with the counter objects' SQLite files in
 *     memory (/dev/shm), as the site-tmpfs row below does.
 *     "× base" = req/s ÷ the baseline's req/s on the same runtime: hello-world for the assign rows
 *     (target ≥ 0.9 with 1 experiment); for the site middleware (GET / of the demo page, a new
 *     visitor per request) a pass-through Worker serving the same demo origin (target ≥ 0.85).
 *     The site rows (pass-through, site, GrowthBook) send what a browser's page view sends
 *     (`Accept: text/html…`, `Sec-Fetch-Dest: document`), so the middleware counts each request as
 *     a page view and writes a new visitor's exposures before answering, as it does for a real
 *     visitor (until 2026-11-30 they sent no Accept header, so no exposure was ever written in the
 *     site row). A second site row replays one returning visitor whose records the store has
 *     acknowledged (cookies marked "!"): no store call. Before them, a reference middleware
 *     (reference-middleware.ts: an id cookie, one Web Crypto digest per experiment, the origin told,
 *     a script put in <head>, cookies set; nothing else) serves the same new visitors, and the
 *     targets table sets each site row beside it. A third (bare workerd only) counts the new
 *     visitors in Redis through tools/upstash, out of the runtime's process, so its CPU column is the
 *     Worker's own cost, store client included (the embedded store's counter objects run inside
 *     workerd and are counted with it). A fourth (bare workerd only, `site-tmpfs`) keeps the
 *     counter objects in workerd with their SQLite files in memory (/dev/shm): workerd fsyncs each
 *     object's commit on the thread that also runs the Worker, so with the files on disk every
 *     counter call stalls every request for the device's flush, which on Cloudflare no Worker's
 *     thread waits for (runtimes.mjs, storageDir). Each of these rows also times 1,000 requests
 *     one at a time (300 with --quick), where p50 is the latency a request adds rather than the
 *     queueing of 50 connections (closed-loop p50 ≈ 50 ÷ req/s: Little's law), and, in bare
 *     workerd, 4 s of requests paced at 2,000 a second (2 s with --quick; open loop, each sent at
 *     its slot in the schedule): the latency a request adds at a steady load below saturation
 *     (both timed in this process by latency.mjs).
 *     "CPU µs/req" = user+system CPU of the runtime's processes (/proc) ÷ requests: the Worker's
 *     own cost, independent of how fast the load generator is. On 2 cores the load generator and
 *     the runtime compete, so req/s is a lower bound for both and the ratio is what matters.
 *     For bare workerd the KV backend counts its reads, showing the isolate config cache at work.
 *  3. CPU per assignment. cpu-worker.ts (bundled with esbuild) imports the real src/core and runs
 *     N operations per request: bare SHA-256 digests, hashToUnitInterval, or assign() with a
 *     distinct unit each. workerd's clocks do not advance during CPU work, so requests are timed
 *     from outside: sequential keep-alive requests, N = 0 and N = large interleaved, medians;
 *     µs/op = (median(N) − median(0)) / N. Target: assign ≤ 2× one digest.
 *
 *  4. Events (events.mjs): POST /v1/events with batches of 1 and 100 events into each store (the
 *     COUNTERS Durable Object; Upstash via tools/upstash in front of redis-server), after exposing
 *     the units; events/s, latency, and store round trips per batch.
 *  5. Results (results.mjs): µs per analyzeExperiment for 2 and 10 variants × 5 metrics over 30
 *     days of daily series, and 10 × 5 over 90 days.
 *  6. Profile (`--profile <scenario>`, profile.mjs): the scenario's Worker, built unminified with
 *     names kept (edgesplit: `wrangler deploy --dry-run --minify=false`), runs alone in bare workerd
 *     with `--inspector-addr`; after the usual warm-up, V8's CPU profiler (Chrome DevTools protocol
 *     over WebSocket, cdp.mjs) records the usual measured autocannon run, sampling every 100 µs.
 *     The profile is saved as .bench/<scenario>-<time>.cpuprofile and the top 20 functions by
 *     self time are printed (self µs, %, samples, name, url:line in the unminified build). Its
 *     req/s is not a measurement (the profiler costs CPU); no table or targets are printed.
 *  7. Native profile (`--native <scenario>`, native-profile.mjs): the same scenarios and load, in the
 *     same unminified build but without the inspector, while `perf record -g` samples workerd's
 *     process at 999 Hz. V8's profiler sees only JavaScript; this counts every cycle (SQLite commits
 *     between events, GC, the kernel's sockets) and tells the Worker's share from the Durable Object's
 *     (frames under a call into one). Prints each part's share and µs per request (workerd's /proc
 *     CPU ÷ requests); needs `perf` (Debian: linux-perf). The perf.data file stays in .bench/.
 *  8. Allocations (`--alloc <scenario>`, profile.mjs): the same scenarios, load and build as 6, under
 *     V8's sampling heap profiler instead (a sample per ~1 KiB allocated, objects already collected
 *     included): bytes per request on the JS heap, and the top 20 functions by the bytes they
 *     allocate themselves. Young-generation GC runs each time its space fills, so this is what
 *     the native profile's GC share scales with. Written to .bench/<scenario>-<time>.heapprofile.
 *
 * GrowthBook row (`growthbook`, growthbook.mjs): GrowthBook's own edge app for Workers
 * (@growthbook/edge-cloudflare, a devDependency) with the demo's two experiments as its payload,
 * passed through `handleRequest(request, env, { payload })` (no KV), in front of the same
 * in-process demo origin as the pass-through row, measured like the site row (GET /, a new
 * visitor per request) and taken ÷ the same pass-through row; the targets table prints our
 * middleware's ratio beside GrowthBook's. It runs the pass-through row too when `site` is not run.
 *
 * Side by side (`side-by-side`): the pass-through Worker, the site middleware (new visitors) and
 * GrowthBook's edge app (in bare workerd also the middleware counting in Redis, as the site-upstash
 * row, and the middleware with its counter storage in memory, as the site-tmpfs row) run at once,
 * each in its own runtime, and are measured in turn, one
 * short row each per round (the order rotates every round), for SIDE_BY_SIDE_ROUNDS rounds. Each
 * round's ratios (÷ that round's pass-through) come from rows minutes apart at most, so a change
 * in the machine's speed between rows (this VM has moved ±40% within minutes) shifts them all
 * alike; the medians and how many rounds each side led are printed. The sequential rows above
 * stay as they are.
 *
 * In front of a slower origin (`origin-latency`, bare workerd, origin-latency.mjs): the demo site
 * in its own workerd answers each request after 0, 2 or 10 ms, and the pass-through Worker, the
 * reference middleware, our middleware (new visitors on disk and in memory, a returning visitor)
 * and GrowthBook's edge app reach it over the network, all running at once; one request at a time,
 * interleaved across them, each row's p50 above the pass-through's. The site rows' in-process
 * origin answers in microseconds, so there a page shows every wait of its own; this shows what
 * remains of them when the origin takes time.
 *
 * A scenario that fails prints why and the run exits 1 (the table shows what did run).
 * Output: a table on stdout, then a Markdown block for the README's performance section.
 * Scratch files go to .bench/ (git-ignored).
 */

import { spawn } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { cpus, platform, arch } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { parseArgs } from 'node:util'
import { ADMIN_TOKEN, BENCH_DIR, checkBindings, countedInRedis, cpuWorker, edgesplitWorker, helloWorker, OUT_DIR, passthroughWorker, referenceMiddleware, referenceWorker, ROOT, storedInMemory } from './bindings.mjs'
import { eventsBench } from './events.mjs'
import { startRedisStack } from '../upstash/redis-harness.mjs'
import { bundleGrowthbookWorker, checkGrowthbookPage, growthbookWorker } from './growthbook.mjs'
import { PROFILE_SCENARIOS, profileScenario } from './profile.mjs'
import { oneAtATime, PACED_RATE, paced } from './latency.mjs'
import { originLatencyBench, originLatencyTable } from './origin-latency.mjs'
import { resultsBench } from './results.mjs'
import { cpuSeconds, loadMiniflare, machineBusySeconds, startMiniflare, startWorkerd, threadStops, WORKERD_BIN } from './runtimes.mjs'

const SCENARIOS = ['bundle', 'hello', 'reference', 'assign-1', 'assign-1-untracked', 'assign-10', 'assign-10-random', 'assign-10-untracked', 'assign-upstash', 'assign-tmpfs', 'flags-10', 'site', 'growthbook', 'side-by-side', 'origin-latency', 'cpu', 'events', 'results']
const RUNTIMES = { workerd: startWorkerd, miniflare: startMiniflare }

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    runtime: { type: 'string' },
    strict: { type: 'boolean', default: false },
    profile: { type: 'string' },
    native: { type: 'string' },
    alloc: { type: 'string' },
    connections: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
})
if (args.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(2, 20).map((l) => l.replace(/^ \* ?/, '')).join('\n'))
  process.exit(0)
}
const only = args.only ? args.only.split(',').map((s) => s.trim()).filter(Boolean) : SCENARIOS
const runtimes = args.runtime ? args.runtime.split(',').map((s) => s.trim().toLowerCase()) : Object.keys(RUNTIMES)
for (const s of only) if (!SCENARIOS.includes(s)) usage(`unknown scenario "${s}" (choose from ${SCENARIOS.join(', ')})`)
for (const r of runtimes) if (!RUNTIMES[r]) usage(`unknown runtime "${r}" (choose from ${Object.keys(RUNTIMES).join(', ')})`)

const S = args.quick
  ? { warmup: 2, duration: 3, connections: 50, eventConnections: 20, cpuN: 5000, cpuReps: 9, quietRequests: 300 }
  : { warmup: 3, duration: 10, connections: 50, eventConnections: 20, cpuN: 20000, cpuReps: 25, quietRequests: 1000 }
if (args.connections !== undefined) {
  S.connections = Number(args.connections)
  if (!Number.isInteger(S.connections) || S.connections < 1) usage(`--connections needs a whole number ≥ 1 (got "${args.connections}")`)
}
/**
 * The request headers of a browser's top-level page view (a navigation accepts HTML and is
 * fetched as a document): the site rows send them, so each request is a page view that the
 * middleware counts, writing the new visitor's exposures as it would for a real visitor.
 */
const PAGE_VIEW = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate' }

/** Rounds of the side-by-side comparison, and each row's measured seconds in a round (after its warm-up). */
const SIDE_BY_SIDE_ROUNDS = args.quick ? 3 : 7
const SIDE_BY_SIDE_SECONDS = args.quick ? 2 : 4

/** Sanity checks of a site row's page: the demo origin's page, and the same with our script injected. */
const demoPage = (body) => body.includes('Reserve Your Spot') || 'expected the demo page'
const injectedPage = (body) => (body.includes('window.edgesplit') && body.includes('Reserve Your Spot')) || 'expected the demo page with the injected script'

const want = (s) => only.includes(s)
const wantAssign = () => SCENARIOS.some((s) => (s.startsWith('assign') || ['flags-10', 'events', 'site', 'side-by-side', 'origin-latency'].includes(s)) && want(s))

const failures = []
const active = new Set() // running runtimes, stopped on exit or Ctrl-C
const results = { bundle: null, rows: [], kv: {}, cpu: null, events: [], analysis: null, sideBySide: [], originLatency: null }

process.on('SIGINT', async () => {
  console.error('\ninterrupted: stopping runtimes')
  await stopAll()
  process.exit(130)
})

const log = (message) => console.error(`· ${message}`)

async function main() {
  const started = Date.now()
  mkdirSync(OUT_DIR, { recursive: true })
  const profiled = args.profile ?? args.native ?? args.alloc
  if (profiled !== undefined) {
    const flag = args.profile !== undefined ? '--profile' : args.native !== undefined ? '--native' : '--alloc'
    if (!PROFILE_SCENARIOS.includes(profiled)) usage(`${flag} needs one of ${PROFILE_SCENARIOS.join(', ')} (got "${profiled}")`)
    if ((await backgroundLoad()) > 0.15) console.error('! other processes are busy: the profile\'s shares hold, its absolute times do not')
    log(`profiling ${profiled} in bare workerd${args.native !== undefined ? ' with perf' : ''}…`)
    await profileScenario(profiled, { load, seed, seedDemo, expectOk, expectAssignments, acknowledgedVisitor, S, PAGE_VIEW }, { native: args.native !== undefined, alloc: args.alloc !== undefined })
    return
  }
  const idle = await backgroundLoad()
  if (idle > 0.15) console.error(`! other processes are using ${idle.toFixed(2)} CPU cores right now (${cpus().length} in all): expect noisy numbers`)
  const missing = checkBindings()
  if (missing.length) console.error(`! wrangler.toml declares bindings the bench does not provide: ${missing.join(', ')} (add them in tools/bench/bindings.mjs)`)

  let modules = null
  if (want('bundle') || wantAssign()) {
    await scenario('bundle', async () => {
      const bundle = await buildBundle()
      modules = bundle.modules
      if (want('bundle')) results.bundle = bundle
    })
  }

  for (const runtime of runtimes) {
    const label = runtime === 'workerd' ? 'workerd' : 'Miniflare'
    if (want('hello')) {
      await scenario(`hello (${label})`, () =>
        withRuntime(runtime, helloWorker(), '/', async (rt) => {
          await expectOk(rt.url, '/?unit=sanity', (body) => body === 'ok' || `expected "ok", got ${body}`)
          results.rows.push({ scenario: 'hello', runtime: label, ...(await measure(rt, '/?unit={i}')) })
        }),
      )
    }
    if (want('reference')) {
      await scenario(`reference (${label})`, () =>
        withRuntime(runtime, referenceWorker(), '/', async (rt) => {
          await expectOk(rt.url, '/v1/assign?unit=sanity', (body) => Object.keys(JSON.parse(body).assignments).length === 10 || body)
          results.rows.push({ scenario: 'reference-1', runtime: label, ...(await measure(rt, '/v1/assign?unit={i}&experiments=bench-0')) })
          results.rows.push({ scenario: 'reference-10', runtime: label, ...(await measure(rt, '/v1/assign?unit={i}')) })
        }),
      )
    }
    // The rows served by one edgesplit runtime with the embedded store (assign-upstash has its own).
    if (modules && ['assign-1', 'assign-1-untracked', 'assign-10', 'assign-10-random', 'assign-10-untracked', 'flags-10'].some(want)) {
      const spec = edgesplitWorker(modules)
      for (const s of spec.skipped) console.error(`! binding left out: ${s}`)
      await scenario(`assign (${label})`, () =>
        withRuntime(runtime, spec, '/health', async (rt) => {
          await expectOk(rt.url, '/health', (body) => JSON.parse(body).ok === true || body)
          await seed(rt.url, 0, 1)
          // bench-1 … bench-9, made once for the 10-experiment rows.
          let ten = null
          const seedTen = () => (ten ??= seed(rt.url, 1, 10))
          if (want('assign-1')) {
            await scenario(`assign-1 (${label})`, async () => {
              await expectAssignments(rt.url, '/v1/assign?unit=sanity&experiments=bench-0', 1)
              const kvBefore = await rt.kvStats()
              results.rows.push({ scenario: 'assign-1', runtime: label, ...(await measure(rt, '/v1/assign?unit={i}&experiments=bench-0')) })
              results.kv[`assign-1 ${label}`] = kvDelta(kvBefore, await rt.kvStats())
            })
          }
          if (want('assign-1-untracked')) {
            await scenario(`assign-1-untracked (${label})`, async () => {
              const path = '/v1/assign?unit={i}&experiments=bench-0&track=false'
              await expectAssignments(rt.url, path.replace('{i}', 'sanity'), 1)
              results.rows.push({ scenario: 'assign-1-untracked', runtime: label, ...(await measure(rt, path)) })
            })
          }
          if (want('assign-10')) {
            await scenario(`assign-10 (${label})`, async () => {
              await seedTen()
              await expectAssignments(rt.url, '/v1/assign?unit=sanity', 10)
              const kvBefore = await rt.kvStats()
              results.rows.push({ scenario: 'assign-10', runtime: label, ...(await measure(rt, '/v1/assign?unit={i}')) })
              results.kv[`assign-10 ${label}`] = kvDelta(kvBefore, await rt.kvStats())
            })
          }
          if (want('assign-10-random')) {
            // The same requests with random unit ids (UUIDs, as an API caller's user ids usually
            // are): each new unit lands on a random page of its counter shard's index
            // (tools/bench/sqlite-keys/run.mjs), where the ordered ids of the row above append.
            await scenario(`assign-10-random (${label})`, async () => {
              await seedTen()
              await expectAssignments(rt.url, '/v1/assign?unit=sanity', 10)
              results.rows.push({ scenario: 'assign-10-random', runtime: label, ...(await measure(rt, '/v1/assign?unit={uuid}')) })
            })
          }
          if (want('assign-10-untracked')) {
            await scenario(`assign-10-untracked (${label})`, async () => {
              await seedTen()
              const path = '/v1/assign?unit={i}&track=false'
              await expectAssignments(rt.url, path.replace('{i}', 'sanity'), 10)
              results.rows.push({ scenario: 'assign-10-untracked', runtime: label, ...(await measure(rt, path)) })
            })
          }
          if (want('flags-10')) {
            await scenario(`flags-10 (${label})`, async () => {
              await seedFlags(rt.url, 10)
              await expectOk(rt.url, '/v1/flags?unit=sanity', (body) => Object.keys(JSON.parse(body).flags ?? {}).length === 10 || body)
              results.rows.push({ scenario: 'flags-10', runtime: label, ...(await measure(rt, '/v1/flags?unit={i}')) })
            })
          }
        }),
      )
    }
  }
  // The assign rows again with exposures counted in Redis through tools/upstash, out of the
  // runtime's process (as site-upstash below): the CPU column is then the Worker's own cost with
  // counting, store client included, which on Cloudflare is what the Worker pays; the embedded
  // store's counter objects run inside workerd, on the Worker's thread, and count in its column.
  if (want('assign-upstash') && modules && runtimes.includes('workerd')) {
    await scenario('assign-upstash (workerd)', async () => {
      const stack = await startRedisStack({ token: 'bench-upstash-token' })
      try {
        const spec = edgesplitWorker(modules)
        const s = countedInRedis(spec, stack)
        await withRuntime('workerd', s, '/health', (rt) => trackedAssignRows(rt, 'upstash'))
      } finally {
        await stack.stop()
      }
    })
  }
  // The assign rows again with the counter objects' SQLite files in memory (bindings.mjs, storedInMemory).
  if (want('assign-tmpfs') && modules && runtimes.includes('workerd')) {
    await scenario('assign-tmpfs (workerd)', () => withRuntime('workerd', storedInMemory(edgesplitWorker(modules)), '/health', (rt) => trackedAssignRows(rt, 'tmpfs')))
  }
  if ((want('site') && modules) || want('growthbook')) {
    for (const runtime of runtimes) {
      const label = runtime === 'workerd' ? 'workerd' : 'Miniflare'
      await scenario(`passthrough (${label})`, async () => {
        const out = await bundleWorker(join(BENCH_DIR, 'passthrough-worker.ts'), 'passthrough-worker.js')
        await withRuntime(runtime, passthroughWorker(out), '/', async (rt) => {
          await expectOk(rt.url, '/?v=sanity', demoPage)
          results.rows.push(await pageRow(rt, 'passthrough', label, PAGE_VIEW))
        })
      })
      if (want('site') && modules) {
        // The bare job of the middleware, as the reference Worker is for the assign rows (reference-middleware.ts).
        await scenario(`reference-site (${label})`, async () => {
          const out = await bundleWorker(join(BENCH_DIR, 'reference-middleware.ts'), 'reference-middleware.js')
          await withRuntime(runtime, referenceMiddleware(out), '/', async (rt) => {
            await expectOk(rt.url, '/?v=sanity', injectedPage)
            results.rows.push(await pageRow(rt, 'reference-site', label, PAGE_VIEW))
          })
        })
        await scenario(`site (${label})`, () =>
          withRuntime(runtime, edgesplitWorker(modules), '/health', async (rt) => {
            await newVisitorRow(rt, 'site', label)
            // A returning visitor: the cookies of one whose exposures the store acknowledged (every
            // record marked "!"), so each page view verifies them and makes no store call.
            const returning = { ...PAGE_VIEW, cookie: await acknowledgedVisitor(rt.url) }
            results.rows.push(await pageRow(rt, 'site-returning', label, returning))
          }),
        )
        // The same new visitors counted in Redis (the production store), out of the runtime's
        // process: its CPU column is the Worker's own cost, store client included, as on Cloudflare,
        // where the counter objects' work does not run in the Worker either. req/s shares the 2
        // cores with redis-server and the Upstash-protocol server (tools/upstash).
        if (runtime === 'workerd') {
          await scenario(`site-upstash (${label})`, async () => {
            const stack = await startRedisStack({ token: 'bench-upstash-token' })
            try {
              const spec = edgesplitWorker(modules)
              const s = countedInRedis(spec, stack)
              await withRuntime(runtime, s, '/health', (rt) => newVisitorRow(rt, 'site-upstash', label))
            } finally {
              await stack.stop()
            }
          })
          // The same new visitors with the counter objects' SQLite files in memory: no device flush
          // on the Worker's thread at each counter call (runtimes.mjs, storageDir).
          await scenario(`site-tmpfs (${label})`, () => withRuntime(runtime, storedInMemory(edgesplitWorker(modules)), '/health', (rt) => newVisitorRow(rt, 'site-tmpfs', label)))
        }
      }
      if (want('growthbook')) {
        // GrowthBook's edge app, same demo origin, same two experiments, same load (growthbook.mjs).
        await scenario(`growthbook (${label})`, async () => {
          const out = await bundleGrowthbookWorker()
          await withRuntime(runtime, growthbookWorker(out), '/', async (rt) => {
            await expectOk(rt.url, '/?v=sanity', checkGrowthbookPage)
            results.rows.push(await pageRow(rt, 'growthbook', label, PAGE_VIEW))
          })
        })
      }
    }
  }
  if (want('side-by-side') && modules) {
    for (const runtime of runtimes) {
      const label = runtime === 'workerd' ? 'workerd' : 'Miniflare'
      await scenario(`side-by-side (${label})`, async () => {
        const passthrough = await bundleWorker(join(BENCH_DIR, 'passthrough-worker.ts'), 'passthrough-worker.js')
        const growthbook = await bundleGrowthbookWorker()
        const site = edgesplitWorker(modules)
        // Bare workerd also runs our middleware counting in Redis (as the site-upstash row): the
        // contender whose counting, like production's, does not run on the Worker's thread.
        const stack = runtime === 'workerd' ? await startRedisStack({ token: 'bench-upstash-token' }) : null
        try {
          const contenders = { passthrough: [passthroughWorker(passthrough), '/'], site: [site, '/health'], growthbook: [growthbookWorker(growthbook), '/'] }
          // Its own name: each spec's workerd directory (and Durable Object storage) is named after it.
          if (stack) contenders.siteUpstash = [countedInRedis(site, stack, `${site.name}-upstash`), '/health']
          // And with its counter objects' SQLite files in memory (as the site-tmpfs row).
          if (runtime === 'workerd') contenders.siteTmpfs = [storedInMemory(site, `${site.name}-tmpfs`), '/health']
          const names = Object.keys(contenders)
          await withRuntimes(runtime, Object.values(contenders), async (started) => {
            const targets = Object.fromEntries(names.map((name, i) => [name, started[i]]))
            await expectOk(targets.passthrough.url, '/?v=sanity', demoPage)
            await expectOk(targets.growthbook.url, '/?v=sanity', checkGrowthbookPage)
            for (const ours of [targets.site, targets.siteUpstash, targets.siteTmpfs].filter(Boolean)) {
              await seedDemo(ours.url)
              await expectOk(ours.url, '/?v=sanity', injectedPage)
            }
            const rounds = []
            for (let i = 0; i < SIDE_BY_SIDE_ROUNDS; i++) {
              const round = {}
              for (let k = 0; k < names.length; k++) {
                const name = names[(i + k) % names.length]
                round[name] = await measure(targets[name], '/?v={i}', PAGE_VIEW, SIDE_BY_SIDE_SECONDS)
              }
              rounds.push(round)
            }
            results.sideBySide.push({ runtime: label, rounds })
          })
        } finally {
          await stack?.stop()
        }
      })
    }
  }
  // Latency in front of an origin that takes time to answer (origin-latency.mjs), bare workerd only.
  if (want('origin-latency') && modules && runtimes.includes('workerd')) {
    await scenario('origin-latency (workerd)', async () => {
      results.originLatency = await originLatencyBench(modules, { bundleWorker, withRuntime, withRuntimes, seedDemo, expectOk, demoPage, injectedPage, acknowledgedVisitor, PAGE_VIEW, S })
    })
  }
  if (want('events') && modules) {
    for (const runtime of runtimes) {
      const label = runtime === 'workerd' ? 'workerd' : 'Miniflare'
      for (const store of ['durable-object', 'upstash']) {
        await scenario(`events ${store} (${label})`, async () => {
          results.events.push(...(await eventsBench({ store, runtime, label, spec: edgesplitWorker(modules), withRuntime, load, S, admin })))
        })
      }
    }
  }
  if (want('results')) await scenario('results', async () => (results.analysis = await resultsBench()))
  if (wantAssign() && !modules) failures.push('assign: skipped because the bundle did not build')

  if (want('cpu')) await scenario('cpu', async () => (results.cpu = await cpuBench()))

  await stopAll()
  await report(Math.round((Date.now() - started) / 1000))
  reportExtras()
  const missed = targetsMissed()
  if (failures.length) {
    console.error(`\n✗ ${failures.length} scenario(s) failed:\n  - ${failures.join('\n  - ')}`)
    process.exit(1)
  }
  if (args.strict && missed.length) {
    console.error(`\n✗ SPEC targets missed (--strict): ${missed.join('; ')}`)
    process.exit(1)
  }
}

// ─── scenarios ──────────────────────────────────────────────────────────────────────────────────

async function scenario(name, fn) {
  log(`${name}…`)
  try {
    await fn()
  } catch (error) {
    const message = `${name}: ${error?.message ?? error}`
    failures.push(message.split('\n')[0])
    console.error(`✗ ${message}`)
  }
}

/** Builds the Worker exactly as `wrangler deploy` would, and sizes it. */
async function buildBundle() {
  const outdir = join(OUT_DIR, 'dist')
  rmSync(outdir, { recursive: true, force: true })
  const wrangler = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
  const { code, stdout, stderr } = await run(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
  })
  if (code !== 0) throw new Error(`wrangler deploy --dry-run failed (exit ${code}):\n${(stderr || stdout).replace(/\x1b\[[0-9;]*m/g, '').trim()}`)
  const files = listFiles(outdir).filter((f) => !f.endsWith('.map') && f !== 'README.md')
  if (!files.includes('index.js')) throw new Error(`wrangler wrote no index.js to ${outdir} (found: ${files.join(', ') || 'nothing'})`)
  files.sort((a, b) => (a === 'index.js' ? -1 : b === 'index.js' ? 1 : a.localeCompare(b)))
  const modules = files.map((name) => ({ name, path: join(outdir, name) }))
  let raw = 0
  let gzip = 0
  for (const m of modules) {
    const bytes = readFileSync(m.path)
    raw += bytes.length
    gzip += gzipSync(bytes, { level: 9 }).length
  }
  const wranglerLine = /Total Upload:\s*([\d.]+ KiB)\s*\/\s*gzip:\s*([\d.]+ KiB)/.exec(stdout + stderr)
  return { modules, raw, gzip, wranglerSays: wranglerLine ? `${wranglerLine[1]} / gzip ${wranglerLine[2]}` : null }
}

function listFiles(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? listFiles(path, `${prefix}${name}/`) : [`${prefix}${name}`]
  })
}

/** withRuntime for several specs at once (`[spec, readyPath]` pairs): `fn` gets them started, in order. */
function withRuntimes(runtime, entries, fn, started = []) {
  if (entries.length === 0) return fn(started)
  const [[spec, readyPath], ...rest] = entries
  return withRuntime(runtime, spec, readyPath, (rt) => withRuntimes(runtime, rest, fn, [...started, rt]))
}

async function withRuntime(runtime, spec, readyPath, fn) {
  const rt = await RUNTIMES[runtime](spec, { readyPath })
  active.add(rt)
  try {
    await fn(rt)
  } catch (error) {
    const out = rt.output().trim()
    if (out) error.message += `\n--- runtime output (last lines) ---\n${out.split('\n').slice(-15).join('\n')}`
    throw error
  } finally {
    active.delete(rt)
    await rt.stop()
  }
}

async function stopAll() {
  for (const rt of active) await rt.stop().catch(() => {})
  active.clear()
}

/** Creates and starts seed 001's two experiments, which the demo page renders. */
async function seedDemo(url) {
  for (const [key, variants] of [['moon_mars', ['Moon', 'Mars']], ['white_gold_btn', ['White', 'Gold']]]) {
    await admin(url, 'POST', '/v1/experiments', { key, title: key, variants: variants.map((v) => ({ key: v, weight: 50 })), metrics: [{ key: 'button_click', type: 'binomial', event: 'button_click' }] })
    await admin(url, 'POST', `/v1/experiments/${key}/transition`, { to: 'running' })
  }
}

/** Bundles a bench-only Worker with esbuild into .bench/; returns the output path. */
async function bundleWorker(entry, name) {
  const esbuild = await import('esbuild')
  const outfile = join(OUT_DIR, name)
  await esbuild.build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'neutral', external: ['cloudflare:*'], outfile, logLevel: 'error' })
  return outfile
}

/** A site row of new visitors on a running edgesplit Worker: the demo's experiments seeded, the page checked, then pageRow. */
async function newVisitorRow(rt, scenario, label) {
  await seedDemo(rt.url)
  await expectOk(rt.url, '/?v=sanity', injectedPage)
  results.rows.push(await pageRow(rt, scenario, label, PAGE_VIEW))
}

/**
 * The two tracked assign rows of a variant of the Worker (bare workerd): 1 experiment, then 10,
 * as `assign-1-<variant>` and `assign-10-<variant>` (counted in Redis, counter storage in memory).
 */
async function trackedAssignRows(rt, variant) {
  await seed(rt.url, 0, 10)
  await expectAssignments(rt.url, '/v1/assign?unit=sanity&experiments=bench-0', 1)
  results.rows.push({ scenario: `assign-1-${variant}`, runtime: 'workerd', ...(await measure(rt, '/v1/assign?unit={i}&experiments=bench-0')) })
  await expectAssignments(rt.url, '/v1/assign?unit=sanity', 10)
  results.rows.push({ scenario: `assign-10-${variant}`, runtime: 'workerd', ...(await measure(rt, '/v1/assign?unit={i}')) })
}

/** Creates and starts experiments bench-<from>..bench-<to - 1> through the admin API. */
async function seed(url, from, to) {
  for (let i = from; i < to; i++) {
    const key = `bench-${i}`
    await admin(url, 'POST', '/v1/experiments', {
      key,
      title: `Bench ${i}`,
      variants: [
        { key: 'control', weight: 1 },
        { key: 'treatment', weight: 1 },
      ],
    })
    await admin(url, 'POST', `/v1/experiments/${key}/transition`, { to: 'running' })
  }
}

/**
 * Creates flags bench-flag-0..<n - 1>: a targeting rule most units miss, then a 50% rollout, so a
 * unit costs one targeting check and one hash per flag, like one assignment per experiment.
 */
async function seedFlags(url, n) {
  for (let i = 0; i < n; i++) {
    await admin(url, 'PUT', `/v1/flags/bench-flag-${i}`, {
      type: 'boolean',
      default: false,
      rules: [
        { id: 'staff', when: { attributes: [{ attribute: 'staff', op: 'eq', value: true }] }, serve: { value: true } },
        { id: 'ramp', serve: { rollout: [{ value: true, weight: 50 }] } },
      ],
    })
  }
}

async function admin(url, method, path, body) {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`admin API ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`)
  return JSON.parse(text)
}

/** One request that must answer 2xx and pass `check` (true, or a message). */
async function expectOk(url, path, check = () => true) {
  const res = await fetch(url + path)
  const body = await res.text()
  if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${body.slice(0, 500)}`)
  const verdict = check(body)
  if (verdict !== true) throw new Error(`GET ${path}: unexpected answer: ${String(verdict).slice(0, 500)}`)
  return body
}

async function expectAssignments(url, path, count) {
  await expectOk(url, path, (body) => {
    const got = Object.values(JSON.parse(body).assignments ?? {})
    if (got.length !== count) return `expected ${count} assignment(s), got ${body}`
    const bad = got.find((a) => a.reason !== 'hash')
    return bad ? `expected hash assignments, got ${JSON.stringify(bad)}` : true
  })
}

/** Warm-up run, then the measured run (S.duration seconds unless given) with the runtime's CPU time sampled around it. */
async function measure(rt, path, headers, duration = S.duration) {
  const id = Math.random().toString(36).slice(2, 8)
  await load({ url: rt.url, path, headers, connections: S.connections, duration: S.warmup, prefix: `w${id}-` })
  const cpuBefore = cpuSeconds(rt.pids())
  const stopsBefore = threadStops(rt.pids())
  const busyBefore = machineBusySeconds()
  const t0 = Date.now()
  const r = await load({ url: rt.url, path, headers, connections: S.connections, duration, prefix: `m${id}-` })
  const cpu = cpuSeconds(rt.pids()) - cpuBefore
  const stops = threadStops(rt.pids()) - stopsBefore
  // CPU that neither the runtime nor the load generator used: other processes disturbing the row.
  const others = Math.max(0, machineBusySeconds() - busyBefore - cpu - (r.loaderCpuUs * r.total) / 1e6) / ((Date.now() - t0) / 1000)
  if (r.total === 0) throw new Error(`no request completed against ${rt.url}${path}`)
  // Any non-2xx answer fails the row. Connection errors/timeouts (autocannon counts timeouts among
  // errors) under overload are tolerated up to 1% and flagged; more fails the row.
  const kinds = Object.entries(r.errorKinds ?? {}).map(([k, n]) => `${n}× ${k}`).join(', ')
  const errorNote = r.errors > 0 ? `${r.errors} connection errors (${kinds || 'unknown'}) in ${r.total} requests` : null
  if (r.non2xx > 0 || r.errors > r.total * 0.01) {
    let sample = ''
    try {
      const res = await fetch(rt.url + path.replaceAll('{i}', `probe-${id}`))
      sample = `; a probe request answered ${res.status}: ${(await res.text()).slice(0, 300)}`
    } catch (error) {
      sample = `; a probe request failed: ${error.message}`
    }
    throw new Error(`${r.non2xx} non-2xx answers and ${errorNote ?? '0 connection errors'} out of ${r.total} requests${sample}`)
  }
  return { rps: r.rps, p50: r.p50, p99: r.p99, total: r.total, cpuUs: cpu > 0 ? (cpu / r.total) * 1e6 : null, stopsPerK: (stops / r.total) * 1000, loaderCpuUs: r.loaderCpuUs, others, errorNote }
}

/**
 * The `cookie` header of a visitor of the demo site whose assignment records are all acknowledged
 * (marked "!"): page views until the store has acknowledged them in time (src/site/exposure-ack.ts).
 */
async function acknowledgedVisitor(url) {
  let cookie = ''
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${url}/?v=returning-${i}`, { headers: { ...PAGE_VIEW, ...(cookie ? { cookie } : {}) } })
    await res.arrayBuffer()
    const set = new Map(cookie.split('; ').filter(Boolean).map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]))
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]
      set.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1))
    }
    cookie = [...set].map(([k, v]) => `${k}=${v}`).join('; ')
    const asg = decodeURIComponent(set.get('edgesplit_asg') ?? '')
    const records = asg.slice(0, asg.lastIndexOf('.')).split('|').filter(Boolean)
    if (records.length && records.every((r) => r.endsWith('!'))) return cookie
  }
  throw new Error(`no acknowledged assignment cookie after 20 page views (last: ${cookie})`)
}

/**
 * One page row (the pass-through, the site rows, the references, GrowthBook): throughput under load,
 * then the latency one request at a time and paced (`/?v={i}`, a fresh page view each).
 */
async function pageRow(rt, scenario, runtime, headers) {
  return { scenario, runtime, ...(await measure(rt, '/?v={i}', headers)), ...(await unloadedLatency(rt, '/?v={i}', headers)), ...(await pacedLatency(rt, '/?v={i}', headers)) }
}

/** Latency one request at a time (latency.mjs), with the run's request count. */
function unloadedLatency(rt, path, headers = {}) {
  return oneAtATime(rt.url, path, headers, S.quietRequests)
}

/**
 * Latency at a steady load (latency.mjs), in bare workerd only: Miniflare's Node hop serves the
 * site rows at about PACED_RATE, so there it would measure saturation.
 */
async function pacedLatency(rt, path, headers = {}) {
  return rt.label === 'workerd' ? paced(rt.url, path, headers, { seconds: args.quick ? 2 : 4, sockets: S.connections }) : {}
}

async function load(opts) {
  const { code, stdout, stderr } = await run(process.execPath, [join(BENCH_DIR, 'load.mjs'), JSON.stringify(opts)], { cwd: ROOT })
  const line = stdout.trim().split('\n').pop()
  if (code !== 0 || !line) throw new Error(`load generator failed (exit ${code}): ${stderr.trim() || stdout.trim()}`)
  return JSON.parse(line)
}

function kvDelta(before, after) {
  if (!before || !after) return null
  return Object.fromEntries(Object.keys(after).map((b) => [b, after[b].get - (before[b]?.get ?? 0)]))
}

/** CPU per assignment vs per digest, timed from outside workerd. */
async function cpuBench() {
  const esbuild = await import('esbuild')
  const out = join(OUT_DIR, 'cpu', 'cpu-worker.js')
  await esbuild.build({
    entryPoints: [join(BENCH_DIR, 'cpu-worker.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*'],
    logLevel: 'error',
  })
  const result = {}
  await withRuntime('workerd', cpuWorker(out), '/?mode=none&n=0', async (rt) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const { port } = new URL(rt.url)
    const time = (mode, n) =>
      new Promise((resolve, reject) => {
        const t0 = process.hrtime.bigint()
        const req = httpRequest({ host: '127.0.0.1', port, path: `/?mode=${mode}&n=${n}`, agent }, (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (c) => (body += c))
          res.on('end', () => {
            const us = Number(process.hrtime.bigint() - t0) / 1000
            if (res.statusCode !== 200) reject(new Error(`cpu worker ${mode}&n=${n} answered ${res.statusCode}: ${body.slice(0, 500)}`))
            else resolve(us)
          })
        })
        req.on('error', reject)
        req.end()
      })
    const modes = ['digest', 'hash', 'assign', 'flag']
    for (const mode of modes) await time(mode, 10) // fails fast on a broken worker
    const N = S.cpuN
    for (let i = 0; i < 3; i++) for (const mode of modes) await time(mode, N) // JIT warm-up
    const samples = { none: [], digest: [], hash: [], assign: [], flag: [] }
    // Cross-check: workerd's own CPU time (/proc, 10 ms ticks; summed over all repetitions).
    const cpuTotal = { none: 0, digest: 0, hash: 0, assign: 0, flag: 0 }
    const sample = async (mode, n) => {
      const c0 = cpuSeconds(rt.pids())
      samples[mode].push(await time(mode, n))
      cpuTotal[mode] += cpuSeconds(rt.pids()) - c0
    }
    for (let rep = 0; rep < S.cpuReps; rep++) {
      await sample('none', 0)
      for (const mode of modes) {
        await sample(mode, N)
        await sample('none', 0)
      }
    }
    agent.destroy()
    const base = median(samples.none)
    const baseCpu = cpuTotal.none / samples.none.length
    result.cpuTime = {}
    for (const mode of modes) {
      result[mode] = (median(samples[mode]) - base) / N
      result.cpuTime[mode] = ((cpuTotal[mode] / samples[mode].length - baseCpu) / N) * 1e6
    }
    result.N = N
    result.reps = S.cpuReps
    result.overheadUs = base
    result.ratio = result.assign / result.digest
  })
  return result
}

/** Cores busy machine-wide over one second, before the bench starts anything. */
async function backgroundLoad() {
  const before = machineBusySeconds()
  await new Promise((r) => setTimeout(r, 1000))
  return machineBusySeconds() - before
}

// ─── report ─────────────────────────────────────────────────────────────────────────────────────

const kib = (b) => `${(b / 1024).toFixed(1)} KiB`
const fmt = (n, d = 0) => (n == null || Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }))
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const NOISY = 0.15 // cores used by unrelated processes above which a row is flagged
const ROW_TITLES = {
  hello: 'hello-world',
  'reference-1': 'reference Worker (URL, Web Crypto, JSON), 1 experiment',
  'reference-10': 'reference Worker, 10 experiments',
  'assign-1': 'assign, 1 experiment',
  'assign-1-untracked': 'assign, 1 experiment, track=false',
  'assign-10': 'assign, 10 experiments',
  'assign-10-random': 'assign, 10 experiments, random unit ids',
  'assign-10-untracked': 'assign, 10 experiments, track=false',
  'assign-1-upstash': 'assign, 1 experiment, counted in Redis (Upstash)',
  'assign-10-upstash': 'assign, 10 experiments, counted in Redis (Upstash)',
  'assign-1-tmpfs': 'assign, 1 experiment, counter storage in memory (tmpfs)',
  'assign-10-tmpfs': 'assign, 10 experiments, counter storage in memory (tmpfs)',
  'flags-10': 'flags, 10 flags (rule + 50% rollout each)',
  passthrough: 'pass-through Worker, demo page',
  'reference-site': 'reference middleware (cookie, Web Crypto, string insert), new visitor',
  site: 'site middleware, demo page, new visitor',
  'site-returning': 'site middleware, demo page, returning visitor',
  'site-upstash': 'site middleware, demo page, new visitor, counted in Redis (Upstash)',
  'site-tmpfs': 'site middleware, demo page, new visitor, counter storage in memory (tmpfs)',
  growthbook: 'GrowthBook edge app, demo page, new visitor',
}

/** The row each scenario's ratio is taken against: the site middleware (and GrowthBook's edge app) against a pass-through Worker. */
const BASELINE = { 'reference-site': 'passthrough', site: 'passthrough', 'site-returning': 'passthrough', 'site-upstash': 'passthrough', 'site-tmpfs': 'passthrough', growthbook: 'passthrough' }

/** The reference Worker's row (reference-worker.mjs) each assign row is set beside. */
const REFERENCE = {
  'assign-1': 'reference-1',
  'assign-1-untracked': 'reference-1',
  'assign-1-upstash': 'reference-1',
  'assign-10': 'reference-10',
  'assign-10-untracked': 'reference-10',
  'assign-10-upstash': 'reference-10',
  'assign-1-tmpfs': 'reference-1',
  'assign-10-tmpfs': 'reference-10',
}

function ratioFor(row) {
  const base = results.rows.find((r) => r.scenario === (BASELINE[row.scenario] ?? 'hello') && r.runtime === row.runtime)
  return base ? row.rps / base.rps : null
}

/** Side-by-side contenders beyond the three always run, each with its columns' title, when a run had them. */
const SIDE_BY_SIDE_EXTRAS = [
  ['siteUpstash', 'edgesplit, counted in Redis'],
  ['siteTmpfs', 'edgesplit, counter storage in memory'],
]
const extrasOf = (rounds) => SIDE_BY_SIDE_EXTRAS.filter(([name]) => rounds[0]?.[name])

/**
 * The medians of a side-by-side run's per-round ratios (÷ that round's pass-through), and the
 * rounds edgesplit led; `extras`: the same for each extra contender the run had (SIDE_BY_SIDE_EXTRAS).
 */
function sideBySideSummary(rounds) {
  const rps = (name) => rounds.map((r) => r[name].rps / r.passthrough.rps)
  const cpu = (name) => rounds.map((r) => r.passthrough.cpuUs / r[name].cpuUs)
  const growthbook = rps('growthbook')
  const versus = (name) => {
    const ours = rps(name)
    return { rps: median(ours), cpu: median(cpu(name)), ahead: ours.filter((x, i) => x > growthbook[i]).length }
  }
  const site = versus('site')
  return {
    site: site.rps,
    growthbook: median(growthbook),
    siteCpu: site.cpu,
    growthbookCpu: median(cpu('growthbook')),
    ahead: site.ahead,
    extras: extrasOf(rounds).map(([name, title]) => ({ name, title, ...versus(name) })),
  }
}

/** The side-by-side table's header: each extra contender's columns only when the run had it. */
function sideBySideHeader(rounds) {
  const header = ['Round', 'pass-through req/s (CPU µs)', 'edgesplit req/s (CPU µs)', '× pass-through', 'GrowthBook req/s (CPU µs)', '× pass-through']
  return [...header, ...extrasOf(rounds).flatMap(([, title]) => [`${title}, req/s (CPU µs)`, '× pass-through'])]
}

/** One line per side-by-side round, then the medians. */
function sideBySideRows(rounds) {
  const cell = (r) => `${fmt(r.rps)} (${fmt(r.cpuUs, 1)})`
  const s = sideBySideSummary(rounds)
  const extras = (r) => s.extras.flatMap(({ name }) => [cell(r[name]), fmt(r[name].rps / r.passthrough.rps, 2)])
  return [
    ...rounds.map((r, i) => [i + 1, cell(r.passthrough), cell(r.site), fmt(r.site.rps / r.passthrough.rps, 2), cell(r.growthbook), fmt(r.growthbook.rps / r.passthrough.rps, 2), ...extras(r)]),
    ['median', '', '', fmt(s.site, 2), '', fmt(s.growthbook, 2), ...s.extras.flatMap((e) => ['', fmt(e.rps, 2)])],
  ]
}

function targets() {
  const out = []
  if (results.bundle) out.push({ what: 'Bundle, gzipped', value: kib(results.bundle.gzip), target: '≤ 100 KiB', ok: results.bundle.gzip <= 100 * 1024 })
  for (const row of results.rows.filter((r) => r.scenario === 'assign-1')) {
    const ratio = ratioFor(row)
    if (ratio != null) out.push({ what: `Assign throughput ÷ hello-world (${row.runtime})`, value: `${fmt(ratio, 2)}×`, target: '≥ 0.9×', ok: ratio >= 0.9 })
    // The same ratio predicted from CPU per request: what a CPU-bound runtime would show, and
    // much less sensitive to other processes than req/s. Informational (not checked by --strict).
    const hello = results.rows.find((r) => r.scenario === 'hello' && r.runtime === row.runtime)
    if (row.runtime === 'workerd' && hello?.cpuUs && row.cpuUs) {
      const cpuRatio = hello.cpuUs / row.cpuUs
      out.push({ what: `Same, predicted from CPU µs/req (hello ÷ assign, workerd)`, value: `${fmt(cpuRatio, 2)}×`, target: '≥ 0.9×', ok: cpuRatio >= 0.9, info: true })
    }
  }
  // Each assign row against the reference Worker doing the same job bare (informational): how
  // far our routing, config, validation and counting take it from what the job itself costs here.
  for (const row of results.rows.filter((r) => REFERENCE[r.scenario])) {
    const ref = results.rows.find((r) => r.scenario === REFERENCE[row.scenario] && r.runtime === row.runtime)
    if (ref) out.push({ what: `${ROW_TITLES[row.scenario]} ÷ reference Worker (${row.runtime})`, value: `${fmt(row.rps / ref.rps, 2)}× req/s, ${fmt(ref.cpuUs / row.cpuUs, 2)}× by CPU`, target: '—', ok: true, info: true })
  }
  // The site rows against the reference middleware doing the bare job (informational), as the assign rows against the reference Worker.
  for (const row of results.rows.filter((r) => r.scenario.startsWith('site'))) {
    const ref = results.rows.find((r) => r.scenario === 'reference-site' && r.runtime === row.runtime)
    if (ref) out.push({ what: `${ROW_TITLES[row.scenario]} ÷ reference middleware (${row.runtime})`, value: `${fmt(row.rps / ref.rps, 2)}× req/s, ${fmt(ref.cpuUs / row.cpuUs, 2)}× by CPU`, target: '—', ok: true, info: true })
  }
  for (const row of results.rows.filter((r) => r.scenario === 'site')) {
    const ratio = ratioFor(row)
    const base = results.rows.find((r) => r.scenario === 'passthrough' && r.runtime === row.runtime)
    if (ratio != null) out.push({ what: `Middleware throughput ÷ pass-through Worker (${row.runtime})`, value: `${fmt(ratio, 2)}×`, target: '≥ 0.85×', ok: ratio >= 0.85 })
    if (base) out.push({ what: `Middleware added latency p50 / p99 (${row.runtime})`, value: `${row.p50 - base.p50} / ${row.p99 - base.p99} ms`, target: '—', ok: true, info: true })
    // One request at a time (unloadedLatency): the wait a visitor's request adds, without queueing.
    if (base?.quietP50 != null && row.quietP50 != null) {
      const added = row.quietP50 - base.quietP50
      out.push({ what: `Middleware added latency p50, one request at a time (${row.runtime})`, value: `${fmt(added, 2)} ms`, target: '≤ 1 ms', ok: added <= 1, info: true })
    }
    if (base?.cpuUs && row.cpuUs) out.push({ what: `Same, predicted from CPU µs/req (${row.runtime})`, value: `${fmt(base.cpuUs / row.cpuUs, 2)}×`, target: '≥ 0.85×', ok: base.cpuUs / row.cpuUs >= 0.85, info: true })
  }
  // GrowthBook's edge app beside ours, both ÷ the same pass-through Worker (informational).
  for (const row of results.rows.filter((r) => r.scenario === 'growthbook')) {
    const ours = results.rows.find((r) => r.scenario === 'site' && r.runtime === row.runtime)
    const base = results.rows.find((r) => r.scenario === 'passthrough' && r.runtime === row.runtime)
    const mine = ours ? `${fmt(ratioFor(ours), 2)}×` : 'not run'
    out.push({ what: `÷ pass-through: edgesplit middleware vs GrowthBook edge app (${row.runtime})`, value: `${mine} vs ${fmt(ratioFor(row), 2)}×`, target: '—', ok: true, info: true })
    const inMemory = results.rows.find((r) => r.scenario === 'site-tmpfs' && r.runtime === row.runtime)
    if (inMemory) out.push({ what: `Same, edgesplit with its counter storage in memory (${row.runtime})`, value: `${fmt(ratioFor(inMemory), 2)}× vs ${fmt(ratioFor(row), 2)}×; by CPU ${fmt(base.cpuUs / inMemory.cpuUs, 2)}× vs ${fmt(base.cpuUs / row.cpuUs, 2)}×`, target: '—', ok: true, info: true })
    if (base?.cpuUs && row.cpuUs) {
      const mineCpu = ours?.cpuUs ? `${fmt(base.cpuUs / ours.cpuUs, 2)}×` : 'not run'
      out.push({ what: `Same comparison, predicted from CPU µs/req (${row.runtime})`, value: `${mineCpu} vs ${fmt(base.cpuUs / row.cpuUs, 2)}×`, target: '—', ok: true, info: true })
    }
  }
  // Latency at a steady load (pacedLatency): each page row's p50 and p99 above the pass-through's.
  for (const row of results.rows.filter((r) => r.pacedP50 != null && BASELINE[r.scenario])) {
    const base = results.rows.find((r) => r.scenario === BASELINE[row.scenario] && r.runtime === row.runtime)
    if (base?.pacedP50 == null) continue
    const added = row.pacedP50 - base.pacedP50
    // p99 side by side rather than subtracted: it is one GC pause or another (docs/performance.md).
    const value = `${fmt(added, 2)} ms (p99 ${fmt(row.pacedP99, 1)} against ${fmt(base.pacedP99, 1)} ms)`
    out.push({ what: `Added latency p50 at ${fmt(PACED_RATE)} req/s paced: ${ROW_TITLES[row.scenario]} (${row.runtime})`, value, target: row.scenario === 'site' ? '≤ 1 ms' : '—', ok: row.scenario !== 'site' || added <= 1, info: true })
  }
  // Side by side: per round, each ratio ÷ that round's pass-through; the medians decide.
  for (const { runtime, rounds } of results.sideBySide) {
    const s = sideBySideSummary(rounds)
    out.push({
      what: `Side by side, ${rounds.length} rounds, ÷ pass-through (median): edgesplit vs GrowthBook (${runtime})`,
      value: `${fmt(s.site, 2)}× vs ${fmt(s.growthbook, 2)}×, ahead in ${s.ahead} of ${rounds.length}`,
      target: 'ahead',
      ok: s.site > s.growthbook,
    })
    out.push({ what: `Same, predicted from CPU µs/req (median) (${runtime})`, value: `${fmt(s.siteCpu, 2)}× vs ${fmt(s.growthbookCpu, 2)}×`, target: 'ahead', ok: s.siteCpu > s.growthbookCpu, info: true })
    out.push({ what: `Site middleware ÷ pass-through, side by side (median) (${runtime})`, value: `${fmt(s.site, 2)}×`, target: '≥ 0.85×', ok: s.site >= 0.85 })
    for (const e of s.extras) {
      const value = `${fmt(e.rps, 2)}× vs ${fmt(s.growthbook, 2)}×, ahead in ${e.ahead} of ${rounds.length}; by CPU ${fmt(e.cpu, 2)}× vs ${fmt(s.growthbookCpu, 2)}×`
      out.push({ what: `Same rounds, ${e.title} vs GrowthBook (${runtime})`, value, target: '—', ok: true, info: true })
    }
  }
  if (results.cpu) out.push({ what: 'CPU per assignment ÷ one SHA-256 digest', value: `${fmt(results.cpu.ratio, 2)}×`, target: '≤ 2×', ok: results.cpu.ratio <= 2 })
  return out
}

function targetsMissed() {
  return targets()
    .filter((t) => !t.ok && !t.info)
    .map((t) => `${t.what} = ${t.value} (target ${t.target})`)
}

function table(header, rows, align) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
  const line = (cells) => cells.map((c, i) => (align[i] === 'r' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ')
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

function versions() {
  let workerd = '?'
  try {
    workerd = execFileSync(WORKERD_BIN, ['--version'], { encoding: 'utf8' }).trim().replace(/^workerd\s+/, '')
  } catch {}
  return workerd
}

async function report(seconds) {
  const date = new Date().toISOString().slice(0, 10)
  const mfVersion = results.rows.some((r) => r.runtime === 'Miniflare') ? (await loadMiniflare()).version : null
  const machine = `${platform()} ${arch()}, ${cpus().length} cores (${cpus()[0]?.model?.trim() ?? '?'}), Node ${process.version}`
  const runtimeLine = `workerd ${versions()} (bare)${mfVersion ? `, Miniflare ${mfVersion}` : ''}`
  const harness = `autocannon, ${S.connections} connections, pipelining 1, ${S.warmup} s warm-up + ${S.duration} s per row, a fresh unit id per request`
  const command = `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`

  const setup = [runtimeLine, ...(results.rows.length ? [harness] : [])].join('; ')
  console.log(`\nedgesplit bench: ${date}, ${machine}\n${setup}; ${seconds} s in all\n`)
  if (results.bundle) {
    const b = results.bundle
    console.log(`Bundle (wrangler deploy --dry-run, ${b.modules.length} module${b.modules.length > 1 ? 's' : ''}): ${kib(b.raw)} raw, ${kib(b.gzip)} gzipped${b.wranglerSays ? ` (wrangler: ${b.wranglerSays})` : ''}\n`)
  }
  if (results.rows.length) {
    const rows = results.rows.map((r) => [
      ROW_TITLES[r.scenario],
      r.runtime,
      fmt(r.rps),
      fmt(r.p50),
      fmt(r.p99),
      r.scenario === 'hello' || r.scenario === 'passthrough' ? '1.00' : fmt(ratioFor(r), 2),
      fmt(r.cpuUs, 1),
      fmt(r.stopsPerK, 1),
      fmt(r.loaderCpuUs, 1),
      `${fmt(r.others, 2)}${r.others > NOISY ? ' !' : ''}`,
    ])
    console.log(
      table(['Scenario', 'Runtime', 'req/s', 'p50 ms', 'p99 ms', '× base', 'CPU µs/req', 'stops/1k req', 'loadgen µs/req', 'other cores'], rows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']),
    )
    console.log('CPU µs/req: the runtime\'s processes (Miniflare: workerd + its Node side); stops/1k req: times the runtime\'s main thread blocked (voluntary context switches), per 1,000 requests: off-CPU waits such as a Durable Object\'s storage flush; loadgen: autocannon\'s process; other cores: CPU used by unrelated processes during the row.')
    for (const r of results.rows.filter((x) => x.errorNote)) console.log(`! ${ROW_TITLES[r.scenario]} (${r.runtime}): ${r.errorNote} (tolerated below 1%)`)
    if (results.rows.some((r) => r.others > NOISY)) console.log(`! rows marked "!" shared the machine with other busy processes: rerun them on a quiet machine.`)
    const kv = Object.entries(results.kv).filter(([, v]) => v)
    if (kv.length) console.log(`KV reads during the measured runs (bare workerd): ${kv.map(([k, v]) => `${k.replace(' workerd', '')}: ${Object.values(v).join('+')}`).join(', ')}`)
    console.log('')
  }
  for (const { runtime, rounds } of results.sideBySide) {
    const header = sideBySideHeader(rounds)
    console.log(`Side by side (${runtime}): the ${3 + (header.length - 6) / 2} Workers measured in turn, ${SIDE_BY_SIDE_SECONDS} s each after a ${S.warmup} s warm-up, the order rotating each round`)
    console.log(table(header, sideBySideRows(rounds), header.map(() => 'r')))
    console.log('')
  }
  if (results.originLatency) {
    const o = originLatencyTable(results.originLatency)
    console.log('In front of an origin that takes time to answer (workerd): added p50 above the pass-through Worker\'s')
    console.log(table(o.header, o.body, o.header.map(() => 'r')))
    console.log(`${o.note}\n`)
  }
  if (results.cpu) {
    const c = results.cpu
    console.log(
      table(
        ['CPU inside workerd', 'µs/op', '× digest', 'cross-check: workerd CPU time µs/op'],
        [
          ['SHA-256 digest (bare, 16 bytes)', fmt(c.digest, 2), '1.00', fmt(c.cpuTime.digest, 2)],
          ['hashToUnitInterval (encode + digest)', fmt(c.hash, 2), fmt(c.hash / c.digest, 2), fmt(c.cpuTime.hash, 2)],
          ['assign(), per experiment', fmt(c.assign, 2), fmt(c.assign / c.digest, 2), fmt(c.cpuTime.assign, 2)],
          ['evaluateFlag(), per flag (rule + rollout)', fmt(c.flag, 2), fmt(c.flag / c.digest, 2), fmt(c.cpuTime.flag, 2)],
        ],
        ['l', 'r', 'r', 'r'],
      ),
    )
    console.log(`µs/op = (median request time at N − at N = 0) / N; N = ${fmt(c.N)}, ${c.reps} repetitions; request overhead (N = 0) ${fmt(c.overheadUs)} µs\n`)
  }
  const t = targets()
  if (t.length) {
    console.log(table(['SPEC target', 'Measured', 'Target', ''], t.map((x) => [x.what, x.value, x.target, x.ok ? 'ok' : 'MISSED']), ['l', 'r', 'r', 'l']))
  }

  // Markdown for the README's performance section.
  const md = [`Measured on ${date} with \`${command}\` (${machine}; ${setup}).`, '']
  const byScenario = Object.keys(ROW_TITLES).filter((s) => results.rows.some((r) => r.scenario === s))
  const rts = [...new Set(results.rows.map((r) => r.runtime))]
  if (byScenario.length) {
    md.push(`| Scenario | ${rts.map((r) => `${r} req/s | p50 / p99 ms | × base | CPU µs/req`).join(' | ')} |`)
    md.push(`|---|${rts.map(() => '--:|--:|--:|--:').join('|')}|`)
    for (const s of byScenario) {
      const cells = rts.map((rt) => {
        const r = results.rows.find((x) => x.scenario === s && x.runtime === rt)
        return r ? `${fmt(r.rps)} | ${fmt(r.p50)} / ${fmt(r.p99)} | ${s === 'hello' || s === 'passthrough' ? '1.00' : fmt(ratioFor(r), 2)} | ${fmt(r.cpuUs, 1)}` : '— | — | — | —'
      })
      md.push(`| ${ROW_TITLES[s]} | ${cells.join(' | ')} |`)
    }
    md.push('')
  }
  for (const { runtime, rounds } of results.sideBySide) {
    md.push(`Side by side (${runtime}; ${SIDE_BY_SIDE_SECONDS} s per row after a ${S.warmup} s warm-up, the order rotating each round):`, '')
    const header = sideBySideHeader(rounds)
    md.push(`| ${header.map((h) => (h === 'Round' ? 'round' : h)).join(' | ')} |`, `|${header.map(() => '--:').join('|')}|`)
    for (const row of sideBySideRows(rounds)) md.push(`| ${row.join(' | ')} |`)
    md.push('')
  }
  if (results.originLatency) {
    const o = originLatencyTable(results.originLatency)
    md.push(`In front of an origin that takes time to answer (bare workerd): added p50 above the pass-through Worker's. ${o.note}`, '')
    md.push(`| ${o.header.join(' | ')} |`, `|${o.header.map(() => '--:').join('|')}|`)
    for (const row of o.body) md.push(`| ${row.join(' | ')} |`)
    md.push('')
  }
  if (results.cpu) {
    const c = results.cpu
    md.push('| CPU inside workerd | µs/op | × digest |', '|---|--:|--:|')
    md.push(
      `| SHA-256 digest (bare) | ${fmt(c.digest, 2)} | 1.00 |`,
      `| hashToUnitInterval (encode + digest) | ${fmt(c.hash, 2)} | ${fmt(c.hash / c.digest, 2)} |`,
      `| assign(), per experiment | ${fmt(c.assign, 2)} | ${fmt(c.assign / c.digest, 2)} |`,
      `| evaluateFlag(), per flag (rule + rollout) | ${fmt(c.flag, 2)} | ${fmt(c.flag / c.digest, 2)} |`,
      '',
    )
  }
  if (t.length) {
    md.push('| SPEC target | Measured | Target | |', '|---|--:|--:|---|')
    for (const x of t) md.push(`| ${x.what} | ${x.value} | ${x.target} | ${x.ok ? '✅' : '❌'} |`)
    if (results.bundle) md.push('', `Bundle: ${kib(results.bundle.raw)} raw, ${kib(results.bundle.gzip)} gzipped.`)
  }
  console.log(`\n--- Markdown (README "Performance") ---\n${md.join('\n')}\n---`)
}

// ─── helpers ────────────────────────────────────────────────────────────────────────────────────

function run(cmd, argv, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

function usage(message) {
  console.error(`npm run bench: ${message}\nusage: npm run bench -- [--quick] [--only ${SCENARIOS.join(',')}] [--runtime workerd,miniflare] [--strict]\n       npm run bench -- [--quick] --profile|--native|--alloc ${PROFILE_SCENARIOS.join('|')}`)
  process.exit(2)
}

main().catch(async (error) => {
  console.error(`✗ bench crashed: ${error?.stack ?? error}`)
  await stopAll()
  process.exit(1)
})

/** The events and results rows, as a table and as Markdown for the README. */
function reportExtras() {
  if (results.events.length) {
    const lines = [
      '| Store | Runtime | Events per request | events/s | requests/s | p50 / p99 ms | Store round trips per batch |',
      '|---|---|--:|--:|--:|--:|--:|',
      ...results.events.map(
        (r) =>
          `| ${r.store} | ${r.runtime} | ${r.batch} | ${Math.round(r.eventsPerSec).toLocaleString('en-US')} | ${Math.round(r.requestsPerSec).toLocaleString('en-US')} | ${r.p50} / ${r.p99} | ${r.measured ? r.roundTrips.toFixed(2) : '1 (one RPC per experiment shard)'} |`,
      ),
    ]
    console.log(`\nEvents through the Worker (POST /v1/events, ${S.eventConnections} connections, every event attributed and counted):\n${lines.join('\n')}`)
  }
  if (results.analysis) {
    const lines = ['| Variants × metrics | Days of series | µs per results computation |', '|---|--:|--:|', ...results.analysis.map((r) => `| ${r.variants} × ${r.metrics} | ${r.days} | ${Math.round(r.us).toLocaleString('en-US')} |`)]
    console.log(`\nResults computation (analyzeExperiment, median of 7 runs, Node ${process.version} V8):\n${lines.join('\n')}`)
  }
}
