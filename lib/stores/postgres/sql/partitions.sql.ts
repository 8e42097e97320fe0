import type { PostgresNames } from '../postgres-names.js';

/** Partition locks and heads: which task of a partition is the claimable one. */
export function partitionsSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
-- Locks the rows of these partitions (creating missing ones) in key order: every partition change starts
-- here, before it touches a task row, so that partition changes never deadlock one another.
CREATE FUNCTION ${s('lock_partitions')}(p_keys text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO ${s('partitions')} AS p (key)
  SELECT k FROM (SELECT DISTINCT k FROM unnest(p_keys) AS k WHERE k IS NOT NULL) d ORDER BY k
  ON CONFLICT (key) DO UPDATE SET head_id = p.head_id
$$;

-- Puts the right task at the head of each partition, with the partition rows locked: the head stays while
-- it is held (running, waiting for a retry, or cancelled but not yet reported); otherwise the first pending
-- task by (run_at, seq) becomes the head, the only claimable one. Statements after the lock see what committed
-- before it was granted (READ COMMITTED), so no concurrent change is missed. One statement moves every
-- partition whose head finished; a head never claimed that an earlier new task should displace is handled
-- one partition at a time (only adds do that). Returns the earliest run_at of the heads it made claimable.
CREATE FUNCTION ${s('rehead')}(p_keys text[]) RETURNS timestamptz LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  v_wake timestamptz;
  v_contested text[];
  v_key text;
  v_head text;
  v_next text;
  v_next_at timestamptz;
BEGIN
  PERFORM ${s('lock_partitions')}(p_keys);
  WITH cur AS (
    SELECT p.key, p.head_id, h.status, h.attempts, h.lease_token IS NOT NULL AS leased
    FROM ${s('partitions')} p LEFT JOIN ${s('tasks')} h ON h.id = p.head_id AND h.partition_key = p.key
    WHERE p.key = ANY(p_keys)
  ), open AS (
    SELECT c.key, c.head_id, c.status, n.id AS next_id, n.run_at AS next_at
    FROM cur c LEFT JOIN LATERAL (
      SELECT t.id, t.run_at FROM ${s('tasks')} t WHERE t.partition_key = c.key AND t.status = 'pending' ORDER BY t.run_at, t.seq LIMIT 1
    ) n ON true
    WHERE NOT coalesce(c.status = 'running' OR c.leased OR (c.status = 'pending' AND c.attempts > 0), false)
  ), moved AS (
    UPDATE ${s('partitions')} p SET head_id = o.next_id FROM open o
    WHERE p.key = o.key AND o.next_id IS NOT NULL AND o.status IS DISTINCT FROM 'pending'
    RETURNING o.next_id, o.next_at
  ), unblocked AS (
    UPDATE ${s('tasks')} t SET blocked = false FROM moved m WHERE t.id = m.next_id RETURNING m.next_at
  ), emptied AS (
    DELETE FROM ${s('partitions')} p USING open o WHERE p.key = o.key AND o.next_id IS NULL
  )
  SELECT (SELECT min(next_at) FROM unblocked), (SELECT array_agg(key) FROM open WHERE status = 'pending' AND next_id <> head_id)
  INTO v_wake, v_contested;
  FOREACH v_key IN ARRAY coalesce(v_contested, '{}') LOOP
    SELECT head_id INTO v_head FROM ${s('partitions')} WHERE key = v_key;
    SELECT id, run_at INTO v_next, v_next_at FROM ${s('tasks')}
    WHERE partition_key = v_key AND status = 'pending' ORDER BY run_at, seq LIMIT 1;
    -- A head never claimed gives way to an earlier task, unless a claim takes it meanwhile.
    UPDATE ${s('tasks')} SET blocked = true WHERE id = v_head AND status = 'pending' AND attempts = 0;
    CONTINUE WHEN NOT FOUND;
    UPDATE ${s('tasks')} SET blocked = false WHERE id = v_next;
    UPDATE ${s('partitions')} SET head_id = v_next WHERE key = v_key;
    v_wake := least(v_wake, v_next_at);
  END LOOP;
  RETURN v_wake;
END $$;
`;
}
