import { env, exports } from 'cloudflare:workers'

/** The admin token vitest.config.ts binds for these tests. */
export const ADMIN = { authorization: 'Bearer test-admin-token-0123456789abcdef' }

/** Sends a request to the Worker under test. */
export function call(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  let body = init.body
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(init.json)
  }
  return exports.default.fetch(new Request(`http://edgesplit.test${path}`, { ...init, headers, body }))
}

/** Sends an admin request. */
export function admin(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  return call(path, { ...init, headers: { ...ADMIN, ...(init.headers as Record<string, string> | undefined) } })
}

let counter = 0
/** A key no other test uses. */
export function uniqueKey(prefix = 'exp'): string {
  return `${prefix}_${Date.now().toString(36)}_${(counter++).toString(36)}`
}

/** Creates an experiment and optionally starts it; returns the stored experiment. */
export async function createExperiment(body: Record<string, unknown>, start = true): Promise<Record<string, any>> {
  const created = await admin('/v1/experiments', { method: 'POST', json: body })
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${await created.text()}`)
  if (!start) return created.json()
  const started = await admin(`/v1/experiments/${body.key}/transition`, { method: 'POST', json: { to: 'running' } })
  if (started.status !== 200) throw new Error(`start failed: ${started.status} ${await started.text()}`)
  return started.json()
}

export { env }
