/**
 * Ready lanes (layout 3, deployments): placed pending tasks are kept per handler, so a claim reads only the lanes
 * of the handlers it may take, and a handler at its cap, held or paused costs nothing whatever its backlog.
 * - B q:<p>:<h>           zset: placed tasks of handler h at priority p without a rateLimitKey; score runAt,
 *                         member seq..id (as every queue of the layout)
 * - B qk:<p>:<#h>:<h><k>  zset: the same for the tasks of rateLimitKey k (#h: the handler name's length, so the
 *                         key name cannot be misread)
 * - B hp:<h>, B hpk:<h>   zsets: the priorities that have a lane of h, without and with rateLimitKey (score = member)
 * - B hk:<p>:<h>          zset: the keys of h at priority p whose lane is not empty and not parked; score the
 *                         lane's first runAt (so a claim walks keys in order, due ones first)
 * - B kp:<h>              zset: parked keys of h (rate window full or held), score when they may be claimed again;
 *                         a claim puts them back once that time came
 * - B hs                  set: handlers that have lanes (claims without `handlers`, dueHandlers, backlog)
 * - B run                 hash: handler -> its tasks `running` (globalConcurrency); kept by every status move
 * - B capped              hash: handler -> 1 when a claim found it at its globalConcurrency: the next release wakes
 * - B rw:<h>, B rk:<#h>:<h><k>    zsets: rate windows, the starts (claims) of the last interval, member the lease
 *                         token, score the ms; expiring an interval after the last start
 * - B ho:<h>, B hok:<#h>:<h><k>   strings: postpone holds, the ms until which none is claimed (expiring then)
 * - B paused              set: paused handlers; B paused:queue: the whole queue is paused (string)
 * Needs CORE; part of STATE (flush() applies what these collect).
 */
export const LANES = `
local K_HANDLERS, K_RUN, K_CAPPED = B .. 'hs', B .. 'run', B .. 'capped'
local K_PAUSED, K_PAUSED_QUEUE = B .. 'paused', B .. 'paused:queue'
local function kLane(p, h, k)
  if k then return B .. 'qk:' .. p .. ':' .. #h .. ':' .. h .. k end
  return B .. 'q:' .. p .. ':' .. h
end
local function kPrios(h, keyed) return B .. (keyed and 'hpk:' or 'hp:') .. h end
local function kKeys(p, h) return B .. 'hk:' .. p .. ':' .. h end
local function kParked(h) return B .. 'kp:' .. h end
-- Rate windows (start times, member the lease token) and postpone holds (the time, expiring then), per handler
-- for tasks without rateLimitKey, else per (handler, key).
local function kWindow(h, k)
  if k then return B .. 'rk:' .. #h .. ':' .. h .. k end
  return B .. 'rw:' .. h
end
local function kHold(h, k)
  if k then return B .. 'hok:' .. #h .. ':' .. h .. k end
  return B .. 'ho:' .. h
end

-- No task of h (or of its key k) is claimed before untilMs (a later hold stays).
local function hold(h, k, untilMs)
  local key = kHold(h, k)
  local held = tonumber(redis.call('GET', key) or '0')
  if untilMs > NOW and untilMs > held then redis.call('SET', key, int(untilMs), 'PX', int(untilMs - NOW)) end
end

-- Lanes placed in this call, registered once at the end: h -> { p = true, ['k' .. p] = true for keyed lanes }.
local placedLanes = {}
-- Lanes known to be registered (read by this call), the same shape.
local knownLanes = {}
local function knowLanes(h, prios, keyed)
  local t = knownLanes[h]
  if not t then
    t = {}
    knownLanes[h] = t
  end
  for _, p in ipairs(prios) do t[keyed and 'k' .. p or p] = true end
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
        if string.sub(p, 1, 1) == 'k' then
          redis.call('ZADD', kPrios(h, true), string.sub(p, 2), string.sub(p, 2))
        else
          redis.call('ZADD', kPrios(h), p, p)
        end
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
local function lanePrios(h, keyed)
  local prios = redis.call('ZRANGE', kPrios(h, keyed), 0, -1)
  knowLanes(h, prios, keyed)
  return prios
end
local function hasDue(h, parked)
  for _, p in ipairs(lanePrios(h)) do
    if redis.call('ZRANGEBYSCORE', kLane(p, h), '-inf', NOW, 'LIMIT', 0, 1)[1] then return true end
  end
  for _, p in ipairs(lanePrios(h, true)) do
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
  for _, p in ipairs(lanePrios(h)) do best = earliestAfterNow(kLane(p, h), best) end
  for _, p in ipairs(lanePrios(h, true)) do best = earliestAfterNow(kKeys(p, h), best) end
  return best
end
`;
