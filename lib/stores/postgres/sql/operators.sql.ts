import type { PostgresNames } from '../postgres-names.js';
import { freeOfDependents } from './retention.sql.js';

/**
 * Operators' changes: retry, remove, purge. retry_base is the attempts before the last retry (the retry budget
 * counts from there); retry_seq the task's seq then: a finished task replaced by add() gets a new seq, so a
 * base set on the task it replaced no longer applies (the record reads retry_base only while the two agree).
 */
export function operatorsSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
-- A failed or cancelled task no worker holds becomes pending, due now, with a fresh retry budget; a partition
-- task takes its place as one added now would (rehead decides whether it heads its partition).
CREATE OR REPLACE FUNCTION ${s('retry_task')}(p_id text, p_origin text, OUT retried boolean, OUT wake_ms double precision)
LANGUAGE plpgsql AS $$
DECLARE
  v_key text;
  v_status text;
  v_leased boolean;
  v_at timestamptz;
BEGIN
  retried := false;
  FOR i IN 1..100 LOOP
    SELECT partition_key, status, lease_token IS NOT NULL INTO v_key, v_status, v_leased FROM ${s('tasks')} WHERE id = p_id;
    IF v_status IS NULL OR v_status NOT IN ('failed', 'cancelled') OR v_leased THEN
      RETURN;
    END IF;
    IF v_key IS NOT NULL THEN
      PERFORM ${s('lock_partitions')}(ARRAY[v_key]);
    END IF;
    UPDATE ${s('tasks')} SET status = 'pending', run_at = now(), finished_at = NULL, finish_seq = NULL, result = NULL,
      blocked = partition_key IS NOT NULL, retry_base = attempts, retry_seq = seq
    WHERE id = p_id AND status = v_status AND lease_token IS NULL AND partition_key IS NOT DISTINCT FROM v_key;
    IF FOUND THEN
      retried := true;
      v_at := CASE WHEN v_key IS NULL THEN now() ELSE ${s('rehead')}(ARRAY[v_key]) END;
      wake_ms := ${s('wake')}(p_origin, v_at, false);
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'retry_task(%): the task kept changing state', p_id;
END $$;

-- Deletes a task that is neither running nor held by a worker; a pending partition head lets the next task go.
-- Flows (in_flow): a waiting or pending task is cancelled first, as cancel_task does it (its dependents follow their
-- policy, it no longer holds its dependencies); a finished one that unfinished tasks depend on stays. The row is
-- locked before that is decided: a claim skips it, an add naming it as a dependency waits.
CREATE OR REPLACE FUNCTION ${s('remove_task')}(p_id text, p_origin text, OUT removed boolean, OUT wake_ms double precision)
LANGUAGE plpgsql AS $$
DECLARE
  v_key text;
  v_status text;
  v_leased boolean;
  v_flow boolean;
BEGIN
  removed := false;
  FOR i IN 1..100 LOOP
    SELECT partition_key, status, lease_token IS NOT NULL, in_flow INTO v_key, v_status, v_leased, v_flow
    FROM ${s('tasks')} WHERE id = p_id;
    IF v_status IS NULL OR v_status = 'running' OR v_leased THEN
      RETURN;
    END IF;
    IF v_status = 'pending' AND v_key IS NOT NULL THEN
      PERFORM ${s('lock_partitions')}(ARRAY[v_key]);
    END IF;
    IF v_flow THEN
      PERFORM 1 FROM ${s('tasks')}
      WHERE id = p_id AND status = v_status AND lease_token IS NULL AND partition_key IS NOT DISTINCT FROM v_key FOR UPDATE;
      IF FOUND THEN
        IF v_status IN ('waiting', 'pending') THEN
          PERFORM ${s('cancel_task')}(p_id, p_origin);
          DELETE FROM ${s('task_links')} WHERE dependency = p_id;
        ELSIF EXISTS (SELECT 1 FROM ${s('task_links')} WHERE dependency = p_id) THEN
          RETURN;
        END IF;
        DELETE FROM ${s('tasks')} WHERE id = p_id;
        removed := true;
        RETURN;
      END IF;
    ELSE
      DELETE FROM ${s('tasks')}
      WHERE id = p_id AND status = v_status AND lease_token IS NULL AND partition_key IS NOT DISTINCT FROM v_key
        AND NOT in_flow;
      IF FOUND THEN
        removed := true;
        IF v_status = 'pending' AND v_key IS NOT NULL THEN
          wake_ms := ${s('wake')}(p_origin, ${s('rehead')}(ARRAY[v_key]), false);
        END IF;
        RETURN;
      END IF;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'remove_task(%): the task kept changing state', p_id;
END $$;

-- One batch of a purge: up to p_batch finished tasks matching, oldest finished first, none a worker holds and none
-- an unfinished task depends on (as retention); the store calls it again while batches come back full. Returns
-- how many it removed.
CREATE OR REPLACE FUNCTION ${s('purge_finished')}(p_statuses text[], p_handler text, p_before timestamptz, p_batch integer)
RETURNS integer LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_removed integer;
BEGIN
  WITH victims AS (
    -- The literal IN list lets the planner use the tasks_finished partial index.
    SELECT id FROM ${s('tasks')} v
    WHERE status IN ('succeeded', 'failed', 'cancelled') AND status = ANY(p_statuses) AND lease_token IS NULL
      AND (p_handler IS NULL OR handler = p_handler) AND (p_before IS NULL OR finished_at < p_before)
      AND ${freeOfDependents(n)}
    ORDER BY finished_at, finish_seq LIMIT p_batch FOR UPDATE SKIP LOCKED
  )
  DELETE FROM ${s('tasks')} t USING victims WHERE t.id = victims.id;
  GET DIAGNOSTICS v_removed = ROW_COUNT;
  RETURN v_removed;
END $$;
`;
}

/** The schema version that adds the operators: retry's columns, and the functions above. */
export function operatorsMigrationSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
ALTER TABLE ${s('tasks')} ADD COLUMN retry_base integer, ADD COLUMN retry_seq bigint;
${operatorsSql(n)}`;
}
