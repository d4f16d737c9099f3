/**
 * Lua for ratio metrics, spliced into RECORD_EVENTS after its `specs`, `fmt`, `finite` and `bump`:
 * `planRatio(writes, variant, unit, day, token)` plans one event's writes to a ratio metric named
 * by the token `<key>|<dx>|<dy>` (src/store/ratio-writes.ts) and returns false when a total or
 * counter would become non-finite. Per unit, `es:{<exp>}:u` holds "<key>|x|<unit>" and
 * "<key>|y|<unit>" (numerator and denominator totals); counters are those of `ratioIncrements`,
 * computed with the same arithmetic in the same order, so both stores hold equal doubles:
 * converters once (n, nd), then Σx (s, sd), Σx² (q, qd), Σy (sy, syd), Σy² (qy, qyd), Σxy (p, pd).
 * A token whose key is not a ratio metric of the batch changes nothing.
 */
export const RECORD_RATIO_LUA = `
local function planRatio(writes, variant, unit, day, token)
  local key, dxs, dys = string.match(token, '^([^|]+)|([^|]+)|([^|]+)$')
  local spec = key and specs[key]
  if not spec or spec.kind ~= 'ratio' then return true end
  local dx, dy = tonumber(dxs), tonumber(dys)
  local xslot, yslot = key .. '|x|' .. unit, key .. '|y|' .. unit
  local px = redis.call('HGET', units, xslot)
  local py = redis.call('HGET', units, yslot)
  local x0 = px and tonumber(px) or 0
  local y0 = py and tonumber(py) or 0
  local x1, y1 = x0 + dx, y0 + dy
  if not (finite(x1) and finite(y1)) then return false end
  writes[#writes + 1] = { units, xslot, fmt(x1) }
  writes[#writes + 1] = { units, yslot, fmt(y1) }
  if not px and not bump(writes, 'n', variant, key, day, 1) then return false end
  return bump(writes, 's', variant, key, day, x1 - x0) and bump(writes, 'q', variant, key, day, x1 * x1 - x0 * x0)
    and bump(writes, 'sy', variant, key, day, y1 - y0) and bump(writes, 'qy', variant, key, day, y1 * y1 - y0 * y0)
    and bump(writes, 'p', variant, key, day, x1 * y1 - x0 * y0)
end
`
