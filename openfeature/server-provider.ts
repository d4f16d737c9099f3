import type { EvaluationContext, JsonValue, Provider, ResolutionDetails } from '@openfeature/server-sdk'
import { type Asked, type EdgesplitOptions, fetchFlags, type FlagResult, resolution } from './evaluate'

/** Options of the server provider: where edgesplit is, and its small cache. */
export type EdgesplitServerOptions = EdgesplitOptions & {
  /** How long an answer is reused for the same flag and context, in ms (default 1000; 0: no cache). */
  cacheTtlMs?: number
  /** How many answers the cache holds (default 1000; the oldest go first). */
  cacheSize?: number
}

/**
 * OpenFeature server provider: every evaluation asks `POST /v1/flags` for that one flag and
 * context, through a small time-bounded cache, so a kill switch is seen within `cacheTtlMs` plus
 * the Worker's config bound.
 * @example OpenFeature.setProvider(new EdgesplitServerProvider({ url: 'https://ab.example.com' }))
 */
export class EdgesplitServerProvider implements Provider {
  readonly metadata = { name: 'edgesplit' } as const
  readonly runsOn = 'server'
  private readonly cache = new Map<string, { at: number; result: Promise<FlagResult | undefined> }>()

  constructor(private readonly options: EdgesplitServerOptions) {}

  resolveBooleanEvaluation(key: string, _default: boolean, context: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return this.resolve(key, context, 'boolean')
  }

  resolveStringEvaluation(key: string, _default: string, context: EvaluationContext): Promise<ResolutionDetails<string>> {
    return this.resolve(key, context, 'string')
  }

  resolveNumberEvaluation(key: string, _default: number, context: EvaluationContext): Promise<ResolutionDetails<number>> {
    return this.resolve(key, context, 'number')
  }

  resolveObjectEvaluation<T extends JsonValue>(key: string, _default: T, context: EvaluationContext): Promise<ResolutionDetails<T>> {
    return this.resolve(key, context, 'object')
  }

  private async resolve<T extends JsonValue>(key: string, context: EvaluationContext, asked: Asked): Promise<ResolutionDetails<T>> {
    return resolution<T>(key, await this.lookup(key, context), asked)
  }

  /** The flag's answer for the context: cached when fresh, else one request (shared by concurrent callers). */
  private lookup(key: string, context: EvaluationContext): Promise<FlagResult | undefined> {
    const ttl = this.options.cacheTtlMs ?? 1000
    const id = JSON.stringify([key, Object.entries(context).sort(([a], [b]) => a.localeCompare(b))])
    const now = Date.now()
    const hit = this.cache.get(id)
    if (hit && now - hit.at < ttl) return hit.result
    const result = fetchFlags(this.options, context, [key]).then((flags) => flags[key])
    if (ttl > 0) {
      this.cache.delete(id)
      this.cache.set(id, { at: now, result })
      // Failures are not remembered: the next call asks again.
      result.catch(() => this.cache.get(id)?.result === result && this.cache.delete(id))
      const max = this.options.cacheSize ?? 1000
      while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!)
    }
    return result
  }
}
