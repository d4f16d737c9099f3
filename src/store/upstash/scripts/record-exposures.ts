import { currentEpochLua } from './current-epoch'

/**
 * Records one experiment's exposures atomically; returns how many were newly counted.
 *
 * Key layout (all of one experiment's keys share the hash tag `{<exp>}`, so they live in one slot
 * and one script or transaction may touch them together):
 *   KEYS[1] es:{<exp>}:sticky  HASH  unit → "variant|epoch|allocationVersion" (first exposure wins)
 *   KEYS[2] es:{<exp>}:c       HASH  counter field → number (names as RawCounters in src/core/counters.ts)
 *   KEYS[3] es:{<exp>}:epoch   STRING the newest epoch known (scripts/current-epoch.ts)
 *   KEYS[4] es:{<exp>}:t       HASH  unit → first-exposure time in ms (src/store/exposure-times.ts)
 *
 * ARGV (flat, no cjson): epoch, then 5 per exposure: unit, variant, allocationVersion, day, and
 * the exposure time in ms ('' when unknown).
 * The exposures are recorded under the newest epoch known, which ARGV[1] may raise.
 *
 * HSETNX both creates the sticky record and tells whether this is the unit's first exposure, so
 * concurrent exposures of one unit count exactly once; a unit from an earlier epoch already has a
 * record and is not counted again.
 */
export const RECORD_EXPOSURES = `${currentEpochLua('KEYS[3]')}
local counted = 0
for i = 2, #ARGV, 5 do
  local unit, variant, av, day, at = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  if redis.call('HSETNX', KEYS[1], unit, variant .. '|' .. epoch .. '|' .. av) == 1 then
    counted = counted + 1
    if at ~= '' then redis.call('HSETNX', KEYS[4], unit, at) end
    redis.call('HINCRBY', KEYS[2], 'x|' .. epoch .. '|' .. variant, 1)
    redis.call('HINCRBY', KEYS[2], 'xa|' .. epoch .. '|' .. av .. '|' .. variant, 1)
    redis.call('HINCRBY', KEYS[2], 'xd|' .. epoch .. '|' .. day .. '|' .. variant, 1)
  end
end
return counted
`
