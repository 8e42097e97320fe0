/**
 * Records workers' reports, a batch at a time. From ARGV[5], per report 5 values: kind ('c' complete,
 * 'f' fail, 'p' postpone), id, lease token, payload (result JSON, '' none; or error JSON; postpone: ''), retry
 * in ms ('' final; postpone: its delay). Returns {wakeIn, outcome...}: 1 recorded, 0 stale lease, -1 the task
 * was cancelled meanwhile.
 */
export const REPORT = `
local FIRST, WIDTH = 4, 5
local n = (#ARGV - FIRST) / WIDTH
local out = { -1 }
local released = {}
for i = 0, n - 1 do
  local at = FIRST + i * WIDTH
  local kind, id, token, payload, retry = ARGV[at + 1], ARGV[at + 2], ARGV[at + 3], ARGV[at + 4], ARGV[at + 5]
  local tk = kTask(id)
  local o = redis.call('HMGET', tk, 's', 't', 'k', 'p', 'q', 'e#', 'x#', 'wt', 'hd', 'wf', 'h', 'rk')
  local outcome = 0
  if o[1] and o[2] == token then
    released[#released + 1] = id
    if o[1] == 'cancelled' then
      -- Cancelled while it ran: the result is refused, the partition released all the same.
      redis.call('HSET', tk, 't', '')
      leavePartition(id, o[3])
      retain(id)
      outcome = -1
    elseif kind == 'c' or retry == '' then
      local status = kind == 'c' and 'succeeded' or 'failed'
      if payload == '' then
        redis.call('HSET', tk, 's', status, 'f', NOW, 't', '')
      else
        local f = kind == 'c' and 'x' or 'e'
        putLong(tk, f, payload, kind == 'c' and o[7] or o[6], { 's', status, 'f', NOW, 't', '' })
      end
      move('running', status)
      running(o[11], -1)
      leavePartition(id, o[3])
      retain(id)
      -- Flows: only a task with dependencies, dependents or a waiter (flows.lua.ts).
      if o[8] or o[9] or o[10] then settleFlows(id, status) end
      outcome = 1
    else
      local delay = tonumber(retry)
      local runAt = NOW + delay
      if kind == 'p' then
        -- Postponed: the attempt gives its retry back (retryBase + 1), and its handler (or key) is held until then.
        local dd = redis.call('HMGET', tk, 'd', 'd#')
        local d = getLong(tk, 'd', dd[1], dd[2])
        putLong(tk, 'd', withRetryBase(d, retryBaseOf(d) + 1), dd[2], { 's', 'pending', 'r', runAt, 't', '' })
        hold(o[11], o[12], runAt)
      else
        putLong(tk, 'e', payload, o[6], { 's', 'pending', 'r', runAt, 't', '' })
      end
      move('running', 'pending')
      running(o[11], -1)
      -- It keeps its partition: still the owner, placed again.
      place(o[4] or '0', o[11], o[12], runAt, member(o[5], id))
      wake(delay)
      outcome = 1
    end
  end
  out[i + 2] = outcome
end
bulk('ZREM', K_LEASES, released)
trim(100 + n)
out[1] = flush()
return out
`;
