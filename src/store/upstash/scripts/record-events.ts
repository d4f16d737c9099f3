/**
 * Counts one experiment's events atomically; returns one outcome string per event, in order.
 *
 * Key layout (hash tag `{<exp>}`: one slot per experiment):
 *   KEYS[1] es:{<exp>}:sticky  HASH  unit → "variant|epoch|allocationVersion"
 *   KEYS[2] es:{<exp>}:c       HASH  counter field → number (names as RawCounters in counter-store.ts;
 *                                    integers via HINCRBY, sums written as '%.17g' doubles)
 *   KEYS[3] es:{<exp>}:u       HASH  "<metric>|<unit>" → the unit's running total ("1" for binomial);
 *                                    metric keys never contain "|", so the split is unambiguous
 *   KEYS[4] es:{<exp>}:ids     ZSET  ids of counted events scored by ms; older than the TTL trimmed here
 *
 * ARGV (flat, no cjson):
 *   epoch, now (ms), cutoff (now − ID_TTL_MS), metric count M,
 *   M × (metric key, 'binomial' | 'mean', cap or ''),
 *   then per event: id, unit, value, day, k, and k metric keys (distinct).
 *
 * Order of checks, as in the Durable Object: no sticky record → not_exposed; id seen → duplicate;
 * sticky epoch ≠ current → earlier_epoch; else the id is stored and the metrics updated. Only
 * counted events store their id, so a not_exposed event counts when retried after the exposure.
 * Doubles are written with '%.17g' because tostring keeps only 14 digits; the arithmetic and its
 * order match the Durable Object's, so both stores hold equal numbers.
 */
export const RECORD_EVENTS = `
local sticky, counters, units, ids = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local epoch = ARGV[1]
local now = ARGV[2]
redis.call('ZREMRANGEBYSCORE', ids, '-inf', '(' .. ARGV[3])

local function fmt(x) return string.format('%.17g', x) end
local function incr(name) redis.call('HINCRBY', counters, name, 1) end
local function addf(name, delta)
  local current = tonumber(redis.call('HGET', counters, name) or '0')
  redis.call('HSET', counters, name, fmt(current + delta))
end

local specs = {}
local m = tonumber(ARGV[4])
for j = 0, m - 1 do
  local base = 5 + 3 * j
  specs[ARGV[base]] = { kind = ARGV[base + 1], cap = tonumber(ARGV[base + 2]) }
end

local function apply(variant, unit, value, day, metric)
  local spec = specs[metric]
  local slot = metric .. '|' .. unit
  local prev = redis.call('HGET', units, slot)
  local tail = variant .. '|' .. metric
  local dayTail = day .. '|' .. tail
  if spec.kind == 'binomial' then
    if prev then return end
    redis.call('HSET', units, slot, '1')
    incr('n|' .. epoch .. '|' .. tail)
    incr('nd|' .. epoch .. '|' .. dayTail)
    return
  end
  local before = prev and tonumber(prev) or 0
  local after = before + value
  redis.call('HSET', units, slot, fmt(after))
  if not prev then
    incr('n|' .. epoch .. '|' .. tail)
    incr('nd|' .. epoch .. '|' .. dayTail)
  end
  local c0, c1 = before, after
  if spec.cap then
    c0 = math.min(before, spec.cap)
    c1 = math.min(after, spec.cap)
  end
  local ds = c1 - c0
  local dq = c1 * c1 - c0 * c0
  addf('s|' .. epoch .. '|' .. tail, ds)
  addf('sd|' .. epoch .. '|' .. dayTail, ds)
  addf('q|' .. epoch .. '|' .. tail, dq)
  addf('qd|' .. epoch .. '|' .. dayTail, dq)
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
      redis.call('ZADD', ids, now, id)
      for j = first, first + k - 1 do apply(variant, unit, value, day, ARGV[j]) end
      out[#out + 1] = 'counted'
    end
  end
end
return out
`
