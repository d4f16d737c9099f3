import { DomainError } from '../core/errors'
import type { Experiment } from '../core/experiment'
import type { Transition } from '../core/lifecycle'
import type { ConfigCache } from '../config/config-cache'
import { experimentOf, type Publication, type WriteResult } from '../config/config-writer'
import type { ConfigWriterApi } from '../config/config-writer-api'

/** The message of a missing experiment, for adapters whose clients expect their own wording. */
export type NotFoundMessage = (key: string) => string

const notFound: NotFoundMessage = (key) => `experiment "${key}" does not exist`

/**
 * Experiment management over the ConfigWriter, the single writer of config (docs/design.md,
 * "Config and failure"): every write's refusal becomes a DomainError, and every document the
 * writer hands back is installed in this isolate's config cache, so the isolate sees its own
 * writes at once.
 */
export class Experiments {
  /**
   * Where the config stood after this request's last successful write (`published` = the revision
   * in KV, `latest` = the stored one); src/services.ts reports it in response headers.
   */
  publication: Publication | undefined

  /** `writer` is called only when the writer is needed (its stub is made on first use). */
  constructor(
    private readonly writer: () => ConfigWriterApi,
    private readonly config: ConfigCache,
  ) {}

  /** Every experiment, newest first (ties by key); refreshes the cache. */
  async list(): Promise<Experiment[]> {
    const doc = await this.writer().read()
    this.config.replace(doc)
    return Object.values(doc.experiments).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.key.localeCompare(b.key))
  }

  /** The experiment under `key` in the authoritative document, if any. */
  async find(key: string): Promise<Experiment | undefined> {
    return experimentOf(await this.writer().read(), key)
  }

  /** The experiment under `key`, or a 404 refusal (`message` words it for the caller's API). */
  async get(key: string, message: NotFoundMessage = notFound): Promise<Experiment> {
    const experiment = await this.find(key)
    if (!experiment) throw new DomainError('not_found', 'not_found', message(key))
    return experiment
  }

  /** Creates an experiment (in draft) from a create body the writer validates. */
  async create(body: unknown): Promise<Experiment> {
    return this.written(await this.writer().create(body))
  }

  /** Applies a patch; `expectedVersion` (If-Match) makes it conditional. */
  async edit(key: string, patch: unknown, expectedVersion?: number): Promise<Experiment> {
    return this.written(await this.writer().edit(key, patch, expectedVersion))
  }

  /** Moves an experiment through its lifecycle (docs/design.md, "Lifecycle and epochs"). */
  async transition(key: string, to: Transition, expectedVersion?: number): Promise<Experiment> {
    return this.written(await this.writer().transition(key, to, expectedVersion))
  }

  /** Deletes an experiment; its counters stay with its instance and are never reused. */
  async remove(key: string, expectedVersion?: number): Promise<void> {
    this.applied(await this.writer().remove(key, expectedVersion))
  }

  /** Unwraps a write that names its experiment. */
  private written(result: WriteResult): Experiment {
    const experiment = this.applied(result)
    if (!experiment) throw new Error('the ConfigWriter answered a write without its experiment')
    return experiment
  }

  /** Unwraps a ConfigWriter result: installs its document in the cache, or throws its refusal. */
  private applied(result: WriteResult): Experiment | null {
    if (!result.ok) throw new DomainError(result.error.kind, result.error.code, result.error.message, result.error.details)
    this.config.replace(result.doc)
    this.publication = { published: result.published, latest: result.latest }
    return result.experiment
  }
}
