#!/usr/bin/env node
// `node tools/bench/sqlite-keys/run.mjs`: what a new unit costs the counter shard's SQLite when
// unit ids arrive at random (the site's visitor ids are UUIDs) against in order (the assign rows'
// `?unit=<prefix><n>` ids). Bare workerd, on-disk Durable Object storage as in `npm run bench`;
// each object is first filled with 300,000 units, then 400 calls of 64 new units each are timed
// one at a time from here (wall) and by workerd's CPU time (/proc). Prints µs per call and per unit.
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
  await waitForHttp(`http://127.0.0.1:${port}/?order=sequential&n=0`)
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const call = (order, n) => new Promise((resolve, reject) => httpGet({ host: '127.0.0.1', port, path: `/?order=${order}&n=${n}`, agent }, (r) => (r.resume(), r.on('end', resolve))).on('error', reject))
  const cpuTicks = () => readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ').slice(11, 13).reduce((a, b) => a + Number(b), 0)
  const orders = ['random', 'sequential']
  for (const order of orders) for (let i = 0; i < 600; i++) await call(order, 500)
  console.log('| unit ids | µs per call (wall) | workerd CPU µs per call | CPU µs per new unit |\n|---|--:|--:|--:|')
  for (let round = 0; round < 2; round++) {
    for (const order of orders) {
      const calls = 400
      const c0 = cpuTicks()
      const t0 = process.hrtime.bigint()
      for (let i = 0; i < calls; i++) await call(order, 64)
      const wall = Number(process.hrtime.bigint() - t0) / 1e3 / calls
      const cpu = ((cpuTicks() - c0) * 1e4) / calls // clock ticks of 10 ms
      console.log(`| ${order}, 64 per call, table of 300k | ${wall.toFixed(0)} | ${cpu.toFixed(0)} | ${(cpu / 64).toFixed(1)} |`)
    }
  }
} finally {
  child.kill()
}
