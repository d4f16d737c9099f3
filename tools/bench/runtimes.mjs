// Starts a WorkerSpec (bindings.mjs) on bare workerd or on Miniflare, on 127.0.0.1 and a free port.
// Both return { url, label, pids(), stop() }; pids() lists the runtime's OS processes so run.mjs
// can read their CPU time from /proc.

import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { BENCH_DIR, OUT_DIR, ROOT } from './bindings.mjs'

const require = createRequire(join(ROOT, 'package.json'))

/** The bare workerd binary from @cloudflare/workerd-linux-64 (the newest one installed). */
export const WORKERD_BIN = join(dirname(require.resolve('@cloudflare/workerd-linux-64/package.json')), 'bin', 'workerd')

/** `n` distinct free TCP ports on 127.0.0.1 (tiny race window between close and workerd's bind; fine locally). */
export async function freePorts(n) {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise((resolve, reject) => {
      const server = createServer()
      server.on('error', reject)
      server.listen(0, '127.0.0.1', () => resolve(server))
    })),
  )
  const ports = servers.map((s) => s.address().port)
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  return ports
}

export const freePort = async () => (await freePorts(1))[0]

/** Polls `url` until any HTTP response arrives (or `check()` throws: e.g. the process died). */
export async function waitForHttp(url, { timeoutMs = 20_000, check = () => {} } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    check()
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      return
    } catch (error) {
      last = error
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms (${last?.cause?.message ?? last?.message})`)
}

const q = (s) => JSON.stringify(String(s)) // capnp text strings use the same escapes as JSON

/**
 * Where a spec's Durable Objects keep their SQLite files: `do-storage` in its workerd directory, on
 * the machine's disk, or with `spec.storage === 'tmpfs'` a directory in /dev/shm (memory). workerd
 * commits each object's transaction with an fsync on the thread that runs the Worker, so on disk
 * every counter call stalls every request for the device's flush (docs/performance.md,
 * "Fourteenth session"); on Cloudflare an object's writes are made durable by replication, away
 * from any Worker's thread.
 */
export function storageDir(spec, dir) {
  if (spec.storage !== 'tmpfs') return join(dir, 'do-storage')
  if (!existsSync('/dev/shm')) throw new Error(`${spec.name}: this machine has no /dev/shm (tmpfs) for the counter objects' storage`)
  return join('/dev/shm', `edgesplit-bench-${spec.name}`)
}

/** The capnp config for a spec; every binding comes from the spec (bindings.mjs), nothing is hard-coded here. */
export function workerdConfig(spec, port, kvPorts = {}, storage = 'do-storage') {
  const kvServices = spec.kv.map((binding) => ({ binding, service: `kv-${binding}` }))
  const bindings = [
    ...Object.entries(spec.vars).map(([name, value]) => `(name = ${q(name)}, text = ${q(value)})`),
    ...kvServices.map((k) => `(name = ${q(k.binding)}, kvNamespace = (name = ${q(k.service)}))`),
    ...Object.entries(spec.durableObjects).map(([name, d]) => `(name = ${q(name)}, durableObjectNamespace = (className = ${q(d.className)}))`),
    ...(spec.assets ? ['(name = "ASSETS", service = "assets")'] : []),
  ]
  const classes = Object.values(spec.durableObjects)
  const namespaces = [...new Map(classes.map((d) => [d.className, d])).values()].map(
    (d) => `(className = ${q(d.className)}, uniqueKey = ${q(`${spec.name}-${d.className}`)}${d.sql ? ', enableSql = true' : ''})`,
  )
  const compat = `compatibilityDate = ${q(spec.compatibilityDate)}, compatibilityFlags = [${spec.compatibilityFlags.map(q).join(', ')}]`
  const mainWorker = [
    `modules = [${spec.modules.map((m) => `(name = ${q(m.name)}, esModule = embed ${q(`modules/${m.name}`)})`).join(', ')}]`,
    compat,
    `bindings = [${bindings.join(',\n      ')}]`,
    // SQLite-backed Durable Objects need on-disk storage in workerd (in-memory storage has no SQL).
    ...(namespaces.length ? [`durableObjectNamespaces = [${namespaces.join(', ')}]`, 'durableObjectStorage = (localDisk = "do-storage")'] : []),
    // workerd's default outbound refuses private and loopback addresses; the Upstash-protocol
    // server of the events rows listens on 127.0.0.1.
    ...(spec.localOutbound ? ['globalOutbound = "loopback"'] : []),
  ]
  const services = [
    `(name = "main", worker = (\n    ${mainWorker.join(',\n    ')}\n  ))`,
    ...kvServices.map((k) => `(name = ${q(k.service)}, worker = (modules = [(name = "kv.mjs", esModule = embed "kv-service.mjs")], ${compat}))`),
    ...(spec.localOutbound ? ['(name = "loopback", network = (allow = ["public", "private", "local"]))'] : []),
    ...(namespaces.length ? [`(name = "do-storage", disk = (path = ${q(storage)}, writable = true))`] : []),
    // The ASSETS binding: workerd's disk service answers a GET with the file at that path.
    ...(spec.assets ? [`(name = "assets", disk = (path = ${q(spec.assets)}))`] : []),
  ]
  const sockets = [
    `(name = "http", address = ${q(`127.0.0.1:${port}`)}, http = (), service = "main")`,
    // Each KV backend on its own port too, so run.mjs can read its request counts.
    ...kvServices
      .filter((k) => kvPorts[k.binding])
      .map((k) => `(name = ${q(k.service)}, address = ${q(`127.0.0.1:${kvPorts[k.binding]}`)}, http = (), service = ${q(k.service)})`),
  ]
  return `# Generated by tools/bench/runtimes.mjs for ${spec.name}; do not edit.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
  ${services.join(',\n  ')}
  ],
  sockets = [
    ${sockets.join(',\n    ')}
  ],
);
`
}

// Extra arguments for every bare workerd the bench starts, from BENCH_WORKERD_ARGS (space-separated),
// run in the Worker's directory under .bench/workerd/: e.g. `--async-trace trace.jsonl`, workerd's
// record of each request's turns, timers and I/O (docs/performance.md, "Sixteenth session").
const EXTRA_ARGS = (process.env.BENCH_WORKERD_ARGS ?? '').split(' ').filter(Boolean)

/**
 * Runs a spec on bare workerd (`workerd serve config.capnp`). With `inspectorPort`, workerd also
 * serves the Chrome DevTools protocol there (`--inspector-addr`), for `npm run bench -- --profile`.
 */
export async function startWorkerd(spec, { readyPath = '/', inspectorPort = null } = {}) {
  const dir = join(OUT_DIR, 'workerd', spec.name)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'modules'), { recursive: true })
  for (const m of spec.modules) {
    mkdirSync(dirname(join(dir, 'modules', m.name)), { recursive: true })
    copyFileSync(m.path, join(dir, 'modules', m.name))
  }
  copyFileSync(join(BENCH_DIR, 'kv-service.mjs'), join(dir, 'kv-service.mjs'))
  const storage = storageDir(spec, dir)
  rmSync(storage, { recursive: true, force: true })
  mkdirSync(storage, { recursive: true })
  const [port, ...others] = await freePorts(1 + spec.kv.length)
  const kvPorts = Object.fromEntries(spec.kv.map((binding, i) => [binding, others[i]]))
  writeFileSync(join(dir, 'config.capnp'), workerdConfig(spec, port, kvPorts, storage))

  const argv = ['serve', 'config.capnp', ...(inspectorPort ? [`--inspector-addr=127.0.0.1:${inspectorPort}`] : []), ...EXTRA_ARGS]
  const child = spawn(WORKERD_BIN, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited = null
  child.on('exit', (code, signal) => (exited = signal ?? code))
  const url = `http://127.0.0.1:${port}`
  const check = () => {
    if (exited !== null) throw new Error(`workerd exited (${exited}) while starting ${spec.name}:\n${output.trim()}`)
  }
  try {
    await waitForHttp(url + readyPath, { check })
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  return {
    url,
    label: 'workerd',
    pids: () => (exited === null ? [child.pid] : []),
    output: () => output,
    /** Request counts of each KV backend: { CONFIG: { get, put, delete, list } }. */
    async kvStats() {
      const out = {}
      for (const [binding, p] of Object.entries(kvPorts)) out[binding] = await (await fetch(`http://127.0.0.1:${p}/__bench/stats`)).json()
      return out
    },
    async stop() {
      if (exited !== null) return
      const done = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
      await done
      clearTimeout(timer)
      // Memory, not disk: nothing of it is kept after the run.
      if (spec.storage === 'tmpfs') rmSync(storage, { recursive: true, force: true })
    },
  }
}

/** wrangler 4.86's own miniflare (node_modules/wrangler/node_modules/miniflare), else the top-level one. */
export async function loadMiniflare() {
  let path
  try {
    path = createRequire(require.resolve('wrangler/package.json')).resolve('miniflare')
  } catch {
    path = require.resolve('miniflare')
  }
  const version = JSON.parse(readFileSync(join(path.slice(0, path.lastIndexOf('/dist/')), 'package.json'), 'utf8')).version
  return { ...(await import(pathToFileURL(path).href)), version }
}

/** Runs a spec on Miniflare, in this process (the load generator runs in a child process). */
export async function startMiniflare(spec, { readyPath = '/' } = {}) {
  const { Miniflare, Log, LogLevel, Response } = await loadMiniflare()
  const entry = spec.modules[0]
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: await freePort(),
    log: new Log(LogLevel.WARN),
    cf: false, // Miniflare's fallback `request.cf`, never a network fetch
    name: spec.name,
    scriptPath: entry.path,
    modules: true,
    modulesRoot: dirname(entry.path),
    compatibilityDate: spec.compatibilityDate,
    compatibilityFlags: spec.compatibilityFlags,
    bindings: spec.vars,
    kvNamespaces: spec.kv,
    durableObjects: Object.fromEntries(Object.entries(spec.durableObjects).map(([name, d]) => [name, { className: d.className, useSQLite: !!d.sql }])),
    // The ASSETS binding: a GET answers with the file at that path under spec.assets.
    ...(spec.assets ? { serviceBindings: { ASSETS: (request) => assetFile(Response, spec.assets, request) } } : {}),
  })
  const url = (await mf.ready).origin
  await waitForHttp(url + readyPath)
  return {
    url,
    label: 'Miniflare',
    // workerd child(ren) of this process plus this process itself (Miniflare's Node side).
    pids: () => [process.pid, ...childPids(process.pid).filter((pid) => comm(pid) === 'workerd')],
    output: () => '',
    kvStats: async () => null, // Miniflare's own KV implementation: not instrumented
    stop: () => mf.dispose(),
  }
}

function childPids(pid) {
  const out = []
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim()
      if (list) out.push(...list.split(/\s+/).map(Number))
    }
  } catch {}
  return out
}

function comm(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return ''
  }
}

const CLK_TCK = 100 // Linux USER_HZ; /proc/<pid>/stat times are in these ticks

/** Total user+system CPU seconds of the given processes (Linux /proc; 0 elsewhere). */
export function cpuSeconds(pids) {
  let ticks = 0
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks += Number(fields[11]) + Number(fields[12]) // utime, stime (fields 14 and 15 of stat)
    } catch {}
  }
  return ticks / CLK_TCK
}

/**
 * Times the processes' main threads have stopped to wait so far (`voluntary_ctxt_switches` in
 * /proc/<pid>/status, which counts the main thread only: workerd's runs the Worker's JavaScript).
 * Under load an event loop rarely waits for work, so what it counts is the thread blocking in a
 * call, such as a Durable Object's storage flush: time that CPU columns and profiles do not show
 * (docs/performance.md, "Fourteenth session").
 */
export function threadStops(pids) {
  let stops = 0
  for (const pid of pids) {
    try {
      stops += Number(/^voluntary_ctxt_switches:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
    } catch {}
  }
  return stops
}

/** CPU seconds used machine-wide so far (/proc/stat, all CPUs, excluding idle and iowait). */
export function machineBusySeconds() {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/)
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number)
    return (user + nice + system + irq + softirq + steal) / CLK_TCK
  } catch {
    return 0
  }
}

/** A file of an assets directory as Miniflare's Response (404 when there is none). */
function assetFile(Response, dir, request) {
  try {
    return new Response(readFileSync(join(dir, decodeURIComponent(new URL(request.url).pathname))))
  } catch {
    return new Response('not found', { status: 404 })
  }
}
