import type { PostgresNames } from '../postgres-names.js';
import { ASYNC_COMMIT, HOT_PATH_PLANS } from '../postgres.queries.js';

const CLAIMABLE = "t.status = 'pending' AND NOT t.blocked";
/** Starts older than this many ms of a handler's interval no longer count (SQL, in the claim's terms). */
const WINDOW = "v_clock - v_ri * interval '1 millisecond'";

/**
 * Deployments (issue 10), schema version 7: per-handler claims, limits, pause, holds and the worker registry.
 * - tasks.rate_limit_key: the task's own rate-limit bucket. tasks_handler_claimable replaces tasks_claimable: the
 *   claimable tasks of each handler in claim order, so a claim of handler B never walks handler A's backlog (and
 *   a claim of every handler walks them handler by handler, priority by priority); tasks_key_claimable: the same
 *   for one (handler, key), only for tasks with a key. tasks_leased leads with the handler now (its running
 *   count for globalConcurrency); a renewal is still a HOT update.
 * - paused: one row per paused handler, '' for the whole queue. holds: RateLimitedError's holds, key '' the
 *   whole handler. rate_starts: the claims of rate-limited handlers within their window (key '' for tasks
 *   without one); expires_at for the sweep. capped: a handler with globalConcurrency; waiting: a claim found it
 *   at its cap, so the next finish of one of its tasks wakes the workers. workers: the live workers.
 */
export function deploymentsTablesSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
ALTER TABLE ${s('tasks')} ADD COLUMN rate_limit_key text;
DROP INDEX ${s('tasks_claimable')};
CREATE INDEX tasks_handler_claimable ON ${s('tasks')} (handler, priority DESC, run_at, seq) WHERE status = 'pending' AND NOT blocked;
CREATE INDEX tasks_key_claimable ON ${s('tasks')} (handler, rate_limit_key, priority DESC, run_at, seq)
  WHERE status = 'pending' AND NOT blocked AND rate_limit_key IS NOT NULL;
DROP INDEX ${s('tasks_leased')};
CREATE INDEX tasks_leased ON ${s('tasks')} (handler, seq) WHERE lease_token IS NOT NULL;
CREATE TABLE ${s('paused')} (handler text PRIMARY KEY);
CREATE TABLE ${s('holds')} (handler text NOT NULL, key text NOT NULL, until timestamptz NOT NULL, PRIMARY KEY (handler, key));
CREATE TABLE ${s('rate_starts')} (handler text NOT NULL, key text NOT NULL, at timestamptz NOT NULL, expires_at timestamptz NOT NULL);
CREATE INDEX rate_starts_window ON ${s('rate_starts')} (handler, key, at);
CREATE INDEX rate_starts_expiry ON ${s('rate_starts')} (expires_at);
CREATE TABLE ${s('capped')} (handler text PRIMARY KEY, waiting boolean NOT NULL DEFAULT false);
CREATE TABLE ${s('workers')} (
  id text PRIMARY KEY,
  hostname text NOT NULL,
  pid integer NOT NULL,
  handlers text[] NOT NULL,
  concurrency integer NOT NULL,
  running integer NOT NULL,
  -- epoch ms on the database's clock
  started_at double precision NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
`;
}

/** The next priority of one bucket's claimable tasks below `below` (NULL: the highest), one index probe. */
function nextPriority(s: (name: string) => string, q: string, below: string): string {
  const lower = below === '' ? '' : ` AND t.priority < ${below}`;
  return `CASE WHEN coalesce(${q}.k, '') = '' THEN
      (SELECT t.priority FROM ${s('tasks')} t WHERE ${CLAIMABLE} AND t.handler = ${q}.h${lower} ORDER BY t.priority DESC LIMIT 1)
    ELSE (SELECT t.priority FROM ${s('tasks')} t WHERE ${CLAIMABLE} AND t.handler = ${q}.h AND t.rate_limit_key = ${q}.k${lower}
      ORDER BY t.priority DESC LIMIT 1) END`;
}

/** How a pick reads a bucket's due tasks at one priority: from which rows, what it returns, how many, locked or not. */
interface PickMode {
  from: string;
  columns: string;
  inner: string;
  limit: string;
}

/**
 * peek: the first due tasks of each (bucket, priority), unlocked. take: its share of them, locked, skipping those
 * another claim holds (and taking the next ones instead).
 */
const MODES = {
  peek: { from: 'prios', columns: 'q.h, q.k, q.p, c.run_at, c.seq', inner: 't.run_at, t.seq', limit: 'q.n' },
  take: { from: 'shares', columns: 'c.id, q.h, q.k', inner: 't.id', limit: 'q.take FOR UPDATE SKIP LOCKED' },
} satisfies Record<string, PickMode>;

/** Under contention: up to v_take more of the bucket v_pair's due tasks at its priority, locked, into v_more. */
function more(s: (name: string) => string, filter: string): string {
  return `SELECT array_agg(c.id) INTO v_more FROM (
          SELECT t.id FROM ${s('tasks')} t
          WHERE ${CLAIMABLE} AND t.handler = v_pair.h AND t.priority = v_pair.p AND t.run_at <= now() AND ${filter}
            AND NOT (t.id = ANY(v_ids))
          ORDER BY t.run_at, t.seq LIMIT v_take FOR UPDATE SKIP LOCKED
        ) c;`;
}

/** One kind of bucket's due tasks at one priority, in (run_at, seq) order. */
function pick(s: (name: string) => string, kind: string, filter: string, mode: PickMode): string {
  return `SELECT ${mode.columns} FROM ${mode.from} q CROSS JOIN LATERAL (
      SELECT ${mode.inner} FROM ${s('tasks')} t
      WHERE ${CLAIMABLE} AND t.handler = q.h AND t.priority = q.p AND t.run_at <= now() AND ${filter}
      ORDER BY t.run_at, t.seq LIMIT ${mode.limit}
    ) c WHERE q.p IS NOT NULL AND ${kind}`;
}

/** The three kinds of bucket: any key (no rateLimit; held keys left out), no key, one key. */
function pickAll(s: (name: string) => string, heldKey: string, mode: PickMode): string {
  return [
    pick(s, 'q.k IS NULL', `(t.rate_limit_key IS NULL OR ${heldKey})`, mode),
    pick(s, "q.k = ''", 't.rate_limit_key IS NULL', mode),
    pick(s, "q.k > ''", 't.rate_limit_key = q.k', mode),
  ].join('\n    UNION ALL\n    ');
}

/** The (bucket, priority) pairs of the buckets in v_bh, v_bk, v_bn: one index probe each. */
function bucketPrios(s: (name: string) => string): string {
  return `prios(h, k, n, p) AS (
    SELECT b.h, b.k, b.n, ${nextPriority(s, 'b', '')} FROM unnest(v_bh, v_bk, v_bn) AS b(h, k, n)
    UNION ALL
    SELECT q.h, q.k, q.n, ${nextPriority(s, 'q', 'q.p')} FROM prios q WHERE q.p IS NOT NULL
  )`;
}

/** The functions of deployments: the per-handler claim, postpone, and the sweep of rows past their time. */
export function deploymentsFunctionsSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  const heldKey = `NOT EXISTS (SELECT 1 FROM ${s('holds')} x WHERE x.handler = t.handler AND x.key = t.rate_limit_key AND x.until > now())`;
  return `
-- A claim of the handlers in p_handlers ({name: {limit?, globalConcurrency?, rateLimit?: {limit, interval}}}; NULL:
-- all, without limits), at
-- most p_limit tasks, in priority, then (run_at, seq) order across them. Paused and held handlers are left out.
-- Handlers with globalConcurrency or rateLimit are locked (advisory, in name order) before they are counted: the
-- counts (fresh statements, READ COMMITTED) then see every claim and finish that committed, and concurrent claims
-- of such a handler take turns. A handler is picked through its own index, one probe per priority (per key with
-- rateLimit), so a capped handler's backlog costs nothing. Returns the claimed tasks (task NULL: none) and ms until
-- a task becomes due or a hold or rate window ends.
CREATE OR REPLACE FUNCTION ${s('claim_handlers')}(p_limit integer, p_lease_ms double precision, p_worker text, p_handlers json)
RETURNS TABLE (next_due_ms double precision, task ${s('tasks')}) LANGUAGE plpgsql
-- Planned once per connection, through indexes only (HOT_PATH_PLANS); no JIT, as the planner cannot know the
-- buckets' sizes and may think the claim big enough to compile.
${HOT_PATH_PLANS} AS $$
DECLARE
  v record;
  v_key record;
  v_name text;
  v_cap integer;
  v_free integer;
  v_ri double precision;
  v_clock timestamptz;
  v_wait timestamptz;
  -- buckets (handler, key: NULL any key, '' none, else that key; at most n tasks) and caps per handler
  v_bh text[] := '{}';
  v_bk text[] := '{}';
  v_bn integer[] := '{}';
  v_hh text[] := '{}';
  v_hcap integer[] := '{}';
  -- rate-limited handlers and their intervals (ms), for the starts of this claim
  v_rh text[] := '{}';
  v_rri double precision[] := '{}';
  -- the tasks claimed (ids, handlers, bucket keys), how many the shares asked for, the next due time
  v_ids text[];
  v_th text[];
  v_tk text[];
  v_wanted integer;
  v_due timestamptz;
  v_pair record;
  v_take integer;
  v_more text[];
BEGIN
  PERFORM ${ASYNC_COMMIT};
  IF p_handlers IS NULL THEN
    -- A claim of any handler (no handlers given) while some are paused or held: every handler with claimable tasks.
    WITH RECURSIVE hs(h) AS (
      (SELECT t.handler FROM ${s('tasks')} t WHERE ${CLAIMABLE} ORDER BY t.handler LIMIT 1)
      UNION ALL
      SELECT (SELECT t.handler FROM ${s('tasks')} t WHERE ${CLAIMABLE} AND t.handler > hs.h ORDER BY t.handler LIMIT 1)
      FROM hs WHERE hs.h IS NOT NULL
    )
    SELECT coalesce(json_object_agg(hs.h, json_build_object()), '{}') INTO p_handlers FROM hs WHERE hs.h IS NOT NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM ${s('paused')} WHERE handler = '') THEN
    RETURN QUERY SELECT NULL::double precision, NULL::${s('tasks')};
    RETURN;
  END IF;
  FOR v_name IN
    SELECT h.key FROM json_each(p_handlers) h
    WHERE h.value->'globalConcurrency' IS NOT NULL OR h.value->'rateLimit' IS NOT NULL ORDER BY h.key COLLATE "C"
  LOOP
    PERFORM pg_advisory_xact_lock(${n.handlerLockKey('v_name')});
  END LOOP;
  -- The claim's instant, after the locks: its tasks' startedAt, and their starts in the rate windows (now() is the
  -- transaction's start, before a wait for a lock, and would put a start earlier than its window counts it).
  v_clock := clock_timestamp();
  FOR v IN
    SELECT h.key AS name, least(p_limit, coalesce((h.value->>'limit')::integer, p_limit)) AS cap,
      (h.value->>'globalConcurrency')::integer AS gc, (h.value->'rateLimit'->>'limit')::integer AS rl,
      (h.value->'rateLimit'->>'interval')::double precision AS ri,
      (SELECT x.until FROM ${s('holds')} x WHERE x.handler = h.key AND x.key = '' AND x.until > now()) AS held
    FROM json_each(p_handlers) h
    WHERE NOT EXISTS (SELECT 1 FROM ${s('paused')} p WHERE p.handler = h.key)
  LOOP
    v_cap := v.cap;
    IF v.held IS NOT NULL THEN
      v_wait := least(v_wait, v.held);
      CONTINUE;
    END IF;
    CONTINUE WHEN v_cap <= 0;
    IF v.gc IS NOT NULL THEN
      v_free := v.gc - (SELECT count(*) FROM ${s('tasks')} t WHERE t.handler = v.name AND t.lease_token IS NOT NULL AND t.status = 'running');
      IF v_free <= v_cap THEN
        -- This claim fills its slots (or found them full): the next one freed wakes the workers (free_slots).
        INSERT INTO ${s('capped')} AS c (handler, waiting) VALUES (v.name, true)
        ON CONFLICT (handler) DO UPDATE SET waiting = true WHERE NOT c.waiting;
        v_cap := v_free;
      END IF;
      CONTINUE WHEN v_cap <= 0;
    END IF;
    v_hh := v_hh || v.name;
    v_hcap := v_hcap || v_cap;
    IF v.rl IS NULL THEN
      v_bh := v_bh || v.name;
      v_bk := v_bk || NULL::text;
      v_bn := v_bn || v_cap;
      CONTINUE;
    END IF;
    v_ri := v.ri;
    v_rh := v_rh || v.name;
    v_rri := v_rri || v_ri;
    -- Its buckets: '' (tasks without a key), then each key with claimable tasks (a loose scan of tasks_key_claimable).
    FOR v_key IN
      WITH RECURSIVE keys(key) AS (
        SELECT ''::text
        UNION ALL
        SELECT (SELECT t.rate_limit_key FROM ${s('tasks')} t WHERE ${CLAIMABLE} AND t.handler = v.name AND t.rate_limit_key > keys.key
          ORDER BY t.rate_limit_key LIMIT 1)
        FROM keys WHERE keys.key IS NOT NULL
      )
      SELECT keys.key,
        (SELECT count(*) FROM ${s('rate_starts')} r WHERE r.handler = v.name AND r.key = keys.key AND r.at >= ${WINDOW})::integer AS used,
        (SELECT x.until FROM ${s('holds')} x WHERE x.handler = v.name AND x.key = keys.key AND x.until > now()) AS held
      FROM keys WHERE keys.key IS NOT NULL
    LOOP
      IF v_key.held IS NOT NULL THEN
        v_wait := least(v_wait, v_key.held);
      ELSIF v_key.used >= v.rl THEN
        -- Full: it has room again once the start that fills it leaves the window.
        v_wait := least(v_wait, (SELECT r.at FROM ${s('rate_starts')} r WHERE r.handler = v.name AND r.key = v_key.key AND r.at >= ${WINDOW}
          ORDER BY r.at OFFSET v_key.used - v.rl LIMIT 1) + v_ri * interval '1 millisecond');
      ELSE
        v_bh := v_bh || v.name;
        v_bk := v_bk || v_key.key;
        v_bn := v_bn || least(v_cap, v.rl - v_key.used);
      END IF;
    END LOOP;
  END LOOP;
  -- The claim's share of each (bucket, priority), from a peek at the first ones in order, is locked; only
  -- those, so a concurrent claim finds the rest. Buckets are in claim order across handlers.
  WITH RECURSIVE ${bucketPrios(s)}, peek AS (
    ${pickAll(s, heldKey, MODES.peek)}
  ), shares AS (
    SELECT top.h, top.k, top.p, count(*)::integer AS take FROM (
      SELECT x.h, x.k, x.p FROM (
        SELECT peek.*, row_number() OVER (PARTITION BY peek.h ORDER BY peek.p DESC, peek.run_at, peek.seq) AS rn FROM peek
      ) x JOIN unnest(v_hh, v_hcap) AS hc(h, cap) ON hc.h = x.h
      WHERE x.rn <= hc.cap ORDER BY x.p DESC, x.run_at, x.seq LIMIT p_limit
    ) top GROUP BY top.h, top.k, top.p
  ), taken AS (
    ${pickAll(s, heldKey, MODES.take)}
  ), due AS (
    SELECT min(CASE WHEN coalesce(q.k, '') = '' THEN
        (SELECT t.run_at FROM ${s('tasks')} t WHERE ${CLAIMABLE} AND t.handler = q.h AND t.priority = q.p AND t.run_at > now()
          ORDER BY t.run_at LIMIT 1)
      ELSE (SELECT t.run_at FROM ${s('tasks')} t WHERE ${CLAIMABLE} AND t.handler = q.h AND t.rate_limit_key = q.k AND t.priority = q.p
          AND t.run_at > now() ORDER BY t.run_at LIMIT 1) END) AS at
    FROM prios q WHERE q.p IS NOT NULL
  )
  SELECT coalesce((SELECT array_agg(taken.id) FROM taken), '{}'), (SELECT array_agg(taken.h) FROM taken),
    (SELECT array_agg(taken.k) FROM taken), coalesce((SELECT sum(shares.take) FROM shares), 0), (SELECT due.at FROM due)
  INTO v_ids, v_th, v_tk, v_wanted, v_due;
  IF v_wanted > cardinality(v_ids) THEN
    -- Other claims held some of the shares: the next ones, bucket by bucket (priority first), within what is left
    -- of each one's limits, locking only what it takes.
    FOR v_pair IN WITH RECURSIVE ${bucketPrios(s)} SELECT q.h, q.k, q.p, q.n FROM prios q WHERE q.p IS NOT NULL ORDER BY q.p DESC LOOP
      v_take := least(p_limit - cardinality(v_ids),
        v_pair.n - (SELECT count(*) FROM unnest(v_th, v_tk) AS x(h, k) WHERE x.h = v_pair.h AND x.k IS NOT DISTINCT FROM v_pair.k),
        (SELECT hc.cap FROM unnest(v_hh, v_hcap) AS hc(h, cap) WHERE hc.h = v_pair.h)
          - (SELECT count(*) FROM unnest(v_th) AS th(h) WHERE th.h = v_pair.h));
      CONTINUE WHEN v_take <= 0;
      IF v_pair.k IS NULL THEN
        ${more(s, `(t.rate_limit_key IS NULL OR ${heldKey})`)}
      ELSIF v_pair.k = '' THEN
        ${more(s, 't.rate_limit_key IS NULL')}
      ELSE
        ${more(s, 't.rate_limit_key = v_pair.k')}
      END IF;
      v_more := coalesce(v_more, '{}');
      v_ids := v_ids || v_more;
      v_th := v_th || array_fill(v_pair.h, ARRAY[cardinality(v_more)]);
      v_tk := v_tk || array_fill(v_pair.k, ARRAY[cardinality(v_more)]);
      EXIT WHEN cardinality(v_ids) >= p_limit;
    END LOOP;
  END IF;
  v_due := least(v_due, v_wait);
  RETURN QUERY
  WITH claimed AS (
    UPDATE ${s('tasks')} t SET status = 'running', attempts = t.attempts + 1, started_at = v_clock, lease_token = gen_random_uuid()::text,
      lease_until = now() + p_lease_ms * interval '1 millisecond', worker_id = p_worker
    WHERE t.id = ANY(v_ids)
    RETURNING t
  ), started AS (
    INSERT INTO ${s('rate_starts')} (handler, key, at, expires_at)
    SELECT (c.t).handler, coalesce((c.t).rate_limit_key, ''), v_clock, v_clock + rh.ri * interval '1 millisecond'
    FROM claimed c JOIN unnest(v_rh, v_rri) AS rh(h, ri) ON rh.h = (c.t).handler
  )
  SELECT CASE WHEN v_due IS NOT NULL THEN greatest(0, ceil(extract(epoch FROM v_due - clock_timestamp()) * 1000))::double precision END,
    c.t
  FROM (SELECT 1) one LEFT JOIN claimed c ON true;
END $$;

-- A running task of these handlers finished, was cancelled or postponed: a globalConcurrency slot is free. Its
-- handler's lock (shared; claims take it exclusive before they count) makes a claim that filled the slots either
-- see this change or leave the waiting flag that this reads. Returns now() if a claim waits for a slot (wake).
CREATE OR REPLACE FUNCTION ${s('free_slots')}(p_handlers text[]) RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
  v_name text;
  v_freed boolean;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ${s('capped')} WHERE handler = ANY(p_handlers)) THEN
    RETURN NULL;
  END IF;
  FOR v_name IN SELECT handler FROM ${s('capped')} WHERE handler = ANY(p_handlers) ORDER BY handler COLLATE "C" LOOP
    PERFORM pg_advisory_xact_lock_shared(${n.handlerLockKey('v_name')});
  END LOOP;
  WITH freed AS (UPDATE ${s('capped')} SET waiting = false WHERE handler = ANY(p_handlers) AND waiting RETURNING 1)
  SELECT count(*) > 0 INTO v_freed FROM freed;
  RETURN CASE WHEN v_freed THEN now() END;
END $$;

-- RateLimitedError: the leased task is pending again in p_delay_ms (a retry: finish_tasks, keeping its partition and
-- its last error), its attempt not counted (retry_base + 1), and its handler (or its key) held until then.
CREATE OR REPLACE FUNCTION ${s('postpone_task')}(p_id text, p_token text, p_delay_ms double precision, p_origin text,
  OUT postponed boolean, OUT wake_ms double precision) LANGUAGE plpgsql AS $$
DECLARE
  v_handler text;
  v_key text;
  v_error jsonb;
BEGIN
  postponed := false;
  SELECT t.handler, t.rate_limit_key, t.last_error INTO v_handler, v_key, v_error FROM ${s('tasks')} t
  WHERE t.id = p_id AND t.lease_token = p_token;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  SELECT p_id = ANY(f.accepted), f.wake_ms INTO postponed, wake_ms FROM ${s('finish_tasks')}(json_build_array(json_build_object(
    'id', p_id, 'token', p_token, 'outcome', 'retry', 'error', v_error, 'retry_ms', p_delay_ms)), p_origin) f;
  IF postponed THEN
    UPDATE ${s('tasks')} SET retry_base = coalesce(CASE WHEN retry_seq = seq THEN retry_base END, 0) + 1, retry_seq = seq WHERE id = p_id;
    INSERT INTO ${s('holds')} AS h (handler, key, until) VALUES (v_handler, coalesce(v_key, ''), now() + p_delay_ms * interval '1 millisecond')
    ON CONFLICT (handler, key) DO UPDATE SET until = greatest(h.until, EXCLUDED.until);
  END IF;
END $$;

-- Rows past their time: rate-window starts (a batch per call), holds, workers not seen within their ttl.
CREATE OR REPLACE FUNCTION ${s('sweep_deployments')}(p_batch integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ${ASYNC_COMMIT};
  DELETE FROM ${s('rate_starts')} WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM ${s('rate_starts')} WHERE expires_at < now() ORDER BY expires_at LIMIT p_batch));
  DELETE FROM ${s('holds')} WHERE until < now();
  DELETE FROM ${s('workers')} WHERE expires_at < now();
END $$;
`;
}
