import type { PostgresNames } from '../postgres-names.js';

/** Recurring schedules: their table and the functions that change them (each call one transaction). */
export function recurringSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
-- One row per schedule. next_run_at: the next occurrence not yet added as a task (NULL: the schedule ended);
-- last_*: the occurrence added last (it may lie ahead) and previous_*: the one before. Times are epoch ms of the
-- occurrences (they name tasks), not moved to the database's clock.
CREATE TABLE ${s('recurring')} (
  key text PRIMARY KEY,
  handler text NOT NULL,
  definition jsonb NOT NULL,
  fingerprint text NOT NULL,
  next_run_at double precision,
  last_run_at double precision,
  last_task_id text,
  previous_run_at double precision,
  previous_task_id text
);

-- Creates or updates a schedule; one with the same fingerprint (timing) keeps its times and ids.
CREATE OR REPLACE FUNCTION ${s('put_recurring')}(p_key text, p_handler text, p_definition jsonb, p_fingerprint text,
  p_next double precision) RETURNS SETOF ${s('recurring')} LANGUAGE sql AS $$
  INSERT INTO ${s('recurring')} AS r (key, handler, definition, fingerprint, next_run_at)
  VALUES (p_key, p_handler, p_definition, p_fingerprint, p_next)
  ON CONFLICT (key) DO UPDATE SET handler = EXCLUDED.handler, definition = EXCLUDED.definition,
    fingerprint = EXCLUDED.fingerprint,
    next_run_at = CASE WHEN r.fingerprint = EXCLUDED.fingerprint THEN r.next_run_at ELSE EXCLUDED.next_run_at END
  RETURNING r.*
$$;

-- Locks the task (its partition first, the order every partition change takes) and says whether it is pending
-- and never claimed; a claim skips the locked row, so the answer holds until the transaction ends.
CREATE OR REPLACE FUNCTION ${s('lock_unstarted')}(p_id text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  v_key text;
  v_unstarted boolean;
BEGIN
  IF p_id IS NULL THEN
    RETURN false;
  END IF;
  SELECT partition_key INTO v_key FROM ${s('tasks')} WHERE id = p_id;
  IF v_key IS NOT NULL THEN
    PERFORM ${s('lock_partitions')}(ARRAY[v_key]);
  END IF;
  SELECT status = 'pending' AND attempts = 0 INTO v_unstarted FROM ${s('tasks')} WHERE id = p_id FOR UPDATE;
  RETURN coalesce(v_unstarted, false);
END $$;

-- Deletes a schedule and cancels its last occurrence if that never started; returns what it deleted.
CREATE OR REPLACE FUNCTION ${s('remove_recurring')}(p_key text, p_origin text)
RETURNS SETOF ${s('recurring')} LANGUAGE plpgsql AS $$
DECLARE
  v ${s('recurring')};
BEGIN
  DELETE FROM ${s('recurring')} WHERE key = p_key RETURNING * INTO v;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  IF ${s('lock_unstarted')}(v.last_task_id) THEN
    PERFORM ${s('cancel_task')}(v.last_task_id, p_origin);
  END IF;
  RETURN NEXT v;
END $$;

-- One step of a schedule (RecurringStep), all or nothing: with the schedule's row locked, only if it still has the
-- expected next_run_at and last task, and that task is as expected (unstarted or not); then cancels the last
-- (p_cancel_last), adds the occurrence (add_tasks, as any task) and moves the schedule on.
CREATE OR REPLACE FUNCTION ${s('advance_recurring')}(p_key text, p_expected_next double precision, p_expected_last text,
  p_unstarted boolean, p_cancel_last boolean, p_run_at double precision, p_next double precision, p_task json,
  p_origin text, OUT applied boolean, OUT wake_ms double precision, OUT cancelled boolean) LANGUAGE plpgsql AS $$
DECLARE
  v ${s('recurring')};
BEGIN
  applied := false;
  cancelled := false;
  SELECT * INTO v FROM ${s('recurring')} WHERE key = p_key FOR UPDATE;
  IF NOT FOUND OR v.next_run_at IS DISTINCT FROM p_expected_next OR v.last_task_id IS DISTINCT FROM p_expected_last THEN
    RETURN;
  END IF;
  IF ${s('lock_unstarted')}(v.last_task_id) IS DISTINCT FROM p_unstarted THEN
    RETURN;
  END IF;
  IF p_cancel_last AND p_unstarted THEN
    PERFORM ${s('cancel_task')}(v.last_task_id, p_origin);
    cancelled := true;
  END IF;
  IF p_task IS NOT NULL THEN
    SELECT a.wake_ms INTO wake_ms FROM ${s('add_tasks')}(p_task, NULL, p_origin, false) a;
    UPDATE ${s('recurring')} SET previous_run_at = last_run_at, previous_task_id = last_task_id, last_run_at = p_run_at,
      last_task_id = p_task->0->>'id'
    WHERE key = p_key;
  END IF;
  UPDATE ${s('recurring')} SET next_run_at = p_next WHERE key = p_key;
  applied := true;
END $$;
`;
}
