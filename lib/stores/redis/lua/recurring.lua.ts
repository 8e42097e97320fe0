import { ADD } from './add.lua.js';
import { CANCEL } from './cancel.lua.js';

/**
 * Recurring schedules (additive keys; the layout version is unchanged):
 * - B r:<key>  hash: one schedule. h handler, j definition JSON, f fingerprint, n nextRunAt ('' none), l lastRunAt,
 *              i lastTaskId, pl previousRunAt, pi previousTaskId
 * - B rkeys    zset: every schedule's key, score 0 (so ZRANGE lists them by key)
 * A schedule is returned as its key then SCHEDULE_FIELDS (redis-recurring.codec.ts decodes the same order).
 */
export const SCHEDULE = `
local K_RKEYS = B .. 'rkeys'
local SCHEDULE_FIELDS = { 'h', 'j', 'f', 'n', 'l', 'i', 'pl', 'pi' }
local function kSchedule(key) return B .. 'r:' .. key end
local function appendSchedule(out, key)
  out[#out + 1] = key
  local v = redis.call('HMGET', kSchedule(key), unpack(SCHEDULE_FIELDS))
  for i = 1, #SCHEDULE_FIELDS do out[#out + 1] = v[i] end
end
-- The task is pending and was never claimed.
local function unstarted(id)
  if not id or id == '' then return false end
  local o = redis.call('HMGET', kTask(id), 's', 'a')
  return o[1] == 'pending' and (o[2] or '0') == '0'
end
`;

/**
 * The add and cancel scripts as functions (needs what each needs), so a step adds and cancels exactly as add()
 * and cancel() do, whatever they come to do. They read their arguments from ARGV[5] on: the caller puts them there.
 * Each ends with flush(): resetFlushed() clears what it applied, so that a second flush applies only its own.
 */
export const ADD_AND_CANCEL = `
local function addTasks()
${ADD}
end
local function cancelTask()
${CANCEL}
end
local function setArgs(args)
  for i = #ARGV, 5, -1 do ARGV[i] = nil end
  for i, v in ipairs(args) do ARGV[4 + i] = v end
end
local function resetFlushed()
  for status in pairs(delta) do delta[status] = nil end
  runDelta = {}
  wakeIn = nil
end
`;

/** Upsert: ARGV[5] key, [6] handler, [7] definition JSON, [8] fingerprint, [9] nextRunAt. Returns the schedule. */
export const RECURRING_PUT = `
local key = ARGV[5]
local ks = kSchedule(key)
local f = redis.call('HGET', ks, 'f')
if f == ARGV[8] then
  redis.call('HSET', ks, 'h', ARGV[6], 'j', ARGV[7])
else
  redis.call('HSET', ks, 'h', ARGV[6], 'j', ARGV[7], 'f', ARGV[8], 'n', ARGV[9])
end
redis.call('ZADD', K_RKEYS, 0, key)
local out = {}
appendSchedule(out, key)
return out
`;

/** ARGV[5] key: the schedule, or nothing. */
export const RECURRING_GET = `
if redis.call('EXISTS', kSchedule(ARGV[5])) == 0 then return {} end
local out = {}
appendSchedule(out, ARGV[5])
return out
`;

/** Every schedule, by key. */
export const RECURRING_LIST = `
local out = {}
for _, key in ipairs(redis.call('ZRANGE', K_RKEYS, 0, -1)) do appendSchedule(out, key) end
return out
`;

/** ARGV[5] key: deletes it and cancels its unstarted last occurrence. Returns {wakeIn, 0} or {wakeIn, 1, schedule}. */
export const RECURRING_REMOVE = `
local key = ARGV[5]
local ks = kSchedule(key)
if redis.call('EXISTS', ks) == 0 then return { -1, 0 } end
local out = { -1, 1 }
appendSchedule(out, key)
local last = redis.call('HGET', ks, 'i')
redis.call('DEL', ks)
redis.call('ZREM', K_RKEYS, key)
if unstarted(last) then
  setArgs({ last })
  out[1] = cancelTask()[1]
end
return out
`;

/**
 * One step (RecurringStep), all or nothing: ARGV[5] key, [6] expected nextRunAt ('' none), [7] expected last task
 * id ('' none), [8] 'u' unstarted | 's' started, [9] '1' cancel the last, [10] the occurrence's time ('' no task),
 * [11] nextRunAt ('' none), then the add script's arguments for the task (clock offset, '', '1', 8 values).
 * Returns {wakeIn, 1} if applied, {-1, 0} if an expectation failed.
 */
export const RECURRING_ADVANCE = `
local key = ARGV[5]
local ks = kSchedule(key)
local s = redis.call('HMGET', ks, 'n', 'i', 'l')
if redis.call('EXISTS', ks) == 0 or (s[1] or '') ~= ARGV[6] or (s[2] or '') ~= ARGV[7] then return { -1, 0 } end
local last = s[2]
if unstarted(last) ~= (ARGV[8] == 'u') then return { -1, 0 } end
local runAt, nextRunAt = ARGV[10], ARGV[11]
local add = {}
for i = 12, #ARGV do add[#add + 1] = ARGV[i] end
local wakes = -1
if ARGV[9] == '1' and last then
  setArgs({ last })
  wakes = cancelTask()[1]
  resetFlushed()
end
if runAt ~= '' then
  setArgs(add)
  local w = addTasks()[1]
  if wakes < 0 or (w >= 0 and w < wakes) then wakes = w end
  redis.call('HSET', ks, 'pl', s[3] or '', 'pi', last or '', 'l', runAt, 'i', add[4])
end
redis.call('HSET', ks, 'n', nextRunAt)
return { wakes, 1 }
`;
