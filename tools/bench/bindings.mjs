// The bench's Worker specs: which modules each benchmarked Worker runs and which bindings it gets.
// This is the one place bindings are listed; runtimes.mjs turns a spec into a workerd capnp config
// or Miniflare options. When src/ grows a binding (the counter-store Durable Object, the Upstash
// URL/token vars), add it to `edgesplitWorker` below; checkBindings() warns when wrangler.toml
// declares one that is missing here.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url))
export const OUT_DIR = join(ROOT, '.bench')

/** What wrangler.toml's [assets] uploads, served to bench Workers as their ASSETS binding. */
export const ASSETS_DIR = join(ROOT, 'assets')

/** A fixed admin token for the throwaway local instances (≥ 16 characters, as src/services.ts demands). */
export const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef'

/**
 * @typedef {{ name: string, path: string }} Module  an ES module; the first one is the entry
 * @typedef {{ className: string, sql?: boolean }} DurableObjectBinding
 * @typedef {{
 *   name: string,
 *   modules: Module[],
 *   compatibilityDate: string,
 *   compatibilityFlags: string[],
 *   vars: Record<string, string>,
 *   kv: string[],
 *   durableObjects: Record<string, DurableObjectBinding>,
 *   assets?: string,
 *   storage?: 'tmpfs',
 * }} WorkerSpec  `assets`: the directory the ASSETS binding serves (wrangler.toml [assets]); `storage`:
 * where bare workerd keeps the Durable Objects' SQLite files (runtimes.mjs, storageDir; default on disk)
 */

/** compatibility_date / compatibility_flags from wrangler.toml (a regex read: no TOML dependency). */
export function wranglerCompat() {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')
  const date = /^\s*compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)?.[1]
  if (!date) throw new Error('wrangler.toml has no compatibility_date')
  const flags = /^\s*compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1]
  return { compatibilityDate: date, compatibilityFlags: flags ? [...flags.matchAll(/"([^"]+)"/g)].map((m) => m[1]) : [] }
}

/**
 * The edgesplit Worker as wrangler bundled it.
 * @param {Module[]} modules  from the dry-run output directory, entry first
 * @returns {WorkerSpec}
 */
export function edgesplitWorker(modules) {
  const spec = {
    name: 'edgesplit',
    modules,
    ...wranglerCompat(),
    // "production" so the dev-only demo seeding never runs; the bench creates its own experiments.
    // No UPSTASH_REDIS_REST_URL/TOKEN: the counter store is the embedded COUNTERS Durable Object.
    vars: { ENVIRONMENT: 'production', ADMIN_TOKEN, COOKIE_SECRET: 'bench-cookie-secret-0123456789abcdef' },
    kv: ['CONFIG'],
    // The Worker's fixed texts (src/http/static-texts.ts): the demo page, the tracking script, the dashboard's shells.
    assets: ASSETS_DIR,
    durableObjects: {
      CONFIG_WRITER: { className: 'ConfigWriter', sql: true },
      COUNTERS: { className: 'CounterShard', sql: true },
      EVENT_LOG: { className: 'EventLog', sql: true },
    },
    /** Durable Object bindings left out because the bundle does not export their class (yet). */
    skipped: [],
  }
  // workerd refuses to start when a bound class is not exported; while src/ is mid-change, leave
  // such a binding out (and say so) so the Worker itself reports what it misses.
  const exported = modules.length ? bundleExports(modules[0].path) : null
  if (exported) {
    for (const [name, d] of Object.entries(spec.durableObjects)) {
      if (!exported.has(d.className)) {
        delete spec.durableObjects[name]
        spec.skipped.push(`${name} (class ${d.className} is not exported by src/index.ts)`)
      }
    }
  }
  return spec
}

/** Names a bundled ES module exports (its final `export { … }`, as esbuild writes it), or null. */
export function bundleExports(path) {
  const code = readFileSync(path, 'utf8')
  const blocks = [...code.matchAll(/^export\s*\{([^}]*)\}/gm)]
  if (!blocks.length) return null
  const names = new Set()
  for (const b of blocks) for (const part of b[1].split(',')) {
    const m = /(\S+)(?:\s+as\s+(\S+))?/.exec(part.trim())
    if (m) names.add(m[2] ?? m[1])
  }
  for (const m of code.matchAll(/^export\s+(?:class|function|const|let|var)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1])
  return names
}

/** The trivial baseline Worker: `new Response('ok')`. @returns {WorkerSpec} */
export function helloWorker() {
  return { name: 'hello', modules: [{ name: 'hello.mjs', path: join(BENCH_DIR, 'hello.mjs') }], ...wranglerCompat(), vars: {}, kv: [], durableObjects: {} }
}

/**
 * `spec` with its exposures counted in Redis through the Upstash-protocol server of `stack`
 * (tools/upstash/redis-harness.mjs) instead of the embedded counter objects; `name` sets its own
 * workerd directory when it runs beside `spec`. @returns {WorkerSpec}
 */
export function countedInRedis(spec, stack, name = spec.name) {
  return { ...spec, name, localOutbound: true, vars: { ...spec.vars, UPSTASH_REDIS_REST_URL: stack.restUrl, UPSTASH_REDIS_REST_TOKEN: stack.token } }
}

/**
 * `spec` with its Durable Objects' SQLite files in memory (/dev/shm) instead of on disk
 * (runtimes.mjs, storageDir): the same code and the same SQLite, without a device flush on the
 * Worker's thread at each counter call; `name` sets its own workerd directory. @returns {WorkerSpec}
 */
export function storedInMemory(spec, name = spec.name) {
  return { ...spec, name, storage: 'tmpfs' }
}

/** The reference assign Worker (reference-worker.mjs): what a Worker doing only the job costs. @returns {WorkerSpec} */
export function referenceWorker() {
  return { name: 'reference', modules: [{ name: 'reference-worker.mjs', path: join(BENCH_DIR, 'reference-worker.mjs') }], ...wranglerCompat(), vars: {}, kv: [], durableObjects: {} }
}

/** The CPU micro-bench Worker (bundled by run.mjs with esbuild). @returns {WorkerSpec} */
export function cpuWorker(path) {
  return { name: 'cpu', modules: [{ name: 'cpu-worker.js', path }], ...wranglerCompat(), vars: {}, kv: [], durableObjects: {} }
}

/** The pass-through baseline of the site rows (bundled by run.mjs with esbuild); the demo origin reads ASSETS. @returns {WorkerSpec} */
export function passthroughWorker(path) {
  return { name: 'passthrough', modules: [{ name: 'passthrough-worker.js', path }], ...wranglerCompat(), vars: {}, kv: [], durableObjects: {}, assets: ASSETS_DIR }
}

/** The reference middleware of the site rows (reference-middleware.ts, bundled by run.mjs with esbuild); the demo origin reads ASSETS. @returns {WorkerSpec} */
export function referenceMiddleware(path) {
  return { ...passthroughWorker(path), name: 'reference-middleware', modules: [{ name: 'reference-middleware.js', path }] }
}

/** Bindings wrangler.toml declares that the edgesplit spec above does not provide. */
export function checkBindings() {
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')
  const spec = edgesplitWorker([])
  const known = new Set([...Object.keys(spec.vars), ...spec.kv, ...Object.keys(spec.durableObjects), ...(spec.assets ? ['ASSETS'] : [])])
  const declared = new Set()
  for (const m of toml.matchAll(/^\s*(?:binding|name)\s*=\s*"([^"]+)"/gm)) declared.add(m[1])
  const vars = /^\[vars\]\s*\n([\s\S]*?)(?=^\[|$(?![\s\S]))/m.exec(toml)?.[1] ?? ''
  for (const m of vars.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)) declared.add(m[1])
  declared.delete('edgesplit') // the top-level `name`
  return [...declared].filter((b) => !known.has(b))
}
