/**
 * Recovers expired leases, then claims up to ARGV[5] due tasks (priority desc, then runAt, then seq) for
 * ARGV[6] ms, worker ARGV[7]. ARGV[8] '1': only the handlers that follow, 5 values each: name, limit,
 * globalConcurrency, rate limit, rate interval ('' none); '0': any handler, no limits. Paused handlers (and a paused
 * queue) are left out; a held handler or key, or one whose rate window is full, is skipped without reading its
 * backlog (keys are parked in B kp:<h> until their time, lanes.lua.ts). Returns {wakeIn, nextDueInMs,
 * nextLeaseInMs, recovered, records...} (-1: none); nextDueInMs also covers when a held or rate-limited handler or
 * key may be claimed again.
 */
export const CLAIM = `
local LIMIT, LEASE_TIME, WORKER = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]

-- A worker died or stalled: its tasks are claimable again (another attempt), keeping their partitions.
local expired = redis.call('ZRANGEBYSCORE', K_LEASES, '-inf', NOW, 'LIMIT', 0, 1000)
local recovered = 0
if #expired > 0 then
  redis.call('ZREMRANGEBYRANK', K_LEASES, 0, #expired - 1)
  for _, id in ipairs(expired) do
    local tk = kTask(id)
    local o = redis.call('HMGET', tk, 's', 'p', 'r', 'q', 'k', 'h', 'rk')
    if o[1] == 'cancelled' then
      redis.call('HSET', tk, 't', '')
      leavePartition(id, o[5])
      retain(id)
    elseif o[1] == 'running' then
      redis.call('HSET', tk, 's', 'pending', 't', '')
      move('running', 'pending')
      running(o[6], -1)
      place(o[2] or '0', o[6], o[7], o[3], member(o[4], id))
      recovered = recovered + 1
      wake(0)
    end
  end
  flushLanes()
  trim(100)
end
local firstLease = redis.call('ZRANGE', K_LEASES, 0, 0, 'WITHSCORES')

-- The handlers asked for, with their limits; whether each (and the queue) is paused or held, in one read each.
local asked = {}
if ARGV[8] == '1' then
  for i = 9, #ARGV, 5 do
    asked[#asked + 1] = {
      h = ARGV[i], limit = tonumber(ARGV[i + 1]), gc = tonumber(ARGV[i + 2]),
      rl = tonumber(ARGV[i + 3]), ri = tonumber(ARGV[i + 4]),
    }
  end
else
  for _, h in ipairs(redis.call('SMEMBERS', K_HANDLERS)) do asked[#asked + 1] = { h = h } end
end
if #asked > 0 then
  local members = { 'q' }
  for i, a in ipairs(asked) do
    members[2 * i], members[2 * i + 1] = 'p:' .. a.h, 'h:' .. a.h
  end
  local control = redis.call('ZMSCORE', K_CONTROL, unpack(members))
  for i, a in ipairs(asked) do
    a.paused = control[2 * i] ~= false
    local held = control[2 * i + 1]
    if held and tonumber(held) > NOW then
      a.held = tonumber(held)
    elseif held then
      redis.call('ZREM', K_CONTROL, members[2 * i + 1])
    end
  end
  if control[1] then asked = {} end
end

-- The earliest time a held or rate-limited handler or key may be claimed again.
local later = nil
local function notBefore(t)
  if later == nil or t < later then later = t end
end
-- Starts left in rate window w (trimmed first); with none, also when the next one frees.
local function windowFree(w, rl, ri)
  redis.call('ZREMRANGEBYSCORE', w, '-inf', NOW - ri)
  local c = redis.call('ZCARD', w)
  if c < rl then return rl - c end
  return 0, tonumber(redis.call('ZRANGE', w, c - rl, c - rl, 'WITHSCORES')[2]) + ri
end
local function keyHeldUntil(h, k)
  local t = tonumber(redis.call('GET', kHold(h, k)) or '0')
  if t > NOW then return t end
  return nil
end

-- What each lane offers: its due tasks, at most what its handler (and window) may start, so that the merge below
-- picks exactly, and each lane gives a prefix of what it offered.
local offered = {}
local left, n0, windowLeft, windowTime, slots = {}, {}, {}, {}, {}
-- Lanes and key indexes whose next runAt counts for nextDueInMs.
local watched = {}
local function offer(lane, n, p, h, k, w)
  local due = redis.call('ZRANGEBYSCORE', lane, '-inf', NOW, 'WITHSCORES', 'LIMIT', 0, n)
  if #due > 0 then offered[#offered + 1] = { lane = lane, due = due, p = p, h = h, k = k, w = w } end
  return #due
end
local function parkKey(h, k, at, kprios)
  redis.call('ZADD', kParked(h), at, k)
  for _, p in ipairs(kprios) do redis.call('ZREM', kKeys(p, h), k) end
  notBefore(at)
end

for _, a in ipairs(asked) do
  local h = a.h
  local n = LIMIT
  if a.limit and a.limit < n then n = a.limit end
  if a.gc then
    local free = a.gc - tonumber(redis.call('HGET', K_RUN, h) or '0') - (runDelta[h] or 0)
    if free < n then n = free end
    slots[h] = free
  end
  if n > 0 and a.held then notBefore(a.held) end
  if n > 0 and not a.paused and not a.held then
    left[h], n0[h] = n, n
    local prios, kprios = lanesOf(h)
    local emptied = false
    -- Tasks without rateLimitKey: the handler's own window.
    local nu, w = n, false
    if a.rl and #prios > 0 then
      w = kWindow(h)
      local free, at = windowFree(w, a.rl, a.ri)
      if free == 0 then notBefore(at) end
      nu, windowLeft[w], windowTime[w] = math.min(n, free), free, a.ri
    end
    if nu > 0 then
      for _, p in ipairs(prios) do
        local lane = kLane(p, h)
        if offer(lane, nu, p, h, false, w) == 0 and redis.call('EXISTS', lane) == 0 then
          redis.call('ZREM', kPrios(h), p)
          emptied = true
        else
          watched[#watched + 1] = lane
        end
      end
    end
    -- Tasks with a rateLimitKey: keys in order of their lanes' first task, a held or full one parked.
    if #kprios > 0 then
      local kp = kParked(h)
      local back = redis.call('ZRANGEBYSCORE', kp, '-inf', NOW, 'LIMIT', 0, 1000)
      if #back > 0 then
        bulk('ZREM', kp, back)
        for _, k in ipairs(back) do
          for _, p in ipairs(kprios) do
            local first = redis.call('ZRANGE', kLane(p, h, k), 0, 0, 'WITHSCORES')
            if first[2] then redis.call('ZADD', kKeys(p, h), first[2], k) end
          end
        end
      end
      local firstParked = redis.call('ZRANGE', kp, 0, 0, 'WITHSCORES')
      if firstParked[2] then notBefore(tonumber(firstParked[2])) end
      for _, p in ipairs(kprios) do
        local index = kKeys(p, h)
        local eligible = 0
        while eligible < n do
          local keys = redis.call('ZRANGEBYSCORE', index, '-inf', NOW, 'LIMIT', eligible, n - eligible)
          if #keys == 0 then break end
          for _, k in ipairs(keys) do
            local kw, park = a.rl and kWindow(h, k), keyHeldUntil(h, k)
            if kw and not park and windowLeft[kw] == nil then
              local free, at = windowFree(kw, a.rl, a.ri)
              if free == 0 then park = at else windowLeft[kw], windowTime[kw] = free, a.ri end
            end
            if park then
              parkKey(h, k, park, kprios)
            else
              offer(kLane(p, h, k), kw and math.min(n, windowLeft[kw]) or n, p, h, k, kw)
              eligible = eligible + 1
            end
          end
        end
        if redis.call('EXISTS', index) == 0 and redis.call('EXISTS', kp) == 0 then
          redis.call('ZREM', kPrios(h), 'k' .. p)
          emptied = true
        else
          watched[#watched + 1] = index
        end
      end
    end
    if emptied and redis.call('EXISTS', kPrios(h)) == 0 then redis.call('SREM', K_HANDLERS, h) end
  end
end

-- The merge: highest priority first, then runAt, then seq, each within its handler's and window's allowance. The
-- picks: member, runAt as stored, and the lane's offer (one lane: all it offered, in its order).
local picked, taken = {}, {}
if #offered == 1 then
  local o = offered[1]
  for j = 1, #o.due, 2 do picked[#picked + 1] = { o.due[j], o.due[j + 1], o } end
  taken[o] = #picked
  left[o.h] = left[o.h] - #picked
elseif #offered > 1 then
  local cands = {}
  for _, o in ipairs(offered) do
    for j = 1, #o.due, 2 do cands[#cands + 1] = { tonumber(o.p), tonumber(o.due[j + 1]), o.due[j], o, o.due[j + 1] } end
  end
  table.sort(cands, function(x, y)
    if x[1] ~= y[1] then return x[1] > y[1] end
    if x[2] ~= y[2] then return x[2] < y[2] end
    return x[3] < y[3]
  end)
  for _, c in ipairs(cands) do
    if #picked >= LIMIT then break end
    local o = c[4]
    local h, w = o.h, o.w
    if left[h] > 0 and (not w or windowLeft[w] > 0) then
      left[h] = left[h] - 1
      if w then windowLeft[w] = windowLeft[w] - 1 end
      taken[o] = (taken[o] or 0) + 1
      picked[#picked + 1] = { c[3], c[5], o }
    end
  end
end
-- A handler this claim leaves at its cap: the next slot freed wakes the workers (flush in the prelude).
for h, free in pairs(slots) do
  if free - (left[h] and n0[h] - left[h] or 0) <= 0 then redis.call('HSET', K_CAPPED, h, 1) end
end
for o, t in pairs(taken) do
  redis.call('ZREMRANGEBYRANK', o.lane, 0, t - 1)
  if o.k then refreshKey(o.p, o.h, o.k) end
end

local claimed = #picked
local out = { -1, -1, -1, recovered }
if claimed > 0 then
  local tok = redis.call('INCRBY', B .. 'tok', claimed) - claimed
  local leases, windows = {}, {}
  for _, c in ipairs(picked) do
    local id, o = idOf(c[1]), c[3]
    local tk = kTask(id)
    local v = redis.call('HMGET', tk, 'd', 'a', 'e', 'h', 'p', 'k', 'd#', 'e#', 'rk')
    v[1], v[3] = getLong(tk, 'd', v[1], v[7]), getLong(tk, 'e', v[3], v[8])
    local attempts = tonumber(v[2] or '0') + 1
    tok = tok + 1
    local token = int(tok)
    redis.call('HSET', tk, 's', 'running', 'a', attempts, 'st', NOW, 't', token, 'w', WORKER)
    leases[#leases + 1] = NOW + LEASE_TIME
    leases[#leases + 1] = id
    running(o.h, 1)
    if o.w then
      redis.call('ZADD', o.w, NOW, token)
      windows[o.w] = true
    end
    local r = #out
    -- id, then FIELDS: d s r a st f t e x h p k rk
    out[r + 1], out[r + 2], out[r + 3], out[r + 4], out[r + 5] = id, v[1], 'running', c[2], attempts
    out[r + 6], out[r + 7], out[r + 8], out[r + 9], out[r + 10] = NOW, false, token, v[3], false
    out[r + 11], out[r + 12], out[r + 13], out[r + 14] = v[4], v[5], v[6], v[9]
  end
  for w in pairs(windows) do redis.call('PEXPIRE', w, windowTime[w]) end
  bulk('ZADD', K_LEASES, leases)
  move('pending', 'running', claimed)
end

local due = later
for _, key in ipairs(watched) do due = earliestAfterNow(key, due) end
if due then out[2] = math.max(0, due - NOW) end
if firstLease[2] then
  out[3] = math.max(0, tonumber(firstLease[2]) - NOW)
elseif claimed > 0 then
  out[3] = LEASE_TIME
  -- First lease after none: tell every store when it expires, so a dead worker's tasks are not left waiting.
  redis.call('PUBLISH', CHANNEL, ORIGIN .. '|l|' .. int(LEASE_TIME))
end
out[1] = flush()
return out
`;
