// A minimal Chrome DevTools protocol client for workerd's inspector (`--inspector-addr`), over the
// WebSocket client of undici (installed with wrangler/miniflare; Node 20 has no global WebSocket).

import { createRequire } from 'node:module'
import { join } from 'node:path'
import { ROOT } from './bindings.mjs'

/** undici's WebSocket from node_modules (the top-level copy, else wrangler's). */
function loadWebSocket() {
  const require = createRequire(join(ROOT, 'package.json'))
  for (const from of [ROOT, join(ROOT, 'node_modules', 'wrangler')]) {
    try {
      return createRequire(join(from, 'package.json'))('undici').WebSocket
    } catch {}
  }
  if (globalThis.WebSocket) return globalThis.WebSocket
  throw new Error(`no WebSocket client: undici is not in node_modules (${require.resolve.paths('undici')?.[0]})`)
}

/** The debugger URL of a workerd service's isolate, from the inspector's `/json` target list. */
export async function inspectorTarget(inspectorPort, service = 'main') {
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()
      const target = targets.find((t) => t.id === service) ?? targets[0]
      if (target?.webSocketDebuggerUrl) return target.webSocketDebuggerUrl
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`workerd's inspector on port ${inspectorPort} did not answer: ${error.message}`)
    }
    if (Date.now() > deadline) throw new Error(`workerd's inspector on port ${inspectorPort} lists no target "${service}"`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** Connects to a CDP WebSocket; returns { send(method, params) → result, close() }. */
export async function connectCdp(url) {
  const WebSocket = loadWebSocket()
  const ws = new WebSocket(url)
  const pending = new Map()
  let nextId = 1
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true })
    ws.addEventListener('error', (e) => reject(new Error(`cannot connect to ${url}: ${e.message ?? e.error?.message ?? 'WebSocket error'}`)), { once: true })
  })
  ws.addEventListener('message', (event) => {
    const msg = JSON.parse(typeof event.data === 'string' ? event.data : Buffer.from(event.data).toString('utf8'))
    const waiter = msg.id != null && pending.get(msg.id)
    if (!waiter) return // events (Debugger.scriptParsed, console messages…) are not needed
    pending.delete(msg.id)
    if (msg.error) waiter.reject(new Error(`${waiter.method}: ${msg.error.message ?? JSON.stringify(msg.error)}`))
    else waiter.resolve(msg.result)
  })
  ws.addEventListener('close', () => {
    for (const w of pending.values()) w.reject(new Error(`${w.method}: inspector connection closed`))
    pending.clear()
  })
  return {
    send(method, params = {}) {
      const id = nextId++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject, method })
        ws.send(JSON.stringify({ id, method, params }))
      })
    },
    close: () => ws.close(),
  }
}
