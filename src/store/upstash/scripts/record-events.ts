import { currentEpochLua } from './current-epoch'
import { RECORD_RATIO_LUA } from './record-ratio'

/**
 * Counts one experiment's events atomically; returns one outcome string per event, in order.
 *
 * Key layout (hash tag `{<exp>}`: one slot per experiment):
 *   KEYS[1] es:{<exp>}:sticky  HASH  unit → "variant|epoch|allocationVersion"
 *   KEYS[2] es:{<exp>}:c       HASH  counter field → number (names as RawCounters in src/core/counters.ts;
 *                                    written as '%.17g' doubles, which print whole numbers as integers)
 *   KEYS[3] es:{<exp>}:u       HASH  "<metric>|<unit>" → the unit's running total ("1" for binomial);
 *                                    metric keys never contain "|", so the split is unambiguous
 *   KEYS[4] es:{<exp>}:ids     ZSET  ids of counted events scored by ms; older than the TTL trimmed here
 *   KEYS[5] es:{<exp>}:epoch   STRING the newest epoch known (scripts/current-epoch.ts): events are
 *                                    counted under it, and ARGV[1] raises it when newer
 *   KEYS[6] es:{<exp>}:g       HASH  unit → its segments "dim|value|…" (scripts/record-exposures.ts):
 *                                    a counted event's n, s, q, sy, qy and p increments are also
 *                                    made to each segment's g<kind>|… field (src/core/segments.ts)
 *
 * ARGV (flat, no cjson):
 *   epoch, now (ms), cutoff (now − ID_TTL_MS), metric count M,
 *   M × (metric key, 'binomial' | 'mean' | 'ratio', cap or ''),
 *   then per event: id, unit, value, day, k, and k metric keys (distinct; a ratio metric as the
 *   token "<key>|<dx>|<dy>": scripts/record-ratio.ts; a windowed metric as "<key>#<day>", its
 *   per-day counters kept on the unit's exposure day: src/store/exposure-times.ts).
 *
 * Order of checks, as in the Durable Object: no sticky record → not_exposed; id seen → duplicate;
 * sticky epoch ≠ current → earlier_epoch; an update that would make the unit's total or any
 * counter non-finite (±inf, nan) → invalid_value, with nothing written; else the id is stored and
 * the metrics updated. Every write of an event is computed and checked first, then made, so an
 * event is all or nothing. Only counted events store their id, so a not_exposed event counts when
 * retried after the exposure.
 * Doubles are written with '%.17g' because tostring keeps only 14 digits; the arithmetic and its
 * order match the Durable Object's, so both stores hold equal numbers.
 *
 * In the Lua (no comments in it: its text is in the Worker's bundle and in every EVAL): `finite`
 * relies on NaN being the only value unequal to itself (math.huge is Infinity); `plan` appends one
 * metric's writes for one event to `writes` (a list of {hash, field, value string, counter delta}) and returns
 * false when the unit's total or a counter would become non-finite (`add` plans one counter's
 * write, `bump` a counter and its per-day form); every write of an event is
 * planned and checked before any is made (all or nothing); a token "<key>#<day>" is a windowed
 * metric, counted on its unit's exposure-cohort day (src/store/exposure-times.ts).
 */
export const RECORD_EVENTS = `${currentEpochLua('KEYS[5]')}
local sticky, counters, units, ids = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now = ARGV[2]
redis.call('ZREMRANGEBYSCORE', ids, '-inf', '(' .. ARGV[3])

local function fmt(x) return string.format('%.17g', x) end
local function finite(x) return x == x and x ~= math.huge and x ~= -math.huge end

local specs = {}
local m = tonumber(ARGV[4])
for j = 0, m - 1 do
  local base = 5 + 3 * j
  specs[ARGV[base]] = { kind = ARGV[base + 1], cap = tonumber(ARGV[base + 2]) }
end

local function add(writes, name, delta)
  local next = tonumber(redis.call('HGET', counters, name) or '0') + delta
  if not finite(next) then return false end
  writes[#writes + 1] = { counters, name, fmt(next), delta }
  return true
end

local function bump(writes, kind, variant, metric, day, delta)
  local tail = variant .. '|' .. metric
  return add(writes, kind .. '|' .. epoch .. '|' .. tail, delta) and add(writes, kind .. 'd|' .. epoch .. '|' .. day .. '|' .. tail, delta)
end

local function plan(writes, variant, unit, value, day, metric)
  local spec = specs[metric]
  local slot = metric .. '|' .. unit
  local prev = redis.call('HGET', units, slot)
  if spec.kind == 'binomial' then
    if prev then return true end
    writes[#writes + 1] = { units, slot, '1' }
    return bump(writes, 'n', variant, metric, day, 1)
  end
  local before = prev and tonumber(prev) or 0
  local after = before + value
  if not finite(after) then return false end
  writes[#writes + 1] = { units, slot, fmt(after) }
  if not prev and not bump(writes, 'n', variant, metric, day, 1) then return false end
  local c0, c1 = before, after
  if spec.cap then
    c0 = math.min(before, spec.cap)
    c1 = math.min(after, spec.cap)
  end
  return bump(writes, 's', variant, metric, day, c1 - c0) and bump(writes, 'q', variant, metric, day, c1 * c1 - c0 * c0)
end

${RECORD_RATIO_LUA}
-- The unit's segment copies of a counted event's increments (same arithmetic as the Durable Object's).
local mirrored = { n = true, s = true, q = true, sy = true, qy = true, p = true }
local function mirrorSegments(writes, unit)
  local seg = redis.call('HGET', KEYS[6], unit)
  if not seg then return end
  local parts = {}
  for p in string.gmatch(seg, '[^|]+') do parts[#parts + 1] = p end
  for _, w in ipairs(writes) do
    if w[4] then
      local kind, ep, rest = string.match(w[2], '^(%a+)|(%d+)|(.*)$')
      if kind and mirrored[kind] then
        for j = 1, #parts - 1, 2 do
          local name = 'g' .. kind .. '|' .. ep .. '|' .. parts[j] .. '|' .. parts[j + 1] .. '|' .. rest
          redis.call('HSET', counters, name, fmt(tonumber(redis.call('HGET', counters, name) or '0') + w[4]))
        end
      end
    end
  end
end
local out = {}
local i = 5 + 3 * m
while i <= #ARGV do
  local id, unit, value, day, k = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2]), ARGV[i + 3], tonumber(ARGV[i + 4])
  local first = i + 5
  i = first + k
  local record = redis.call('HGET', sticky, unit)
  if not record then
    out[#out + 1] = 'not_exposed'
  elseif redis.call('ZSCORE', ids, id) then
    out[#out + 1] = 'duplicate'
  else
    local variant, unitEpoch = string.match(record, '^([^|]*)|([^|]*)|')
    if unitEpoch ~= epoch then
      out[#out + 1] = 'earlier_epoch'
    else
      local writes, ok = {}, true
      for j = first, first + k - 1 do
        local wkey, wday = string.match(ARGV[j], '^([^#|]+)#(%d%d%d%d%-%d%d%-%d%d)$')
        local planned
        if wkey and specs[wkey] then planned = plan(writes, variant, unit, value, wday, wkey)
        elseif specs[ARGV[j]] then planned = plan(writes, variant, unit, value, day, ARGV[j])
        else planned = planRatio(writes, variant, unit, day, ARGV[j]) end
        if not planned then ok = false break end
      end
      if ok then
        redis.call('ZADD', ids, now, id)
        for _, w in ipairs(writes) do redis.call('HSET', w[1], w[2], w[3]) end
        mirrorSegments(writes, unit)
        out[#out + 1] = 'counted'
      else
        out[#out + 1] = 'invalid_value'
      end
    end
  end
end
return out
`
