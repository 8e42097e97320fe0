/**
 * Recovers expired leases, then claims up to ARGV[5] due tasks (priority desc, then runAt, then seq) for
 * ARGV[6] ms, worker ARGV[7]. Returns {wakeIn, nextDueInMs, nextLeaseInMs, recovered, records...} (-1: none).
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
    local o = redis.call('HMGET', tk, 's', 'p', 'r', 'q', 'k')
    if o[1] == 'cancelled' then
      redis.call('HSET', tk, 't', '')
      leavePartition(id, o[5])
      retain(id)
    elseif o[1] == 'running' then
      redis.call('HSET', tk, 's', 'pending', 't', '')
      move('running', 'pending')
      place(o[2] or '0', o[3], member(o[4], id))
      recovered = recovered + 1
      wake(0)
    end
  end
  flushPrios()
  trim(100)
end
local firstLease = redis.call('ZRANGE', K_LEASES, 0, 0, 'WITHSCORES')

-- Due tasks, highest priority first; each queue is in (runAt, seq) order.
local prios = redis.call('ZREVRANGEBYSCORE', K_PRIOS, '+inf', '-inf')
local live = {}
local picked = {}
local claimed = 0
for _, p in ipairs(prios) do
  local qk = kQueue(p)
  local due = claimed < LIMIT and redis.call('ZRANGEBYSCORE', qk, '-inf', NOW, 'WITHSCORES', 'LIMIT', 0, LIMIT - claimed) or {}
  if #due > 0 then
    redis.call('ZREMRANGEBYRANK', qk, 0, #due / 2 - 1)
    for j = 1, #due do picked[#picked + 1] = due[j] end
    claimed = claimed + #due / 2
    live[#live + 1] = p
  elseif claimed < LIMIT and redis.call('ZCARD', qk) == 0 then
    redis.call('ZREM', K_PRIOS, p)
  else
    live[#live + 1] = p
  end
end

local out = { -1, -1, -1, recovered }
if claimed > 0 then
  local tok = redis.call('INCRBY', B .. 'tok', claimed) - claimed
  local leases = {}
  for j = 1, #picked, 2 do
    local id = idOf(picked[j])
    local tk = kTask(id)
    local v = redis.call('HMGET', tk, 'd', 'a', 'e', 'h', 'p', 'k', 'd#', 'e#')
    v[1], v[3] = getLong(tk, 'd', v[1], v[7]), getLong(tk, 'e', v[3], v[8])
    local attempts = tonumber(v[2] or '0') + 1
    tok = tok + 1
    local token = int(tok)
    redis.call('HSET', tk, 's', 'running', 'a', attempts, 'st', NOW, 't', token, 'w', WORKER)
    leases[#leases + 1] = NOW + LEASE_TIME
    leases[#leases + 1] = id
    local r = #out
    -- id, then FIELDS: d s r a st f t e x h p k
    out[r + 1], out[r + 2], out[r + 3], out[r + 4], out[r + 5] = id, v[1], 'running', picked[j + 1], attempts
    out[r + 6], out[r + 7], out[r + 8], out[r + 9], out[r + 10] = NOW, false, token, v[3], false
    out[r + 11], out[r + 12], out[r + 13] = v[4], v[5], v[6]
  end
  bulk('ZADD', K_LEASES, leases)
  move('pending', 'running', claimed)
end

local due = nextDue(live)
if due then out[2] = due - NOW end
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
