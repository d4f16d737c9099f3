#!/usr/bin/env node
// Starts a throwaway redis-server plus the local Upstash REST server in front of it, for tests
// (vitest globalSetup) and `npm run dev:redis`.
//
//   node tools/upstash/redis-harness.mjs [--redis-port 6379] [--rest-port 8079] [--token dev-token] [--data-dir DIR]
//
// Port 0 (for either) means "pick a free one". Without --data-dir Redis runs with no persistence in
// a temp dir that is removed on stop; with --data-dir it keeps an append-only file there so dev
// data survives restarts. The CLI stays in the foreground until SIGINT/SIGTERM.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { findBinary, findDependency } from '../provision.mjs'
import { RespConnection, StatusReply, startUpstashServer } from './server.mjs'
import { isMain } from '../is-main.mjs'

/** Returns a TCP port on 127.0.0.1 that was free a moment ago (for binaries that cannot report an ephemeral port). */
export function getFreePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => resolvePort(typeof addr === 'object' && addr ? addr.port : 0))
    })
  })
}

/** Absolute path of the redis-server binary, or a thrown error saying how to install it. */
export function findRedisServer() {
  const path = findDependency('redis-server')
  if (!path) {
    throw new Error('redis-server not found on PATH or in /usr/bin. Run `node tools/provision.mjs redis-server` (or apt-get install redis-server).')
  }
  return path
}

async function waitForPing(port, child, output, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  let lastError
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited during startup (${child.signalCode ?? `code ${child.exitCode}`}):\n${output()}`)
    }
    try {
      const conn = await RespConnection.connect({ port, timeoutMs: 500 })
      try {
        // Something other than Redis may hold the port and accept without ever answering.
        const noReply = new Promise((_, reject) => setTimeout(() => reject(new Error('no reply to PING')), 500).unref())
        const [reply] = await Promise.race([conn.send([['PING']]), noReply])
        if (reply instanceof StatusReply && reply.value === 'PONG') return
        lastError = new Error(`unexpected PING reply ${JSON.stringify(reply)}`)
      } finally {
        conn.close()
      }
    } catch (err) {
      lastError = err
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms (${lastError?.message ?? 'no reply'}):\n${output()}`)
}

/**
 * Starts redis-server (bound to 127.0.0.1, waits for PING) and the Upstash REST server in front of it;
 * resolves to `{ restUrl, token, redisPort, restPort, server, stop() }`.
 */
export async function startRedisStack({ redisPort = 0, restPort = 0, token = 'dev-token', dataDir } = {}) {
  const binary = findRedisServer()
  const port = redisPort || (await getFreePort())
  const dir = dataDir ? resolve(dataDir) : mkdtempSync(join(tmpdir(), 'edgesplit-redis-'))
  if (dataDir) mkdirSync(dir, { recursive: true })
  const persistence = dataDir ? ['--appendonly', 'yes'] : ['--save', '', '--appendonly', 'no']
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning', ...persistence]

  // A killed test runner never reaches stop() or 'exit' handlers; setpriv (util-linux) makes the
  // kernel SIGTERM redis when we die, so no orphan keeps holding the port.
  const setpriv = process.platform === 'linux' ? findBinary('setpriv', ['/usr/bin/setpriv']) : null
  const [cmd, cmdArgs] = setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', binary, ...args]] : [binary, args]
  const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  const keep = (chunk) => {
    // Only the tail matters for startup errors; don't grow without bound in long dev sessions.
    log = (log + chunk.toString()).slice(-8192)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  // If this process dies without calling stop(), don't leave an orphaned redis-server holding the port.
  const killOnExit = () => {
    child.kill('SIGKILL')
    if (!dataDir) rmSync(dir, { recursive: true, force: true })
  }
  process.once('exit', killOnExit)
  const exited = new Promise((r) => child.once('exit', r))

  const cleanup = async () => {
    process.off('exit', killOnExit)
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
    if (!dataDir) rmSync(dir, { recursive: true, force: true })
  }

  let server
  try {
    await new Promise((r, j) => {
      child.once('spawn', r)
      child.once('error', j)
    })
    await waitForPing(port, child, () => log)
    server = await startUpstashServer({ port: restPort, redisPort: port, token })
  } catch (err) {
    await cleanup()
    throw err
  }

  let stopped
  return {
    restUrl: server.url,
    token,
    redisPort: port,
    restPort: server.port,
    server,
    /** Stops the REST server and redis-server and removes the temp dir; safe to call twice. */
    stop() {
      stopped ??= server.close().then(cleanup)
      return stopped
    },
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      'redis-port': { type: 'string', default: '6379' },
      'rest-port': { type: 'string', default: '8079' },
      token: { type: 'string', default: process.env.UPSTASH_REDIS_REST_TOKEN ?? 'dev-token' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log('usage: node tools/upstash/redis-harness.mjs [--redis-port 6379] [--rest-port 8079] [--token dev-token] [--data-dir DIR]')
    process.exit(0)
  }
  let stack
  try {
    stack = await startRedisStack({
      redisPort: Number(values['redis-port']),
      restPort: Number(values['rest-port']),
      token: values.token,
      dataDir: values['data-dir'],
    })
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    process.exit(1)
  }
  console.log(`redis-server on 127.0.0.1:${stack.redisPort}`)
  console.log(`UPSTASH_REDIS_REST_URL=${stack.restUrl}`)
  console.log(`UPSTASH_REDIS_REST_TOKEN=${stack.token}`)
  const shutdown = () => stack.stop().then(() => process.exit(0))
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}
