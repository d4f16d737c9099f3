/**
 * The counter key: the one string that names an experiment instance's counters in the store and
 * how they are laid out. `<key>:<id>` (or the bare key, for documents stored before instance ids)
 * is kept in one shard, exactly as before sharding existed; `<key>:<id>/<N>` is spread over N
 * shards named `<key>:<id>:<i>`; `<key>:<id>/<N>p` is spread over N shards too, which the embedded
 * store keeps in objects shared by every pooled experiment with N shards (docs/scale.md, "Pooled
 * counter objects"). Keys and ids never contain "/" or a second ":", so no two forms collide.
 */

/**
 * An experiment's counters as the store lays them out: the base name, the number of shards, and
 * whether the embedded store pools them with other experiments' (Redis keys do not depend on it).
 */
export type CounterLayout = { readonly base: string; readonly shards: number; readonly pooled: boolean }

/**
 * The counter key of an experiment instance with `shards` shards (1, or absent, and not pooled, is
 * the layout before sharding, so existing counts stay where they are).
 * @example formatCounterKey('moon_mars:1b4e28ba', 32) // 'moon_mars:1b4e28ba/32'
 * @example formatCounterKey('moon_mars:1b4e28ba', 4, true) // 'moon_mars:1b4e28ba/4p'
 */
export function formatCounterKey(base: string, shards = 1, pooled = false): string {
  if (pooled) return `${base}/${shards}p`
  return shards > 1 ? `${base}/${shards}` : base
}

// Layouts by counter key: the exposure path asks once per exposure and per routing step.
const layouts = new Map<string, CounterLayout>()
const MAX_LAYOUTS = 1024

/**
 * The layout a counter key names; a key without a valid `/<N>` or `/<N>p` suffix is one unpooled shard.
 * @example counterLayout('moon_mars:1b4e28ba/32') // { base: 'moon_mars:1b4e28ba', shards: 32, pooled: false }
 */
export function counterLayout(counterKey: string): CounterLayout {
  let layout = layouts.get(counterKey)
  if (layout === undefined) {
    // An isolate sees a handful of counter keys; the bound only keeps a pathological one small.
    if (layouts.size >= MAX_LAYOUTS) layouts.clear()
    layouts.set(counterKey, (layout = parseLayout(counterKey)))
  }
  return layout
}

function parseLayout(counterKey: string): CounterLayout {
  const slash = counterKey.lastIndexOf('/')
  const suffix = slash < 0 ? '' : counterKey.slice(slash + 1)
  const pooled = suffix.endsWith('p')
  const shards = Number(pooled ? suffix.slice(0, -1) : suffix)
  if (slash < 0 || !/^\d+p?$/.test(suffix) || !Number.isSafeInteger(shards) || shards < 1) return { base: counterKey, shards: 1, pooled: false }
  return { base: counterKey.slice(0, slash), shards, pooled }
}
