import { MAX_SEGMENT_VALUES, OTHER } from '../../../core/segments'
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
 *   KEYS[5] es:{<exp>}:g       HASH  unit → its segments "dim|value|dim|value…" (src/store/segment-writes.ts)
 *   KEYS[6] es:{<exp>}:gv      HASH  "dim|value" → 1 for each admitted value, "#dim" → how many
 *
 * ARGV (flat, no cjson): epoch, then 6 per exposure: unit, variant, allocationVersion, day, the
 * exposure time in ms ('' when unknown) and the segments "dim|value|…" ('' when none).
 * A segment value is admitted while its dimension has fewer than ${MAX_SEGMENT_VALUES} values, else it
 * counts as "${OTHER}" (as the Durable Object's recordUnitSegments).
 * The exposures are recorded under the newest epoch known, which ARGV[1] may raise.
 *
 * HSETNX both creates the sticky record and tells whether this is the unit's first exposure, so
 * concurrent exposures of one unit count exactly once; a unit from an earlier epoch already has a
 * record and is not counted again.
 */
export const RECORD_EXPOSURES = `${currentEpochLua('KEYS[3]')}
local counted = 0
for i = 2, #ARGV, 6 do
  local unit, variant, av, day, at, seg = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  if redis.call('HSETNX', KEYS[1], unit, variant .. '|' .. epoch .. '|' .. av) == 1 then
    counted = counted + 1
    if at ~= '' then redis.call('HSETNX', KEYS[4], unit, at) end
    redis.call('HINCRBY', KEYS[2], 'x|' .. epoch .. '|' .. variant, 1)
    redis.call('HINCRBY', KEYS[2], 'xa|' .. epoch .. '|' .. av .. '|' .. variant, 1)
    redis.call('HINCRBY', KEYS[2], 'xd|' .. epoch .. '|' .. day .. '|' .. variant, 1)
    if seg ~= '' then
      local parts, kept = {}, {}
      for p in string.gmatch(seg, '[^|]+') do parts[#parts + 1] = p end
      for j = 1, #parts - 1, 2 do
        local dim, val = parts[j], parts[j + 1]
        if val ~= '${OTHER}' and redis.call('HEXISTS', KEYS[6], dim .. '|' .. val) == 0 then
          if tonumber(redis.call('HGET', KEYS[6], '#' .. dim) or '0') < ${MAX_SEGMENT_VALUES} then
            redis.call('HSET', KEYS[6], dim .. '|' .. val, 1)
            redis.call('HINCRBY', KEYS[6], '#' .. dim, 1)
          else
            val = '${OTHER}'
          end
        end
        kept[#kept + 1] = dim .. '|' .. val
        redis.call('HINCRBY', KEYS[2], 'gx|' .. epoch .. '|' .. dim .. '|' .. val .. '|' .. variant, 1)
      end
      redis.call('HSETNX', KEYS[5], unit, table.concat(kept, '|'))
    end
  end
end
return counted
`
