/**
 * Applies retention (at most ARGV[5] removals) and returns {more, counts as field/value pairs...}: more is 1
 * if the budget ran out first.
 */
export const TRIM = `
local more = trim(tonumber(ARGV[5])) and 1 or 0
flush()
local out = redis.call('HGETALL', K_COUNTS)
table.insert(out, 1, more)
return out
`;

/** Returns task ARGV[5] as a record ({} if unknown). */
export const GET = `
local out = {}
if redis.call('EXISTS', kTask(ARGV[5])) == 1 then appendRecord(out, ARGV[5]) end
return out
`;

/**
 * Walks the tasks newest first from insertion seq ARGV[5] down, skipping ARGV[6] matches and returning up to
 * ARGV[7], looking at 1,000 at most. Filters: ARGV[8] statuses as ',a,b,' ('' any), ARGV[9] '1' to match
 * handler ARGV[10]. Returns {the seq to go on from (-1 at the end), skips left, records...}.
 */
export const LIST = `
local cursor, skip, need = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local statuses, byHandler, handler = ARGV[8], ARGV[9] == '1', ARGV[10]
local SCAN = 1000
local entries = redis.call('XREVRANGE', K_LIST, cursor .. '-0', '-', 'COUNT', SCAN)
local out = { -1, 0 }
local found = 0
local function before(entry) return int(tonumber(string.match(entry[1], '^%d+')) - 1) end
for i, entry in ipairs(entries) do
  local id = entry[2][2]
  local o = redis.call('HMGET', kTask(id), 's', 'h')
  if o[1] and (statuses == '' or string.find(statuses, ',' .. o[1] .. ',', 1, true)) and (not byHandler or o[2] == handler) then
    if skip > 0 then
      skip = skip - 1
    else
      appendRecord(out, id)
      found = found + 1
      if found >= need then
        if i < #entries or #entries == SCAN then out[1] = before(entry) end
        break
      end
    end
  end
end
if found < need and #entries == SCAN then out[1] = before(entries[SCAN]) end
out[2] = skip
return out
`;

/**
 * Returns {delayed, oldestDueAt (-1: none)}: placed pending tasks not yet due, and the earliest runAt of due ones,
 * over every lane (keyed lanes: each key, parked ones too). Needs STATE.
 */
export const BACKLOG = `
local delayed, oldest = 0, nil
local function count(lane)
  delayed = delayed + redis.call('ZCOUNT', lane, '(' .. int(NOW), '+inf')
  local first = redis.call('ZRANGE', lane, 0, 0, 'WITHSCORES')
  if first[2] and tonumber(first[2]) <= NOW and (oldest == nil or tonumber(first[2]) < oldest) then oldest = tonumber(first[2]) end
end
for _, h in ipairs(redis.call('SMEMBERS', K_HANDLERS)) do
  local plain, kprios = lanesOf(h)
  for _, p in ipairs(plain) do count(kLane(p, h)) end
  if #kprios > 0 then
    local parked = redis.call('ZRANGE', kParked(h), 0, -1)
    for _, p in ipairs(kprios) do
      for _, k in ipairs(redis.call('ZRANGE', kKeys(p, h), 0, -1)) do count(kLane(p, h, k)) end
      for _, k in ipairs(parked) do count(kLane(p, h, k)) end
    end
  end
end
return { delayed, oldest or -1 }
`;
