import { isRecord } from '../core/is-record'
import { type CompiledExperiment, compileExperiment } from '../core/compile'
import { type Experiment, ExperimentSchema } from '../core/experiment'
import { type Flag, FlagSchema } from '../core/flag'
import { type CompiledFlag, compileFlag } from '../core/flag-evaluate'
import { describeIssues } from '../core/validate'

/**
 * KV layout: one value, `config:v1`, holding `{ "experiments": { "<key>": Experiment }, "flags": { "<key>": Flag }, "revision": n }`.
 * One value means one KV read refreshes an isolate's whole view (the middleware needs every
 * running experiment per request). The ConfigWriter Durable Object is its only writer.
 */
export const CONFIG_KV_KEY = 'config:v1'

/**
 * The stored configuration document. `revision` counts the ConfigWriter's writes (absent in documents
 * written before it existed: read as 0); readers of KV look only at `experiments`, so it is optional
 * and any other top-level field is ignored. `flags` is absent in documents written before flags existed
 * (read as none).
 */
export type ConfigDoc = { experiments: Record<string, Experiment>; flags?: Record<string, Flag>; revision?: number }

/** A document's revision: 0 when it has none (written before revisions existed, or by hand). */
export function revisionOf(doc: { revision?: unknown } | null | undefined): number {
  const r = doc?.revision
  return typeof r === 'number' && Number.isSafeInteger(r) && r >= 0 ? r : 0
}

/** An experiment whose stored value failed validation and had no last good version. */
export type BrokenExperiment = { key: string; fallback: string | null; problem: string }

/** What the hot path reads: compiled experiments, plus the ones that could not be loaded. */
export type ConfigSnapshot = {
  readonly experiments: ReadonlyMap<string, CompiledExperiment>
  readonly broken: ReadonlyMap<string, BrokenExperiment>
  /** Experiments a request gets when it names none: running, paused or rolled out. */
  readonly active: readonly CompiledExperiment[]
  /** The document's revision (0 or absent: none recorded). */
  readonly revision?: number
  /** Feature flags by key, compiled (absent: none). */
  readonly flags?: ReadonlyMap<string, CompiledFlag>
}

/** An empty snapshot: no experiments. */
export const EMPTY_SNAPSHOT: ConfigSnapshot = { experiments: new Map(), broken: new Map(), active: [] }

/**
 * Validates a raw KV value experiment by experiment, so one corrupt entry never hides the others;
 * a corrupt entry falls back to its last good version from `previous`, if any, with a warning.
 */
export function buildSnapshot(raw: string | null, previous: ConfigSnapshot | undefined, warn: (message: string) => void): ConfigSnapshot {
  if (raw === null) return EMPTY_SNAPSHOT
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (error) {
    warn(`config: ${CONFIG_KV_KEY} is not valid JSON (${(error as Error).message}); keeping the last good config`)
    return previous ?? EMPTY_SNAPSHOT
  }
  const entries = (parsed as { experiments?: unknown } | null)?.experiments
  if (!isRecord(entries)) {
    warn(`config: ${CONFIG_KV_KEY} has no "experiments" object; keeping the last good config`)
    return previous ?? EMPTY_SNAPSHOT
  }
  const experiments = new Map<string, CompiledExperiment>()
  const broken = new Map<string, BrokenExperiment>()
  for (const [key, value] of Object.entries(entries)) {
    const result = ExperimentSchema.safeParse(value)
    if (result.success && result.data.key === key) {
      experiments.set(key, compileExperiment(result.data))
      continue
    }
    const problem = result.success ? `stored under "${key}" but its key is "${result.data.key}"` : describeIssues(result.error.issues).join('; ')
    const lastGood = previous?.experiments.get(key)
    warn(`config: experiment "${key}" is invalid (${problem}); ${lastGood ? 'serving its last good version' : 'serving its fallback'}`)
    if (lastGood) experiments.set(key, lastGood)
    else {
      const fallback = (value as { fallback?: unknown } | null)?.fallback
      broken.set(key, { key, fallback: typeof fallback === 'string' ? fallback : null, problem })
    }
  }
  const active = [...experiments.values()].filter((c) => ['running', 'paused', 'rollout'].includes(c.experiment.state))
  const flags = buildFlags((parsed as { flags?: unknown }).flags, previous, warn)
  return { experiments, broken, active, revision: revisionOf(parsed as { revision?: unknown }), flags }
}

/** Validates the flags flag by flag; a corrupt one keeps its last good version, or is left out (unknown to evaluation). */
function buildFlags(entries: unknown, previous: ConfigSnapshot | undefined, warn: (message: string) => void): Map<string, CompiledFlag> {
  const flags = new Map<string, CompiledFlag>()
  if (!isRecord(entries)) return flags
  for (const [key, value] of Object.entries(entries)) {
    const result = FlagSchema.safeParse(value)
    if (result.success && result.data.key === key) {
      flags.set(key, compileFlag(result.data))
      continue
    }
    const lastGood = previous?.flags?.get(key)
    warn(`config: flag "${key}" is invalid (${result.success ? `stored under "${key}" but its key is "${result.data.key}"` : describeIssues(result.error.issues).join('; ')}); ${lastGood ? 'serving its last good version' : 'leaving it out'}`)
    if (lastGood) flags.set(key, lastGood)
  }
  return flags
}
