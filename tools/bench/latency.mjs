// Latency of a running Worker, timed in this process (µs resolution), for the site rows of
// `npm run bench` (run.mjs): one request at a time, and at a steady paced load. autocannon's own
// histogram keeps whole milliseconds, too coarse for the differences these rows are read for.
import { Agent, request as httpRequest } from 'node:http'

/**
 * Requests a second of the paced run: under half of what the site rows serve on the project's
 * machine (4,500–6,000 req/s), so it measures what a request waits at a steady load, not at saturation.
 */
export const PACED_RATE = 2000

/**
 * Latency one request at a time: sequential GETs on one keep-alive connection, each a new visitor
 * (`{i}` in `path` a fresh id), after 50 warm-up requests. Under a closed-loop load p50 is mostly
 * queueing (connections ÷ req/s, Little's law), so it only restates throughput; this is what one
 * visitor waits for when the Worker is not saturated.
 * @returns {Promise<{ quietP50: number, quietP99: number }>} milliseconds
 */
export async function oneAtATime(url, path, headers, requests) {
  const get = timedGets(url, path, headers, 1)
  try {
    for (let i = 0; i < 50; i++) await get(`warm${i}`)
    const times = []
    for (let i = 0; i < requests; i++) times.push(await get(i))
    const { p50, p99 } = percentiles(times)
    return { quietP50: p50, quietP99: p99 }
  } finally {
    get.close()
  }
}

/**
 * Latency one request at a time of several running Workers, interleaved: each round sends one
 * request to each target in turn (the order rotating), `requests` rounds after 20 warm-up ones, so
 * a drift in the machine's speed or an origin's timers during the run shifts every target alike.
 * `targets`: `{ url, path, headers }` each. @returns {Promise<number[]>} each target's p50, ms
 */
export async function interleavedOneAtATime(targets, requests) {
  const gets = targets.map((t) => timedGets(t.url, t.path, t.headers, 1))
  try {
    const times = targets.map(() => [])
    for (let i = -20; i < requests; i++) {
      for (let k = 0; k < gets.length; k++) {
        const j = (((i + k) % gets.length) + gets.length) % gets.length
        const ms = await gets[j](i)
        if (i >= 0) times[j].push(ms)
      }
    }
    return times.map((t) => percentiles(t).p50)
  } finally {
    for (const get of gets) get.close()
  }
}

/**
 * Latency at a steady `rate` requests a second for `seconds`, open loop: each request is sent at its
 * slot of the schedule, whatever the earlier ones are doing, over up to `sockets` keep-alive
 * connections (a request that finds them all busy waits for one, and that wait counts). Rejects
 * with the first non-2xx answer or connection error, once every request sent has settled.
 * @returns {Promise<{ pacedP50: number, pacedP99: number }>} milliseconds
 */
export async function paced(url, path, headers, { seconds, sockets, rate = PACED_RATE }) {
  const get = timedGets(url, path, headers, sockets)
  const sent = []
  // Handled as each answer comes, not at the end: a rejection left unhandled while later requests
  // are still being sent would end the bench's process and leave its runtime running.
  let failed = null
  const start = performance.now() + 10
  for (let i = 0; i < rate * seconds && !failed; i++) {
    const wait = start + (i * 1000) / rate - performance.now()
    if (wait >= 1) await new Promise((r) => setTimeout(r, wait))
    // Timed from its sending: timers wake in whole milliseconds, early or late, and this process's
    // own delays are not the Worker's.
    sent.push(get(i).catch((error) => void (failed ??= error)))
  }
  const times = await Promise.all(sent)
  get.close()
  if (failed) throw new Error(`paced requests: ${failed.message}`)
  const { p50, p99 } = percentiles(times)
  return { pacedP50: p50, pacedP99: p99 }
}

/**
 * `get(i)`: one GET of `path` (its `{i}` replaced by a fresh id) over up to `sockets` keep-alive
 * connections, answering the milliseconds to the end of the body; a non-2xx answer rejects.
 * `get.close()` ends the connections.
 */
function timedGets(url, path, headers, sockets) {
  const { port } = new URL(url)
  const agent = new Agent({ keepAlive: true, maxSockets: sockets })
  const id = Math.random().toString(36).slice(2, 8)
  const get = (i) =>
    new Promise((resolve, reject) => {
      const from = performance.now()
      httpRequest({ host: '127.0.0.1', port, path: path.replaceAll('{i}', `t${id}-${i}`), headers, agent }, (res) => {
        res.resume()
        res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve(performance.now() - from) : reject(new Error(`status ${res.statusCode}`))))
      })
        .on('error', reject)
        .end()
    })
  get.close = () => agent.destroy()
  return get
}

/** p50 and p99 of a list of times. */
function percentiles(times) {
  const sorted = [...times].sort((x, y) => x - y)
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p99: sorted[Math.floor(sorted.length * 0.99)] }
}
