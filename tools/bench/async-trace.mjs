#!/usr/bin/env node
// Reads workerd's async traces (`--async-trace`, passed through BENCH_WORKERD_ARGS) of a Worker and
// of the origin it fetches from, as `origin-latency` leaves them in .bench/workerd/<name>/, and
// compares the page requests that made a counter call (new visitors) with those that made none
// (returning visitors): when the Worker called fetch(), how long the origin itself took, and how
// much later than the call the origin saw the request (docs/performance.md, "Sixteenth session").
//
//   node tools/bench/async-trace.mjs <worker trace.jsonl> <origin trace.jsonl> [url substring]

import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/**
 * One trace's events, indexed: `header` (its clock's Unix ms at 0), and per `ctx:id` the `init`
 * record, its `settle` time and its annotations (`url.full`, `delayMs`…). Times are ns.
 */
export function indexTrace(text) {
  const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l))
  const header = lines.find((e) => e.e === 'header')
  const contexts = new Map()
  const inits = new Map()
  const settled = new Map()
  const notes = new Map()
  for (const e of lines) {
    const key = `${e.ctx}:${e.id}`
    if (e.e === 'ctx') contexts.set(e.ctx, e)
    else if (e.e === 'init') inits.set(key, e)
    else if (e.e === 'settle') settled.set(key, e.at)
    else if (e.e === 'annotate') notes.set(key, { ...notes.get(key), [e.k]: e.v })
  }
  return { epochMs: header?.epochUnixMs ?? 0, contexts, inits, settled, notes }
}

/**
 * The Worker's fetches whose URL contains `match`, each with `called` (Unix ms), `took` (µs from
 * the call to the answer) and `stored` (whether its request also made a counter call, jsRpcCall).
 */
export function workerFetches(trace, match) {
  const calls = new Set([...trace.inits.values()].filter((e) => e.name === 'jsRpcCall').map((e) => e.ctx))
  const out = []
  for (const [key, e] of trace.inits) {
    if (e.kind !== 'operation' || e.name !== 'fetch' || !(trace.notes.get(key)?.['url.full'] ?? '').includes(match)) continue
    const end = trace.settled.get(key)
    if (end !== undefined) out.push({ called: trace.epochMs + e.at / 1e6, took: (end - e.at) / 1e3, stored: calls.has(e.ctx) })
  }
  return out
}

/** The origin's requests: `received` (Unix ms) and `took` (µs from its start to its answer). */
export function originRequests(trace) {
  const out = []
  for (const [key, e] of trace.inits) {
    if (e.kind !== 'request' || trace.contexts.get(e.ctx)?.actor) continue
    const end = trace.settled.get(key)
    if (end !== undefined) out.push({ received: trace.epochMs + e.at / 1e6, took: (end - e.at) / 1e3 })
  }
  return out.sort((a, b) => a.received - b.received)
}

/**
 * Pairs each Worker fetch with the origin request nearest in time (within 3 ms; requests go one at
 * a time) and gives medians per kind: { stored: {…}, plain: {…} } of `fetch` (the Worker's wait,
 * µs), `origin` (the origin's own time, µs) and `lateMs` (the origin's start minus the call, ms;
 * both processes' clocks, so only the difference between kinds means anything).
 */
export function compareKinds(fetches, requests) {
  const rows = { stored: [], plain: [] }
  for (const f of fetches) {
    let best = null
    for (const r of requests) if (!best || Math.abs(r.received - f.called) < Math.abs(best.received - f.called)) best = r
    if (best && Math.abs(best.received - f.called) <= 3) rows[f.stored ? 'stored' : 'plain'].push({ fetch: f.took, origin: best.took, lateMs: best.received - f.called })
  }
  const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null)
  const summary = (list) => ({ n: list.length, fetch: median(list.map((r) => r.fetch)), origin: median(list.map((r) => r.origin)), lateMs: median(list.map((r) => r.lateMs)) })
  return { stored: summary(rows.stored), plain: summary(rows.plain) }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [workerPath, originPath, match = 'origin_ms=10'] = process.argv.slice(2)
  if (!workerPath || !originPath) {
    console.error('usage: node tools/bench/async-trace.mjs <worker trace.jsonl> <origin trace.jsonl> [url substring]')
    process.exit(2)
  }
  const result = compareKinds(workerFetches(indexTrace(readFileSync(workerPath, 'utf8')), match), originRequests(indexTrace(readFileSync(originPath, 'utf8'))))
  for (const [kind, s] of Object.entries(result)) {
    const f = (x, d = 0) => (x === null ? '—' : x.toFixed(d))
    console.log(`${kind === 'stored' ? 'with a counter call' : 'without one'} (${s.n}): fetch ${f(s.fetch)} µs, origin's own time ${f(s.origin)} µs, origin started ${f(s.lateMs, 2)} ms after the call`)
  }
}
