#!/usr/bin/env node
/**
 * Local stand-in for the Upstash Redis REST API, in front of a real redis-server.
 *
 * There is no Upstash cloud in dev or CI, so the Worker's `@upstash/redis` client talks to this
 * instead. Plain Node 20 ESM, builtins only; it speaks RESP2 to Redis over a small connection pool.
 *
 * Protocol subset implemented (checked against @upstash/redis 1.39.0 pkg/http.ts and the Upstash
 * docs page redis/features/restapi.mdx):
 *
 *   Auth      `Authorization: Bearer <token>` or `?_token=<token>`. Otherwise HTTP 401
 *             `{"error":"WRONGPASS invalid or missing auth token"}` (Upstash's text).
 *   POST /            body `["CMD", arg, …]` → 200 `{"result": …}`; a Redis error → 400 `{"error":"ERR …"}`.
 *   GET|POST /cmd/a/b  path form; segments are URL-decoded, a non-empty POST/PUT body is appended as
 *                      the last argument, then query parameters as `NAME value` pairs (`?EX=100`).
 *   POST /pipeline     body `[[…], […]]` → 200 `[{"result": …} | {"error": "…"}, …]`, not atomic.
 *   POST /multi-exec   same shape, run inside MULTI/EXEC on one connection. If Redis discards the
 *                      whole transaction (a command failed to queue) → 400 `{"error":"EXECABORT …"}`.
 *   Arguments          JSON strings, finite numbers and booleans (the client's serializer sends
 *                      booleans as-is); anything else → 400 naming the offending index.
 *   Results            integers → JSON numbers, nil → null, arrays recurse, strings → UTF-8 text
 *                      (invalid bytes become U+FFFD, as on Upstash).
 *   `Upstash-Encoding: base64`  every string (bulk or status, at any depth) is base64 of its raw
 *                      bytes, except a top-level status reply "OK", which stays "OK": the client's
 *                      decoder special-cases exactly that and base64-decodes every other string.
 *   Errors             Redis error text is passed through untouched (the client's Script fallback
 *                      looks for "NOSCRIPT"). Malformed JSON / wrong shapes → 400 with a clear
 *                      "ERR …" message; unknown HTTP method → 405; Redis unreachable → 502.
 *   Not supported      commands that would hijack a pooled connection (SUBSCRIBE family, MONITOR,
 *                      SYNC/PSYNC, HELLO, QUIT, CLIENT REPLY); the SSE endpoints; `Upstash-Response-Format`.
 *
 * Fault injection for tests: `handle.setDelay(ms)` delays every request; `handle.setDown(true)`
 * answers 503, `handle.setDown('close')` destroys each incoming socket (a network error), and
 * `handle.setDown(false)` restores service.
 *
 * CLI: node tools/upstash/server.mjs --port 8079 --redis-port 6379 --token dev-token [--host 127.0.0.1] [--redis-host 127.0.0.1]
 */
import { createServer } from 'node:http'
import { connect as netConnect } from 'node:net'
import { timingSafeEqual } from 'node:crypto'
import { parseArgs } from 'node:util'
import { isMain } from '../is-main.mjs'

// ---------------------------------------------------------------------------------------------
// RESP2
// ---------------------------------------------------------------------------------------------

/** A RESP status reply (`+OK`), kept distinct from bulk strings because base64 treats "OK" specially. */
export class StatusReply {
  /** @param {string} value */
  constructor(value) {
    this.value = value
  }
}

/** A RESP error reply (`-ERR …`); returned as a value, not thrown, so one bad command never hides the others' replies. */
export class ErrorReply {
  /** @param {string} message */
  constructor(message) {
    this.message = message
  }
}

const CRLF = Buffer.from('\r\n')
const INCOMPLETE = Symbol('incomplete')

/** Encodes one command (strings or Buffers) as a RESP array of bulk strings. */
export function encodeCommand(args) {
  const parts = [Buffer.from(`*${args.length}\r\n`)]
  for (const arg of args) {
    const buf = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), 'utf8')
    parts.push(Buffer.from(`$${buf.length}\r\n`), buf, CRLF)
  }
  return Buffer.concat(parts)
}

// Returns [value, nextOffset] or INCOMPLETE; replies are re-parsed from their start when more bytes
// arrive, which is simple and cheap at the reply sizes a counter service sees.
function parseReply(buf, offset) {
  if (offset >= buf.length) return INCOMPLETE
  const lineEnd = buf.indexOf(CRLF, offset)
  if (lineEnd === -1) return INCOMPLETE
  const type = buf[offset]
  const line = buf.toString('utf8', offset + 1, lineEnd)
  const next = lineEnd + 2
  switch (type) {
    case 0x2b: // +
      return [new StatusReply(line), next]
    case 0x2d: // -
      return [new ErrorReply(line), next]
    case 0x3a: // :
      return [Number(line), next]
    case 0x24: {
      // $
      const len = Number(line)
      if (len < 0) return [null, next]
      if (buf.length < next + len + 2) return INCOMPLETE
      return [Buffer.from(buf.subarray(next, next + len)), next + len + 2]
    }
    case 0x2a: {
      // *
      const count = Number(line)
      if (count < 0) return [null, next]
      const items = new Array(count)
      let pos = next
      for (let i = 0; i < count; i++) {
        const parsed = parseReply(buf, pos)
        if (parsed === INCOMPLETE) return INCOMPLETE
        items[i] = parsed[0]
        pos = parsed[1]
      }
      return [items, pos]
    }
    default:
      throw new Error(`RESP protocol error: unexpected byte 0x${type.toString(16)}`)
  }
}

/** One pipelined RESP2 connection: `send()` writes a batch in one write and resolves with its replies in order. */
export class RespConnection {
  /** Opens a connection to Redis, rejecting after `timeoutMs`. */
  static connect({ host = '127.0.0.1', port = 6379, timeoutMs = 3000 } = {}) {
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host, port })
      socket.setNoDelay(true)
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new Error(`timed out connecting to redis at ${host}:${port}`))
      }, timeoutMs)
      socket.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        resolve(new RespConnection(socket))
      })
    })
  }

  /** @param {import('node:net').Socket} socket */
  constructor(socket) {
    this.socket = socket
    this.alive = true
    /** @type {{ resolve: (v: unknown) => void, reject: (e: Error) => void }[]} */
    this.waiting = []
    this.buffer = Buffer.alloc(0)
    socket.on('data', (chunk) => this.#onData(chunk))
    socket.on('error', (err) => this.#fail(err))
    socket.on('close', () => this.#fail(new Error('redis connection closed')))
  }

  #onData(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
    let offset = 0
    while (this.waiting.length > 0) {
      let parsed
      try {
        parsed = parseReply(this.buffer, offset)
      } catch (err) {
        this.#fail(err)
        this.socket.destroy()
        return
      }
      if (parsed === INCOMPLETE) break
      offset = parsed[1]
      this.waiting.shift().resolve(parsed[0])
    }
    this.buffer = offset >= this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(offset)
  }

  #fail(err) {
    this.alive = false
    for (const w of this.waiting.splice(0)) w.reject(err)
  }

  /** Sends commands pipelined and resolves with one reply per command (errors as ErrorReply values). */
  send(commands) {
    if (!this.alive) return Promise.reject(new Error('redis connection closed'))
    const replies = commands.map(
      () => new Promise((resolve, reject) => this.waiting.push({ resolve, reject })),
    )
    this.socket.write(Buffer.concat(commands.map(encodeCommand)))
    return Promise.all(replies)
  }

  /** Closes the socket; pending replies reject. */
  close() {
    this.alive = false
    this.socket.destroy()
  }
}

/** A small pool of RespConnections; each batch gets one connection to itself so MULTI/EXEC cannot interleave. */
export class RedisPool {
  constructor({ host = '127.0.0.1', port = 6379, maxIdle = 16 } = {}) {
    this.host = host
    this.port = port
    this.maxIdle = maxIdle
    /** @type {RespConnection[]} */
    this.idle = []
    this.closed = false
  }

  /** Runs a batch on one connection; `discard` closes it afterwards (for commands that leave per-connection state). */
  async run(commands, { discard = false } = {}) {
    if (this.closed) throw new Error('redis pool is closed')
    let conn = this.idle.pop()
    while (conn && !conn.alive) conn = this.idle.pop()
    conn ??= await RespConnection.connect({ host: this.host, port: this.port })
    try {
      const replies = await conn.send(commands)
      if (discard || this.closed || this.idle.length >= this.maxIdle) conn.close()
      else this.idle.push(conn)
      return replies
    } catch (err) {
      conn.close()
      throw err
    }
  }

  /** Closes idle connections and refuses new batches. */
  close() {
    this.closed = true
    for (const conn of this.idle.splice(0)) conn.close()
  }
}

// ---------------------------------------------------------------------------------------------
// REST layer
// ---------------------------------------------------------------------------------------------

const UNAUTHORIZED = 'WRONGPASS invalid or missing auth token'
const MAX_BODY_BYTES = 10 * 1024 * 1024

// These would switch the pooled connection into a push/streaming mode and desync every later reply.
const UNSUPPORTED = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE', 'MONITOR', 'SYNC', 'PSYNC', 'HELLO', 'QUIT'])
// These leave per-connection state behind, so the connection is not returned to the pool.
const STATEFUL = new Set(['SELECT', 'WATCH', 'UNWATCH', 'MULTI', 'EXEC', 'DISCARD', 'CLIENT', 'AUTH', 'RESET', 'READONLY', 'READWRITE', 'ASKING'])
// A nested transaction inside /multi-exec would commit early or be silently dropped.
const NOT_IN_TRANSACTION = new Set(['MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH'])

class HttpError extends Error {
  constructor(status, message) {
    super(message)
    this.status = status
  }
}

function unsupportedReason(args) {
  const name = args[0].toString('utf8').toUpperCase()
  if (UNSUPPORTED.has(name)) return `ERR command '${name}' is not supported by this REST server`
  if (name === 'CLIENT' && args[1]?.toString('utf8').toUpperCase() === 'REPLY') return `ERR 'CLIENT REPLY' is not supported by this REST server`
  return null
}

// Validates one JSON command and converts it to Buffers; `where` prefixes messages inside pipelines.
function toCommand(value, where = '') {
  if (!Array.isArray(value)) {
    throw new HttpError(400, `ERR ${where}expected a JSON array command like ["SET","key","value"], got ${value === null ? 'null' : typeof value}`)
  }
  if (value.length === 0) throw new HttpError(400, `ERR ${where}empty command`)
  if (typeof value[0] !== 'string' || value[0] === '') throw new HttpError(400, `ERR ${where}the command name must be a non-empty string`)
  return value.map((arg, i) => {
    if (typeof arg === 'string') return Buffer.from(arg, 'utf8')
    if (typeof arg === 'number' && Number.isFinite(arg)) return Buffer.from(String(arg))
    if (typeof arg === 'boolean') return Buffer.from(String(arg))
    const kind = arg === null ? 'null' : Array.isArray(arg) ? 'array' : typeof arg
    throw new HttpError(400, `ERR ${where}invalid argument at index ${i}: expected a string, number or boolean, got ${kind}`)
  })
}

function parseJsonBody(body) {
  if (body.length === 0) throw new HttpError(400, 'ERR empty request body: expected JSON')
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (err) {
    throw new HttpError(400, `ERR failed to parse request body as JSON: ${err instanceof Error ? err.message : err}`)
  }
}

function toBatch(body) {
  const parsed = parseJsonBody(body)
  if (!Array.isArray(parsed)) throw new HttpError(400, 'ERR request body must be a JSON array of commands like [["SET","k","v"],["GET","k"]]')
  if (parsed.length === 0) throw new HttpError(400, 'ERR empty batch: send at least one command')
  return parsed.map((cmd, i) => toCommand(cmd, `command ${i}: `))
}

/** Converts a RESP reply to the JSON value Upstash returns; `top` marks the outermost value of one command's result. */
export function replyToJson(reply, base64, top = true) {
  if (reply === null || typeof reply === 'number') return reply
  if (Buffer.isBuffer(reply)) return base64 ? reply.toString('base64') : reply.toString('utf8')
  if (reply instanceof StatusReply) {
    return base64 && !(top && reply.value === 'OK') ? Buffer.from(reply.value, 'utf8').toString('base64') : reply.value
  }
  // An error nested inside an array (e.g. a Lua table) has no JSON slot of its own; its text is the best we can do.
  if (reply instanceof ErrorReply) return base64 ? Buffer.from(reply.message, 'utf8').toString('base64') : reply.message
  if (Array.isArray(reply)) return reply.map((r) => replyToJson(r, base64, false))
  return null
}

function entry(reply, base64) {
  return reply instanceof ErrorReply ? { error: reply.message } : { result: replyToJson(reply, base64) }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `ERR max request size exceeded (${MAX_BODY_BYTES} bytes)`))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function tokenMatches(given, expected) {
  const a = Buffer.from(given ?? '', 'utf8')
  const b = Buffer.from(expected, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

function sendJson(res, status, payload) {
  const body = JSON.stringify(payload)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * Starts the REST server; resolves to a handle with `url`, `port`, `close()`, fault switches
 * `setDelay(ms)` / `setDown(false | true | 'close')`, and `stats()` (HTTP requests and commands seen).
 */
export async function startUpstashServer({ port = 0, host = '127.0.0.1', redisPort = 6379, redisHost = '127.0.0.1', token } = {}) {
  if (!token) throw new Error('startUpstashServer: a non-empty token is required')
  const pool = new RedisPool({ host: redisHost, port: redisPort })
  let delayMs = 0
  /** @type {false | true | 'close'} */
  let down = false
  const counters = { requests: 0, commands: 0 }

  async function execute(req, res) {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    if (!tokenMatches(bearer ?? url.searchParams.get('_token') ?? '', token)) throw new HttpError(401, UNAUTHORIZED)

    const method = req.method ?? 'GET'
    if (!['GET', 'HEAD', 'POST', 'PUT'].includes(method)) throw new HttpError(405, `ERR method ${method} not allowed: use GET, HEAD, POST or PUT`)
    const base64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64'
    const body = await readBody(req)
    const path = url.pathname.replace(/\/+$/, '') || '/'

    if (path === '/pipeline' || path === '/multi-exec') {
      if (method !== 'POST' && method !== 'PUT') throw new HttpError(405, `ERR ${path} expects POST with a JSON array of commands`)
      const commands = toBatch(body)
      counters.commands += commands.length
      return path === '/pipeline' ? runPipeline(res, commands, base64) : runTransaction(res, commands, base64)
    }

    let command
    if (path === '/') {
      command = toCommand(parseJsonBody(body))
    } else {
      command = path.slice(1).split('/').map((seg) => {
        try {
          return Buffer.from(decodeURIComponent(seg), 'utf8')
        } catch {
          throw new HttpError(400, `ERR malformed percent-encoding in path segment "${seg}"`)
        }
      })
      if (body.length > 0 && (method === 'POST' || method === 'PUT')) command.push(body)
      for (const [name, value] of url.searchParams) {
        if (name === '_token') continue
        command.push(Buffer.from(name, 'utf8'))
        if (value !== '') command.push(Buffer.from(value, 'utf8'))
      }
    }
    counters.commands += 1
    const reason = unsupportedReason(command)
    if (reason) throw new HttpError(400, reason)
    const discard = STATEFUL.has(command[0].toString('utf8').toUpperCase())
    const [reply] = await pool.run([command], { discard })
    if (reply instanceof ErrorReply) return sendJson(res, 400, { error: reply.message })
    return sendJson(res, 200, { result: replyToJson(reply, base64) })
  }

  async function runPipeline(res, commands, base64) {
    const results = new Array(commands.length)
    const toSend = []
    const positions = []
    commands.forEach((cmd, i) => {
      const reason = unsupportedReason(cmd)
      if (reason) results[i] = { error: reason }
      else {
        toSend.push(cmd)
        positions.push(i)
      }
    })
    if (toSend.length > 0) {
      const discard = toSend.some((cmd) => STATEFUL.has(cmd[0].toString('utf8').toUpperCase()))
      const replies = await pool.run(toSend, { discard })
      replies.forEach((reply, j) => (results[positions[j]] = entry(reply, base64)))
    }
    return sendJson(res, 200, results)
  }

  async function runTransaction(res, commands, base64) {
    for (const cmd of commands) {
      const name = cmd[0].toString('utf8').toUpperCase()
      const reason = unsupportedReason(cmd) ?? (NOT_IN_TRANSACTION.has(name) ? `ERR ${name} is not allowed inside /multi-exec` : null)
      if (reason) throw new HttpError(400, reason)
    }
    const discard = commands.some((cmd) => STATEFUL.has(cmd[0].toString('utf8').toUpperCase()))
    const replies = await pool.run([[Buffer.from('MULTI')], ...commands, [Buffer.from('EXEC')]], { discard })
    const exec = replies[replies.length - 1]
    if (exec instanceof ErrorReply) {
      const cause = replies.slice(1, -1).find((r) => r instanceof ErrorReply)
      return sendJson(res, 400, { error: cause ? `${exec.message} (${cause.message})` : exec.message })
    }
    if (!Array.isArray(exec)) return sendJson(res, 400, { error: 'ERR transaction aborted' })
    return sendJson(res, 200, exec.map((reply) => entry(reply, base64)))
  }

  async function handle(req, res) {
    counters.requests += 1
    if (down === 'close') return void req.socket.destroy()
    if (delayMs > 0) await sleep(delayMs)
    if (down === 'close') return void req.socket.destroy()
    if (down) return sendJson(res, 503, { error: 'Service Unavailable (simulated outage)' })
    try {
      await execute(req, res)
    } catch (err) {
      if (res.headersSent) return void res.destroy()
      if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message })
      // Anything else is a transport failure between us and Redis.
      return sendJson(res, 502, { error: `ERR redis unavailable: ${err instanceof Error ? err.message : err}` })
    }
  }

  const server = createServer((req, res) => void handle(req, res))
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(undefined)
    })
  })
  const address = server.address()
  const boundPort = typeof address === 'object' && address ? address.port : port
  const urlHost = host.includes(':') ? `[${host}]` : host

  return {
    url: `http://${urlHost}:${boundPort}`,
    port: boundPort,
    /**
     * Delays every subsequent request by `ms` milliseconds (0 disables).
     * @param {number} ms
     */
    setDelay(ms) {
      delayMs = Math.max(0, Number(ms) || 0)
    },
    /**
     * `true` answers 503, `'close'` destroys sockets without answering, `false` restores service.
     * @param {boolean | 'close'} [mode]
     */
    setDown(mode = true) {
      down = mode === 'close' ? 'close' : Boolean(mode)
      // Kept-alive sockets would otherwise keep working through a simulated network outage.
      if (down === 'close') server.closeIdleConnections()
    },
    /** Counts of HTTP requests and Redis commands received since start. */
    stats() {
      return { ...counters }
    },
    /** Stops listening, drops open HTTP connections and closes the Redis pool. */
    close() {
      return new Promise((resolve) => {
        pool.close()
        server.close(() => resolve(undefined))
        server.closeAllConnections()
      })
    },
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8079' },
      host: { type: 'string', default: '127.0.0.1' },
      'redis-port': { type: 'string', default: '6379' },
      'redis-host': { type: 'string', default: '127.0.0.1' },
      token: { type: 'string', default: process.env.UPSTASH_REDIS_REST_TOKEN ?? 'dev-token' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log('usage: node tools/upstash/server.mjs [--port 8079] [--host 127.0.0.1] [--redis-port 6379] [--redis-host 127.0.0.1] [--token dev-token]')
    process.exit(0)
  }
  const handle = await startUpstashServer({
    port: Number(values.port),
    host: values.host,
    redisPort: Number(values['redis-port']),
    redisHost: values['redis-host'],
    token: values.token,
  })
  console.log(`upstash REST server on ${handle.url} -> redis ${values['redis-host']}:${values['redis-port']}`)
  const shutdown = () => handle.close().then(() => process.exit(0))
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}
