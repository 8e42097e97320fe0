/**
 * Deployments (issue 10): pause, the worker registry and the handlers with due tasks. Keys besides the lanes'
 * (lanes.lua.ts):
 * - B wk   hash: worker id -> its lastSeenAt (Redis's ms), a space, then its record as JSON (without lastSeenAt)
 * - B wkx  zset: worker ids by the ms their record expires (heartbeat + ttl)
 * Each returns {wakeIn, ...} where it may wake workers.
 */

/** ARGV[5] '1' the whole queue, else handler ARGV[6]; ARGV[7] '1' pause, '0' resume (which wakes the workers). */
export const SET_PAUSED = `
local what = ARGV[5] == '1' and 'q' or 'p:' .. ARGV[6]
local pause = ARGV[7] == '1'
if pause then
  redis.call('ZADD', K_CONTROL, 0, what)
else
  redis.call('ZREM', K_CONTROL, what)
end
if not pause then wake(0) end
return { flush() }
`;

/** Returns {queue paused (1 or 0), paused handlers...}. */
export const GET_PAUSED = `
local out, queue = {}, 0
for _, m in ipairs(redis.call('ZRANGEBYSCORE', K_CONTROL, 0, 0)) do
  if m == 'q' then
    queue = 1
  elseif string.sub(m, 1, 2) == 'p:' then
    out[#out + 1] = string.sub(m, 3)
  end
end
table.sort(out)
table.insert(out, 1, queue)
return out
`;

/** Worker ARGV[5] with record ARGV[6] (JSON) is seen now; it expires ARGV[7] ms after. */
export const HEARTBEAT = `
redis.call('HSET', K_WORKERS, ARGV[5], int(NOW) .. ' ' .. ARGV[6])
redis.call('ZADD', K_WORKER_EXPIRY, NOW + tonumber(ARGV[7]), ARGV[5])
return 1
`;

/** Worker ARGV[5] stopped. */
export const REMOVE_WORKER = `
redis.call('HDEL', K_WORKERS, ARGV[5])
redis.call('ZREM', K_WORKER_EXPIRY, ARGV[5])
return 1
`;

/** Drops the expired workers; returns {id, 'lastSeenAt JSON', ...} of the live ones. */
export const LIST_WORKERS = `
local gone = redis.call('ZRANGEBYSCORE', K_WORKER_EXPIRY, '-inf', NOW)
if #gone > 0 then
  bulk('HDEL', K_WORKERS, gone)
  bulk('ZREM', K_WORKER_EXPIRY, gone)
end
return redis.call('HGETALL', K_WORKERS)
`;

/** Names of the handlers with due pending tasks placed (parked keys count: they are due). */
export const DUE_HANDLERS = `
local out = {}
for _, h in ipairs(redis.call('SMEMBERS', K_HANDLERS)) do
  if hasDue(h, true) then out[#out + 1] = h end
end
table.sort(out)
return out
`;

/** The worker registry's keys: the scripts above. */
export const WORKER_KEYS = `
local K_WORKERS, K_WORKER_EXPIRY = B .. 'wk', B .. 'wkx'
`;
