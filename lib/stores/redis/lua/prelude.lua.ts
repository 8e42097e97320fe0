import { LANES } from './lanes.lua.js';

/**
 * What every script shares: key names, the server's clock, and the state changes that several scripts
 * make (placing a task, releasing a partition, retention). Prepended to each script.
 *
 * Layout (version LAYOUT in B layout), for a queue whose keys start with B = `{prefix}:`. Every hash field
 * of a pending task stays under Redis's default hash-max-listpack-value (64 bytes) for small args, so the
 * task hash keeps the compact listpack encoding (see bench/redis-memory.bench.mjs):
 * - B t:<id>        hash: one task. d: JSON of the fields no script reads, with short keys (a args, c createdAt,
 *                   m maxRetries, n name, o timeout, y retryStrategy, md metadata); h handler, p priority
 *                   (absent: 0), k partition (absent: none), s status, r runAt, a attempts (absent: 0),
 *                   q insertion seq, st startedAt, f finishedAt, t lease token (absent or '': none), w worker,
 *                   e lastError JSON, x result JSON, rk rateLimitKey (absent: none)
 * - B q:..., qk:... zsets: the ready lanes, claimable pending tasks per handler and priority (due or not), with
 *                   their indexes (lanes.lua.ts)
 * - B part          hash: partition key -> the one task that heads or holds the partition
 * - B pq:<key>      zset: a partition's tasks waiting behind its head, score runAt, member seq..id
 * - B leases        zset: running tasks by lease expiry, member id
 * - B done          zset: finished tasks in finish order (retention), member id; score the ms it entered
 *                   retention, kept strictly increasing by steps of 1/1024 ms (exact in a double until 2248)
 * - B list          stream: every task in the order the store received it (listing), entry id <seq>-0,
 *                   field i = task id (a stream entry costs about a third of a sorted set's)
 * - B counts        hash: status -> count
 * - B seq, B tok    counters: insertion order and lease tokens
 * - B layout        string: the layout version (the store refuses a prefix written by another version)
 * Members `seq..id` (seq as 8 base-62 digits, fixed width) make equal runAt scores sort in insertion order.
 * Commands that touch many members are sent in chunks (Lua's unpack has a limit).
 *
 * Each script includes only the pieces it uses (defining helpers costs time on every call).
 *
 * ARGV[1] B, ARGV[2] origin (the calling store, so it ignores its own signals), ARGV[3] retention maxCount,
 * ARGV[4] retention maxAge; each script's own arguments start at ARGV[5].
 */
/** Keys, the clock and small helpers: every script. */
export const CORE = `
local B = ARGV[1]
local ORIGIN = ARGV[2]
local MAX_COUNT = tonumber(ARGV[3])
local MAX_AGE = tonumber(ARGV[4])
local K_COUNTS, K_PART = B .. 'counts', B .. 'part'
local K_LEASES, K_DONE, K_LIST = B .. 'leases', B .. 'done', B .. 'list'
local CHANNEL = B .. 'signal'
local clock = redis.call('TIME')
local NOW = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local CHUNK = 4000

local function int(x) return string.format('%d', x) end
local function kTask(id) return B .. 't:' .. id end
local function kPart(key) return B .. 'pq:' .. key end
-- seq in 8 base-62 digits (ASCII order, so members sort by seq; 2.1e14 tasks): 7 bytes shorter than decimal.
local DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
local function member(seq, id)
  local n, s = tonumber(seq), {}
  for i = 8, 1, -1 do
    local d = n % 62
    s[i] = string.sub(DIGITS, d + 1, d + 1)
    n = (n - d) / 62
  end
  return table.concat(s) .. id
end
local function idOf(m) return string.sub(m, 9) end
local function listId(seq) return int(tonumber(seq)) .. '-0' end

-- One command over many arguments (after an optional key), in chunks.
local function bulk(command, key, args)
  for i = 1, #args, CHUNK do
    if key then
      redis.call(command, key, unpack(args, i, math.min(i + CHUNK - 1, #args)))
    else
      redis.call(command, unpack(args, i, math.min(i + CHUNK - 1, #args)))
    end
  end
end
`;

/**
 * pieces(fields, f, v), putLong(tk, f, v, old), getLong(tk, f, first, count): JSON values (d, e, x) that may be
 * long, kept in pieces of at most 63 bytes (Redis's hash-max-listpack-value is 64 by default): field f, then
 * f2, f3..., and f# the number of pieces when more than one. A hash with a longer field would leave the
 * listpack encoding for a hash table, which costs several times the memory.
 */
export const LONG = `
local PIECE, MAX_PIECES = 63, 200
-- Appends field/value pairs for v to fields; returns how many pieces (past MAX_PIECES, one: the hash would not
-- stay a listpack anyway).
local function pieces(fields, f, v)
  local n = math.ceil(#v / PIECE)
  if n <= 1 or n > MAX_PIECES then
    fields[#fields + 1] = f
    fields[#fields + 1] = v
    return 1
  end
  for i = 1, n do
    fields[#fields + 1] = i == 1 and f or f .. i
    fields[#fields + 1] = string.sub(v, (i - 1) * PIECE + 1, i * PIECE)
  end
  fields[#fields + 1] = f .. '#'
  fields[#fields + 1] = n
  return n
end
-- Writes v to field f of tk (with fields, more pairs to set), dropping the pieces of a longer old value.
local function putLong(tk, f, v, old, fields)
  fields = fields or {}
  local n = pieces(fields, f, v)
  redis.call('HSET', tk, unpack(fields))
  old = tonumber(old or '1')
  if old > n then
    local stale = n == 1 and { f .. '#' } or {}
    for i = n + 1, old do stale[#stale + 1] = f .. i end
    redis.call('HDEL', tk, unpack(stale))
  end
end
-- retryBase (rb) in the codec's d JSON: the codec never writes rb, so the rb a script wrote last ends the object.
local function retryBaseOf(d) return tonumber(string.match(d, ',"rb":(%d+)}$') or '0') end
local function withRetryBase(d, rb)
  return string.sub((string.gsub(d, ',"rb":%d+}$', '}')), 1, -2) .. ',"rb":' .. rb .. '}'
end
-- The whole value of field f, given its first piece and f# (false: one piece).
local function getLong(tk, f, first, count)
  if not count then return first end
  local names = {}
  for i = 2, tonumber(count) do names[#names + 1] = f .. i end
  return first .. table.concat(redis.call('HMGET', tk, unpack(names)))
end
`;

/** Status counts, wake-ups and placing tasks, applied and published by flush() at the end. */
export const STATE = `
-- Status counts, applied once at the end.
local delta = {}
local function move(from, to, n)
  n = n or 1
  if from then delta[from] = (delta[from] or 0) - n end
  if to then delta[to] = (delta[to] or 0) + n end
end

-- The earliest wake-up this call causes (ms from now).
local wakeIn = nil
local function wake(inMs)
  if inMs < 0 then inMs = 0 end
  if wakeIn == nil or inMs < wakeIn then wakeIn = inMs end
end

${LANES}
-- Applies the counts and lanes, publishes the wake-up; returns it (-1: none) for the caller's own listeners.
local function flush()
  for status, d in pairs(delta) do
    if d ~= 0 then redis.call('HINCRBY', K_COUNTS, status, d) end
  end
  for h, d in pairs(runDelta) do
    if d ~= 0 then redis.call('HINCRBY', K_RUN, h, d) end
    if d < 0 and redis.call('HDEL', K_CAPPED, h) == 1 then wake(0) end
  end
  runDelta = {}
  flushLanes()
  if wakeIn == nil then return -1 end
  if wakeIn == 0 then
    redis.call('PUBLISH', CHANNEL, ORIGIN .. '|w')
  else
    redis.call('PUBLISH', CHANNEL, ORIGIN .. '|w|' .. int(wakeIn))
  end
  return wakeIn
end
`;

/** leavePartition(id, key): the next task of the partition is placed (needs STATE). */
export const PARTITION = `
-- The task no longer heads or holds its partition: the next one in (runAt, seq) order is placed.
local function leavePartition(id, key)
  if not key or redis.call('HGET', K_PART, key) ~= id then return end
  local nxt = redis.call('ZPOPMIN', kPart(key))
  if not nxt[1] then
    redis.call('HDEL', K_PART, key)
    return
  end
  local nid = idOf(nxt[1])
  local runAt = tonumber(nxt[2])
  redis.call('HSET', K_PART, key, nid)
  local o = redis.call('HMGET', kTask(nid), 'p', 'h', 'rk')
  place(o[1] or '0', o[2], o[3], runAt, nxt[1])
  wake(runAt - NOW)
end
`;

/** enqueue(id, p, h, rk, key, runAt, m): a task newly pending in partition key is placed or waits (needs STATE). */
export const ENQUEUE = `
-- A new partition task heads its partition if it has none, or if the head was never claimed and is due
-- later; otherwise it waits behind. True if it is placed.
local function enqueue(id, p, h, rk, key, runAt, m)
  local owner = redis.call('HGET', K_PART, key)
  if owner then
    local o = redis.call('HMGET', kTask(owner), 's', 'a', 'r', 'q', 'p', 'h', 'rk')
    if o[1] ~= 'pending' or (o[2] or '0') ~= '0' or runAt >= tonumber(o[3]) then
      redis.call('ZADD', kPart(key), runAt, m)
      return false
    end
    local om = member(o[4], owner)
    unplace(o[5] or '0', o[6], o[7], om)
    redis.call('ZADD', kPart(key), o[3], om)
  end
  redis.call('HSET', K_PART, key, id)
  place(p, h, rk, runAt, m)
  return true
end
`;

/** retain(id), forgetAll(ids), trim(budget): retention of finished tasks (needs STATE). */
export const RETENTION = `
-- Finished tasks enter retention at the end of the call, in the order they finished.
local retained = {}
local function retain(id) retained[#retained + 1] = id end

-- Adds the retained tasks to K_DONE, each scored after every task there (tasks finishing in one millisecond,
-- or while the clock steps back, keep their order; maxAge reads the score as ms). Scores are formatted here:
-- Redis would send a Lua number with 14 digits only.
local DONE_STEP = 1 / 1024
local function enterRetention()
  if #retained == 0 then return end
  local score = NOW
  local last = redis.call('ZRANGE', K_DONE, -1, -1, 'WITHSCORES')[2]
  if last and tonumber(last) + DONE_STEP > score then score = tonumber(last) + DONE_STEP end
  local args = {}
  for _, id in ipairs(retained) do
    args[#args + 1] = string.format('%.17g', score)
    args[#args + 1] = id
    score = score + DONE_STEP
  end
  bulk('ZADD', K_DONE, args)
  retained = {}
end

-- Deletes finished tasks (already out of K_DONE). With keepHeld (retention), a task unfinished ones depend on
-- (hd > 0) stays: it enters K_DONE again once they finished (flows.lua.ts).
local function forgetAll(ids, keepHeld)
  if #ids == 0 then return end
  local keys, entries = {}, {}
  for i, id in ipairs(ids) do
    local key = kTask(id)
    local o = redis.call('HMGET', key, 's', 'q', 'hd', 'wt')
    if o[1] and not (keepHeld and tonumber(o[3] or '0') > 0) then
      keys[#keys + 1] = key
      if o[4] then keys[#keys + 1] = B .. 'dp:' .. id end
      entries[#entries + 1] = listId(o[2])
      move(o[1], nil)
    end
  end
  bulk('XDEL', K_LIST, entries)
  bulk('DEL', nil, keys)
end

-- Retention: drops the oldest finished tasks beyond MAX_COUNT and those older than MAX_AGE, at most
-- budget of them. True if it stopped at the budget.
local function trim(budget)
  enterRetention()
  local removed = 0
  local excess = redis.call('ZCARD', K_DONE) - MAX_COUNT
  if excess > 0 then
    local n = math.min(excess, budget)
    forgetAll(redis.call('ZRANGE', K_DONE, 0, n - 1), true)
    redis.call('ZREMRANGEBYRANK', K_DONE, 0, n - 1)
    removed = n
  end
  if removed < budget then
    local old = redis.call('ZRANGEBYSCORE', K_DONE, '-inf', NOW - MAX_AGE, 'LIMIT', 0, budget - removed)
    if #old > 0 then
      forgetAll(old, true)
      redis.call('ZREMRANGEBYRANK', K_DONE, 0, #old - 1)
      removed = removed + #old
    end
  end
  return removed >= budget
end
`;

/** appendRecord(out, id): a task as the client decodes it (needs LONG and flows.lua.ts's WAITING_FOR). */
export const RECORD = `
-- The fields get/list/cancel return after the id, in the order the client decodes them (claim builds the same).
-- Then, for flows (READ_RECORD_WIDTH in redis-task.codec.ts): progress JSON, and waitingFor JSON (a flow task).
local FIELDS = { 'd', 's', 'r', 'a', 'st', 'f', 't', 'e', 'x', 'h', 'p', 'k', 'rk', 'd#', 'e#', 'x#', 'g', 'g#', 'wt' }
local RECORD_WIDTH = 13
local function appendRecord(out, id)
  out[#out + 1] = id
  local tk = kTask(id)
  local v = redis.call('HMGET', tk, unpack(FIELDS))
  v[1], v[8], v[9] = getLong(tk, 'd', v[1], v[14]), getLong(tk, 'e', v[8], v[15]), getLong(tk, 'x', v[9], v[16])
  for i = 1, RECORD_WIDTH do out[#out + 1] = v[i] end
  out[#out + 1] = v[17] and getLong(tk, 'g', v[17], v[18]) or false
  out[#out + 1] = v[19] and waitingFor(id) or false
end
`;
