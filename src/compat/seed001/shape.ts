import type { Context } from 'hono'
import type * as z from 'zod/mini'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { DomainError, type DomainErrorKind } from '../../core/errors'
import { type Experiment, fallbackOf } from '../../core/experiment'
import { refusalStatus } from '../../http/errors'
import type { SeedExperimentSchema, SeedStateSchema } from './response-schemas'

/** Seed 001's three states. */
export type SeedState = z.infer<typeof SeedStateSchema>

/** An experiment as seed 001's `/api/experiments` shows it. */
export type SeedExperiment = z.infer<typeof SeedExperimentSchema>

/** Our lifecycle in seed 001's words: running is active, rollout is rollout, anything else inactive. */
export function seedState(e: Pick<Experiment, 'state'>): SeedState {
  return e.state === 'running' ? 'active' : e.state === 'rollout' ? 'rollout' : 'inactive'
}

/**
 * Seed 001's view of an experiment. `start` is when the current epoch began (seed 001 resets it on
 * every (re)start), `end` when it was rolled out or stopped.
 */
export function toSeedExperiment(e: Experiment): SeedExperiment {
  const epochStart = e.allocations.find((a) => a.epoch === e.epoch)?.at ?? e.startedAt
  return {
    title: e.title,
    groups: Object.fromEntries(e.variants.map((v) => [v.key, v.weight])),
    fallback: fallbackOf(e),
    state: seedState(e),
    rollout_group: e.state === 'rollout' ? e.rolloutVariant : null,
    start: e.epoch > 0 ? epochStart : null,
    end: e.endedAt,
  }
}

/** Seed 001's error body, `{"error": "<message>"}`, which its clients show as is. */
export function seedError(c: Context, status: ContentfulStatusCode, message: string): Response {
  return c.json({ error: message }, status)
}

/** A refusal from the core or the config writer, in seed 001's error body. */
export function seedDomainError(c: Context, error: { kind: DomainErrorKind; message: string }): Response {
  return seedError(c, refusalStatus(c, error.kind), error.message)
}

/** Runs a seed handler, answering domain refusals (bad JSON, validation) in seed 001's error body. */
export async function seedErrors(c: Context, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof DomainError) return seedDomainError(c, error)
    throw error
  }
}
