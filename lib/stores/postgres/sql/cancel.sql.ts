import type { PostgresNames } from '../postgres-names.js';
import { nextFinishSeq } from './finish-order.sql.js';

/** Cancelling a pending or running task. */
export function cancelSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
-- Cancels a pending or running task; returns it as it is then (no row: unknown or finished). A running task
-- keeps its lease and partition until its worker reports back or the lease expires; its workers are
-- signalled (origin|c|id). A pending one is finished at once and its partition moves on.
CREATE OR REPLACE FUNCTION ${s('cancel_task')}(p_id text, p_origin text)
RETURNS SETOF ${s('tasks')} LANGUAGE plpgsql AS $$
DECLARE
  v_key text;
  v_status text;
  v_row ${s('tasks')};
BEGIN
  FOR i IN 1..100 LOOP
    SELECT partition_key, status INTO v_key, v_status FROM ${s('tasks')} WHERE id = p_id;
    IF v_status IS NULL OR v_status NOT IN ('waiting', 'pending', 'running') THEN
      RETURN;
    END IF;
    IF v_status = 'waiting' THEN
      -- In no partition: nothing else is released; its own dependents are settled.
      UPDATE ${s('tasks')} SET status = 'cancelled', finished_at = now(), finish_seq = ${nextFinishSeq(n)}
      WHERE id = p_id AND status = 'waiting' RETURNING * INTO v_row;
      IF FOUND THEN
        PERFORM ${s('wake')}('', ${s('settle_flows')}(ARRAY[p_id]), true);
        RETURN NEXT v_row;
        RETURN;
      END IF;
    ELSIF v_status = 'running' THEN
      UPDATE ${s('tasks')} SET status = 'cancelled', finished_at = now(), finish_seq = ${nextFinishSeq(n)}
      WHERE id = p_id AND status = 'running' RETURNING * INTO v_row;
      IF FOUND THEN
        PERFORM pg_notify('${n.channel}', p_origin || '|c|' || p_id);
        -- Deployments: its globalConcurrency slot is free (sql/deployments.sql.ts).
        PERFORM ${s('wake')}('', ${s('free_slots')}(ARRAY[v_row.handler]), true);
        IF v_row.in_flow OR v_row.watched THEN
          PERFORM ${s('wake')}('', ${s('settle_flows')}(ARRAY[p_id]), true);
        END IF;
        RETURN NEXT v_row;
        RETURN;
      END IF;
    ELSE
      IF v_key IS NOT NULL THEN
        PERFORM ${s('lock_partitions')}(ARRAY[v_key]);
      END IF;
      UPDATE ${s('tasks')} SET status = 'cancelled', finished_at = now(), finish_seq = ${nextFinishSeq(n)},
        blocked = false
      WHERE id = p_id AND status = 'pending' AND partition_key IS NOT DISTINCT FROM v_key RETURNING * INTO v_row;
      IF FOUND THEN
        IF v_key IS NOT NULL THEN
          -- Origin '' : every store, this one too, hears that the partition moved on.
          PERFORM ${s('wake')}('', ${s('rehead')}(ARRAY[v_key]), true);
        END IF;
        IF v_row.in_flow OR v_row.watched THEN
          PERFORM ${s('wake')}('', ${s('settle_flows')}(ARRAY[p_id]), true);
        END IF;
        RETURN NEXT v_row;
        RETURN;
      END IF;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'cancel_task(%): the task kept changing state', p_id;
END $$;
`;
}
