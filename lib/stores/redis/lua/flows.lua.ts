/**
 * Flows (issue 12): dependencies between tasks, settled inside the script that finishes a task. Keys (additive to
 * the layout in prelude.lua.ts):
 * - B t:<id> fields: wt (a task with dependsOn: how many are unfinished), of ('r': onDependencyFailure 'run';
 *   absent: 'cancel'), hd (a dependency: how many unfinished tasks depend on its id, so retention keeps it; an add
 *   that replaces the finished task carries it over), wf ('1':
 *   someone waits for its finish, which is published as `|f|<id>` to every store), g (progress JSON, long: g#)
 * - B dp:<id>  list: the task's dependsOn, in order, while it holds them (an operator's retry deletes it)
 * - B dd:<id>  list: waiting tasks that count this one among their unfinished dependencies (deleted once it finished)
 * A finish costs O(its dependents + its dependencies): counters and lists, never a scan.
 * Needs CORE, LONG, STATE, RETENTION and ENQUEUE.
 */
export const FLOWS = `
local function kDeps(id) return B .. 'dp:' .. id end
local function kDependents(id) return B .. 'dd:' .. id end
local function unfinished(s) return s == 'waiting' or s == 'pending' or s == 'running' end

-- A waiting task whose dependencies all finished: pending, due at the later of its runAt and now, and placed
-- as an added task is (its queue, or its partition).
local function releaseWaiting(id)
  local tk = kTask(id)
  local o = redis.call('HMGET', tk, 'r', 'q', 'p', 'k', 'h', 'rk')
  local runAt = math.max(tonumber(o[1]), NOW)
  redis.call('HSET', tk, 's', 'pending', 'r', runAt)
  move('waiting', 'pending')
  local m, p = member(o[2], id), o[3] or '0'
  if not o[4] then
    place(p, o[5], o[6], runAt, m)
    wake(runAt - NOW)
  elseif enqueue(id, p, o[5], o[6], o[4], runAt, m) then
    wake(runAt - NOW)
  end
end

-- A waiting task whose dependency failed or was cancelled (onDependencyFailure 'cancel').
local function cancelWaiting(id, dep, status)
  local tk = kTask(id)
  local e = cjson.encode({ name = 'TaskCancelledError', message = 'Task ' .. id .. ' was cancelled: its dependency ' .. dep .. ' ' .. status })
  putLong(tk, 'e', e, redis.call('HGET', tk, 'e#'), { 's', 'cancelled', 'f', NOW })
  move('waiting', 'cancelled')
  retain(id)
end

-- One unfinished task fewer depends on dep; a finished dep no longer held re-enters retention (trim skipped it).
local function unhold(dep)
  local tk = kTask(dep)
  if redis.call('HEXISTS', tk, 'hd') == 0 then return end
  if redis.call('HINCRBY', tk, 'hd', -1) > 0 then return end
  local o = redis.call('HMGET', tk, 's', 't')
  if not unfinished(o[1]) and (not o[2] or o[2] == '') and not redis.call('ZSCORE', K_DONE, dep) then retain(dep) end
end

-- Task id reached a finished status: its waiter is told, its dependencies unheld, its waiting dependents settled
-- (cancelled ones in turn, without recursion).
local function settleFlows(id, status)
  local stack = { id, status }
  while #stack > 0 do
    local st = table.remove(stack)
    local tid = table.remove(stack)
    local tk = kTask(tid)
    local o = redis.call('HMGET', tk, 'wt', 'wf')
    if o[2] then
      redis.call('HDEL', tk, 'wf')
      redis.call('PUBLISH', CHANNEL, '|f|' .. tid)
    end
    if o[1] then
      for _, dep in ipairs(redis.call('LRANGE', kDeps(tid), 0, -1)) do unhold(dep) end
    end
    local dependents = redis.call('LRANGE', kDependents(tid), 0, -1)
    if #dependents > 0 then redis.call('DEL', kDependents(tid)) end
    for _, did in ipairs(dependents) do
      local dk = kTask(did)
      local d = redis.call('HMGET', dk, 's', 'of')
      if d[1] == 'waiting' then
        if st ~= 'succeeded' and d[2] ~= 'r' then
          cancelWaiting(did, tid, st)
          stack[#stack + 1] = did
          stack[#stack + 1] = 'cancelled'
        elseif redis.call('HINCRBY', dk, 'wt', -1) <= 0 then
          releaseWaiting(did)
        end
      end
    end
  end
end

-- Wires a just-written waiting task to its dependencies (all known: the add checked). Returns the first
-- finished dependency that cancels it, if any.
local function wireDependencies(id, deps, policy)
  local count, failedBy, failedStatus = 0, nil, nil
  for _, dep in ipairs(deps) do
    local dk = kTask(dep)
    local s = redis.call('HGET', dk, 's')
    redis.call('HINCRBY', dk, 'hd', 1)
    if unfinished(s) then
      redis.call('RPUSH', kDependents(dep), id)
      count = count + 1
    elseif s ~= 'succeeded' and policy ~= 'r' and not failedBy then
      failedBy, failedStatus = dep, s
    end
  end
  bulk('RPUSH', kDeps(id), deps)
  redis.call('HSET', kTask(id), 'wt', count)
  return count, failedBy, failedStatus
end

-- After an add wrote its waiting tasks and wired them: those that need not wait are released or cancelled.
local function settleAdded(wired)
  for _, w in ipairs(wired) do
    if redis.call('HGET', kTask(w.id), 's') == 'waiting' then
      if w.failedBy then
        cancelWaiting(w.id, w.failedBy, w.failedStatus)
        settleFlows(w.id, 'cancelled')
      elseif w.count == 0 then
        releaseWaiting(w.id)
      end
    end
  end
end
`;

/** The unfinished ids of a flow task's dependsOn, as JSON (for get/list): waitingFor(id). Needs CORE. */
export const WAITING_FOR = `
local function waitingFor(id)
  local ids = {}
  for _, dep in ipairs(redis.call('LRANGE', B .. 'dp:' .. id, 0, -1)) do
    local s = redis.call('HGET', kTask(dep), 's')
    if s == 'waiting' or s == 'pending' or s == 'running' then ids[#ids + 1] = dep end
  end
  if #ids == 0 then return '[]' end
  return cjson.encode(ids)
end
`;

/** Marks task ARGV[5] watched if unfinished; returns it as a record ({} if unknown). Needs RECORD. */
export const WATCH = `
local id = ARGV[5]
local s = redis.call('HGET', kTask(id), 's')
local out = {}
if not s then return out end
if s == 'waiting' or s == 'pending' or s == 'running' then redis.call('HSET', kTask(id), 'wf', '1') end
appendRecord(out, id)
return out
`;

/** Keeps ARGV[7] (JSON) as the progress of task ARGV[5] if lease token ARGV[6] is current. Returns 1, else 0. */
export const PROGRESS = `
local tk = kTask(ARGV[5])
local o = redis.call('HMGET', tk, 's', 't', 'g#')
if o[1] ~= 'running' or o[2] ~= ARGV[6] then return 0 end
putLong(tk, 'g', ARGV[7], o[3])
return 1
`;

/** Returns, per id from ARGV[5], 0 (unknown) or 1 and its record. Needs RECORD. */
export const GET_MANY = `
local out = {}
for i = 5, #ARGV do
  if redis.call('EXISTS', kTask(ARGV[i])) == 1 then
    out[#out + 1] = 1
    appendRecord(out, ARGV[i])
  else
    out[#out + 1] = 0
  end
end
return out
`;
