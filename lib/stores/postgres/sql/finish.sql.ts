import type { PostgresNames } from '../postgres-names.js';
import { HOT_PATH_PLANS } from '../postgres.queries.js';
import { nextFinishSeq } from './finish-order.sql.js';

/** Recording workers' reports: complete, fail, retry. */
export function finishSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
-- Records workers' reports: a JSON array of {id, token, outcome: succeeded|failed|retry, result, error,
-- retry_ms} (result_null: true tells a null result from none). A report counts only with the current lease
-- token. A task cancelled while running is released (its partition freed) and its report refused: it is
-- returned in settled, not accepted. The store notifies other processes of the wake-up it returns.
CREATE OR REPLACE FUNCTION ${s('finish_tasks')}(p_reports json, p_origin text,
  OUT accepted text[], OUT settled text[], OUT wake_ms double precision) LANGUAGE plpgsql
-- Planned once per connection, through indexes only (HOT_PATH_PLANS).
${HOT_PATH_PLANS} AS $$
DECLARE
  v_ids text[];
  v_tokens text[];
  v_keys text[];
  v_release text[];
  v_at timestamptz;
  v_flows text[];
  v_handlers text[];
BEGIN
  -- Rows are found by "id = ANY(array)" (the primary key, whatever the planner thinks of the JSON).
  SELECT array_agg(r.id), array_agg(r.token) INTO v_ids, v_tokens FROM json_to_recordset(p_reports) AS r(id text, token text);
  -- Lock order: partition rows (by key), then task rows (by id), as everywhere. (Tokens are unique per claim.)
  SELECT array_agg(DISTINCT partition_key) INTO v_keys FROM ${s('tasks')}
  WHERE id = ANY(v_ids) AND lease_token = ANY(v_tokens) AND partition_key IS NOT NULL;
  IF v_keys IS NOT NULL THEN
    PERFORM ${s('lock_partitions')}(v_keys);
  END IF;
  PERFORM 1 FROM ${s('tasks')} WHERE id = ANY(v_ids) AND lease_token = ANY(v_tokens) ORDER BY id FOR UPDATE;
  WITH r AS (
    -- Numbered in report order (the function yields the array in order): finish order for retention.
    SELECT r.id, r.token, r.outcome, CASE WHEN r.result_null THEN 'null'::jsonb ELSE r.result END AS result, r.error,
      r.retry_ms, ${nextFinishSeq(n)} AS finish_seq
    FROM json_to_recordset(p_reports) AS r(id text, token text, outcome text, result jsonb, result_null boolean, error jsonb, retry_ms double precision)
  ), done AS (
    UPDATE ${s('tasks')} t SET
      status = CASE WHEN t.status <> 'running' THEN t.status WHEN r.outcome = 'retry' THEN 'pending' ELSE r.outcome END,
      result = CASE WHEN t.status = 'running' AND r.outcome = 'succeeded' THEN r.result ELSE t.result END,
      last_error = CASE WHEN t.status = 'running' AND r.outcome <> 'succeeded' THEN r.error ELSE t.last_error END,
      finished_at = CASE WHEN t.status = 'running' AND r.outcome <> 'retry' THEN now() ELSE t.finished_at END,
      finish_seq = CASE WHEN t.status = 'running' AND r.outcome <> 'retry' THEN r.finish_seq ELSE t.finish_seq END,
      run_at = CASE WHEN t.status = 'running' AND r.outcome = 'retry' THEN now() + r.retry_ms * interval '1 millisecond' ELSE t.run_at END,
      lease_token = NULL, lease_until = NULL
    FROM r WHERE t.id = ANY(v_ids) AND t.id = r.id AND t.lease_token = r.token
    RETURNING t.id, t.status, t.partition_key, t.run_at, t.in_flow OR t.watched AS flow, t.handler
  )
  SELECT array_agg(id) FILTER (WHERE status <> 'cancelled'), array_agg(id) FILTER (WHERE status = 'cancelled'),
    array_agg(DISTINCT partition_key) FILTER (WHERE partition_key IS NOT NULL AND status <> 'pending'),
    min(run_at) FILTER (WHERE status = 'pending'), array_agg(id) FILTER (WHERE flow AND status IN ('succeeded', 'failed')),
    array_agg(DISTINCT handler)
  INTO accepted, settled, v_release, v_at, v_flows, v_handlers FROM done;
  IF v_release IS NOT NULL THEN
    v_at := least(v_at, ${s('rehead')}(v_release));
  END IF;
  -- Flows: only tasks with dependencies, dependents or a waiter (flows.sql.ts).
  IF v_flows IS NOT NULL THEN
    v_at := least(v_at, ${s('settle_flows')}(v_flows));
  END IF;
  -- Deployments: a globalConcurrency slot is free (sql/deployments.sql.ts).
  IF v_handlers IS NOT NULL THEN
    v_at := least(v_at, ${s('free_slots')}(v_handlers));
  END IF;
  accepted := coalesce(accepted, '{}');
  settled := coalesce(settled, '{}');
  wake_ms := ${s('wake')}(p_origin, v_at, false);
END $$;
`;
}
