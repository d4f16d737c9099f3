// `npm run simulate -- --scale`: the capacity model of docs/scale.md. Bundles
// tools/simulate/scale-worker.ts (the real store code) with esbuild, runs it in workerd through
// Miniflare with real SQLite CounterShard objects (in-memory), and prints, for V = 1k, 10k and 100k
// page views a second, the writes each shard and the store receive, the round trips per page view,
// KV writes a minute and Upstash commands a second.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..', '..')

const USAGE = `npm run simulate -- --scale [options]
  --shards N        shards per experiment (default: what a new experiment declaring traffic V gets,
                    one per 2,500 page views/s, 1 to 48)
  --write W         confirm: the site's write beside the origin fetch, through the per-isolate
                    confirm buffer (CONFIRM_DELAY_MS), acknowledged in the response (default); buffered: /v1/assign's
                    per-isolate buffer, written 20 ms after its first exposure
  --unacked U       share of first responses that leave before the store acknowledged (confirm;
                    their next visit writes again; default 0.05)
  --layout L        pooled: the counter objects new experiments get, shard i of every experiment in
                    one object (default); own: objects per experiment shard (experiments created
                    before pooling)
  --returning P     share of page views by returning visitors (default 0.7)
  --experiments E   running experiments on every page (default 3)
  --per-isolate R   page views a second each isolate serves; I = V / R (default 250)
  --config C        config changes a minute reaching the ConfigWriter (default 120: a burst-heavy minute)
  --views V,…       page views a second to model (default 1000,10000,100000)
  --seed S          seed (default scale)`

/** Runs the scale model; resolves to the process exit code. */
export async function runScaleCli(argv) {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv.filter((a) => a !== '--scale'),
      strict: true,
      options: {
        shards: { type: 'string' },
        write: { type: 'string', default: 'confirm' },
        unacked: { type: 'string', default: '0.05' },
        layout: { type: 'string', default: 'pooled' },
        returning: { type: 'string', default: '0.7' },
        experiments: { type: 'string', default: '3' },
        'per-isolate': { type: 'string', default: '250' },
        config: { type: 'string', default: '120' },
        views: { type: 'string', default: '1000,10000,100000' },
        seed: { type: 'string', default: 'scale' },
        help: { type: 'boolean' },
      },
    }))
  } catch (error) {
    console.error(`simulate --scale: ${error.message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) return console.log(USAGE), 0
  const num = (name, min, max) => {
    const n = Number(values[name])
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}`)
    return n
  }
  let shards, returning, experiments, perIsolate, config, views, unacked
  const write = values.write
  const layout = values.layout
  try {
    shards = values.shards === undefined ? null : num('shards', 1, 48)
    if (write !== 'confirm' && write !== 'buffered') throw new Error('--write must be confirm or buffered')
    if (layout !== 'pooled' && layout !== 'own') throw new Error('--layout must be pooled or own')
    unacked = num('unacked', 0, 1)
    returning = num('returning', 0, 0.99)
    experiments = num('experiments', 1, 20)
    perIsolate = num('per-isolate', 1, 1e6)
    config = num('config', 0, 1e6)
    views = values.views.split(',').map((v) => Number(v))
    if (views.some((v) => !Number.isFinite(v) || v < 1 || v > 1e6)) throw new Error('--views must be numbers from 1 to 1000000')
  } catch (error) {
    console.error(`simulate --scale: ${error.message}\n\n${USAGE}`)
    return 2
  }

  const outfile = join(root, 'node_modules', '.cache', 'edgesplit-simulate', 'scale-worker.mjs')
  mkdirSync(dirname(outfile), { recursive: true })
  const esbuild = await import('esbuild')
  await esbuild.build({ entryPoints: [join(here, 'scale-worker.ts')], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', external: ['cloudflare:*'], outfile, logLevel: 'error' })
  const { Miniflare, Log, LogLevel } = await import('miniflare')
  const { convertV4MiniflareOptions } = await import('miniflare')
  // Miniflare 5 takes its options in a new shape; it converts the classic one.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      scriptPath: outfile,
      compatibilityDate: '2026-04-20',
      durableObjects: { COUNTERS: { className: 'CounterShard', useSQLite: true } },
      cf: false,
      log: new Log(LogLevel.WARN),
    }),
  )
  const rows = []
  try {
    for (const V of views) {
      // Two seconds of traffic, at most 50,000 page views (half a second at 100k/s): per-shard
      // rates over a shorter window overstate the busiest shard with sampling noise.
      const seconds = Math.min(2, 50000 / V)
      const isolates = Math.max(1, Math.round(V / perIsolate))
      const params = { pageViews: V, returning, experiments, isolates, shards, write, unacked, pooled: layout === 'pooled', seconds, configChangesPerMinute: config, seed: values.seed }
      const started = Date.now()
      const res = await mf.dispatchFetch('http://scale.sim/', { method: 'POST', body: JSON.stringify(params) })
      const row = await res.json()
      if (!res.ok) throw new Error(row.error)
      process.stderr.write(`V=${V}: ${Math.round(V * seconds)} page views modelled in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
      rows.push(row)
    }
  } finally {
    await mf.dispose()
  }
  print(rows, { shards, returning, experiments, perIsolate, config, write, unacked, layout })
  const worst = Math.max(...rows.map((r) => r.requestsPerShardMax))
  const kv = Math.max(...rows.map((r) => r.kvWritesPerMinute))
  console.log(`\nBusiest shard: ${Math.round(worst)} requests/s, all writes (limit ~1,000 requests/s per Durable Object); KV: ${kv} writes/min (limit 60: 1 write/s per key).`)
  return worst <= 1000 && kv <= 60 ? 0 : 1
}

function print(rows, o) {
  const f = (n, d = 0) => (n >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(d))
  const how =
    o.write === 'confirm'
      ? `exposures written beside the origin fetch through per-isolate confirm buffers (CONFIRM_DELAY_MS), ${Math.round(o.unacked * 100)}% of first responses unacknowledged`
      : 'exposures through per-isolate buffers written 20 ms after their first exposure'
  const shards = `${o.shards === null ? 'shards sized from V (one per 2,500 views/s)' : `${o.shards} shards`}, ${o.layout === 'pooled' ? 'pooled counter objects (shard i of every experiment in one)' : 'counter objects per experiment shard'}`
  console.log(`Capacity model: ${o.experiments} experiments, ${shards}, ${Math.round(o.returning * 100)}% returning page views, one isolate per ${o.perIsolate} page views/s, ${how}, ${o.config} config changes/min\n`)
  const head = ['V (views/s)', 'shards', 'isolates', 'new units/s', 'writes/s busiest shard', 'writes/s mean shard', 'requests/s busiest shard', 'store writes/s', 'store requests/s', 'round trips/view (beside origin)', 'round trips/view (after response)', 'Upstash cmds/s', 'KV writes/min']
  const body = rows.map((r) => [
    f(r.pageViews),
    f(r.shards),
    f(r.isolates),
    f(r.newUnits),
    f(r.writesPerShardMax),
    f(r.writesPerShardMean),
    f(r.requestsPerShardMax),
    f(r.storeWrites),
    f(r.storeRequests),
    r.roundTripsBesideOrigin.toFixed(3),
    r.roundTripsAfterResponse.toFixed(3),
    f(r.upstashCommands),
    f(r.kvWritesPerMinute),
  ])
  console.log(`| ${head.join(' | ')} |\n|${head.map(() => '--:').join('|')}|\n${body.map((r) => `| ${r.join(' | ')} |`).join('\n')}`)
}
