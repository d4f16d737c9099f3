// Starts a real redis-server behind the project's Upstash-protocol server for the workerd tests;
// vitest.config.ts chose the ports and binds TEST_UPSTASH_URL / TEST_UPSTASH_TOKEN accordingly.
import { createServer } from 'node:http'
import { startRedisStack } from '../tools/upstash/redis-harness.mjs'

export default async function setup(): Promise<() => Promise<void>> {
  const stack = await startRedisStack({
    redisPort: Number(process.env.EDGESPLIT_TEST_REDIS_PORT),
    restPort: Number(process.env.EDGESPLIT_TEST_REST_PORT),
    token: process.env.EDGESPLIT_TEST_UPSTASH_TOKEN,
  })
  // A server that accepts requests and never answers: the "store slower than 1 s" fault.
  const blackhole = createServer(() => {})
  await new Promise<void>((resolve) => blackhole.listen(Number(process.env.EDGESPLIT_TEST_BLACKHOLE_PORT), '127.0.0.1', resolve))
  return async () => {
    blackhole.closeAllConnections()
    blackhole.close()
    await stack.stop()
  }
}
