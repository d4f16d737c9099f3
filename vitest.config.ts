import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'

/** The admin token the workerd tests run with (a test value, not a secret). */
export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // CONFIG_SCRATCH: a second real KV namespace for tests that corrupt or count config reads.
            miniflare: { bindings: { ENVIRONMENT: 'test', ADMIN_TOKEN: TEST_ADMIN_TOKEN }, kvNamespaces: ['CONFIG_SCRATCH'] },
          }),
        ],
        test: { name: 'workers', include: ['test/workers/**/*.test.ts'] },
      },
      { test: { name: 'node', environment: 'node', include: ['test/unit/**/*.test.ts', 'test/node/**/*.test.ts'] } },
    ],
  },
})
