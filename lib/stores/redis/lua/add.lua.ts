/**
 * Adds a batch. ARGV[5] clock offset (ms to add to runAt), ARGV[6] maxPending ('' none), then per task
 * 7 values: id, handler, priority, partition key ('' none), runAt, createdAt, fixed fields JSON.
 * Returns {-2} when the batch would exceed maxPending (nothing added), else {wakeIn, added flags...}.
 */
export const ADD = `
local OFFSET = tonumber(ARGV[5])
local MAX_PENDING = tonumber(ARGV[6])
local FIRST, WIDTH = 6, 7
local n = (#ARGV - FIRST) / WIDTH

-- Which tasks are added: unknown ids, or finished ones whose worker has reported (no lease left).
local result = { -1 }
local seen, replaced = {}, {}
local adding, anyDue, anyDelayed = 0, false, false
for i = 0, n - 1 do
  local at = FIRST + i * WIDTH
  local id = ARGV[at + 1]
  local ok = 0
  if not seen[id] then
    seen[id] = true
    local o = redis.call('HMGET', kTask(id), 's', 't')
    if not o[1] then
      ok = 1
    elseif o[1] ~= 'pending' and o[1] ~= 'running' and (not o[2] or o[2] == '') then
      ok = 1
      replaced[#replaced + 1] = id
    end
  end
  result[i + 2] = ok
  if ok == 1 then
    adding = adding + 1
    if tonumber(ARGV[at + 5]) + OFFSET > NOW then anyDelayed = true else anyDue = true end
  end
end
if MAX_PENDING and tonumber(redis.call('HGET', K_COUNTS, 'pending') or '0') + adding > MAX_PENDING then
  return { -2 }
end
if adding == 0 then return result end

-- Workers are signalled about work they do not know of: due tasks when none were waiting (those that
-- wait were signalled already), delayed ones earlier than any they know of.
local prios = redis.call('ZRANGE', K_PRIOS, 0, -1)
for _, p in ipairs(prios) do knownPrios[p] = true end
local function anyDueWaiting()
  for _, p in ipairs(prios) do
    if redis.call('ZRANGEBYSCORE', kQueue(p), '-inf', NOW, 'LIMIT', 0, 1)[1] then return true end
  end
  return false
end
local signalDue = anyDue and not anyDueWaiting()
local known = anyDelayed and nextDue(prios) or nil

if #replaced > 0 then
  bulk('ZREM', K_DONE, replaced)
  forgetAll(replaced)
end

-- A new partition task heads its partition if it has none, or if the head was never claimed and is due
-- later; otherwise it waits behind. True if it is placed.
local function enqueue(id, p, key, runAt, m)
  local owner = redis.call('HGET', K_PART, key)
  if owner then
    local o = redis.call('HMGET', kTask(owner), 's', 'a', 'r', 'q', 'p')
    if o[1] ~= 'pending' or o[2] ~= '0' or runAt >= tonumber(o[3]) then
      redis.call('ZADD', kPart(key), runAt, m)
      return false
    end
    local om = member(o[4], owner)
    redis.call('ZREM', kQueue(o[5]), om)
    redis.call('ZADD', kPart(key), o[3], om)
  end
  redis.call('HSET', K_PART, key, id)
  place(p, runAt, m)
  return true
end

local seq = redis.call('INCRBY', B .. 'seq', adding) - adding
local listed = {}
-- Tasks without a partition are queued per priority in bulk.
local queued = {}
for i = 0, n - 1 do
  if result[i + 2] == 1 then
    local at = FIRST + i * WIDTH
    local id, h, p, key = ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4]
    local runAt, createdAt, d = tonumber(ARGV[at + 5]) + OFFSET, ARGV[at + 6], ARGV[at + 7]
    seq = seq + 1
    local m = member(seq, id)
    if key == '' then
      redis.call('HSET', kTask(id), 's', 'pending', 't', '', 'a', 0, 'p', p, 'q', seq, 'r', runAt, 'h', h, 'd', d)
      local q = queued[p]
      if not q then
        q = {}
        queued[p] = q
      end
      q[#q + 1] = runAt
      q[#q + 1] = m
      placedPrios[p] = true
    else
      redis.call('HSET', kTask(id), 's', 'pending', 't', '', 'a', 0, 'p', p, 'q', seq, 'r', runAt, 'h', h, 'd', d, 'k', key)
      if not enqueue(id, p, key, runAt, m) then runAt = nil end
    end
    listed[#listed + 1] = createdAt
    listed[#listed + 1] = m
    if runAt then
      if runAt <= NOW then
        if signalDue then wake(0) end
      elseif known == nil or runAt < known then
        wake(runAt - NOW)
      end
    end
  end
end
for p, q in pairs(queued) do bulk('ZADD', kQueue(p), q) end
bulk('ZADD', K_ALL, listed)
move(nil, 'pending', adding)
result[1] = flush()
return result
`;
