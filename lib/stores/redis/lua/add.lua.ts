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
local seen = {}
local adding, anyDelayed = 0, false
for i = 0, n - 1 do
  local at = FIRST + i * WIDTH
  local id = ARGV[at + 1]
  local ok = 0
  if not seen[id] then
    seen[id] = true
    local o = redis.call('HMGET', kTask(id), 's', 't')
    if not o[1] or (o[1] ~= 'pending' and o[1] ~= 'running' and not o[2]) then ok = 1 end
  end
  result[i + 2] = ok
  if ok == 1 then
    adding = adding + 1
    if tonumber(ARGV[at + 5]) + OFFSET > NOW then anyDelayed = true end
  end
end
if MAX_PENDING and tonumber(redis.call('HGET', K_COUNTS, 'pending') or '0') + adding > MAX_PENDING then
  return { -2 }
end
if adding == 0 then return result end

local known = anyDelayed and nextDue() or nil

-- Puts a new task in its place; true if it is placed (claimable when due), false if it waits in its partition.
local function enqueue(id, p, key, runAt, m)
  if key == '' then
    place(p, runAt, m)
    return true
  end
  local owner = redis.call('HGET', K_PART, key)
  if owner then
    local o = redis.call('HMGET', kTask(owner), 's', 'a', 'r', 'q', 'p')
    -- Only a head never claimed, and due after the new task, gives way.
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
for i = 0, n - 1 do
  if result[i + 2] == 1 then
    local at = FIRST + i * WIDTH
    local id, h, p, key = ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4]
    local runAt, createdAt, d = tonumber(ARGV[at + 5]) + OFFSET, ARGV[at + 6], ARGV[at + 7]
    local tk = kTask(id)
    if redis.call('EXISTS', tk) == 1 then forget(id) end
    seq = seq + 1
    redis.call('HSET', tk, 'd', d, 'h', h, 's', 'pending', 'p', p, 'r', runAt, 'c', createdAt, 'q', seq, 'a', 0)
    if key ~= '' then redis.call('HSET', tk, 'k', key) end
    local m = member(seq, id)
    redis.call('ZADD', K_ALL, createdAt, m)
    move(nil, 'pending')
    if enqueue(id, p, key, runAt, m) then
      if runAt <= NOW then wake(0) elseif known == nil or runAt < known then wake(runAt - NOW) end
    end
  end
end
result[1] = flush()
return result
`;
