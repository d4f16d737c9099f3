/**
 * Lua that sets `epoch` (a string) to the epoch a write is recorded under: the newest the store
 * knows for the experiment, which the write's own epoch (ARGV[1]) raises when it is newer. Each
 * isolate caches config for up to 30 s, so after a restart some writes still carry the old epoch;
 * the units they expose were first seen after the restart and belong to the new one.
 *
 * `EPOCH_KEY` is the experiment's `es:{<exp>}:epoch` STRING (a decimal integer); the snippet is
 * spliced into the scripts that take that key, with the key's name as a Lua expression.
 */
export function currentEpochLua(epochKey: string): string {
  return `
local epoch = ARGV[1]
local known = redis.call('GET', ${epochKey})
if known and tonumber(known) >= tonumber(epoch) then
  epoch = known
else
  redis.call('SET', ${epochKey}, epoch)
end
`
}

/**
 * Raises one experiment's epoch to at least ARGV[1] (never lowers it); returns the epoch now held.
 *   KEYS[1] es:{<exp>}:epoch  STRING  the newest epoch known
 */
export const ADVANCE_EPOCH = `${currentEpochLua('KEYS[1]')}
return tonumber(epoch)
`
