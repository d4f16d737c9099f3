#!/usr/bin/env node
// `node tools/bench/sqlite-keys/run.mjs`: what a new unit exposed to ten pooled experiments costs
// the counter shard's SQLite, with one row per unit and experiment against one row per unit
// (worker.mjs), when unit ids arrive at random (an API caller's user ids) against in order (the
// assign rows' `?unit=<prefix><n>` ids, the site's UUIDv7 visitor ids). Bare workerd, on-disk
// Durable Object storage as in `npm run bench`; each object is first filled with 30,000 units
// (300,000 records), then 200 calls of 50 new units each are timed one at a time from here (wall)
// and by workerd's CPU time (/proc). Prints µs per call and per record (unit and experiment).
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs'
import { Agent, get as httpGet } from 'node:http'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { OUT_DIR } from '../bindings.mjs'
import { freePort, waitForHttp, WORKERD_BIN } from '../runtimes.mjs'

const dir = join(OUT_DIR, 'sqlite-keys')
rmSync(dir, { recursive: true, force: true })
mkdirSync(join(dir, 'do-storage'), { recursive: true })
copyFileSync(new URL('./worker.mjs', import.meta.url), join(dir, 'worker.mjs'))
const port = await freePort()
writeFileSync(
  join(dir, 'config.capnp'),
  `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = (modules = [(name = "worker.mjs", esModule = embed "worker.mjs")], compatibilityDate = "2025-09-01",
      bindings = [(name = "UNITS", durableObjectNamespace = (className = "Units"))],
      durableObjectNamespaces = [(className = "Units", uniqueKey = "units", enableSql = true)],
      durableObjectStorage = (localDisk = "do-storage"))),
    (name = "do-storage", disk = (path = "do-storage", writable = true)) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ]);
`,
)
const child = spawn(WORKERD_BIN, ['serve', 'config.capnp'], { cwd: dir, stdio: 'ignore' })
try {
  await waitForHttp(`http://127.0.0.1:${port}/?layout=unit-rows&order=sequential&units=0`)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const call = ([layout, order], units) =>
    new Promise((resolve, reject) => httpGet({ host: '127.0.0.1', port, path: `/?layout=${layout}&order=${order}&units=${units}`, agent }, (r) => (r.resume(), r.on('end', resolve))).on('error', reject))
  const cpuTicks = () => readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0)
  const modes = ['scope-rows', 'unit-rows'].flatMap((layout) => ['random', 'sequential'].map((order) => [layout, order]))
  for (const mode of modes) for (let i = 0; i < 60; i++) await call(mode, 500)
  console.log('| layout, unit ids | µs per call (wall) | workerd CPU µs per call | CPU µs per record |\n|---|--:|--:|--:|')
  for (let round = 0; round < 2; round++) {
    for (const mode of modes) {
      const calls = 200
      const c0 = cpuTicks()
      const t0 = process.hrtime.bigint()
      for (let i = 0; i < calls; i++) await call(mode, 50)
      const wall = Number(process.hrtime.bigint() - t0) / 1e3 / calls
      const cpu = ((cpuTicks() - c0) * 1e4) / calls // clock ticks of 10 ms
      console.log(`| ${mode.join(', ')}, 50 units × 10 experiments per call | ${wall.toFixed(0)} | ${cpu.toFixed(0)} | ${(cpu / 500).toFixed(1)} |`)
    }
  }
} finally {
  child.kill()
}
