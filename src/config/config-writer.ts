import { DurableObject } from 'cloudflare:workers'
import { banditPolicy } from '../bandit/bandit-policy'
import { type ArmCountsByVariant, type RebalanceOutcome, rebalanceExperiment } from '../bandit/rebalance'
import { counterKeyOf } from '../core/compile'
import { createExperiment, editExperiment } from '../core/edit'
import { DomainError, type DomainErrorKind } from '../core/errors'
import { DEFAULT_SHARDS, type Experiment, ExperimentCreateSchema, ExperimentPatchSchema, ExperimentSchema } from '../core/experiment'
import { type Flag, type FlagChange, FlagCreateSchema, FlagPatchSchema, FlagSchema } from '../core/flag'
import { checkFlagExperiments, createFlag, editFlag, replaceFlag } from '../core/flag-edit'
import { type Transition, transition } from '../core/lifecycle'
import { cryptoRandom, type RandomSource } from '../core/random'
import { parseOrThrow } from '../core/validate'
import { parseCounters, type ParsedCounters } from '../core/counters'
import { selectCounterStore } from '../store/select-store'
import { CONFIG_KV_KEY, type ConfigDoc, revisionOf } from './config-doc'

/**
 * Where the config stands: `latest` is the authoritative document's revision (this Durable Object's
 * storage), `published` the revision last written to KV. They differ for at most about a second
 * after a burst of writes, or longer while KV refuses writes (the alarm keeps retrying).
 */
export type Publication = { published: number; latest: number }

/** A write's outcome; errors travel as data because RPC drops custom error fields. */
export type WriteResult =
  | ({ ok: true; experiment: Experiment | null; doc: ConfigDoc } & Publication)
  | { ok: false; error: { kind: DomainErrorKind; code: string; message: string; details?: unknown } }

/** A flag write's outcome, like WriteResult (`flag` is null after a delete). */
export type FlagWriteResult = ({ ok: true; flag: Flag | null; doc: ConfigDoc } & Publication) | Extract<WriteResult, { ok: false }>

/** How many changes a flag's history keeps (the oldest go first). */
export const FLAG_HISTORY_LIMIT = 50

/** A rebalance's outcome (without the experiment); `doc` is the stored document when it wrote one. */
export type RebalanceResult = { status: RebalanceOutcome['status'] | 'not_found' | 'store_unavailable' | 'changed'; message: string; doc?: ConfigDoc }

/**
 * The deep health check's answer: `kv` is the revision KV holds (null when it holds no config or
 * could not be read), `republished` says whether this check wrote KV (`now`), left it to the alarm
 * because the last write was under a second ago or KV is backing off (`scheduled`), or found KV
 * current (`no`).
 */
export type ConfigSync = Publication & { kv: number | null; republished: 'now' | 'scheduled' | 'no' }

/** KV allows one write per second per key: the ConfigWriter publishes at most this often. */
export const PUBLISH_INTERVAL_MS = 1000
/** The longest wait between retries of a publish KV keeps refusing. */
export const MAX_PUBLISH_BACKOFF_MS = 60_000

/** The publisher's memory: the revision KV holds, when KV was last written (or tried), failures since. */
type PublishState = { revision: number; attemptAt: number; failures: number }

const DOC_KEY = 'doc'
const SEEDED_KEY = 'seeded'
const PUBLISH_KEY = 'publish'
const flagHistoryKey = (key: string) => `flag-history:${key}`

/**
 * When the next KV write may happen: a second after the last attempt, or longer (doubling, up to a
 * minute) after failures. A last attempt that lies in the future (the clock moved back) is not
 * trusted: the write may happen now, and restarts the count.
 */
export function nextPublishAt(state: PublishState, now: number): number {
  if (state.attemptAt > now) return now
  const wait = state.failures === 0 ? PUBLISH_INTERVAL_MS : Math.min(PUBLISH_INTERVAL_MS * 2 ** state.failures, MAX_PUBLISH_BACKOFF_MS)
  return state.attemptAt + wait
}

/**
 * The single writer of experiment config. KV has no compare-and-swap, so every edit goes through
 * this one Durable Object: it checks the experiment's version (optimistic concurrency), applies the
 * pure lifecycle/edit rules, keeps the authoritative document in its SQLite storage, and publishes
 * the whole document to KV, which the hot path reads. Edits are rare, so one global instance is
 * plenty, and running each write under blockConcurrencyWhile keeps KV publishes in order.
 *
 * KV allows one write per second per key, and a create-then-start, an edit-then-transition or a
 * bandit period writes back to back. So a write stores the document (with a new `revision`) and
 * publishes at once only when KV was last written a second ago or more; otherwise it sets an alarm
 * for that second, and the alarm publishes the latest revision (a burst becomes one KV write). A
 * failed publish never fails the write — the document is stored, the caller's isolate installs it —
 * and the alarm retries with backoff. `sync()` (GET /health?deep=1) republishes when KV is behind.
 */
export class ConfigWriter extends DurableObject<Env> {
  /**
   * Experiment bodies a development deployment starts with when it finds no config: injected by the
   * composition root (src/index.ts gives the demo's), so this class knows nothing of the demo.
   */
  protected async developmentSeed(): Promise<readonly unknown[]> {
    return []
  }

  /** Shards of an experiment created without `shards`: COUNTER_SHARDS (checked by src/env.ts), else DEFAULT_SHARDS. */
  private defaultShards(): number {
    return Number(this.env.COUNTER_SHARDS) || DEFAULT_SHARDS
  }

  /** The authoritative document (adopting what KV holds the first time). */
  async read(): Promise<ConfigDoc> {
    return this.load()
  }

  /** Creates an experiment in draft; refuses a key that exists. */
  async create(body: unknown): Promise<WriteResult> {
    return this.write(async (doc, now) => {
      const input = parseOrThrow(ExperimentCreateSchema, body)
      if (experimentOf(doc, input.key)) throw new DomainError('conflict', 'already_exists', `experiment "${input.key}" already exists`)
      return createExperiment(input, now, undefined, this.defaultShards())
    })
  }

  /** Edits an experiment, optionally only if it is still at `expectedVersion`. */
  async edit(key: string, body: unknown, expectedVersion?: number): Promise<WriteResult> {
    return this.write(async (doc, now) => {
      const patch = parseOrThrow(ExperimentPatchSchema, body)
      const current = this.find(doc, key, expectedVersion ?? patch.version)
      return editExperiment(current, patch, now)
    })
  }

  /**
   * Moves an experiment through its lifecycle. When the move raises the epoch (start, restart), the
   * counter store is told at once, so isolates still caching the old epoch for up to 30 s record
   * newly exposed units under the new one (src/store/counter-store.ts).
   */
  async transition(key: string, t: Transition, expectedVersion?: number): Promise<WriteResult> {
    let raised = false
    const result = await this.write(async (doc, now) => {
      const current = this.find(doc, key, expectedVersion)
      const next = transition(current, t, now)
      raised = next.epoch > current.epoch
      return { ...next, version: current.version + 1, updatedAt: now.toISOString() }
    })
    if (result.ok && result.experiment && raised) await this.advanceEpoch(result.experiment)
    return result
  }

  /** Deletes a draft or stopped experiment. */
  async remove(key: string, expectedVersion?: number): Promise<WriteResult> {
    return this.write(async (doc) => {
      const current = this.find(doc, key, expectedVersion)
      if (current.state !== 'draft' && current.state !== 'stopped') {
        throw new DomainError('conflict', 'experiment_active', `experiment "${key}" is ${current.state}; stop it before deleting it`)
      }
      delete doc.experiments[key]
      return null
    })
  }

  /**
   * Creates the flag `key` from a full body, or replaces it (keeping its creation time, counting its
   * version), optionally only if it is still at `expectedVersion`.
   */
  async putFlag(key: string, body: unknown, expectedVersion?: number): Promise<FlagWriteResult> {
    return this.writeFlag(key, async (doc, now) => {
      const input = parseOrThrow(FlagCreateSchema, { ...(body as object), key })
      if ((body as { key?: unknown })?.key !== undefined && (body as { key?: unknown }).key !== key) {
        throw new DomainError('invalid', 'invalid_request', `key: the body names "${String((body as { key?: unknown }).key)}" but the path names "${key}"`)
      }
      const current = flagOf(doc, key)
      // Version 0 is "not yet created": `If-Match: "0"` creates and never replaces.
      if (current && expectedVersion === 0) throw new DomainError('conflict', 'already_exists', `flag "${key}" already exists`)
      if (!current) {
        if (expectedVersion) throw new DomainError('precondition_failed', 'version_conflict', `flag "${key}" does not exist, so it is not at version ${expectedVersion}`)
        return { action: 'create', flag: createFlag(input, now) }
      }
      const found = this.findFlag(doc, key, expectedVersion)
      return { action: 'edit', flag: replaceFlag(found, input, now) }
    })
  }

  /** Edits a flag, optionally only if it is still at `expectedVersion`. */
  async editFlag(key: string, body: unknown, expectedVersion?: number): Promise<FlagWriteResult> {
    return this.writeFlag(key, async (doc, now) => {
      const patch = parseOrThrow(FlagPatchSchema, body)
      return { action: 'edit', flag: editFlag(this.findFlag(doc, key, expectedVersion ?? patch.version), patch, now) }
    })
  }

  /** The kill switch (and its undo): one write that turns a flag off or on; a no-op when it already is. */
  async setFlagEnabled(key: string, enabled: boolean, expectedVersion?: number): Promise<FlagWriteResult> {
    return this.writeFlag(key, async (doc, now) => {
      const current = this.findFlag(doc, key, expectedVersion)
      return { action: enabled ? 'enable' : 'disable', flag: current.enabled === enabled ? current : editFlag(current, { enabled }, now) }
    })
  }

  /** Deletes a flag (its history stays, ending with the delete). */
  async removeFlag(key: string, expectedVersion?: number): Promise<FlagWriteResult> {
    return this.writeFlag(key, async (doc) => {
      this.findFlag(doc, key, expectedVersion)
      delete doc.flags![key]
      return { action: 'delete', flag: null }
    })
  }

  /** A flag's changes, newest first (at most FLAG_HISTORY_LIMIT). */
  async flagHistory(key: string): Promise<FlagChange[]> {
    return ((await this.ctx.storage.get<FlagChange[]>(flagHistoryKey(key))) ?? []).slice().reverse()
  }

  /**
   * The bandit step for one experiment (src/bandit/rebalance.ts), called lazily by isolates that see it
   * due. The period is re-checked here, where writes are serialised, so when many isolates ask at
   * once one recomputes and the rest get `not_due`; concurrent calls in this instance share one run.
   * Counts are read outside the write lock (a store read can take up to its 1 s guard), and the
   * result is dropped as `changed` if the experiment was edited meanwhile.
   */
  async rebalance(key: string): Promise<RebalanceResult> {
    const running = this.rebalancing.get(key)
    if (running) return running
    const work = this.rebalanceOnce(key).finally(() => this.rebalancing.delete(key))
    this.rebalancing.set(key, work)
    return work
  }

  /** The random source of bandit draws; replaced by tests for reproducible Thompson weights. */
  random: () => RandomSource = cryptoRandom

  /** The KV namespace the document is published to; replaced by tests with a failing or recording one. */
  publishTarget: () => KVNamespace = () => this.env.CONFIG

  /**
   * Publishes the latest revision if KV is behind it (a burst's coalesced write, or the retry of a
   * failed one). Failures reschedule with backoff rather than throw, so the runtime's own alarm
   * retries (a few, then given up) never decide when KV is written.
   */
  override async alarm(): Promise<void> {
    await this.ctx.blockConcurrencyWhile(async () => {
      const doc = await this.load()
      const state = await this.publishState()
      if (state.revision === revisionOf(doc)) return
      await this.publishOrSchedule(doc, state)
    })
  }

  /**
   * Compares the revision KV holds with the latest and republishes when KV is behind (or holds no
   * config), within the one-write-per-second limit: at once, or by the alarm.
   */
  async sync(): Promise<ConfigSync> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const doc = await this.load()
      const latest = revisionOf(doc)
      let state = await this.publishState()
      // What KV holds: -1 for nothing; undefined when it cannot be read (then the last publish is trusted).
      const raw = await this.publishTarget()
        .get<{ revision?: unknown }>(CONFIG_KV_KEY, 'json')
        .then((v) => (v === null ? -1 : revisionOf(v)))
        .catch(() => undefined)
      const kv = raw === undefined || raw < 0 ? null : raw
      const kvRevision = raw ?? state.revision
      if (kvRevision >= latest) return { published: state.revision, latest, kv, republished: 'no' }
      // KV is behind what this object believes it published (lost, overwritten, or never written):
      // remember so, so the alarm keeps at it should this attempt wait or fail.
      if (state.revision !== kvRevision) await this.ctx.storage.put(PUBLISH_KEY, (state = { ...state, revision: kvRevision }))
      const publication = await this.publishOrSchedule(doc, state)
      const published = publication.published === latest
      return { ...publication, kv: published ? latest : kv, republished: published ? 'now' : 'scheduled' }
    })
  }

  private readonly rebalancing = new Map<string, Promise<RebalanceResult>>()

  private async rebalanceOnce(key: string): Promise<RebalanceResult> {
    const before = experimentOf(await this.load(), key)
    if (!before) return { status: 'not_found', message: `experiment "${key}" does not exist` }
    // A dry run with no counts answers not_bandit / not_running / not_due without touching the store.
    const precheck = rebalanceExperiment(before, {}, new Date(), () => 0.5)
    if (precheck.status === 'not_bandit' || precheck.status === 'not_running' || precheck.status === 'not_due') return { status: precheck.status, message: precheck.message }
    let counters: ParsedCounters
    try {
      counters = parseCounters(await selectCounterStore(this.env).getCounters(counterKeyOf(before)))
    } catch (error) {
      return { status: 'store_unavailable', message: `bandit: reading the counts of "${key}" failed (${(error as Error).message}); will retry` }
    }
    return this.ctx.blockConcurrencyWhile(async () => {
      const doc = await this.load()
      const current = experimentOf(doc, key)
      if (!current || current.id !== before.id || current.version !== before.version) return { status: 'changed', message: `experiment "${key}" changed while its counts were read; the next check retries` }
      const outcome = rebalanceExperiment(current, armCounts(current, counters), new Date(), this.random())
      if (!('experiment' in outcome)) return { status: outcome.status, message: outcome.message }
      doc.experiments[key] = outcome.experiment
      await this.save(doc)
      return { status: outcome.status, message: outcome.message, doc }
    })
  }

  private async write(mutate: (doc: ConfigDoc, now: Date) => Promise<Experiment | null>): Promise<WriteResult> {
    return this.ctx.blockConcurrencyWhile(async () => {
      try {
        const doc = await this.load()
        const experiment = await mutate(doc, new Date())
        if (experiment) doc.experiments[experiment.key] = experiment
        const publication = await this.save(doc)
        return { ok: true, experiment, doc, ...publication }
      } catch (error) {
        if (error instanceof DomainError) return { ok: false, error: { kind: error.kind, code: error.code, message: error.message, details: error.details } }
        throw error
      }
    })
  }

  /**
   * A flag write under the same lock, revision and publish as experiment writes, recording the change
   * in the flag's history when the version moved (or the flag was deleted).
   */
  private async writeFlag(key: string, mutate: (doc: ConfigDoc, now: Date) => Promise<{ action: FlagChange['action']; flag: Flag | null }>): Promise<FlagWriteResult> {
    return this.ctx.blockConcurrencyWhile(async () => {
      try {
        const doc = await this.load()
        doc.flags ??= {}
        const now = new Date()
        const before = flagOf(doc, key)
        const { action, flag } = await mutate(doc, now)
        if (flag) {
          // The kill switch must work even when a rule's experiment has since been deleted.
          if (action !== 'disable' && action !== 'enable') checkFlagExperiments(flag, (k) => experimentOf(doc, k))
          if (before?.version === flag.version) return { ok: true, flag, doc, published: (await this.publishState()).revision, latest: revisionOf(doc) }
          doc.flags[key] = flag
        }
        const publication = await this.save(doc)
        const history = (await this.ctx.storage.get<FlagChange[]>(flagHistoryKey(key))) ?? []
        history.push({ version: flag?.version ?? before?.version ?? 0, at: now.toISOString(), action, flag })
        await this.ctx.storage.put(flagHistoryKey(key), history.slice(-FLAG_HISTORY_LIMIT))
        return { ok: true, flag, doc, ...publication }
      } catch (error) {
        if (error instanceof DomainError) return { ok: false, error: { kind: error.kind, code: error.code, message: error.message, details: error.details } }
        throw error
      }
    })
  }

  private findFlag(doc: ConfigDoc, key: string, expectedVersion: number | undefined): Flag {
    const current = flagOf(doc, key)
    if (!current) throw new DomainError('not_found', 'not_found', `flag "${key}" does not exist`)
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new DomainError('precondition_failed', 'version_conflict', `flag "${key}" is at version ${current.version}, not ${expectedVersion}: someone else changed it; reload and retry`)
    }
    return current
  }

  // Best effort, outside the write lock: the first write that carries the new epoch advances the
  // store anyway, so a failure only leaves the ≤ 30 s window open, and is logged.
  private async advanceEpoch(e: Experiment): Promise<void> {
    try {
      await selectCounterStore(this.env).advanceEpoch(counterKeyOf(e), e.epoch)
    } catch (error) {
      console.warn(`config: telling the counter store that "${e.key}" is now in epoch ${e.epoch} failed (${(error as Error).message}); its next write will`)
    }
  }

  private find(doc: ConfigDoc, key: string, expectedVersion: number | undefined): Experiment {
    const current = experimentOf(doc, key)
    if (!current) throw new DomainError('not_found', 'not_found', `experiment "${key}" does not exist`)
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new DomainError(
        'precondition_failed',
        'version_conflict',
        `experiment "${key}" is at version ${current.version}, not ${expectedVersion}: someone else changed it; reload and retry`,
      )
    }
    return current
  }

  private async load(): Promise<ConfigDoc> {
    const stored = await this.ctx.storage.get<ConfigDoc>(DOC_KEY)
    if (stored) return stored
    // First use: adopt whatever valid experiments KV already holds (e.g. written by hand).
    const raw = await this.publishTarget()
      .get<{ experiments?: Record<string, unknown>; flags?: Record<string, unknown>; revision?: unknown }>(CONFIG_KV_KEY, 'json')
      .catch(() => null)
    const doc: ConfigDoc = { experiments: {}, revision: revisionOf(raw) }
    for (const [key, value] of Object.entries(raw?.experiments ?? {})) {
      const parsed = ExperimentSchema.safeParse(value)
      if (parsed.success && parsed.data.key === key) doc.experiments[key] = parsed.data
    }
    for (const [key, value] of Object.entries(raw?.flags ?? {})) {
      const parsed = FlagSchema.safeParse(value)
      if (parsed.success && parsed.data.key === key) (doc.flags ??= {})[key] = parsed.data
    }
    // A development deployment starts with the seed experiments, once: deleting them later keeps them gone.
    const seed = Object.keys(doc.experiments).length === 0 && this.env.ENVIRONMENT === 'development' && !(await this.ctx.storage.get(SEEDED_KEY)) ? await this.developmentSeed() : []
    if (seed.length > 0) {
      const now = new Date()
      for (const body of seed) {
        const draft = createExperiment(parseOrThrow(ExperimentCreateSchema, body), now, undefined, this.defaultShards())
        doc.experiments[draft.key] = { ...transition(draft, { to: 'running' }, now), version: 2 }
      }
      await this.ctx.storage.put(SEEDED_KEY, true)
      await this.save(doc)
    }
    return doc
  }

  /** Stores the document as the next revision, then publishes it or leaves it to the alarm. */
  private async save(doc: ConfigDoc): Promise<Publication> {
    doc.revision = revisionOf(doc) + 1
    await this.ctx.storage.put(DOC_KEY, doc)
    return this.publishOrSchedule(doc, await this.publishState())
  }

  /** What was last published; before any publish, whatever revision the stored document has (0 for none). */
  private async publishState(): Promise<PublishState> {
    return (await this.ctx.storage.get<PublishState>(PUBLISH_KEY)) ?? { revision: 0, attemptAt: 0, failures: 0 }
  }

  /** Writes `doc` to KV if the rate limit (and any backoff) allows, else sets the alarm for when it does. */
  private async publishOrSchedule(doc: ConfigDoc, state: PublishState): Promise<Publication> {
    const now = Date.now()
    const at = nextPublishAt(state, now)
    if (now < at) {
      await this.alarmBy(at)
      return { published: state.revision, latest: revisionOf(doc) }
    }
    const next: PublishState = { revision: state.revision, attemptAt: now, failures: 0 }
    try {
      await this.publishTarget().put(CONFIG_KV_KEY, JSON.stringify(doc))
      next.revision = revisionOf(doc)
    } catch (error) {
      next.failures = state.failures + 1
      console.warn(`config: publishing revision ${revisionOf(doc)} to KV failed (${(error as Error).message}); the alarm retries`)
    }
    await this.ctx.storage.put(PUBLISH_KEY, next)
    if (next.failures > 0) await this.alarmBy(nextPublishAt(next, now))
    return { published: next.revision, latest: revisionOf(doc) }
  }

  /** Makes sure an alarm fires no later than `at` (an earlier one finds it is early and moves itself). */
  private async alarmBy(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at) await this.ctx.storage.setAlarm(at)
  }
}

/**
 * The experiment stored under `key`, if any. Keys such as "constructor" are valid experiment keys,
 * so a plain lookup would hand back a member of Object.prototype.
 */
export function experimentOf(doc: ConfigDoc, key: string): Experiment | undefined {
  return Object.hasOwn(doc.experiments, key) ? doc.experiments[key] : undefined
}

/** The flag stored under `key`, if any (an own-property lookup, like experimentOf). */
export function flagOf(doc: ConfigDoc, key: string): Flag | undefined {
  return doc.flags && Object.hasOwn(doc.flags, key) ? doc.flags[key] : undefined
}

/** Units and converters on the bandit's metric per variant, in the experiment's current epoch. */
function armCounts(e: Experiment, counters: ParsedCounters): ArmCountsByVariant {
  const metric = banditPolicy(e)?.metric ?? ''
  const epoch = counters.epochs[e.epoch]
  return Object.fromEntries(
    e.variants.map((v) => {
      const c = epoch?.variants[v.key]
      return [v.key, { units: c?.exposures ?? 0, conversions: c?.metrics[metric]?.converters ?? 0 }]
    }),
  )
}
