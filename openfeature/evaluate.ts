import {
  type EvaluationContext,
  FlagNotFoundError,
  GeneralError,
  InvalidContextError,
  type JsonValue,
  type ResolutionDetails,
  StandardResolutionReasons,
  TargetingKeyMissingError,
  TypeMismatchError,
} from '@openfeature/core'

/** Where edgesplit runs, and how to reach it. */
export type EdgesplitOptions = {
  /** The Worker's base URL, e.g. `https://ab.example.com`. */
  url: string
  /** False: evaluate without counting the exposures of experiment rules (default true, as /v1/flags). */
  track?: boolean
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch
}

/** One flag's answer from `/v1/flags` (src/api/flags-schema.ts). */
export type FlagResult = { type: 'boolean' | 'string' | 'number' | 'json'; value: JsonValue; reason: string; rule?: string; experiment?: string; variant?: string }

/** The OpenFeature type a flag is asked for. */
export type Asked = 'boolean' | 'string' | 'number' | 'object'

// Context keys that are request facts in /v1/flags rather than attributes.
const FACTS = ['country', 'userAgent', 'path', 'host'] as const

/**
 * Evaluates flags (all when `keys` is absent) for an OpenFeature context through `POST /v1/flags`.
 * `targetingKey` is the unit; `country`, `userAgent`, `path`, `host` are request facts; every other
 * string, number or boolean is a targeting attribute (other values cannot be targeted and are left out).
 */
export async function fetchFlags(options: EdgesplitOptions, context: EvaluationContext, keys?: readonly string[]): Promise<Record<string, FlagResult>> {
  const unit = context.targetingKey
  if (!unit) throw new TargetingKeyMissingError('edgesplit needs a targetingKey: the id of the user or device')
  const body: Record<string, unknown> = { unit, attributes: {} as Record<string, string | number | boolean> }
  for (const [name, value] of Object.entries(context)) {
    if (name === 'targetingKey') continue
    if ((FACTS as readonly string[]).includes(name)) body[name] = value
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') (body.attributes as Record<string, unknown>)[name] = value
  }
  if (keys) body.flags = keys
  if (options.track === false) body.track = false
  let res: Response
  try {
    res = await (options.fetch ?? fetch)(`${options.url.replace(/\/+$/, '')}/v1/flags`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  } catch (error) {
    throw new GeneralError(`edgesplit is unreachable: ${(error as Error).message}`)
  }
  const answer = (await res.json().catch(() => null)) as { flags?: Record<string, FlagResult>; error?: { code: string; message: string } } | null
  if (res.ok && answer?.flags) return answer.flags
  const message = answer?.error?.message ?? `HTTP ${res.status}`
  if (answer?.error?.code === 'unknown_flag') throw new FlagNotFoundError(message)
  if (res.status === 400) throw new InvalidContextError(message)
  throw new GeneralError(`edgesplit answered ${res.status}: ${message}`)
}

/** OpenFeature's reason for an edgesplit reason (README, "Flags"). */
export function openFeatureReason(reason: string): string {
  if (reason === 'flag_disabled') return StandardResolutionReasons.DISABLED
  if (reason.startsWith('rule:')) return StandardResolutionReasons.TARGETING_MATCH
  if (reason === 'rollout' || reason === 'experiment') return StandardResolutionReasons.SPLIT
  if (reason === 'error') return StandardResolutionReasons.ERROR
  return StandardResolutionReasons.DEFAULT
}

/**
 * The resolution of one flag asked for as `asked`: its value, OpenFeature's reason, the variant
 * (an experiment's variant, or the rule id), and edgesplit's own reason in the metadata. A missing
 * flag or one of another type throws the OpenFeature error the SDK turns into the caller's default.
 */
export function resolution<T extends JsonValue>(key: string, result: FlagResult | undefined, asked: Asked): ResolutionDetails<T> {
  if (!result) throw new FlagNotFoundError(`flag "${key}" does not exist`)
  const type = result.type === 'json' ? 'object' : result.type
  const fits = type === asked || (asked === 'object' && typeof result.value === 'object' && result.value !== null)
  if (!fits) throw new TypeMismatchError(`flag "${key}" is a ${result.type} flag, asked for as ${asked}`)
  const details: ResolutionDetails<T> = { value: result.value as T, reason: openFeatureReason(result.reason), flagMetadata: { reason: result.reason } }
  if (result.variant ?? result.rule) details.variant = result.variant ?? result.rule
  if (result.experiment) details.flagMetadata = { ...details.flagMetadata, experiment: result.experiment }
  if (result.reason === 'error') details.errorMessage = `the experiment of flag "${key}" could not serve it; its default was served`
  return details
}
