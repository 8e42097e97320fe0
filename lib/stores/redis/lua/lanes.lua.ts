/**
 * Ready lanes (layout 3, deployments): placed pending tasks are kept per handler, so a claim reads only the lanes
 * of the handlers it may take, and a handler at its cap, held or paused costs nothing whatever its backlog.
 * - B q:<p>:<h>           zset: placed tasks of handler h at priority p without a rateLimitKey; score runAt,
 *                         member seq..id (as every queue of the layout)
 * - B qk:<p>:<#h>:<h><k>  zset: the same for the tasks of rateLimitKey k (#h: the handler name's length, so the
 *                         key name cannot be misread)
 * - B hp:<h>              zset: the lanes of h by priority: member p for its lane without rateLimitKey, 'k' .. p
 *                         for its keyed lanes at p; score p (one read tells a claim every lane of a handler)
 * - B hk:<p>:<h>          zset: the keys of h at priority p whose lane is not empty and not parked; score the
 *                         lane's first runAt (so a claim walks keys in order, due ones first)
 * - B kp:<h>              zset: parked keys of h (rate window full or held), score when they may be claimed again;
 *                         a claim puts them back once that time came
 * - B hs                  set: handlers that have lanes (claims without `handlers`, dueHandlers, backlog)
 * - B run                 hash: handler -> its tasks `running` (globalConcurrency); kept by every status move
 * - B capped              hash: handler -> 1 when a claim found it at its globalConcurrency: the next release wakes
 * - B rw:<h>, B rk:<#h>:<h><k>    zsets: rate windows, the starts (claims) of the last interval, member the lease
 *                         token, score the ms; expiring an interval after the last start
 * - B ctl                 zset, what a claim reads in one command: 'q' while the whole queue is paused, 'p:' .. h
 *                         for a paused handler (score 0), 'h:' .. h for a postpone hold of a handler's tasks without
 *                         rateLimitKey (score the ms until which none is claimed); B hok:<#h>:<h><k> strings: the
 *                         holds of keys (expiring then)
 * Needs CORE; part of STATE (flush() applies what these collect).
 */
export const LANES = `
local K_HANDLERS, K_RUN, K_CAPPED = B .. 'hs', B .. 'run', B .. 'capped'
local K_CONTROL = B .. 'ctl'
local function kLane(p, h, k)
  if k then return B .. 'qk:' .. p .. ':' .. #h .. ':' .. h .. k end
  return B .. 'q:' .. p .. ':' .. h
end
local function kPrios(h) return B .. 'hp:' .. h end
local function kKeys(p, h) return B .. 'hk:' .. p .. ':' .. h end
local function kParked(h) return B .. 'kp:' .. h end
-- Rate windows (start times, member the lease token) and postpone holds (the time, expiring then), per handler
-- for tasks without rateLimitKey, else per (handler, key).
local function kWindow(h, k)
  if k then return B .. 'rk:' .. #h .. ':' .. h .. k end
  return B .. 'rw:' .. h
end
local function kHold(h, k) return B .. 'hok:' .. #h .. ':' .. h .. k end

-- No task of h (or of its key k) is claimed before untilMs (a later hold stays).
local function hold(h, k, untilMs)
  if untilMs <= NOW then return end
  if not k then
    redis.call('ZADD', K_CONTROL, 'GT', untilMs, 'h:' .. h)
    return
  end
  local key = kHold(h, k)
  if untilMs > tonumber(redis.call('GET', key) or '0') then
    redis.call('SET', key, int(untilMs), 'PX', int(untilMs - NOW))
  end
end

-- Lanes placed in this call, registered once at the end: h -> { p = true, ['k' .. p] = true for keyed lanes }.
local placedLanes = {}
-- Lanes known to be registered (read by this call), the same shape.
local knownLanes = {}
-- The priorities of h's lanes without and with rateLimitKey, as B hp:<h> holds them when this call first reads it.
local lanesRead = {}
local function lanesOf(h)
  local read = lanesRead[h]
  if read then return read[1], read[2] end
  local plain, keyed, known = {}, {}, knownLanes[h] or {}
  knownLanes[h] = known
  for _, m in ipairs(redis.call('ZRANGE', kPrios(h), 0, -1)) do
    known[m] = true
    if string.byte(m, 1) == 107 then keyed[#keyed + 1] = string.sub(m, 2) else plain[#plain + 1] = m end
  end
  lanesRead[h] = { plain, keyed }
  return plain, keyed
end

-- A pending task enters its handler's lane (p and runAt as strings or numbers, k false or nil: no rateLimitKey).
local function place(p, h, k, runAt, m)
  redis.call('ZADD', kLane(p, h, k), runAt, m)
  if k and not redis.call('ZSCORE', kParked(h), k) then redis.call('ZADD', kKeys(p, h), 'LT', runAt, k) end
  local t = placedLanes[h]
  if not t then
    t = {}
    placedLanes[h] = t
  end
  t[k and 'k' .. p or p] = true
end
-- A keyed lane's entry in its index follows its first task (an empty lane leaves; a parked one stays out).
local function refreshKey(p, h, k)
  local first = redis.call('ZRANGE', kLane(p, h, k), 0, 0, 'WITHSCORES')
  if first[2] then
    redis.call('ZADD', kKeys(p, h), 'XX', first[2], k)
  else
    redis.call('ZREM', kKeys(p, h), k)
  end
end
-- A placed task leaves its lane (cancelled, removed, or put behind its partition's new head).
local function unplace(p, h, k, m)
  redis.call('ZREM', kLane(p, h, k), m)
  if k then refreshKey(p, h, k) end
end
local function flushLanes()
  for h, t in pairs(placedLanes) do
    local known, added = knownLanes[h] or {}, false
    for p in pairs(t) do
      if not known[p] then
        redis.call('ZADD', kPrios(h), string.byte(p, 1) == 107 and string.sub(p, 2) or p, p)
        added = true
      end
    end
    if added then redis.call('SADD', K_HANDLERS, h) end
  end
  placedLanes = {}
end

-- Running tasks per handler, applied once at the end; a handler whose slot freed after a claim found it capped wakes.
local runDelta = {}
local function running(h, n) runDelta[h] = (runDelta[h] or 0) + n end
`;

/**
 * Reads of a handler's lanes: hasDue(h, parked) (one of its placed tasks is due; with parked, counting parked keys),
 * nextDueOf(h) (its earliest runAt after now, or nil). Needs STATE.
 */
export const LANE_READS = `
local function hasDue(h, parked)
  local plain, keyed = lanesOf(h)
  for _, p in ipairs(plain) do
    if redis.call('ZRANGEBYSCORE', kLane(p, h), '-inf', NOW, 'LIMIT', 0, 1)[1] then return true end
  end
  for _, p in ipairs(keyed) do
    if redis.call('ZRANGEBYSCORE', kKeys(p, h), '-inf', NOW, 'LIMIT', 0, 1)[1] then return true end
  end
  return parked and redis.call('EXISTS', kParked(h)) == 1
end
local function earliestAfterNow(key, best)
  local r = redis.call('ZRANGEBYSCORE', key, '(' .. int(NOW), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if r[2] and (best == nil or tonumber(r[2]) < best) then return tonumber(r[2]) end
  return best
end
local function nextDueOf(h)
  local best = nil
  local plain, keyed = lanesOf(h)
  for _, p in ipairs(plain) do best = earliestAfterNow(kLane(p, h), best) end
  for _, p in ipairs(keyed) do best = earliestAfterNow(kKeys(p, h), best) end
  return best
end
`;
