#!/usr/bin/env node
// `npm run dev:redis`: the same dev server as `npm run dev`, but counting in Redis through the
// Upstash REST protocol: starts the OS redis-server (data kept in .wrangler/redis, so counts survive
// restarts like the Durable Object state does), the project's Upstash-protocol server in front of
// it, and wrangler dev with UPSTASH_REDIS_REST_URL/TOKEN pointing there.
import { startDev } from './dev.mjs'
import { ensureSystemDeps } from './provision.mjs'
import { startRedisStack } from './upstash/redis-harness.mjs'

await ensureSystemDeps(['redis-server'])
const stack = await startRedisStack({ token: 'dev-upstash-token', dataDir: '.wrangler/redis' })
console.log(`redis-server on 127.0.0.1:${stack.redisPort}, Upstash REST protocol on ${stack.restUrl}`)
const child = startDev({ vars: { UPSTASH_REDIS_REST_URL: stack.restUrl, UPSTASH_REDIS_REST_TOKEN: stack.token }, args: process.argv.slice(2) })
const stop = async (code) => {
  await stack.stop()
  process.exit(code ?? 0)
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => stop(code))
