/**
 * Adds groups of tasks, each group the tasks of one add() call: all-or-nothing against its maxPending, and
 * de-duplicated against what the groups before it added. ARGV[5] clock offset (ms to add to runAt); from
 * ARGV[6], per group: maxPending ('' none), n, then per task 6 values: id, handler, priority, partition key
 * ('' none), runAt, fixed fields JSON (redis-task.codec.ts).
 * Returns {wakeIn, then per group: -2 if it would exceed maxPending (nothing added), else 1 and n flags}.
 */
export const ADD = `
local OFFSET = tonumber(ARGV[5])
local WIDTH = 6

-- Workers are signalled about work they do not know of: due tasks when none were waiting (those that wait
-- were signalled already), delayed ones earlier than any they know of. Both are read once, before this call
-- places its first task of the kind.
local prios = nil
local function priorities()
  if not prios then
    prios = redis.call('ZRANGE', K_PRIOS, 0, -1)
    for _, p in ipairs(prios) do knownPrios[p] = true end
  end
  return prios
end
local signalDue = nil
local function shouldSignalDue()
  if signalDue == nil then
    signalDue = true
    for _, p in ipairs(priorities()) do
      if redis.call('ZRANGEBYSCORE', kQueue(p), '-inf', NOW, 'LIMIT', 0, 1)[1] then
        signalDue = false
        break
      end
    end
  end
  return signalDue
end
local known, knownRead = nil, false
local function knownNextDue()
  if not knownRead then
    known = nextDue(priorities())
    knownRead = true
  end
  return known
end

local out = { -1 }
local pending = nil
-- Tasks without a partition are queued per priority in bulk at the end.
local queued = {}
local at = 5
while at < #ARGV do
  local maxPending, n = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local first = at + 2
  at = first + n * WIDTH

  -- Added: unknown ids, or finished tasks whose worker has reported (no lease left). A later duplicate in
  -- the group loses to the first.
  local flags, seen, replaced, adding = {}, {}, {}, 0
  for i = 0, n - 1 do
    local id = ARGV[first + i * WIDTH + 1]
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
    flags[i + 1] = ok
    adding = adding + ok
  end
  if maxPending and pending == nil then pending = tonumber(redis.call('HGET', K_COUNTS, 'pending') or '0') end
  if maxPending and pending + adding > maxPending then
    out[#out + 1] = -2
  else
    out[#out + 1] = 1
    for i = 1, n do out[#out + 1] = flags[i] end
    if pending then pending = pending + adding end
    if #replaced > 0 then
      bulk('ZREM', K_DONE, replaced)
      forgetAll(replaced)
    end
    local seq = adding > 0 and redis.call('INCRBY', B .. 'seq', adding) - adding or 0
    for i = 0, n - 1 do
      if flags[i + 1] == 1 then
        local a = first + i * WIDTH
        local id, h, p, key = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
        local runAt, d = tonumber(ARGV[a + 5]) + OFFSET, ARGV[a + 6]
        seq = seq + 1
        local m = member(seq, id)
        -- Read before this call places a task of the kind.
        local signal
        if runAt <= NOW then signal = shouldSignalDue() else signal = knownNextDue() == nil or runAt < known end
        -- Defaults (attempts 0, priority 0, no partition) are left out: every field kept is memory per task.
        local fields = { 's', 'pending', 'q', seq, 'r', runAt, 'h', h }
        pieces(fields, 'd', d)
        if p ~= '0' then
          fields[#fields + 1] = 'p'
          fields[#fields + 1] = p
        end
        if key ~= '' then
          fields[#fields + 1] = 'k'
          fields[#fields + 1] = key
        end
        redis.call('HSET', kTask(id), unpack(fields))
        if key == '' then
          local q = queued[p]
          if not q then
            q = {}
            queued[p] = q
          end
          q[#q + 1] = runAt
          q[#q + 1] = m
          placedPrios[p] = true
        else
          if not enqueue(id, p, key, runAt, m) then signal = false end
        end
        if signal then wake(runAt - NOW) end
        redis.call('XADD', K_LIST, listId(seq), 'i', id)
      end
    end
    move(nil, 'pending', adding)
  end
end
for p, q in pairs(queued) do bulk('ZADD', kQueue(p), q) end
out[1] = flush()
return out
`;
