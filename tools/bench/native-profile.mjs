// `npm run bench -- --native <scenario>`: where workerd's own CPU goes under a scenario's load, by
// Linux perf (call graphs of the whole process: V8, workerd's C++, SQLite, the kernel), sorted
// by side (the Worker, the Durable Object it calls) into the parts the V8 profiler cannot see or
// cannot name: SQLite statements and commits, RPC, garbage collection, sockets. The V8 CPU profile (`--profile`) samples only
// while JavaScript runs, so a commit made between two events, or GC on a helper thread, is
// invisible to it; this view counts every CPU cycle of the process.

import { spawn, spawnSync } from 'node:child_process'
import { statSync } from 'node:fs'

/** perf's sampling frequency, Hz (a sample every ~1 ms of CPU per thread). */
const FREQUENCY = 999

/**
 * Parts, by the symbol of a frame (anchored at its start: template arguments name other types).
 * A sample in GC is GC; any other belongs to the part of the frame nearest its leaf that matches
 * one, so a commit inside a statement counts as commit and JavaScript (JIT code has no symbol:
 * `[unknown]`) as JavaScript wherever it runs.
 */
const PARTS = [
  ['garbage collection', /^(v8::internal::(Heap::CollectGarbage|Heap::Scavenge|ScavengerCollector|MinorGCJob|MarkCompactCollector|ConcurrentMarking|IncrementalMarking)|cppgc::internal::(Sweeper|Marker|ConcurrentMarker)|workerd::jsg::HeapTracer::clearWrappers)/],
  ['SQLite commits (WAL frames, fsync, checkpoint)', /^(vdbeCommit|sqlite3PagerCommitPhaseOne|pagerWalFrames|sqlite3WalFrames|walCheckpoint|sqlite3WalCheckpoint|fsync|fdatasync)\b/],
  ['SQLite statements (B-tree, binding)', /^(sqlite3|workerd::SqliteDatabase::|workerd::api::SqlStorage)/],
  ['timers', /^workerd::(api::ServiceWorkerGlobalScope::(setTimeout|clearTimeout|setTimeoutInternal)|TimerChannel|IoContext::TimeoutManager)/],
  ['streams and bodies', /^workerd::api::(ReadableStream|WritableStream|IdentityTransformStream|ReadableStreamInternalController|WritableStreamInternalController|Body::|.*pumpTo)/],
  ['Request, Response, Headers objects', /^workerd::api::(Response|Request|Headers)::/],
  ['subrequests (fetch)', /^workerd::api::(fetch|.*fetchImpl)/],
  ['RPC (serialising, dispatch, gates)', /^(workerd::api::(JsRpc|\(anonymous namespace\)::(de)?serializeJsValue|DurableObject)|workerd::(ActorSqlite|ActorCache|InputGate|OutputGate)::)/],
  ['kernel network (TCP, epoll)', /^(tcp_|sock_|__libc_recv|__libc_send|__sys_recvfrom|__sys_sendto|__sys_sendmsg|__x64_sys_(recvfrom|sendto|sendmsg|epoll)|ep_poll|epoll_wait|inet_)/],
  ['memory allocation (tcmalloc, page faults)', /^(tcmalloc|TCMalloc|asm_exc_page_fault|exc_page_fault|__madvise|__mmap|__munmap)/],
  ['JavaScript (JIT code, V8)', /^(\[unknown\]|Builtins_|v8::)/],
  ['HTTP server (kj, hyper)', /^(kj::(HttpServer|_::HttpInput|_::HttpOutput|.*Http)|<?workerd_server::listen|hyper::|<hyper::)/],
]
const OTHER = 'other (event loop, workerd internals)'
// Frames of a call into a Durable Object: what runs under them is the object's, not the Worker's.
const OBJECT = /^(workerd::api::JsRpcTargetBase::|workerd::ActorSqlite::)/

/** Whether `perf` can record here; the reason when it cannot. */
export function perfProblem() {
  const r = spawnSync('perf', ['--version'], { encoding: 'utf8' })
  if (r.error || r.status !== 0) return 'perf is not installed (apt-get install -y linux-perf)'
  return null
}

/** Starts recording the process `pid` with call graphs into `file`; stop() ends it and resolves once written. */
export function recordNative(pid, file) {
  const child = spawn('perf', ['record', '-F', String(FREQUENCY), '-g', '-p', String(pid), '-o', file, '-q'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  child.stderr.on('data', (c) => (err += c))
  const exited = new Promise((resolve) => child.on('close', resolve))
  return {
    async stop() {
      child.kill('SIGINT')
      const code = await exited
      if (code !== 0 && code !== null) throw new Error(`perf record exited ${code}: ${err.trim()}`)
    },
  }
}

/**
 * Samples of a perf.data file sorted by side (the Worker, the Durable Object it calls) and PARTS: [{ name, samples, share }], largest first,
 * and the thread names' shares (workerd's main thread against V8's helpers).
 */
export function nativeBreakdown(file) {
  const out = spawnSync('perf', ['script', '-i', file, '-F', 'comm,ip,sym', '--no-inline'], { encoding: 'utf8', maxBuffer: 1 << 30 })
  if (out.status !== 0) throw new Error(`perf script failed: ${out.stderr}`)
  return breakdownOf(out.stdout)
}

/** The breakdown of `perf script -F comm,ip,sym` output: one block per sample, a thread name then frames leaf first. */
export function breakdownOf(script) {
  const counts = new Map()
  const threads = new Map()
  let total = 0
  for (const block of script.split('\n\n')) {
    const lines = block.split('\n').filter(Boolean)
    if (!lines.length) continue
    const comm = lines[0].trim().split(/\s+/)[0]
    const frames = lines.slice(1).map((l) => l.trim().replace(/^[0-9a-f]+\s+/, ''))
    // GC first, wherever it is on the chain: its own frames are V8's and would read as JavaScript.
    let part = frames.some((f) => PARTS[0][1].test(f)) ? PARTS[0][0] : OTHER
    if (part === OTHER) for (const f of frames) {
      const found = PARTS.find(([, re]) => re.test(f))
      if (found) {
        part = found[0]
        break
      }
    }
    const name = `${frames.some((f) => OBJECT.test(f)) ? 'Durable Object' : 'Worker'}: ${part}`
    counts.set(name, (counts.get(name) ?? 0) + 1)
    threads.set(comm, (threads.get(comm) ?? 0) + 1)
    total++
  }
  const rows = [...counts].map(([name, samples]) => ({ name, samples, share: samples / total })).sort((a, b) => b.samples - a.samples)
  return { total, rows, threads: [...threads].map(([name, samples]) => ({ name, share: samples / total })).sort((a, b) => b.share - a.share) }
}

/** Prints the breakdown with µs per request, given workerd's CPU seconds and the requests of the run. */
export function printNative(scenario, { file, total, rows, threads }, { cpu, requests, path, stops }) {
  const perRequest = (share) => (requests ? ((share * cpu * 1e6) / requests).toFixed(1) : '—')
  console.log(`\nWhere workerd's CPU goes under "${scenario}" (GET ${path}), bare workerd, perf at ${FREQUENCY} Hz with call graphs`)
  console.log(`${requests} requests; workerd used ${cpu.toFixed(2)} CPU s (/proc): ${perRequest(1)} µs per request; ${total} samples in ${file}`)
  console.log(`Threads: ${threads.map((t) => `${t.name} ${(t.share * 100).toFixed(1)}%`).join(', ')}`)
  // Off-CPU: perf samples running code, so a thread blocked in a call (a storage flush) is not in the parts below.
  if (stops !== undefined && requests) console.log(`Main thread stopped ${stops} times (voluntary context switches, /proc): ${((stops / requests) * 1000).toFixed(1)} per 1,000 requests; that waiting is not in the parts below`)
  console.log('')
  const w = Math.max(...rows.map((r) => r.name.length))
  console.log(`${'part'.padEnd(w)}  ${'share'.padStart(6)}  ${'µs/req'.padStart(7)}`)
  console.log(`${'─'.repeat(w)}  ${'─'.repeat(6)}  ${'─'.repeat(7)}`)
  for (const r of rows) console.log(`${r.name.padEnd(w)}  ${`${(r.share * 100).toFixed(1)}%`.padStart(6)}  ${perRequest(r.share).padStart(7)}`)
  console.log('\nA sample goes to the part of the frame nearest its leaf that has one, and to the Durable Object when it runs under a call into one (tools/bench/native-profile.mjs, PARTS).')
  console.log(`Open it whole with: perf report -i ${file} --children`)
}

/** Whether perf wrote anything to `file`. */
export function recorded(file) {
  try {
    return statSync(file).size > 0
  } catch {
    return false
  }
}
