#!/usr/bin/env node
// What one Durable Object call costs the thread that runs the Worker in bare workerd:
// `node tools/bench/do-call-probe.mjs`. A Worker (do-call-worker.mjs) answers requests one at a
// time with no call, with one call to an object that does nothing, and with one call that writes
// a row in a transaction; the three alternate in rounds, so a change in the machine's speed
// shifts them alike. Prints each one's p50 latency and workerd's CPU per request (/proc), with the
// objects' SQLite files on disk and in memory. In workerd the objects run on the Worker's own
// thread, so each call's cost is paid there; on Cloudflare it is not (docs/performance.md,
// "Fifteenth session").
import { BENCH_DIR, wranglerCompat } from './bindings.mjs'
import { cpuSeconds, startWorkerd } from './runtimes.mjs'
import { join } from 'node:path'

const ROUNDS = 5
const PER_ROUND = 500
const MODES = ['none', 'ping', 'write']

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

for (const storage of ['disk', 'tmpfs']) {
  const spec = { name: `do-call-probe-${storage}`, modules: [{ name: 'do-call-worker.mjs', path: join(BENCH_DIR, 'do-call-worker.mjs') }], ...wranglerCompat(), vars: {}, kv: [], durableObjects: { PROBE: { className: 'Probe', sql: true } }, ...(storage === 'tmpfs' ? { storage } : {}) }
  const rt = await startWorkerd(spec, { readyPath: '/' })
  try {
    const p50s = Object.fromEntries(MODES.map((m) => [m, []]))
    const cpu = Object.fromEntries(MODES.map((m) => [m, []]))
    for (let round = -1; round < ROUNDS; round++) {
      for (const mode of MODES) {
        const times = []
        const before = cpuSeconds(rt.pids())
        for (let i = 0; i < PER_ROUND; i++) {
          const t0 = performance.now()
          const res = await fetch(`${rt.url}/?m=${mode}&i=${i}`)
          await res.arrayBuffer()
          if (!res.ok) throw new Error(`${mode}: status ${res.status}`)
          times.push(performance.now() - t0)
        }
        // Round -1 warms the isolate and the objects up.
        if (round < 0) continue
        p50s[mode].push(median(times))
        cpu[mode].push(((cpuSeconds(rt.pids()) - before) / PER_ROUND) * 1e6)
      }
    }
    const line = (m) => `${m.padEnd(6)} p50 ${median(p50s[m]).toFixed(3)} ms, CPU ${median(cpu[m]).toFixed(0)} µs a request`
    console.log(`storage on ${storage === 'tmpfs' ? 'tmpfs (memory)' : 'disk'}, ${ROUNDS} rounds of ${PER_ROUND} requests one at a time (medians of the rounds):`)
    for (const m of MODES) console.log(`  ${line(m)}`)
    console.log(`  one call adds ${(median(cpu.ping) - median(cpu.none)).toFixed(0)} µs of CPU with no work, ${(median(cpu.write) - median(cpu.none)).toFixed(0)} µs with a one-row write`)
  } finally {
    await rt.stop()
  }
}
