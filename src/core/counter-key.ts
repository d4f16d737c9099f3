/**
 * The counter key: the one string that names an experiment instance's counters in the store and
 * how they are laid out. `<key>:<id>` (or the bare key, for documents stored before instance ids)
 * is kept in one shard, exactly as before sharding existed; `<key>:<id>/<N>` is spread over N
 * shards named `<key>:<id>:<i>` (docs/scale.md). Keys and ids never contain "/" or a second ":",
 * so no two forms collide.
 */

/** An experiment's counters as the store lays them out: the base name and the number of shards. */
export type CounterLayout = { readonly base: string; readonly shards: number }

/**
 * The counter key of an experiment instance with `shards` shards (1, or absent, is the layout
 * before sharding, so existing counts stay where they are).
 * @example formatCounterKey('moon_mars:1b4e28ba', 32) // 'moon_mars:1b4e28ba/32'
 */
export function formatCounterKey(base: string, shards = 1): string {
  return shards > 1 ? `${base}/${shards}` : base
}

/**
 * The layout a counter key names; a key without a valid `/<N>` suffix is one shard.
 * @example counterLayout('moon_mars:1b4e28ba/32') // { base: 'moon_mars:1b4e28ba', shards: 32 }
 */
export function counterLayout(counterKey: string): CounterLayout {
  const slash = counterKey.lastIndexOf('/')
  const shards = slash < 0 ? 1 : Number(counterKey.slice(slash + 1))
  if (slash < 0 || !Number.isSafeInteger(shards) || shards < 1) return { base: counterKey, shards: 1 }
  return { base: counterKey.slice(0, slash), shards }
}
