import type { Context } from 'hono'
import * as z from 'zod/mini'
import type { Experiment } from '../../core/experiment'
import { allowedTransitions, type Transition } from '../../core/lifecycle'
import type { AppEnv } from '../../http/app-env'
import { readJson } from '../../http/body'
import { routes } from '../../http/route'
import { SeedExperimentsSchema, SeedUpdatedSchema } from './response-schemas'
import { type SeedState, seedError, seedErrors, seedState, toSeedExperiment } from './shape'

/** Body of seed 001's `POST /api/experiments/update`. */
const UpdateSchema = z.looseObject({
  name: z.optional(z.unknown()),
  state: z.optional(z.enum(['inactive', 'active', 'rollout'])),
  groups: z.optional(z.record(z.string(), z.unknown())),
  rollout_group: z.optional(z.nullable(z.string())),
})

// Seed 001's state-change table (docs/compatibility.md, "Seed 001"); every other pair is refused with its message.
const SEED_TRANSITIONS = new Set(['inactive>inactive', 'inactive>active', 'active>inactive', 'active>active', 'active>rollout', 'rollout>rollout', 'rollout>active'])

/** `GET /api/experiments` and `POST /api/experiments/update`, in seed 001's shapes. */
export const seedExperimentsRoutes = routes(
  {
    method: 'GET',
    path: '/api/experiments',
    auth: 'public',
    response: { status: 200, schema: { name: 'Seed001Experiments', schema: SeedExperimentsSchema } },
    handler: async (c) => {
      const snapshot = await c.var.services.config.snapshot()
      return c.json(Object.fromEntries([...snapshot.experiments].map(([key, compiled]) => [key, toSeedExperiment(compiled.experiment)])))
    },
  },
  {
    method: 'POST',
    path: '/api/experiments/update',
    auth: 'admin',
    request: { body: { name: 'Seed001Update', schema: UpdateSchema } },
    response: { status: 200, schema: { name: 'Seed001Updated', schema: SeedUpdatedSchema } },
    handler: (c) => seedErrors(c, () => update(c)),
  },
)

/**
 * Seed 001's update: a state change mapped onto the lifecycle (inactive→active starts a draft or
 * resumes a paused experiment, active→inactive pauses, active→rollout rolls out `rollout_group`,
 * rollout→rollout changes it, rollout→active restarts) and weight changes through the normal edit
 * path, so a running experiment raises its allocation version and keeps units sticky. Everything
 * is checked before anything is written.
 */
async function update(c: Context<AppEnv>): Promise<Response> {
  const body = await readJson(c, UpdateSchema)
  const { experiments } = c.var.services
  const current = typeof body.name === 'string' ? await experiments.find(body.name) : undefined
  if (!current) return seedError(c, 404, 'Experiment not found')
  const from = seedState(current)
  const to: SeedState = body.state ?? from
  if (!SEED_TRANSITIONS.has(`${from}>${to}`)) return seedError(c, 400, `Can't change state from ${from} to ${to}`)
  if (to === 'rollout' && !current.variants.some((v) => v.key === body.rollout_group)) return seedError(c, 400, 'Invalid rollout group')

  const transition = lifecycleStep(current, to, body.rollout_group ?? undefined)
  if (transition && !allowedTransitions(current.state).includes(transition.to)) {
    return seedError(c, 400, `Can't change state from ${from} to ${to}: experiment "${current.key}" is ${current.state}`)
  }
  let weights: Record<string, number> | undefined
  if (to !== 'rollout' && body.groups !== undefined) {
    const parsed = parseWeights(current, body.groups)
    if (typeof parsed === 'string') return seedError(c, 400, parsed)
    weights = parsed
  }

  // A refused write throws; seedErrors answers it in seed 001's error body.
  let latest = current
  if (weights && current.variants.some((v) => v.weight !== weights[v.key])) {
    const variants = current.variants.map((v) => ({ ...v, weight: weights[v.key]! }))
    latest = await experiments.edit(current.key, { variants }, current.version)
  }
  if (transition) latest = await experiments.transition(current.key, transition, latest.version)
  return c.json({ success: true, experiment: toSeedExperiment(latest) })
}

/** The lifecycle transition behind a seed state change (none when nothing changes). */
function lifecycleStep(e: Experiment, to: SeedState, rolloutGroup: string | undefined): Transition | undefined {
  const from = seedState(e)
  if (to === 'rollout') return from === 'rollout' && e.rolloutVariant === rolloutGroup ? undefined : { to: 'rollout', variant: rolloutGroup }
  if (to === from) return undefined
  return to === 'active' ? { to: 'running' } : { to: 'paused' }
}

/** Seed 001's weight rules: the same groups, each weight an integer above 0; a message when not. */
function parseWeights(e: Experiment, groups: Record<string, unknown>): Record<string, number> | string {
  const names = Object.keys(groups)
  if (names.length !== e.variants.length || !e.variants.every((v) => v.key in groups)) return `Can't change ${e.key} group weights`
  const out: Record<string, number> = {}
  for (const name of names) {
    const w = groups[name]
    const n = typeof w === 'number' ? w : typeof w === 'string' && /^\s*[+-]?\d+\s*$/.test(w) ? Number.parseInt(w, 10) : Number.NaN
    if (!Number.isInteger(n)) return `Invalid weight for group '${name}': must be an integer`
    if (n <= 0) return `Invalid weight for group '${name}': must be > 0`
    out[name] = n
  }
  return out
}
