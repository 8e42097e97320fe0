import type { PostgresNames } from '../postgres-names.js';
import { ASYNC_COMMIT } from '../postgres.queries.js';

/** The buckets a row counts in: its status, and 'claimable' if it is pending and not blocked. */
const BUCKETS = (row: string) =>
  `CROSS JOIN LATERAL (VALUES (${row}.status), (CASE WHEN ${row}.status = 'pending' AND NOT ${row}.blocked THEN 'claimable' END)) b(bucket)
  WHERE b.bucket IS NOT NULL`;

/** Counts by status, kept by statement triggers (for counts() and maxPending without COUNT(*)). */
export function countsSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
-- Counts by status without counting rows: statement triggers append deltas (no shared row is updated, so a
-- long transaction that adds tasks blocks nobody), and fold_counts() folds them into task_counts. Besides the
-- statuses, 'claimable' counts pending tasks not blocked behind their partition's head (for backlog()).
CREATE TABLE ${s('task_counts')} (status text PRIMARY KEY, n bigint NOT NULL);
INSERT INTO ${s('task_counts')} (status, n)
VALUES ('pending', 0), ('running', 0), ('succeeded', 0), ('failed', 0), ('cancelled', 0), ('claimable', 0);
CREATE TABLE ${s('task_count_deltas')} (status text NOT NULL, n bigint NOT NULL)
WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);

CREATE FUNCTION ${s('count_inserted')}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ${s('task_count_deltas')} (status, n)
  SELECT b.bucket, count(*) FROM new_rows r ${BUCKETS('r')} GROUP BY b.bucket;
  RETURN NULL;
END $$;
CREATE FUNCTION ${s('count_updated')}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ${s('task_count_deltas')} (status, n)
  SELECT b.bucket, sum(r.d) FROM (SELECT status, blocked, 1 AS d FROM new_rows UNION ALL SELECT status, blocked, -1 FROM old_rows) r
  ${BUCKETS('r')} GROUP BY b.bucket HAVING sum(r.d) <> 0;
  RETURN NULL;
END $$;
CREATE FUNCTION ${s('count_deleted')}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ${s('task_count_deltas')} (status, n)
  SELECT b.bucket, -count(*) FROM old_rows r ${BUCKETS('r')} GROUP BY b.bucket;
  RETURN NULL;
END $$;
CREATE FUNCTION ${s('count_truncated')}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM ${s('task_count_deltas')};
  UPDATE ${s('task_counts')} SET n = 0;
  RETURN NULL;
END $$;
CREATE TRIGGER count_inserted AFTER INSERT ON ${s('tasks')} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${s('count_inserted')}();
CREATE TRIGGER count_updated AFTER UPDATE ON ${s('tasks')} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${s('count_updated')}();
CREATE TRIGGER count_deleted AFTER DELETE ON ${s('tasks')} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${s('count_deleted')}();
CREATE TRIGGER count_truncated AFTER TRUNCATE ON ${s('tasks')} FOR EACH STATEMENT EXECUTE FUNCTION ${s('count_truncated')}();

CREATE FUNCTION ${s('count_of')}(p_status text) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(n), 0)::bigint FROM (
    SELECT n FROM ${s('task_counts')} WHERE status = p_status
    UNION ALL SELECT n FROM ${s('task_count_deltas')} WHERE status = p_status) c
$$;

CREATE FUNCTION ${s('fold_counts')}() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM ${ASYNC_COMMIT};
  IF NOT pg_try_advisory_xact_lock(${n.lockKey('fold')}) THEN RETURN; END IF;
  WITH moved AS (DELETE FROM ${s('task_count_deltas')} RETURNING status, n),
       summed AS (SELECT status, sum(n) AS n FROM moved GROUP BY status)
  UPDATE ${s('task_counts')} c SET n = c.n + summed.n FROM summed WHERE c.status = summed.status;
END $$;
`;
}
