/**
 * Operators' changes (retry, remove, purge), one script each. Each returns {wakeIn, ...} like the others.
 *
 * RETRY: task ARGV[5], if failed or cancelled and no worker holds it, becomes pending, due now, with retryBase
 * (rb in d) its attempts; a partition task takes its place as a task added now would (enqueue). Returns
 * {wakeIn, 1} if re-queued, else {wakeIn, 0}.
 */
export const RETRY = `
local id = ARGV[5]
local tk = kTask(id)
local o = redis.call('HMGET', tk, 's', 't', 'p', 'k', 'q', 'a', 'd', 'd#', 'h', 'rk', 'wt')
if (o[1] ~= 'failed' and o[1] ~= 'cancelled') or (o[2] and o[2] ~= '') then return { -1, 0 } end
-- Flows: its finish released its dependencies; it waits for and holds none now, so its next finish releases none.
if o[11] then redis.call('DEL', B .. 'dp:' .. id) end
local d = withRetryBase(getLong(tk, 'd', o[7], o[8]), o[6] or '0')
putLong(tk, 'd', d, o[8], { 's', 'pending', 'r', NOW })
redis.call('HDEL', tk, 'f')
redis.call('ZREM', K_DONE, id)
move(o[1], 'pending')
local p, m = o[3] or '0', member(o[5], id)
if not o[4] then
  place(p, o[9], o[10], NOW, m)
  wake(0)
elseif enqueue(id, p, o[9], o[10], o[4], NOW, m) then
  wake(0)
end
return { flush(), 1 }
`;

/**
 * REMOVE: deletes task ARGV[5] unless it is running or a worker still holds it (cancelled while running, not
 * yet reported), or it finished and unfinished tasks depend on it (hd > 0: kept for them, as retention keeps it).
 * A waiting or pending one is cancelled first, as CANCEL would: a pending partition head lets the next task of its
 * partition go, its dependents follow their policy and its dependencies are no longer held by it (flows.lua.ts).
 * Returns {wakeIn, 1 or 0}.
 */
export const REMOVE = `
local id = ARGV[5]
local tk = kTask(id)
local o = redis.call('HMGET', tk, 's', 't', 'p', 'k', 'q', 'hd', 'wt', 'wf', 'h', 'rk')
if not o[1] or o[1] == 'running' or (o[2] and o[2] ~= '') then return { -1, 0 } end
if o[1] == 'pending' or o[1] == 'waiting' then
  if o[1] == 'pending' then
    local m = member(o[5], id)
    unplace(o[3] or '0', o[9], o[10], m)
    if o[4] then redis.call('ZREM', kPart(o[4]), m) end
    leavePartition(id, o[4])
  end
  if o[6] or o[7] or o[8] then
    redis.call('HSET', tk, 's', 'cancelled', 'f', NOW)
    move(o[1], 'cancelled')
    settleFlows(id, 'cancelled')
    enterRetention()
  end
elseif tonumber(o[6] or '0') > 0 then
  return { -1, 0 }
end
-- Settling its dependents may have put it back into retention: it goes from there too.
redis.call('ZREM', K_DONE, id)
forgetAll({ id })
return { flush(), 1 }
`;

/**
 * PURGE, one batch: walks the finished tasks (B done) after score ARGV[9] ('' from the start), ARGV[10] of them at
 * most, and deletes those matching: ARGV[5] statuses as ',a,b,', ARGV[6] '1' to match handler ARGV[7], ARGV[8]
 * finished before this time ('' any; Redis's clock, ms). One that unfinished tasks depend on (hd > 0) stays, as
 * retention keeps it. Returns {wakeIn, removed, the score to go on after ('' at the end)}.
 */
export const PURGE = `
local statuses, byHandler, handler, before = ARGV[5], ARGV[6] == '1', ARGV[7], tonumber(ARGV[8])
local from = ARGV[9] == '' and '-inf' or '(' .. ARGV[9]
local scan = tonumber(ARGV[10])
local entries = redis.call('ZRANGEBYSCORE', K_DONE, from, '+inf', 'WITHSCORES', 'LIMIT', 0, scan)
local victims = {}
for i = 1, #entries, 2 do
  local id = entries[i]
  local o = redis.call('HMGET', kTask(id), 's', 'h', 'f', 't', 'hd')
  if o[1] and string.find(statuses, ',' .. o[1] .. ',', 1, true) and (not byHandler or o[2] == handler)
    and (not before or tonumber(o[3]) < before) and (not o[4] or o[4] == '') and tonumber(o[5] or '0') == 0 then
    victims[#victims + 1] = id
  end
end
bulk('ZREM', K_DONE, victims)
forgetAll(victims)
local cursor = #entries == scan * 2 and entries[#entries] or ''
return { flush(), #victims, cursor }
`;

/**
 * BY_HANDLER, one chunk: walks ARGV[6] tasks newest first from insertion seq ARGV[5] down (as LIST does) and
 * counts them by handler and status. Returns {the seq to go on from (-1 at the end), handler, status, n, ...}.
 */
export const BY_HANDLER = `
local scan = tonumber(ARGV[6])
local entries = redis.call('XREVRANGE', K_LIST, ARGV[5] .. '-0', '-', 'COUNT', scan)
local counts = {}
for _, entry in ipairs(entries) do
  local o = redis.call('HMGET', kTask(entry[2][2]), 'h', 's')
  if o[1] then
    local key = o[1] .. '|' .. o[2]
    counts[key] = (counts[key] or 0) + 1
  end
end
local out = { -1 }
if #entries == scan then out[1] = int(tonumber(string.match(entries[scan][1], '^%d+')) - 1) end
for key, n in pairs(counts) do
  local h, s = string.match(key, '^(.*)|([a-z]+)$')
  out[#out + 1] = h
  out[#out + 1] = s
  out[#out + 1] = n
end
return out
`;
