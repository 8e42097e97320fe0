/**
 * Cancels task ARGV[5] if waiting, pending or running (a running one keeps its partition until its worker reports
 * or its lease expires; the workers get a cancel signal); its waiting dependents are settled (flows.lua.ts). Returns {wakeIn, 0} if unknown or finished, else
 * {wakeIn, 1, record}.
 */
export const CANCEL = `
local id = ARGV[5]
local tk = kTask(id)
local o = redis.call('HMGET', tk, 's', 'p', 'k', 'q', 'wt', 'hd', 'wf', 'h', 'rk')
if o[1] == 'waiting' then
  -- In no queue and no partition: nothing else is released.
  redis.call('HSET', tk, 's', 'cancelled', 'f', NOW)
  move('waiting', 'cancelled')
  retain(id)
  trim(100)
elseif o[1] == 'pending' then
  local m = member(o[4], id)
  unplace(o[2] or '0', o[8], o[9], m)
  if o[3] then redis.call('ZREM', kPart(o[3]), m) end
  redis.call('HSET', tk, 's', 'cancelled', 'f', NOW)
  move('pending', 'cancelled')
  leavePartition(id, o[3])
  retain(id)
  trim(100)
elseif o[1] == 'running' then
  redis.call('HSET', tk, 's', 'cancelled', 'f', NOW)
  move('running', 'cancelled')
  -- Its globalConcurrency slot is free now; the partition waits for the worker's report (or the lease's end).
  running(o[8], -1)
  redis.call('PUBLISH', CHANNEL, ORIGIN .. '|c|' .. id)
else
  return { -1, 0 }
end
if o[5] or o[6] or o[7] then
  settleFlows(id, 'cancelled')
  enterRetention()
end
local out = { flush(), 1 }
appendRecord(out, id)
return out
`;
