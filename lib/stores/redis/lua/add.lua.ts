/**
 * Adds groups of tasks, each group the tasks of one add() call: all-or-nothing against its maxPending, and
 * de-duplicated against what the groups before it added. ARGV[5] clock offset (ms to add to runAt); from
 * ARGV[6], per group: maxPending ('' none), n, then per task 8 values: id, handler, priority, partition key
 * ('' none), runAt, fixed fields JSON (redis-task.codec.ts), flow ('' none; else JSON [policy 'c' or 'r',
 * dependsOn ids...], see flows.lua.ts), rateLimitKey ('' none).
 * Returns {wakeIn, then per group: -2 if it would exceed maxPending, -3 and the id if a dependency is unknown
 * (nothing added), else 1 and n flags}.
 */
export const ADD = `
local OFFSET = tonumber(ARGV[5])
local WIDTH = 8

-- Workers are signalled about work they do not know of: due tasks of a handler none of whose tasks were waiting
-- (those that wait were signalled already; a capped, held or paused handler's backlog is no reason to stay quiet
-- about another's), delayed ones earlier than any of the handler's they know of. Both are read once per handler,
-- before this call places its first task of the kind.
local signalDue, knownDue = {}, {}
local function shouldSignalDue(h)
  if signalDue[h] == nil then signalDue[h] = not hasDue(h) end
  return signalDue[h]
end
local function knownNextDue(h)
  if knownDue[h] == nil then knownDue[h] = nextDueOf(h) or false end
  return knownDue[h]
end

local out = { -1 }
local pending = nil
-- Tasks without a partition or rateLimitKey are queued per lane in bulk at the end (the first of each is placed).
local queued = {}
local at = 5
while at < #ARGV do
  local maxPending, n = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local first = at + 2
  at = first + n * WIDTH

  -- Added: unknown ids, or finished tasks whose worker has reported (no lease left). A later duplicate in
  -- the group loses to the first.
  local flags, seen, replaced, held, adding = {}, {}, {}, {}, 0
  for i = 0, n - 1 do
    local id = ARGV[first + i * WIDTH + 1]
    local ok = 0
    if not seen[id] then
      seen[id] = true
      local o = redis.call('HMGET', kTask(id), 's', 't', 'hd')
      if not o[1] then
        ok = 1
      elseif o[1] ~= 'pending' and o[1] ~= 'running' and o[1] ~= 'waiting' and (not o[2] or o[2] == '') then
        ok = 1
        replaced[#replaced + 1] = id
        -- Flows: unfinished tasks still count this id among their dependencies (hd, flows.lua.ts); they unhold
        -- the new task when they finish, so it keeps their count.
        if o[3] and tonumber(o[3]) > 0 then held[id] = o[3] end
      end
    end
    flags[i + 1] = ok
    adding = adding + ok
  end
  -- Flows: every dependency of an added task is known, or in this group.
  local flows, unknown = {}, nil
  for i = 0, n - 1 do
    local flow = ARGV[first + i * WIDTH + 7]
    if flags[i + 1] == 1 and flow ~= '' then
      local f = cjson.decode(flow)
      flows[i + 1] = f
      for j = 2, #f do
        if not unknown and not seen[f[j]] and redis.call('EXISTS', kTask(f[j])) == 0 then unknown = f[j] end
      end
    end
  end
  if maxPending and pending == nil then pending = tonumber(redis.call('HGET', K_COUNTS, 'pending') or '0') end
  if unknown then
    out[#out + 1] = -3
    out[#out + 1] = unknown
  elseif maxPending and pending + adding > maxPending then
    out[#out + 1] = -2
  else
    local wiring = {}
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
        local runAt, d, rk = tonumber(ARGV[a + 5]) + OFFSET, ARGV[a + 6], ARGV[a + 8]
        if rk == '' then rk = false end
        seq = seq + 1
        local m = member(seq, id)
        -- Read before this call places a task of the kind.
        local signal
        if runAt <= NOW then
          signal = shouldSignalDue(h)
        else
          local known = knownNextDue(h)
          signal = not known or runAt < known
        end
        -- Defaults (attempts 0, priority 0, no partition) are left out: every field kept is memory per task.
        local flow = flows[i + 1]
        local fields = { 's', flow and 'waiting' or 'pending', 'q', seq, 'r', runAt, 'h', h }
        if flow and flow[1] == 'r' then
          fields[#fields + 1] = 'of'
          fields[#fields + 1] = 'r'
        end
        pieces(fields, 'd', d)
        if p ~= '0' then
          fields[#fields + 1] = 'p'
          fields[#fields + 1] = p
        end
        if key ~= '' then
          fields[#fields + 1] = 'k'
          fields[#fields + 1] = key
        end
        if rk then
          fields[#fields + 1] = 'rk'
          fields[#fields + 1] = rk
        end
        if held[id] then
          fields[#fields + 1] = 'hd'
          fields[#fields + 1] = held[id]
        end
        redis.call('HSET', kTask(id), unpack(fields))
        if flow then
          -- Waiting: placed when its dependencies finished (flows.lua.ts), once the group is written.
          wiring[#wiring + 1] = { id = id, deps = { unpack(flow, 2) }, policy = flow[1] }
          move('pending', 'waiting')
          signal = false
        elseif key ~= '' then
          if not enqueue(id, p, h, rk, key, runAt, m) then signal = false end
        elseif rk then
          place(p, h, rk, runAt, m)
        else
          local lane = kLane(p, h)
          local q = queued[lane]
          if not q then
            q = {}
            queued[lane] = q
            place(p, h, false, runAt, m)
          else
            q[#q + 1] = runAt
            q[#q + 1] = m
          end
        end
        if signal then wake(runAt - NOW) end
        redis.call('XADD', K_LIST, listId(seq), 'i', id)
      end
    end
    move(nil, 'pending', adding)
    if #wiring > 0 then
      for _, w in ipairs(wiring) do w.count, w.failedBy, w.failedStatus = wireDependencies(w.id, w.deps, w.policy) end
      settleAdded(wiring)
    end
  end
end
for lane, q in pairs(queued) do bulk('ZADD', lane, q) end
-- Tasks a failed dependency cancelled at once (flows.lua.ts).
enterRetention()
out[1] = flush()
return out
`;
