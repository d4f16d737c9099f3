import type { Context } from 'hono'
import type * as z from 'zod/mini'
import { DomainError } from '../../core/errors'
import type { AppEnv } from '../../http/app-env'
import type { Seed000LogSchema } from './schemas'
import { serverRoute } from './server-route'

type LogRequest = z.infer<typeof Seed000LogSchema>

/**
 * Seed 000's `POST /log`, which its client sends after `/route` with the variant it was served.
 * Accepted only when the experiment is running and the named variant is the one the server
 * assigns the unit now; anything else is a 409 naming the server's variant (null when it serves
 * none), and nothing is counted, so a caller can never choose a unit's variant or sticky record.
 */
export async function handleSeed000Log(c: Context<AppEnv>, body: LogRequest): Promise<Response> {
  const snapshot = await c.var.services.config.snapshot()
  const target = snapshot.experiments.get(body.experiment_id)
  if (!target) {
    if (snapshot.broken.has(body.experiment_id)) return refuse(c, 'not_running', `experiment "${body.experiment_id}" cannot be read right now; nothing was logged`, null)
    throw new DomainError('not_found', 'not_found', 'Experiment not found')
  }
  const e = target.experiment
  if (!e.variants.some((v) => v.key === body.variant_name)) {
    throw new DomainError('invalid', 'invalid_request', `variant_name: "${body.variant_name}" is not one of ${e.variants.map((v) => v.key).join(', ')}`)
  }
  if (e.state !== 'running') return refuse(c, 'not_running', `experiment "${e.key}" is ${e.state}, not running; nothing was logged`, null)
  const a = await serverRoute(c, target, body.user_id)
  if (!a.enrolled) return refuse(c, 'not_enrolled', `user "${body.user_id}" is not in experiment "${e.key}" (${a.reason}); nothing was logged`, null)
  if (a.variant !== body.variant_name) {
    return refuse(c, 'variant_mismatch', `user "${body.user_id}" is assigned "${a.variant}" in experiment "${e.key}", not "${body.variant_name}"; nothing was logged`, a.variant)
  }
  // The exposure exactly as the server's own assignment logs it (newly hashed units only), then
  // the conversion through the ingestion flow: each one is its own event unless the caller names
  // it (`event_id`), since equal conversions of one user are real repeats, not retries.
  const conversion = body.converted ? { id: body.event_id, name: 'conversion', value: body.value ?? undefined } : null
  await c.var.services.ingestion.ingestServed(target, body.user_id, a, conversion)
  return c.json({ status: 'logged' })
}

/** A 409 in the shared envelope, with seed 000's FastAPI `detail` and the server's `variant_name` beside it. */
function refuse(c: Context<AppEnv>, code: string, message: string, variant: string | null): Response {
  return c.json({ error: { code, message, details: { variant_name: variant } }, detail: message, variant_name: variant }, 409)
}
