import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

/** The admin token the workerd tests run with (a test value, not a secret). */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'

// Ports for the test Redis stack (test/global-setup.ts), fixed here because bindings are read
// before global setup runs; derived from the pid so parallel runs on one machine do not collide.
const base = 20000 + (process.pid % 3000) * 3
process.env.EDGESPLIT_TEST_REDIS_PORT ??= String(base)
process.env.EDGESPLIT_TEST_REST_PORT ??= String(base + 1)
process.env.EDGESPLIT_TEST_BLACKHOLE_PORT ??= String(base + 2)
process.env.EDGESPLIT_TEST_UPSTASH_TOKEN ??= 'test-upstash-token'
const upstash = {
  TEST_UPSTASH_URL: `http://127.0.0.1:${process.env.EDGESPLIT_TEST_REST_PORT}`,
  TEST_UPSTASH_TOKEN: process.env.EDGESPLIT_TEST_UPSTASH_TOKEN,
  // Never answers (test/global-setup.ts), and a port where nothing listens.
  TEST_SLOW_URL: `http://127.0.0.1:${process.env.EDGESPLIT_TEST_BLACKHOLE_PORT}`,
  TEST_DOWN_URL: 'http://127.0.0.1:9',
}

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // CONFIG_SCRATCH: a second real KV namespace for tests that corrupt or count config reads.
            // COUNTER_SHARDS 1: experiments the tests create count in one shard (32 cold local Durable
            // Objects per experiment outrun the 1 s store guard on a busy machine); the sharded paths
            // are tested with explicit shard counts (store-contract, sharding tests).
            miniflare: { bindings: { ENVIRONMENT: 'test', ADMIN_TOKEN: TEST_ADMIN_TOKEN, COOKIE_SECRET: 'test-cookie-secret-0123456789abcdef', COUNTER_SHARDS: '1', FUZZ_RUNS: process.env.FUZZ_RUNS ?? '', ...upstash }, kvNamespaces: ['CONFIG_SCRATCH'] },
          }),
        ],
        test: { name: 'workers', include: ['test/workers/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] },
      },
      { test: { name: 'node', environment: 'node', include: ['test/unit/**/*.test.ts', 'test/node/**/*.test.ts'], exclude: ['test/node/browser-*.test.ts'] } },
      // The bundle in workerd + Chromium: one file at a time, and tools/test.mjs runs this project after
      // the others, so two dev servers and a browser never compete for 2 cores with Miniflare.
      { test: { name: 'browser', environment: 'node', include: ['test/node/browser-*.test.ts'], fileParallelism: false } },
    ],
  },
})
