import type { PostgresNames } from '../postgres-names.js';
import { ASYNC_COMMIT } from '../postgres.queries.js';

/**
 * Flows: whether finished task `v` may go: a finished task an unfinished one depends on stays (its links go when
 * that one finishes). Retention and purge keep the same ones.
 */
export const freeOfDependents = (n: PostgresNames): string =>
  `(NOT v.in_flow OR NOT EXISTS (SELECT 1 FROM ${n.of('task_links')} l WHERE l.dependency = v.id))`;

/** Retention of finished tasks, in small batches. */
export function retentionSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  const KEPT_FOR_DEPENDENTS = freeOfDependents(n);
  return `
-- Retention, one small batch per call (so no lock is held for long): finished tasks older than p_max_age_ms,
-- then the oldest beyond p_max_count, in finish order. One process trims at a time. Returns how many it removed.
CREATE OR REPLACE FUNCTION ${s('trim_finished')}(p_max_count bigint, p_max_age_ms double precision, p_batch integer)
RETURNS integer LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_removed integer;
  v_more integer;
  v_excess bigint;
BEGIN
  PERFORM ${ASYNC_COMMIT};
  IF NOT pg_try_advisory_xact_lock(${n.lockKey('trim')}) THEN
    RETURN 0;
  END IF;
  WITH victims AS (
    SELECT id FROM ${s('tasks')} v
    WHERE status IN ('succeeded', 'failed', 'cancelled') AND finished_at < now() - p_max_age_ms * interval '1 millisecond' AND lease_token IS NULL
      AND ${KEPT_FOR_DEPENDENTS}
    ORDER BY finished_at, finish_seq LIMIT p_batch FOR UPDATE SKIP LOCKED
  )
  DELETE FROM ${s('tasks')} t USING victims WHERE t.id = victims.id;
  GET DIAGNOSTICS v_removed = ROW_COUNT;
  IF v_removed < p_batch THEN
    v_excess := ${s('count_of')}('succeeded') + ${s('count_of')}('failed') + ${s('count_of')}('cancelled') - p_max_count;
    IF v_excess > 0 THEN
      WITH victims AS (
        SELECT id FROM ${s('tasks')} v WHERE status IN ('succeeded', 'failed', 'cancelled') AND lease_token IS NULL
          AND ${KEPT_FOR_DEPENDENTS}
        ORDER BY finished_at, finish_seq LIMIT least(v_excess, p_batch - v_removed) FOR UPDATE SKIP LOCKED
      )
      DELETE FROM ${s('tasks')} t USING victims WHERE t.id = victims.id;
      GET DIAGNOSTICS v_more = ROW_COUNT;
      v_removed := v_removed + v_more;
    END IF;
  END IF;
  RETURN v_removed;
END $$;
`;
}
