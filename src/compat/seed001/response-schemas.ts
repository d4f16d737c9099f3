import * as z from 'zod/mini'
import { RawEventSchema } from '../../flows/event-log'

// Seed 001's answers, in its shapes (docs/compatibility.md, "Seed 001").

/** Seed 001's three states. */
export const SeedStateSchema = z.enum(['inactive', 'active', 'rollout'])

/** An experiment as seed 001's `/api/experiments` shows it. */
export const SeedExperimentSchema = z.object({
  title: z.string(),
  groups: z.record(z.string(), z.number()),
  fallback: z.string(),
  state: SeedStateSchema,
  rollout_group: z.nullable(z.string()),
  start: z.nullable(z.string()),
  end: z.nullable(z.string()),
})

/** `GET /api/experiments`: every experiment by key. */
export const SeedExperimentsSchema = z.record(z.string(), SeedExperimentSchema)

/** One experiment in `GET /api/expgroups`: the device's group ('' without a device id). */
export const SeedGroupSchema = z.object({ state: SeedStateSchema, fallback: z.string(), group: z.string() })

/** `GET /api/expgroups`: the device's group in every experiment, by key. */
export const SeedGroupsSchema = z.record(z.string(), SeedGroupSchema)

/** `POST /api/experiments/update`: the experiment after the change. */
export const SeedUpdatedSchema = z.object({ success: z.literal(true), experiment: SeedExperimentSchema })

/** `POST /events`. */
export const SeedOkSchema = z.object({ status: z.literal('ok') })

/** `GET /events`: the most recent raw events, oldest first. */
export const SeedEventsListSchema = z.array(RawEventSchema)
