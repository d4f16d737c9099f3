import { DEFAULT_METRICS, type Experiment, type ExperimentCreate, type ExperimentState } from '../../core/experiment'
import type * as z from 'zod/mini'
import type { Seed000CreateSchema } from './schemas'
import type { Seed000Experiment } from './response-schemas'

// Seed 000 has no rollout; a rolled-out experiment has ended, which it calls "completed".
const STATUS: Record<ExperimentState, Seed000Experiment['status']> = { draft: 'draft', running: 'running', paused: 'paused', rollout: 'completed', stopped: 'stopped' }

/** The metric seed 000's `/log` feeds: `converted` is the event, `value` its amount. */
export const SEED000_METRICS: ExperimentCreate['metrics'] = [
  ...DEFAULT_METRICS,
  { key: 'value', type: 'mean', event: 'conversion', role: 'secondary' },
]

/** Seed 000's `min_sample_size` default, reported as in its `to_dict`. */
const MIN_SAMPLE_SIZE = 1000

/** A native create body from seed 000's request: variants `control` and `treatment` carrying model ids. */
export function fromSeed000(id: string, r: z.infer<typeof Seed000CreateSchema>): ExperimentCreate {
  return {
    key: id,
    title: r.name,
    description: r.description,
    variants: [
      { key: 'control', weight: r.control_weight, payload: { model_id: r.control_model_id } },
      { key: 'treatment', weight: 1 - r.control_weight, payload: { model_id: r.treatment_model_id } },
    ],
    coverage: r.traffic_percentage / 100,
    qaOverrides: false,
    metrics: SEED000_METRICS,
    alpha: 0.05,
    power: 0.8,
    minDetectableEffect: 0.1,
    correction: 'holm',
    sequentialNStar: 5000,
  }
}

/** Seed 000's `Experiment.to_dict()` shape. */
export function toSeed000(e: Experiment): Seed000Experiment {
  return {
    id: e.key,
    name: e.title,
    description: e.description ?? '',
    variants: e.variants.map((v) => ({ name: v.key, model_id: modelId(v.payload) ?? v.key, weight: v.weight })),
    status: STATUS[e.state],
    created_at: e.createdAt,
    started_at: e.startedAt,
    traffic_percentage: e.coverage * 100,
    min_sample_size: MIN_SAMPLE_SIZE,
    confidence_level: 1 - e.alpha,
  }
}

/** The model id a variant's payload carries, if any. */
export function modelId(payload: unknown): string | null {
  const id = (payload as { model_id?: unknown } | undefined)?.model_id
  return typeof id === 'string' ? id : null
}
