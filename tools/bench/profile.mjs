// `npm run bench -- --profile <scenario>`: one scenario's usual load against bare workerd with its
// inspector on, under V8's CPU profiler (Chrome DevTools protocol: Profiler.enable/start/stop).
// Writes .bench/<scenario>-<timestamp>.cpuprofile (open it in Chrome DevTools or VS Code) and
// prints the top 20 functions by self time. The Worker is built unminified with names kept, so
// the names and lines are readable; that build is a little larger than the deployed one, and the
// profiler costs CPU too, so the profiled run's req/s is not comparable with the table's.

import { spawn } from 'node:child_process'
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { BENCH_DIR, countedInRedis, edgesplitWorker, helloWorker, OUT_DIR, passthroughWorker, ROOT, storedInMemory } from './bindings.mjs'
import { connectCdp, inspectorTarget } from './cdp.mjs'
import { bundleGrowthbookWorker, checkGrowthbookPage, growthbookWorker } from './growthbook.mjs'
import { startRedisStack } from '../upstash/redis-harness.mjs'
import { nativeBreakdown, perfProblem, printNative, recordNative, recorded } from './native-profile.mjs'
import { cpuSeconds, freePort, startWorkerd, threadStops } from './runtimes.mjs'

/** Scenarios `--profile` accepts. */
export const PROFILE_SCENARIOS = ['hello', 'passthrough', 'growthbook', 'assign-1', 'assign-1-untracked', 'assign-10', 'site', 'site-returning', 'site-upstash', 'site-tmpfs']

/** V8's sampling interval for the profile, µs (its default is 1000; finer shows short functions). */
const SAMPLING_US = 100

/**
 * Profiles one scenario; `h` carries run.mjs's helpers: { load, seed, seedDemo, expectOk,
 * expectAssignments, acknowledgedVisitor, S, PAGE_VIEW }. V8's CPU profiler through the inspector,
 * with `alloc` its sampling heap profiler instead, or with `native` Linux perf over the whole process
 * (native-profile.mjs). Returns the file written.
 */
export async function profileScenario(scenario, h, { native = false, alloc = false } = {}) {
  const problem = native ? perfProblem() : null
  if (problem) throw new Error(`--native: ${problem}`)
  const prepared = await prepare(scenario, h)
  const { spec, path, setup, headers, stack } = prepared
  const inspectorPort = native ? undefined : await freePort()
  const readyPath = spec.name === 'edgesplit' ? '/health' : '/'
  const rt = await startWorkerd(spec, { readyPath, inspectorPort }).catch(async (error) => {
    await stack?.stop()
    throw error
  })
  try {
    await setup(rt.url)
    const id = Math.random().toString(36).slice(2, 8)
    const run = (phase, duration) => h.load({ url: rt.url, path, headers, connections: h.S.connections, duration, prefix: `${phase}${id}-` })
    await run('w', h.S.warmup)
    const stem = join(OUT_DIR, `${scenario}-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    const measure = () => run('m', h.S.duration)
    const { file, r } = native
      ? await withPerf(scenario, rt, `${stem}.perf.data`, measure, path)
      : alloc
        ? await withHeap(scenario, inspectorPort, `${stem}.heapprofile`, measure, prepared)
        : await withV8(scenario, inspectorPort, `${stem}.cpuprofile`, measure, prepared, h.S)
    if (r.non2xx > 0) console.log(`! ${r.non2xx} of ${r.total} answers were not 2xx: the profile may show an error path`)
    return file
  } catch (error) {
    const out = rt.output().trim()
    if (out) error.message += `\n--- workerd output (last lines) ---\n${out.split('\n').slice(-15).join('\n')}`
    throw error
  } finally {
    await rt.stop()
    await stack?.stop()
  }
}

/** The measured run under V8's CPU profiler (Chrome DevTools protocol); prints the top functions. */
async function withV8(scenario, inspectorPort, file, measure, { spec, build, path }, S) {
  return inspecting(inspectorPort, async (cdp) => {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US })
    await cdp.send('Profiler.start')
    const r = await measure()
    const { profile } = await cdp.send('Profiler.stop')
    await cdp.send('Profiler.disable').catch(() => {})
    writeFileSync(file, JSON.stringify(profile))
    printTop(scenario, profile, { file, build, r, S, path, modulePath: spec.modules[0].path })
    return { file, r }
  })
}

/** Runs `session` over a DevTools protocol connection to workerd's inspector, closed afterwards. */
async function inspecting(inspectorPort, session) {
  const cdp = await connectCdp(await inspectorTarget(inspectorPort))
  try {
    return await session(cdp)
  } finally {
    cdp.close()
  }
}

/**
 * The measured run under V8's sampling heap profiler (HeapProfiler.startSampling), counting objects
 * the young and old generation collectors have already freed too, so the profile is every byte
 * allocated on the JS heap (a sample per ~ALLOC_SAMPLING_BYTES), not what is still alive; prints
 * the bytes each function allocates per request. Scavenges cost in proportion to how often the
 * young generation fills, so this is where the GC share of a native profile comes from.
 */
async function withHeap(scenario, inspectorPort, file, measure, { build, path }) {
  return inspecting(inspectorPort, async (cdp) => {
    await cdp.send('HeapProfiler.enable')
    await cdp.send('HeapProfiler.startSampling', { samplingInterval: ALLOC_SAMPLING_BYTES, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
    const r = await measure()
    const { profile } = await cdp.send('HeapProfiler.stopSampling')
    await cdp.send('HeapProfiler.disable').catch(() => {})
    writeFileSync(file, JSON.stringify(profile))
    printAllocations(scenario, profile, { file, build, r, path })
    return { file, r }
  })
}

/** The sampling heap profiler's mean interval between samples, bytes (V8's default is 32 KiB). */
const ALLOC_SAMPLING_BYTES = 1024

/** Bytes per request by function: allocated in its own code (self) and in it or its callees (total), by self, largest first. */
export function allocationsByFunction(profile, requests) {
  const self = new Map()
  const total = new Map()
  let all = 0
  const walk = (node, above) => {
    const { functionName, url, lineNumber } = node.callFrame
    const key = `${functionName || '(anonymous)'}\t${url ? `${url.replace(/^.*\//, '')}:${lineNumber + 1}` : ''}`
    all += node.selfSize
    self.set(key, (self.get(key) ?? 0) + node.selfSize)
    // A function on the path twice (recursion) counts its callees' bytes once, as a call tree's total does.
    const path = above.includes(key) ? above : [...above, key]
    for (const k of path) total.set(k, (total.get(k) ?? 0) + node.selfSize)
    for (const child of node.children) walk(child, path)
  }
  walk(profile.head, [])
  const rows = [...self].map(([key, bytes]) => {
    const [name, where] = key.split('\t')
    return { name, where, self: bytes / requests, total: total.get(key) / requests }
  })
  return { perRequest: all / requests, rows: rows.sort((a, b) => b.self - a.self) }
}

/** Prints the top 20 allocating functions of a heap profile, by self bytes per request. */
function printAllocations(scenario, profile, { file, build, r, path }) {
  const { perRequest, rows } = allocationsByFunction(profile, Math.max(1, r.total))
  console.log(`\nJS heap allocations under "${scenario}" (GET ${path}) in bare workerd, V8's sampling heap profiler (a sample per ~${ALLOC_SAMPLING_BYTES} bytes, freed objects included)`)
  console.log(`Build profiled: ${build}`)
  console.log(`${r.total} requests; ${Math.round(perRequest).toLocaleString('en-US')} bytes allocated per request on the JS heap (ArrayBuffer contents live outside it)`)
  console.log(`Profile: ${relative(ROOT, file)} (open in Chrome DevTools › Memory)\n`)
  const top = rows.filter((x) => x.name !== '(root)').slice(0, 20)
  const w = Math.max(8, ...top.map((x) => x.name.length))
  console.log(`${'self B/req'.padStart(10)}  ${'total B/req'.padStart(11)}  ${'function'.padEnd(w)}  file:line`)
  console.log(`${'─'.repeat(10)}  ${'─'.repeat(11)}  ${'─'.repeat(w)}  ${'─'.repeat(9)}`)
  for (const x of top) console.log(`${Math.round(x.self).toLocaleString('en-US').padStart(10)}  ${Math.round(x.total).toLocaleString('en-US').padStart(11)}  ${x.name.padEnd(w)}  ${x.where || '—'}`)
  console.log('\n(V8 API) is what workerd itself creates through V8 (its Request, Headers and Response wrappers, strings it hands to JS).')
}

/** The measured run with Linux perf recording workerd; prints where its CPU went (native-profile.mjs). */
async function withPerf(scenario, rt, file, measure, path) {
  const pids = rt.pids()
  const recording = recordNative(pids[0], file)
  const c0 = cpuSeconds(pids)
  const s0 = threadStops(pids)
  const r = await measure()
  const cpu = cpuSeconds(pids) - c0
  const stops = threadStops(pids) - s0
  await recording.stop()
  if (!recorded(file)) throw new Error(`perf wrote nothing to ${file}`)
  printNative(scenario, { file: relative(ROOT, file), ...nativeBreakdown(file) }, { cpu, requests: r.total, path, stops })
  return { file, r }
}

/** The Worker, its unminified build, the request path and the setup of a scenario. */
async function prepare(scenario, h) {
  const none = async () => {}
  switch (scenario) {
    case 'hello':
      return { spec: helloWorker(), build: 'tools/bench/hello.mjs as written (no build step)', path: '/?unit={i}', setup: (url) => h.expectOk(url, '/?unit=sanity') }
    case 'passthrough': {
      const esbuild = await import('esbuild')
      const out = join(OUT_DIR, 'profile', 'passthrough-worker.js')
      await esbuild.build({ entryPoints: [join(BENCH_DIR, 'passthrough-worker.ts')], bundle: true, minify: false, keepNames: true, format: 'esm', platform: 'neutral', external: ['cloudflare:*'], outfile: out, logLevel: 'error' })
      return { spec: passthroughWorker(out), build: 'passthrough-worker.ts, esbuild, unminified', path: '/?v={i}', headers: h.PAGE_VIEW, setup: (url) => h.expectOk(url, '/?v=sanity') }
    }
    case 'growthbook': {
      const out = await bundleGrowthbookWorker({ minify: false })
      return { spec: growthbookWorker(out), build: 'growthbook-worker.ts, esbuild, unminified, names kept', path: '/?v={i}', headers: h.PAGE_VIEW, setup: (url) => h.expectOk(url, '/?v=sanity', checkGrowthbookPage) }
    }
    case 'assign-1':
    case 'assign-1-untracked':
    case 'assign-10':
    case 'site':
    case 'site-returning':
    case 'site-upstash':
    case 'site-tmpfs': {
      const modules = await buildUnminified()
      const spec = edgesplitWorker(modules)
      for (const s of spec.skipped) console.error(`! binding left out: ${s}`)
      const build = 'wrangler deploy --dry-run --minify=false (the deployed bundle, unminified; wrangler keeps names)'
      if (scenario === 'site-upstash') {
        // New visitors counted in Redis through tools/upstash (out of workerd's process).
        const stack = await startRedisStack({ token: 'bench-upstash-token' })
        const s = countedInRedis(spec, stack)
        return { spec: s, build, path: '/?v={i}', headers: h.PAGE_VIEW, stack, setup: async (url) => (await h.seedDemo(url), await h.expectOk(url, '/?v=sanity', (b) => b.includes('window.edgesplit') || 'expected the demo page with the injected script')) }
      }
      if (scenario === 'site' || scenario === 'site-returning' || scenario === 'site-tmpfs') {
        // A returning visitor's cookie is known only once the demo runs: setup fills it in.
        const headers = { ...h.PAGE_VIEW }
        const setup = async (url) => {
          await h.seedDemo(url)
          await h.expectOk(url, '/?v=sanity', (b) => b.includes('window.edgesplit') || 'expected the demo page with the injected script')
          if (scenario === 'site-returning') headers.cookie = await h.acknowledgedVisitor(url)
        }
        // site-tmpfs: the counter objects' SQLite files in memory (bindings.mjs, storedInMemory).
        return { spec: scenario === 'site-tmpfs' ? storedInMemory(spec) : spec, build, path: '/?v={i}', headers, setup }
      }
      const n = scenario === 'assign-10' ? 10 : 1
      const path = scenario === 'assign-10' ? '/v1/assign?unit={i}' : `/v1/assign?unit={i}&experiments=bench-0${scenario === 'assign-1-untracked' ? '&track=false' : ''}`
      return { spec, build, path, setup: async (url) => (await h.seed(url, 0, n), await h.expectAssignments(url, path.replace('{i}', 'sanity'), n)) }
    }
    default:
      return { spec: null, build: '', path: '', setup: none }
  }
}

/** The edgesplit Worker as `wrangler deploy --dry-run` builds it, but unminified. */
async function buildUnminified() {
  const outdir = join(OUT_DIR, 'profile', 'dist')
  rmSync(outdir, { recursive: true, force: true })
  const wrangler = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
  const { code, out } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [wrangler, 'deploy', '--dry-run', '--minify=false', '--outdir', outdir], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let text = ''
    child.stdout.on('data', (c) => (text += c))
    child.stderr.on('data', (c) => (text += c))
    child.on('error', reject)
    child.on('close', (c) => resolve({ code: c, out: text }))
  })
  if (code !== 0) throw new Error(`wrangler deploy --dry-run --minify=false failed (exit ${code}):\n${out.trim()}`)
  const files = readdirSync(outdir, { recursive: true }).filter((f) => /\.(m?js|wasm)$/.test(f))
  if (!files.includes('index.js')) throw new Error(`wrangler wrote no index.js to ${outdir}`)
  files.sort((a, b) => (a === 'index.js' ? -1 : b === 'index.js' ? 1 : a.localeCompare(b)))
  return files.map((name) => ({ name, path: join(outdir, name) }))
}

/**
 * Self time per function (name + url + line) from a V8 CPU profile: each sample's node gets the
 * time delta to the next sample (the last one: to the profile's end), as DevTools counts it.
 */
export function selfTimes(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const perNode = new Map()
  const { samples = [], timeDeltas = [] } = profile
  let t = profile.startTime
  const stamps = timeDeltas.map((d) => (t += d))
  for (let i = 0; i < samples.length; i++) {
    const dt = (i + 1 < samples.length ? stamps[i + 1] : profile.endTime) - stamps[i]
    const acc = perNode.get(samples[i]) ?? { us: 0, samples: 0 }
    acc.us += Math.max(0, dt)
    acc.samples++
    perNode.set(samples[i], acc)
  }
  const byFunction = new Map()
  for (const [id, { us, samples: count }] of perNode) {
    const { functionName, url, lineNumber, scriptId } = nodes.get(id)?.callFrame ?? {}
    // No name and no script: workerd's own C++ calling into V8 (callbacks, microtasks), not a JS function.
    const name = functionName || (url || (scriptId && scriptId !== '0') ? '(anonymous)' : '(native, no JS frame)')
    const where = url ? `${url}:${lineNumber + 1}` : ''
    const key = `${name}\u0000${where}`
    const row = byFunction.get(key) ?? { name, where, us: 0, samples: 0 }
    row.us += us
    row.samples += count
    byFunction.set(key, row)
  }
  const total = profile.endTime - profile.startTime
  return { total, rows: [...byFunction.values()].sort((a, b) => b.us - a.us) }
}

function printTop(scenario, profile, { file, build, r, S, path, modulePath }) {
  const { total, rows } = selfTimes(profile)
  const idle = rows.filter((x) => x.name === '(idle)').reduce((s, x) => s + x.us, 0)
  const busy = total - idle
  const pct = (us) => `${((us / total) * 100).toFixed(1)}%`
  const short = (where) => where.replace(/^file:\/\/\S*?\/(?=[^/]+:\d+$)/, '').replace(ROOT, '')
  console.log(`\nCPU profile of "${scenario}" (GET ${path}) in bare workerd, V8 sampling every ${SAMPLING_US} µs`)
  console.log(`Build profiled: ${build}; url:line below point into ${relative(ROOT, dirname(modulePath))}/`)
  console.log(`Load: autocannon, ${S.connections} connections, ${S.warmup} s warm-up (not profiled) + ${S.duration} s profiled: ${r.total} requests, ${Math.round(r.rps)} req/s (the profiler slows the Worker; do not compare with the table)`)
  console.log(`Profile: ${relative(ROOT, file)} (${profile.samples?.length ?? 0} samples; open in Chrome DevTools › Performance or VS Code)`)
  console.log(`Sampled ${(total / 1000).toFixed(0)} ms: JS isolate busy ${(busy / 1000).toFixed(0)} ms (${pct(busy)}), idle ${pct(idle)}; µs per request of busy time: ${r.total ? (busy / r.total).toFixed(1) : '—'}\n`)
  const top = rows.filter((x) => x.name !== '(idle)').slice(0, 20)
  const w = Math.max(8, ...top.map((x) => x.name.length))
  console.log(`${'self µs'.padStart(10)}  ${'%'.padStart(6)}  ${'samples'.padStart(7)}  ${'function'.padEnd(w)}  url:line`)
  console.log(`${'─'.repeat(10)}  ${'─'.repeat(6)}  ${'─'.repeat(7)}  ${'─'.repeat(w)}  ${'─'.repeat(8)}`)
  for (const x of top) console.log(`${Math.round(x.us).toLocaleString('en-US').padStart(10)}  ${pct(x.us).padStart(6)}  ${String(x.samples).padStart(7)}  ${x.name.padEnd(w)}  ${short(x.where) || (x.name.startsWith('(') ? '—' : 'built-in (V8 or workerd API)')}`)
  console.log(`\n% = share of the sampled time (${(total / 1000).toFixed(0)} ms, idle included; it also spans the load generator's start-up). Each sample counts until the next one, as DevTools counts it,`)
  console.log('so on a busy machine (sampler thread starved) a few samples can carry long gaps: check the samples column. (program) is V8/workerd native work, (garbage collector) GC.')
}
