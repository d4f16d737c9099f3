import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { CONFIG_KV_KEY } from '../../src/config/config-doc'
import worker from '../../src/index'

/** The admin token vitest.config.ts binds for these tests. */
export const ADMIN = { authorization: 'Bearer test-admin-token-0123456789abcdef' }

/** Test bindings beyond the Worker's own. */
export type TestEnv = Env & { CONFIG_SCRATCH: KVNamespace; TEST_UPSTASH_URL: string; TEST_UPSTASH_TOKEN: string; TEST_SLOW_URL: string; TEST_DOWN_URL: string }
export const testEnv = env as TestEnv

/** The Worker's bindings pointed at the test Upstash server (real redis-server behind it). */
export const REDIS_ENV: Env = { ...testEnv, UPSTASH_REDIS_REST_URL: testEnv.TEST_UPSTASH_URL, UPSTASH_REDIS_REST_TOKEN: testEnv.TEST_UPSTASH_TOKEN }

/** Both counter stores, for `describe.each`: the embedded Durable Object and Upstash. */
export const STORES: [string, Env][] = [
  ['durable-object', env],
  ['upstash', REDIS_ENV],
]

/**
 * Sends a request to the Worker under test and waits for its background work (exposure logging),
 * so a following request sees it. `bindings` replaces the environment (e.g. the Redis store).
 */
export async function call(path: string, init: RequestInit & { json?: unknown; bindings?: Env } = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  let body = init.body
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(init.json)
  }
  const ctx = createExecutionContext()
  const { bindings, json: _json, ...rest } = init
  const res = await worker.fetch(new Request(`http://edgesplit.test${path}`, { ...rest, headers, body }), bindings ?? env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

/** Sends an admin request. */
export function admin(path: string, init: RequestInit & { json?: unknown; bindings?: Env } = {}): Promise<Response> {
  return call(path, { ...init, headers: { ...ADMIN, ...(init.headers as Record<string, string> | undefined) } })
}

let counter = 0
/** A key no other test uses. */
export function uniqueKey(prefix = 'exp'): string {
  return `${prefix}_${Date.now().toString(36)}_${(counter++).toString(36)}`
}

/** Creates an experiment and optionally starts it; returns the stored experiment. */
export async function createExperiment(body: Record<string, unknown>, start = true, bindings?: Env): Promise<Record<string, any>> {
  const created = await admin('/v1/experiments', { method: 'POST', json: body, bindings })
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`)
  if (!start) return created.json()
  const started = await admin(`/v1/experiments/${body.key}/transition`, { method: 'POST', json: { to: 'running' }, bindings })
  if (started.status !== 200) throw new Error(`start failed: ${started.status} ${await started.text()}`)
  return started.json()
}

/**
 * Waits until KV holds the ConfigWriter's latest revision: writes less than a second apart reach KV
 * by the writer's alarm (src/config/config-writer.ts), so a test reading KV through another
 * isolate's cache right after back-to-back writes waits for it (about a second at most).
 */
export async function untilPublished(timeoutMs = 5_000): Promise<void> {
  const writer = env.CONFIG_WRITER.get(env.CONFIG_WRITER.idFromName('global')) as unknown as { read(): Promise<{ revision?: number }> }
  const latest = (await writer.read()).revision ?? 0
  const started = Date.now()
  for (;;) {
    const kv = await env.CONFIG.get<{ revision?: number }>(CONFIG_KV_KEY, 'json')
    if ((kv?.revision ?? 0) >= latest) return
    if (Date.now() - started > timeoutMs) throw new Error(`KV still holds revision ${kv?.revision ?? 0}, not ${latest}, after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export { env }

declare global {
  // workerd implements Headers.getSetCookie (Fetch standard); this workers-types version omits it.
  interface Headers {
    getSetCookie(): string[]
  }
}
