#!/usr/bin/env node
// `node tools/bench/wait-cost/run.mjs`: what waiting costs workerd's CPU, apart from any work
// (docs/performance.md, "Where a new visitor's exposure write goes"). Three hello-world Workers
// (workers.mjs): one answers at once, one answers at once and stays alive 3 ms (waitUntil), one
// waits 3 ms and then answers. Each runs alone in bare workerd under autocannon (50 connections,
// 2 s warm-up, 4 s measured), five rounds in rotation; prints req/s and workerd's CPU µs per request.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { helloWorker, OUT_DIR } from '../bindings.mjs'
import { cpuSeconds, startWorkerd } from '../runtimes.mjs'
import * as workers from './workers.mjs'

const autocannon = createRequire(import.meta.url).resolve('autocannon/autocannon.js')
const dir = join(OUT_DIR, 'wait-cost')
mkdirSync(dir, { recursive: true })
for (const round of [1, 2, 3, 4, 5]) {
  for (const variant of ['now', 'after', 'before']) {
    const path = join(dir, `${variant}.mjs`)
    writeFileSync(path, workers[variant])
    const rt = await startWorkerd({ ...helloWorker(), name: `wait-${variant}`, modules: [{ name: 'hello.mjs', path }] }, { readyPath: '/' })
    try {
      spawnSync(process.execPath, [autocannon, '-c', '50', '-d', '2', `${rt.url}/`], { stdio: 'ignore' })
      const cpuBefore = cpuSeconds(rt.pids())
      const out = spawnSync(process.execPath, [autocannon, '-c', '50', '-d', '4', '-j', `${rt.url}/`], { encoding: 'utf8' })
      const cpu = cpuSeconds(rt.pids()) - cpuBefore
      const { requests } = JSON.parse(out.stdout)
      console.log(`round ${round}  ${variant.padEnd(6)} ${Math.round(requests.average).toLocaleString('en-US').padStart(7)} req/s  ${((cpu / requests.total) * 1e6).toFixed(1).padStart(6)} µs/req`)
    } finally {
      await rt.stop()
    }
  }
}
