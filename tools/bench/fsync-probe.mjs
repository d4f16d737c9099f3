#!/usr/bin/env node
// How long this machine's disk takes to flush a small write: `node tools/bench/fsync-probe.mjs [dir]`
// writes 4 KiB and fsyncs, 200 times, in `dir` (default .bench/), and prints the percentiles.
// workerd flushes each commit of a SQLite-backed Durable Object this way, on the thread that also
// runs the Worker, so the bench's rows with the counter objects' files on disk pay it once a
// counter call (docs/performance.md, "Fourteenth session").
import { closeSync, fsyncSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { OUT_DIR } from './bindings.mjs'

const dir = process.argv[2] ?? OUT_DIR
mkdirSync(dir, { recursive: true })
const file = join(dir, `fsync-probe-${process.pid}.bin`)
const fd = openSync(file, 'w')
const times = []
try {
  for (let i = 0; i < 200; i++) {
    writeSync(fd, randomBytes(4096), 0, 4096, (i % 16) * 4096)
    const t0 = process.hrtime.bigint()
    fsyncSync(fd)
    times.push(Number(process.hrtime.bigint() - t0) / 1000)
  }
} finally {
  closeSync(fd)
  rmSync(file, { force: true })
}
times.sort((a, b) => a - b)
const at = (q) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))])
console.log(`fsync of a 4 KiB write in ${dir}: p50 ${at(0.5)} µs, p90 ${at(0.9)} µs, p99 ${at(0.99)} µs (200 flushes)`)
