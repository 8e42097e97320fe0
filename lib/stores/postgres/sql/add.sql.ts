import type { PostgresNames } from '../postgres-names.js';

/** On a taken id: replace a finished task (its row, with a new seq), leave an unfinished one alone. */
const REPLACE_FINISHED = `ON CONFLICT (id) DO UPDATE SET
      seq = EXCLUDED.seq, handler = EXCLUDED.handler, name = EXCLUDED.name, args = EXCLUDED.args, status = EXCLUDED.status,
      blocked = EXCLUDED.blocked, priority = EXCLUDED.priority, partition_key = EXCLUDED.partition_key, run_at = EXCLUDED.run_at,
      created_at = EXCLUDED.created_at, started_at = NULL, finished_at = NULL, attempts = 0, max_retries = EXCLUDED.max_retries,
      timeout_ms = EXCLUDED.timeout_ms, retry_strategy = EXCLUDED.retry_strategy, last_error = NULL, result = NULL,
      metadata = EXCLUDED.metadata, lease_token = NULL, lease_until = NULL, worker_id = NULL,
      depends_on = EXCLUDED.depends_on, run_on_failure = EXCLUDED.run_on_failure, unfinished = NULL, watched = false, progress = NULL,
      rate_limit_key = EXCLUDED.rate_limit_key
    WHERE t.status IN ('succeeded', 'failed', 'cancelled') AND t.lease_token IS NULL`;

/** The insert of the JSON rows, with `onConflict`, gathering what the function returns. */
function insert(s: (name: string) => string, onConflict: string): string {
  return `WITH ins AS (
      INSERT INTO ${s('tasks')} AS t (id, handler, name, args, blocked, priority, partition_key, run_at, created_at, max_retries, timeout_ms,
        retry_strategy, metadata, status, depends_on, run_on_failure, rate_limit_key)
      SELECT x.id, x.handler, x.name, CASE WHEN x.args_null THEN 'null'::jsonb ELSE x.args END, x.partition_key IS NOT NULL, x.priority,
        x.partition_key, to_timestamp(x.run_at / 1000), to_timestamp(x.created_at / 1000), x.max_retries, x.timeout, x.retry_strategy, x.metadata,
        CASE WHEN x.depends_on IS NULL THEN 'pending' ELSE 'waiting' END, x.depends_on, coalesce(x.run_on_failure, false),
        x.rate_limit_key
      FROM json_to_recordset(p_tasks) AS x(id text, handler text, name text, args jsonb, args_null boolean, priority double precision,
        partition_key text, run_at double precision, created_at double precision, max_retries integer, timeout double precision,
        retry_strategy jsonb, metadata jsonb, depends_on text[], run_on_failure boolean, rate_limit_key text)
      ${onConflict}
      RETURNING t.id, t.partition_key, t.run_at, t.status
    )
    SELECT array_agg(ins.id), array_agg(DISTINCT ins.partition_key) FILTER (WHERE ins.partition_key IS NOT NULL AND ins.status = 'pending'),
      min(ins.run_at) FILTER (WHERE ins.partition_key IS NULL AND ins.status = 'pending'), array_agg(ins.id) FILTER (WHERE ins.status = 'waiting')
    INTO added, v_keys, v_at, v_waiting FROM ins;`;
}

/** Adding tasks (with de-duplication, replacement of finished ones, maxPending). */
export function addSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
-- Adds tasks (a JSON array of rows; args_null: true tells a null args from none): new ids are inserted,
-- finished ones replaced, unfinished ones left alone. With p_max_pending, adders that set it take turns, and
-- nothing is added if the pending count would pass it. p_notify: signal workers here (in a caller's
-- transaction); otherwise the store does, after the commit.
CREATE OR REPLACE FUNCTION ${s('add_tasks')}(p_tasks json, p_max_pending bigint, p_origin text, p_notify boolean,
  OUT added text[], OUT wake_ms double precision, OUT queue_full boolean) LANGUAGE plpgsql AS $$
DECLARE
  v_keys text[];
  v_at timestamptz;
  v_new bigint;
  v_waiting text[];
  v_deps text[];
  v_unknown text;
BEGIN
  queue_full := false;
  -- Flows: the dependencies, locked (a finish of one waits for this add, then sees the links it made), must be
  -- known or in this add; else nothing is added (SQLSTATE NTQ01, the message the unknown id).
  -- (A text search first: adds without dependsOn, the hot path, do not parse the JSON a second time.)
  IF strpos(p_tasks::text, '"depends_on"') > 0 THEN
    SELECT array_agg(DISTINCT d) INTO v_deps FROM json_to_recordset(p_tasks) AS x(depends_on text[]), unnest(x.depends_on) AS d;
  END IF;
  IF v_deps IS NOT NULL THEN
    PERFORM 1 FROM ${s('tasks')} WHERE id = ANY(v_deps) ORDER BY id FOR UPDATE;
    SELECT d INTO v_unknown FROM unnest(v_deps) AS d
    WHERE NOT EXISTS (SELECT 1 FROM ${s('tasks')} WHERE id = d)
      AND d NOT IN (SELECT x.id FROM json_to_recordset(p_tasks) AS x(id text)) LIMIT 1;
    IF v_unknown IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'NTQ01', MESSAGE = v_unknown;
    END IF;
  END IF;
  IF p_max_pending IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(${n.lockKey('add')});
    -- The ids are distinct (the store sends each once); those of unfinished tasks add nothing.
    SELECT json_array_length(p_tasks) - count(*) INTO v_new FROM ${s('tasks')}
    WHERE id = ANY(ARRAY(SELECT x.id FROM json_to_recordset(p_tasks) AS x(id text))) AND (status IN ('pending', 'running') OR lease_token IS NOT NULL);
    IF ${s('count_of')}('pending') + v_new > p_max_pending THEN
      queue_full := true;
      RETURN;
    END IF;
  END IF;
  -- New ids (the usual case) go in with a plain insert, the cheapest; if an id exists the insert fails whole
  -- (the unique index says so) and the batch goes again, replacing finished tasks and skipping unfinished ones.
  BEGIN
    ${insert(s, '')}
  EXCEPTION WHEN unique_violation THEN
    ${insert(s, REPLACE_FINISHED)}
  END;
  IF v_keys IS NOT NULL THEN
    v_at := least(v_at, ${s('rehead')}(v_keys));
  END IF;
  IF v_waiting IS NOT NULL THEN
    v_at := least(v_at, ${s('wire_dependencies')}(v_waiting));
  END IF;
  added := coalesce(added, '{}');
  wake_ms := ${s('wake')}(p_origin, v_at, p_notify);
END $$;
`;
}
