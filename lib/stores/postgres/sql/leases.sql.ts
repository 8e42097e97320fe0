import type { PostgresNames } from '../postgres-names.js';
import { ASYNC_COMMIT } from '../postgres.queries.js';

/** Recovering expired leases. */
export function leasesSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
-- Leases that ran out: a running task is pending again (keeping its partition; the next claim counts an
-- attempt), a task cancelled while running is released. Returns how many were recovered, and ms until the
-- next lease runs out (null: none is leased).
CREATE OR REPLACE FUNCTION ${s('recover_leases')}(p_origin text,
  OUT recovered integer, OUT wake_ms double precision, OUT next_expiry_ms double precision) LANGUAGE plpgsql
  -- Its lookups go through the small partial indexes even before the planner has statistics (a table just filled).
  SET enable_seqscan = off AS $$
DECLARE
  v_ids text[];
  v_keys text[];
  v_at timestamptz;
BEGIN
  PERFORM ${ASYNC_COMMIT};
  WITH expired AS (
    SELECT id FROM ${s('tasks')} WHERE lease_token IS NOT NULL AND status = 'running' AND lease_until <= now()
    ORDER BY id FOR UPDATE SKIP LOCKED
  )
  UPDATE ${s('tasks')} t SET status = 'pending', lease_token = NULL, lease_until = NULL, worker_id = NULL
  FROM expired WHERE t.id = expired.id;
  GET DIAGNOSTICS recovered = ROW_COUNT;
  IF recovered > 0 THEN
    v_at := now();
  END IF;
  SELECT array_agg(id), array_agg(DISTINCT partition_key) FILTER (WHERE partition_key IS NOT NULL) INTO v_ids, v_keys
  FROM ${s('tasks')} WHERE lease_token IS NOT NULL AND status = 'cancelled' AND lease_until <= now();
  IF v_ids IS NOT NULL THEN
    IF v_keys IS NOT NULL THEN
      PERFORM ${s('lock_partitions')}(v_keys);
    END IF;
    UPDATE ${s('tasks')} SET lease_token = NULL, lease_until = NULL
    WHERE id = ANY(v_ids) AND status = 'cancelled' AND lease_token IS NOT NULL AND lease_until <= now();
    IF v_keys IS NOT NULL THEN
      v_at := least(v_at, ${s('rehead')}(v_keys));
    END IF;
  END IF;
  wake_ms := ${s('wake')}(p_origin, v_at, true);
  -- No row (so NULL) when nothing is leased: greatest() ignores a NULL, and would make "none" 0.
  SELECT greatest(0, ceil(extract(epoch FROM min(lease_until) - now()) * 1000)) INTO next_expiry_ms
  FROM ${s('tasks')} WHERE lease_token IS NOT NULL HAVING count(*) > 0;
END $$;
`;
}
