import { banditPolicy, nextRebalanceAt } from '../bandit/bandit-policy'
import type { ConfigWriterApi } from '../config/config-writer-api'
import type { ConfigCache } from '../config/config-cache'
import { CONFIG_TTL_MS } from '../config/config-cache'
import type { ConfigSnapshot } from '../config/config-doc'

// When this isolate last asked for each experiment: concurrent requests that all refresh an expired
// cache would otherwise each send the same RPC. The ConfigWriter re-checks the period anyway.
const asked = new Map<string, number>()

/**
 * Keys of running bandit experiments whose period has passed, not asked for by this isolate within
 * the config TTL. Pure computation over the compiled snapshot: no I/O.
 * @example dueBandits(snapshot, Date.now()) // ['checkout_button']
 */
export function dueBandits(snapshot: ConfigSnapshot, now: number): string[] {
  const due: string[] = []
  for (const c of snapshot.active) {
    const policy = c.adaptive && c.experiment.state === 'running' ? banditPolicy(c.experiment) : null
    if (!policy || now < nextRebalanceAt(c.experiment, policy)) continue
    const key = c.experiment.key
    if (now - (asked.get(key) ?? -Infinity) < CONFIG_TTL_MS) continue
    asked.set(key, now)
    due.push(key)
  }
  return due
}

/**
 * Asks the ConfigWriter to run the bandit step for each key (one at a time: they share one Durable
 * Object) and installs any document it published, so this isolate serves the new weights at once
 * while the others pick them up from KV within the config TTL.
 */
export async function rebalanceDue(writer: ConfigWriterApi, config: ConfigCache, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    const result = await writer.rebalance(key)
    if (result.doc) config.replace(result.doc)
    if (result.status === 'store_unavailable') console.warn(result.message)
    else if (result.status === 'reweighted' || result.status === 'burn_in' || result.status === 'unchanged') console.log(`bandit: ${key}: ${result.message}`)
  }
}
