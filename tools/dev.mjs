#!/usr/bin/env node
// `npm run dev`: the whole product on http://127.0.0.1:8787 — wrangler dev with ENVIRONMENT=development
// (admin open without a token, the seed-001 demo experiments created on first start) and local
// KV/Durable Object state persisted in .wrangler/state, so edits survive restarts.
// Extra arguments are passed to wrangler (e.g. `npm run dev -- --port 9000`).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const wrangler = require.resolve('wrangler/bin/wrangler.js')

/**
 * Starts wrangler dev with the development variables plus any extra `--var` pairs.
 * @param {{ vars?: Record<string, string>, args?: string[], port?: number, stdio?: import('node:child_process').StdioOptions }} [options]
 * @returns {import('node:child_process').ChildProcess}
 */
export function startDev({ vars = {}, args = [], port = 8787, stdio = 'inherit' } = {}) {
  // A `--port N` among the extra arguments wins over the default (wrangler refuses two).
  const i = args.findIndex((a) => a === '--port' || a.startsWith('--port='))
  if (i >= 0) {
    port = Number(args[i].includes('=') ? args[i].split('=')[1] : args[i + 1])
    args = args.filter((_, k) => k !== i && !(k === i + 1 && !args[i].includes('=')))
  }
  const varArgs = Object.entries({ ENVIRONMENT: 'development', ...vars }).flatMap(([k, v]) => ['--var', `${k}:${v}`])
  return spawn(process.execPath, [wrangler, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--show-interactive-dev-session=false', ...varArgs, ...args], {
    stdio,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const child = startDev({ args: process.argv.slice(2) })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}
