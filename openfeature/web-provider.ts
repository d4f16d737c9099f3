import { type EvaluationContext, FlagNotFoundError, type JsonValue, type Provider, ProviderFatalError, type ResolutionDetails } from '@openfeature/web-sdk'
import { type Asked, type EdgesplitOptions, fetchFlags, type FlagResult, resolution } from './evaluate'

/**
 * OpenFeature web provider: one `POST /v1/flags` for every flag when the provider starts and each
 * time the context changes; evaluations then read that answer synchronously (the static-context
 * model of the web SDK).
 * @example await OpenFeature.setProviderAndWait(new EdgesplitWebProvider({ url: 'https://ab.example.com' }), { targetingKey: 'user-1' })
 */
export class EdgesplitWebProvider implements Provider {
  readonly metadata = { name: 'edgesplit' } as const
  readonly runsOn = 'client'
  private flags: Record<string, FlagResult> | undefined

  constructor(private readonly options: EdgesplitOptions) {}

  /** Fetches every flag for the first context. */
  async initialize(context: EvaluationContext = {}): Promise<void> {
    this.flags = await fetchFlags(this.options, context)
  }

  /** Fetches every flag again for the new context (the SDK reports RECONCILING until it resolves). */
  async onContextChange(_old: EvaluationContext, context: EvaluationContext): Promise<void> {
    this.flags = await fetchFlags(this.options, context)
  }

  resolveBooleanEvaluation(key: string): ResolutionDetails<boolean> {
    return this.resolve(key, 'boolean')
  }

  resolveStringEvaluation(key: string): ResolutionDetails<string> {
    return this.resolve(key, 'string')
  }

  resolveNumberEvaluation(key: string): ResolutionDetails<number> {
    return this.resolve(key, 'number')
  }

  resolveObjectEvaluation<T extends JsonValue>(key: string): ResolutionDetails<T> {
    return this.resolve(key, 'object')
  }

  private resolve<T extends JsonValue>(key: string, asked: Asked): ResolutionDetails<T> {
    if (!this.flags) throw new ProviderFatalError('the edgesplit provider has no flags: initialize() failed or was not awaited')
    if (!Object.hasOwn(this.flags, key)) throw new FlagNotFoundError(`flag "${key}" does not exist`)
    return resolution<T>(key, this.flags[key], asked)
  }
}
