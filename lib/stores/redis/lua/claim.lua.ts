/**
 * Recovers expired leases, then claims up to ARGV[5] due tasks (priority desc, then runAt, then seq) for
 * ARGV[6] ms, worker ARGV[7]. Returns {wakeIn, nextDueInMs, nextLeaseInMs, records...} (-1: none).
 */
export const CLAIM = `
local LIMIT, LEASE_TIME, WORKER = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]

-- A worker died or stalled: its tasks are claimable again (another attempt), keeping their partitions.
local expired = redis.call('ZRANGEBYSCORE', K_LEASES, '-inf', NOW, 'LIMIT', 0, 1000)
if #expired > 0 then
  redis.call('ZREMRANGEBYRANK', K_LEASES, 0, #expired - 1)
  for _, id in ipairs(expired) do
    local tk = kTask(id)
    local o = redis.call('HMGET', tk, 's', 'p', 'r', 'q', 'k')
    redis.call('HDEL', tk, 't', 'w')
    if o[1] == 'cancelled' then
      leavePartition(id, o[5])
      retain(id)
    elseif o[1] == 'running' then
      redis.call('HSET', tk, 's', 'pending')
      move('running', 'pending')
      place(o[2], o[3], member(o[4], id))
      wake(0)
    end
  end
end
local hadLeases = redis.call('ZCARD', K_LEASES) > 0

local out = { -1, -1, -1 }
local claimed = 0
if LIMIT > 0 then
  local tok = tonumber(redis.call('GET', B .. 'tok') or '0')
  local leases = {}
  -- Priorities placed by recovery above are not in K_PRIOS yet.
  for p in pairs(placedPrios) do redis.call('ZADD', K_PRIOS, p, p) end
  placedPrios = {}
  for _, p in ipairs(redis.call('ZREVRANGEBYSCORE', K_PRIOS, '+inf', '-inf')) do
    local qk = kQueue(p)
    local due = redis.call('ZRANGEBYSCORE', qk, '-inf', NOW, 'LIMIT', 0, LIMIT - claimed)
    if #due > 0 then
      redis.call('ZREMRANGEBYRANK', qk, 0, #due - 1)
      for _, m in ipairs(due) do
        local id = idOf(m)
        local tk = kTask(id)
        local v = redis.call('HMGET', tk, 'd', 'h', 'p', 'k', 'r', 'c', 'a', 'e')
        local attempts = tonumber(v[7]) + 1
        tok = tok + 1
        local token = int(tok)
        redis.call('HSET', tk, 's', 'running', 'a', attempts, 'st', NOW, 't', token, 'w', WORKER)
        leases[#leases + 1] = NOW + LEASE_TIME
        leases[#leases + 1] = id
        local r = #out
        out[r + 1], out[r + 2], out[r + 3], out[r + 4], out[r + 5], out[r + 6], out[r + 7] = id, v[1], v[2], 'running', v[3], v[4], v[5]
        out[r + 8], out[r + 9], out[r + 10], out[r + 11], out[r + 12], out[r + 13], out[r + 14] = v[6], attempts, NOW, false, token, v[8], false
      end
      claimed = claimed + #due
    elseif redis.call('ZCARD', qk) == 0 then
      redis.call('ZREM', K_PRIOS, p)
    end
    if claimed >= LIMIT then break end
  end
  if claimed > 0 then
    redis.call('SET', B .. 'tok', int(tok))
    for i = 1, #leases, 1000 do
      redis.call('ZADD', K_LEASES, unpack(leases, i, math.min(i + 999, #leases)))
    end
    delta.pending = (delta.pending or 0) - claimed
    delta.running = (delta.running or 0) + claimed
  end
end

local due = nextDue()
if due then out[2] = due - NOW end
local first = redis.call('ZRANGE', K_LEASES, 0, 0, 'WITHSCORES')
if first[2] then
  out[3] = math.max(0, tonumber(first[2]) - NOW)
  -- First lease after none: tell every store when it expires, so a dead worker's tasks are not left waiting.
  if not hadLeases then redis.call('PUBLISH', CHANNEL, ORIGIN .. '|l|' .. int(out[3])) end
end
out[1] = flush()
return out
`;
