import { buildSnapshot, CONFIG_KV_KEY, type ConfigDoc, type ConfigSnapshot, EMPTY_SNAPSHOT } from './config-doc'

/** How long an isolate trusts its copy of the config (docs/design.md, "Config and failure": at most 30 s). */
export const CONFIG_TTL_MS = 30_000

/**
 * The `cacheTtl` of the isolate's KV read, in seconds: how long the data centre may serve its cached
 * copy. 60 is KV's default, and every KV version accepts it (older ones refuse less than 60; 30 is
 * the minimum of newer ones); stating it makes the bound explicit (README, "Config": a change reaches every isolate within publish delay
 * + KV propagation + this + CONFIG_TTL_MS).
 */
export const CONFIG_KV_CACHE_TTL_S = 60

type Entry = { snapshot: ConfigSnapshot; fetchedAt: number }

// Keyed by the KV binding so tests (and multiple bindings) never share a cache by accident.
const cache = new WeakMap<KVNamespace, Entry>()

/**
 * Isolate-level cache of the config: a warm isolate reads KV at most once per TTL. A failed or
 * corrupt read keeps the last good snapshot. In-flight reads are deliberately not shared between
 * requests: workerd ties a promise to the request that created it.
 */
export class ConfigCache {
  private readonly warn: (message: string) => void
  private readonly ttlMs: number
  private readonly now: () => number
  private readonly onMissing?: () => Promise<ConfigDoc | null>
  private readonly onLoad?: (snapshot: ConfigSnapshot) => void

  constructor(
    private readonly kv: KVNamespace,
    options: {
      warn?: (message: string) => void
      ttlMs?: number
      now?: () => number
      /** Called when KV holds no config at all (the dev server seeds the demo experiments here). */
      onMissing?: () => Promise<ConfigDoc | null>
      /** Called with each snapshot read from KV (once per TTL per isolate), never with the cached one. */
      onLoad?: (snapshot: ConfigSnapshot) => void
    } = {},
  ) {
    this.warn = options.warn ?? ((m) => console.warn(m))
    this.ttlMs = options.ttlMs ?? CONFIG_TTL_MS
    this.now = options.now ?? Date.now
    this.onMissing = options.onMissing
    this.onLoad = options.onLoad
  }

  /**
   * The current snapshot, from the isolate cache when fresh. A KV value older than the cached one
   * (a lower `revision`: KV still behind a write this isolate made and installed, or a data centre
   * serving its cached copy) does not replace it, so an isolate never goes back to an older config.
   */
  async snapshot(): Promise<ConfigSnapshot> {
    const entry = cache.get(this.kv)
    if (entry && this.now() - entry.fetchedAt < this.ttlMs) return entry.snapshot
    const loaded = await this.load(entry?.snapshot)
    const snapshot = entry && (loaded.revision ?? 0) < (entry.snapshot.revision ?? 0) ? entry.snapshot : loaded
    cache.set(this.kv, { snapshot, fetchedAt: this.now() })
    this.onLoad?.(snapshot)
    return snapshot
  }

  /** Installs a document just written, so this isolate sees its own writes at once. */
  replace(doc: ConfigDoc): ConfigSnapshot {
    const snapshot = buildSnapshot(JSON.stringify(doc), cache.get(this.kv)?.snapshot, this.warn)
    cache.set(this.kv, { snapshot, fetchedAt: this.now() })
    return snapshot
  }

  private async load(previous: ConfigSnapshot | undefined): Promise<ConfigSnapshot> {
    try {
      let raw = await this.kv.get(CONFIG_KV_KEY, { cacheTtl: CONFIG_KV_CACHE_TTL_S })
      if (raw === null && this.onMissing) {
        const doc = await this.onMissing()
        if (doc) raw = JSON.stringify(doc)
      }
      return buildSnapshot(raw, previous, this.warn)
    } catch (error) {
      this.warn(`config: reading KV failed (${(error as Error).message}); keeping the last good config`)
      return previous ?? EMPTY_SNAPSHOT
    }
  }
}
