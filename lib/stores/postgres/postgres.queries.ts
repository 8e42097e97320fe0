import type { PostgresNames } from './postgres-names.js';

/**
 * Makes the statement's transaction commit without waiting for the WAL flush. Only for changes that are safe
 * to lose in a database crash (not a clean restart): a claim, a lease renewal, housekeeping. Undone, the task
 * is pending again and runs again, as after a worker crash. A later durable commit (an add, a report) flushes
 * them too, so no durable change ever depends on a lost one.
 */
export const ASYNC_COMMIT = "set_config('synchronous_commit', 'off', true)";

/**
 * The plans of the functions on every task's path (claim, finish), set on each function. Planning their
 * statements afresh per call (plpgsql's custom plans) cost more than running them: 3.5 of a claim's 3.9 ms with
 * nothing due. So they plan once per connection (generic plans), and only with index scans: a generic plan made
 * on a small table (a worker claims before the first adds) would otherwise keep a sequential scan once it is big.
 * Every statement in them reads through an index; bitmap scans are left out too, as they lose the index's order.
 * Settings of a function hold for the functions and triggers it calls.
 */
export const HOT_PATH_PLANS =
  'SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_bitmapscan = off SET jit = off';

/**
 * Every statement the store sends, built once per schema. Statements run as named prepared statements
 * (parsed and planned once per connection; unnamed with `preparedStatements: false`); `name` makes them unique
 * per schema.
 */
export class PostgresQueries {
  /** The columns of a TaskRecord, from a row aliased `t` (times in DB epoch ms, JSON as text). */
  private readonly record: string;
  readonly claim: string;
  readonly renew: string;
  readonly get: string;
  readonly list: string;
  readonly counts: string;
  readonly backlog: string;
  readonly backlogDelayed: string;
  readonly add: string;
  readonly finish: string;
  readonly cancel: string;
  readonly recover: string;
  readonly trim: string;
  readonly fold: string;
  readonly notify: string;
  readonly version: string;
  readonly now: string;
  // Operators
  readonly retry: string;
  readonly remove: string;
  readonly purge: string;
  readonly countsByHandler: string;
  // Recurring schedules (sql/recurring.sql.ts)
  readonly recurringPut: string;
  readonly recurringGet: string;
  readonly recurringList: string;
  readonly recurringRemove: string;
  readonly recurringAdvance: string;
  readonly watch: string;
  readonly progress: string;
  readonly getMany: string;
  // Deployments (sql/deployments.sql.ts)
  readonly postpone: string;
  readonly pause: string;
  readonly resume: string;
  readonly paused: string;
  readonly heartbeat: string;
  readonly removeWorker: string;
  readonly workers: string;
  readonly dueHandlers: string;
  readonly sweep: string;

  constructor(private readonly names: PostgresNames) {
    const s = (name: string) => names.of(name);
    const ms = (column: string) => `${s('ms')}(t.${column}) AS ${column}`;
    this.record = [
      't.id, t.handler, t.name, t.args::text AS args, t.status, t.priority, t.partition_key',
      [ms('run_at'), ms('created_at'), ms('started_at'), ms('finished_at')].join(', '),
      't.attempts, t.max_retries, t.timeout_ms, t.retry_strategy::text AS retry_strategy, t.last_error::text AS last_error',
      't.result::text AS result, t.metadata::text AS metadata, t.lease_token',
      // Operators: the base of the last retry(), while it is this task's (sql/operators.sql.ts).
      'CASE WHEN t.retry_seq = t.seq THEN t.retry_base END AS retry_base',
      // flows (issue 12): waiting_for is read only for a task with dependencies
      't.depends_on, t.run_on_failure, t.progress::text AS progress, t.rate_limit_key',
      `CASE WHEN t.depends_on IS NULL THEN NULL ELSE ARRAY(SELECT u.d FROM unnest(t.depends_on) WITH ORDINALITY AS u(d, i)
        JOIN ${s('tasks')} x ON x.id = u.d WHERE x.status IN ('waiting', 'pending', 'running') ORDER BY u.i) END AS waiting_for`,
    ].join(', ');
    const claimable = `t.status = 'pending' AND NOT t.blocked`;
    // The (handler, priority) pairs of claimable tasks, one index probe each (a loose scan of tasks_handler_claimable).
    const prios = `hs(h) AS (
  (SELECT t.handler FROM ${s('tasks')} t WHERE ${claimable} ORDER BY t.handler LIMIT 1)
  UNION ALL
  SELECT (SELECT t.handler FROM ${s('tasks')} t WHERE ${claimable} AND t.handler > hs.h ORDER BY t.handler LIMIT 1) FROM hs WHERE hs.h IS NOT NULL
), prios(h, p) AS (
  SELECT hs.h, (SELECT t.priority FROM ${s('tasks')} t WHERE ${claimable} AND t.handler = hs.h ORDER BY t.priority DESC LIMIT 1)
  FROM hs WHERE hs.h IS NOT NULL
  UNION ALL
  SELECT prios.h, (SELECT t.priority FROM ${s('tasks')} t WHERE ${claimable} AND t.handler = prios.h AND t.priority < prios.p
    ORDER BY t.priority DESC LIMIT 1)
  FROM prios WHERE prios.p IS NOT NULL
)`;
    // Every claim is one call of claim_handlers (sql/deployments.sql.ts): $4 the handlers and their limits as JSON,
    // or NULL for any handler. It walks tasks_handler_claimable once per (handler, priority), taking due tasks in
    // (run_at, seq) order: O(handlers x priorities x log n + limit), however many tasks are delayed, queued behind
    // partition heads, or of handlers left out. It returns whole rows (task NULL: none claimed).
    this.claim = `
SELECT c.next_due_ms, t.seq::double precision AS seq, ${this.record}
FROM ${s('claim_handlers')}($1::integer, $2::double precision, $3::text, $4::json) c LEFT JOIN LATERAL (SELECT (c.task).*) t ON true`;
    // Tokens are unique per claim, so "id in ids and token in tokens" is "the pair matches"; the caller checks pairs.
    this.renew = `
WITH locked AS (SELECT t.id FROM ${s('tasks')} t WHERE t.id = ANY($1::text[]) AND t.lease_token = ANY($2::text[]) ORDER BY t.id FOR UPDATE),
async AS (SELECT ${ASYNC_COMMIT})
UPDATE ${s('tasks')} t SET lease_until = now() + $3 * interval '1 millisecond' FROM locked, async WHERE t.id = locked.id RETURNING t.id, t.lease_token`;
    // For metrics. Delayed = claimable (a counter) - due, counting the due part of the index up to $1 rows (it is
    // small while workers keep up); past that, backlogDelayed counts the delayed part instead.
    this.backlog = `
WITH RECURSIVE ${prios}
SELECT ${s('count_of')}('claimable')::double precision AS claimable,
  (SELECT count(*) FROM (SELECT 1 FROM prios CROSS JOIN LATERAL (
    SELECT 1 FROM ${s('tasks')} t WHERE ${claimable} AND t.handler = prios.h AND t.priority = prios.p AND t.run_at <= now() LIMIT $1) d
    LIMIT $1) d)::double precision AS due,
  (SELECT min(${s('ms')}(o.run_at)) FROM prios CROSS JOIN LATERAL (
    SELECT t.run_at FROM ${s('tasks')} t WHERE ${claimable} AND t.handler = prios.h AND t.priority = prios.p AND t.run_at <= now()
    ORDER BY t.run_at LIMIT 1) o) AS oldest_due`;
    this.backlogDelayed = `
WITH RECURSIVE ${prios}
SELECT (SELECT coalesce(sum(d.n), 0) FROM prios CROSS JOIN LATERAL (
    SELECT count(*) AS n FROM ${s('tasks')} t WHERE ${claimable} AND t.handler = prios.h AND t.priority = prios.p AND t.run_at > now()) d
  )::double precision AS delayed`;
    this.get = `SELECT ${this.record} FROM ${s('tasks')} t WHERE t.id = $1`;
    this.list = `
SELECT ${this.record} FROM ${s('tasks')} t
WHERE ($1::text[] IS NULL OR t.status = ANY($1)) AND ($2::text IS NULL OR t.handler = $2)
ORDER BY t.created_at DESC, t.seq DESC LIMIT $3 OFFSET $4`;
    this.counts = `
SELECT status, sum(n)::double precision AS n
FROM (SELECT status, n FROM ${s('task_counts')} UNION ALL SELECT status, n FROM ${s('task_count_deltas')}) c
WHERE status <> 'claimable' GROUP BY status`;
    this.add = `SELECT added, wake_ms, queue_full FROM ${s('add_tasks')}($1::json, $2::bigint, $3::text, $4::boolean)`;
    this.finish = `SELECT accepted, settled, wake_ms FROM ${s('finish_tasks')}($1::json, $2::text)`;
    this.cancel = `SELECT ${this.record} FROM ${s('cancel_task')}($1::text, $2::text) t`;
    this.recover = `SELECT recovered, wake_ms, next_expiry_ms FROM ${s('recover_leases')}($1::text)`;
    this.trim = `SELECT ${s('trim_finished')}($1::bigint, $2::double precision, $3::integer) AS removed`;
    this.fold = `SELECT ${s('fold_counts')}()`;
    this.notify = `SELECT pg_notify($1::text, $2::text), ${ASYNC_COMMIT}`;
    this.version = `SELECT coalesce(max(version), 0) AS version FROM ${s('migrations')}`;
    // flows (issue 12)
    this.watch = `SELECT ${this.record} FROM ${s('watch_task')}($1::text) t`;
    this.progress = `UPDATE ${s('tasks')} t SET progress = $3::jsonb FROM (SELECT ${ASYNC_COMMIT}) async
WHERE t.id = $1 AND t.lease_token = $2 AND t.status = 'running' RETURNING t.id`;
    this.getMany = `SELECT ${this.record} FROM ${s('tasks')} t WHERE t.id = ANY($1::text[])`;
    this.now = 'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::double precision AS now';
    // Operators (sql/operators.sql.ts)
    this.retry = `SELECT retried, wake_ms FROM ${s('retry_task')}($1::text, $2::text)`;
    this.remove = `SELECT removed, wake_ms FROM ${s('remove_task')}($1::text, $2::text)`;
    // An admin query: it reads the table (the dashboard calls it a few times a minute at most).
    this.countsByHandler = `SELECT handler, status, count(*)::double precision AS n FROM ${s('tasks')} GROUP BY handler, status`;
    this.purge = `SELECT ${s('purge_finished')}($1::text[], $2::text, to_timestamp($3::double precision / 1000), $4::integer) AS removed`;
    // Deployments (sql/deployments.sql.ts)
    this.postpone = `SELECT postponed, wake_ms FROM ${s('postpone_task')}($1::text, $2::text, $3::double precision, $4::text)`;
    this.pause = `INSERT INTO ${s('paused')} (handler) VALUES ($1::text) ON CONFLICT (handler) DO NOTHING`;
    this.resume = `DELETE FROM ${s('paused')} WHERE handler = $1::text`;
    this.paused = `SELECT handler FROM ${s('paused')} ORDER BY handler COLLATE "C"`;
    // A heartbeat also drops the workers whose ttl ran out (a handful of rows).
    this.heartbeat = `
WITH gone AS (DELETE FROM ${s('workers')} w WHERE w.expires_at < now() AND w.id <> $1::text)
INSERT INTO ${s('workers')} AS w (id, hostname, pid, handlers, concurrency, running, started_at, last_seen_at, expires_at)
SELECT $1::text, $2::text, $3::integer, $4::text[], $5::integer, $6::integer, $7::double precision, now(),
  now() + $8::double precision * interval '1 millisecond'
FROM (SELECT ${ASYNC_COMMIT}) async
ON CONFLICT (id) DO UPDATE SET hostname = EXCLUDED.hostname, pid = EXCLUDED.pid, handlers = EXCLUDED.handlers,
  concurrency = EXCLUDED.concurrency, running = EXCLUDED.running, started_at = EXCLUDED.started_at,
  last_seen_at = EXCLUDED.last_seen_at, expires_at = EXCLUDED.expires_at`;
    this.removeWorker = `DELETE FROM ${s('workers')} WHERE id = $1::text`;
    this.workers = `SELECT id, hostname, pid, handlers, concurrency, running, started_at, ${s('ms')}(last_seen_at) AS last_seen_at
FROM ${s('workers')} WHERE expires_at > now() ORDER BY id COLLATE "C"`;
    // Handlers with due claimable tasks: a loose scan of tasks_handler_claimable, by handler then priority.
    this.dueHandlers = `
WITH RECURSIVE ${prios}
SELECT DISTINCT prios.h AS handler FROM prios WHERE prios.p IS NOT NULL AND (SELECT t.run_at FROM ${s('tasks')} t
  WHERE ${claimable} AND t.handler = prios.h AND t.priority = prios.p ORDER BY t.run_at LIMIT 1) <= now()`;
    this.sweep = `SELECT ${s('sweep_deployments')}($1::integer)`;
    // Recurring schedules: a schedule's columns, its definition as JSON text.
    const schedule =
      'r.key, r.handler, r.definition::text AS definition, r.fingerprint, r.next_run_at, r.last_run_at, r.last_task_id, ' +
      'r.previous_run_at, r.previous_task_id';
    this.recurringPut = `SELECT ${schedule} FROM ${s('put_recurring')}($1::text, $2::text, $3::jsonb, $4::text, $5::double precision) r`;
    this.recurringGet = `SELECT ${schedule} FROM ${s('recurring')} r WHERE r.key = $1`;
    this.recurringList = `SELECT ${schedule} FROM ${s('recurring')} r ORDER BY r.key COLLATE "C"`;
    this.recurringRemove = `SELECT ${schedule} FROM ${s('remove_recurring')}($1::text, $2::text) r`;
    this.recurringAdvance = `SELECT applied, wake_ms, cancelled FROM ${s('advance_recurring')}($1::text, $2::double precision,
  $3::text, $4::boolean, $5::boolean, $6::double precision, $7::double precision, $8::json, $9::text)`;
  }

  /** A prepared-statement name for one of these statements, unique per schema. */
  name(statement: keyof PostgresQueries): string {
    return `ntq:${this.names.schemaName}:${statement}`;
  }
}
