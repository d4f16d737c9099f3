import { DomainError } from '../core/errors'
import type { Flag, FlagChange } from '../core/flag'
import type { ConfigCache } from '../config/config-cache'
import { flagOf, type FlagWriteResult, type Publication } from '../config/config-writer'
import type { FlagWriterApi } from '../config/config-writer-api'

/**
 * Flag management over the ConfigWriter, the single writer of config (as Experiments): refusals
 * become DomainErrors and every document written is installed in this isolate's config cache, so a
 * kill switch takes effect here at once and everywhere within the config cache's bound.
 */
export class Flags {
  /** Where the config stood after this request's last successful write (reported in response headers). */
  publication: Publication | undefined

  constructor(
    private readonly writer: () => FlagWriterApi,
    private readonly config: ConfigCache,
  ) {}

  /** Every flag, by key. */
  async list(): Promise<Flag[]> {
    const doc = await this.writer().read()
    this.config.replace(doc)
    return Object.values(doc.flags ?? {}).sort((a, b) => a.key.localeCompare(b.key))
  }

  /** The flag under `key`, or a 404 refusal. */
  async get(key: string): Promise<Flag> {
    const flag = flagOf(await this.writer().read(), key)
    if (!flag) throw new DomainError('not_found', 'not_found', `flag "${key}" does not exist`)
    return flag
  }

  /** Creates the flag `key` or replaces it whole (a body the writer validates; `expectedVersion` from If-Match). */
  async put(key: string, body: unknown, expectedVersion?: number): Promise<Flag> {
    return this.written(await this.writer().putFlag(key, body, expectedVersion))
  }

  /** Applies a patch; `expectedVersion` (If-Match) makes it conditional. */
  async edit(key: string, patch: unknown, expectedVersion?: number): Promise<Flag> {
    return this.written(await this.writer().editFlag(key, patch, expectedVersion))
  }

  /** The kill switch (`enabled` false) and its undo: one write, recorded in the flag's history. */
  async setEnabled(key: string, enabled: boolean, expectedVersion?: number): Promise<Flag> {
    return this.written(await this.writer().setFlagEnabled(key, enabled, expectedVersion))
  }

  /** Deletes a flag. */
  async remove(key: string, expectedVersion?: number): Promise<void> {
    this.applied(await this.writer().removeFlag(key, expectedVersion))
  }

  /** A flag's changes, newest first; a 404 for a key that never had any. */
  async history(key: string): Promise<FlagChange[]> {
    const changes = await this.writer().flagHistory(key)
    if (changes.length === 0) throw new DomainError('not_found', 'not_found', `flag "${key}" has no history`)
    return changes
  }

  private written(result: FlagWriteResult): Flag {
    const flag = this.applied(result)
    if (!flag) throw new Error('the ConfigWriter answered a flag write without its flag')
    return flag
  }

  private applied(result: FlagWriteResult): Flag | null {
    if (!result.ok) throw new DomainError(result.error.kind, result.error.code, result.error.message, result.error.details)
    this.config.replace(result.doc)
    this.publication = { published: result.published, latest: result.latest }
    return result.flag
  }
}
