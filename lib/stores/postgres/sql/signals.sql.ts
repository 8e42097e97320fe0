import type { PostgresNames } from '../postgres-names.js';

/** Helpers: epoch milliseconds of a time, and wake-up signals (NOTIFY). */
export function signalsSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
-- Epoch milliseconds of a time, as the records carry them.
CREATE FUNCTION ${s('ms')}(p_at timestamptz) RETURNS double precision LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT (extract(epoch FROM p_at) * 1000)::double precision
$$;

-- Ms until p_at (null: no work to signal). With p_notify, also signals workers in every process, at commit:
-- origin|w or origin|w|inMs (a store ignores the echo of its own origin). A NOTIFY holds a database-wide lock
-- from the commit's start to its end, so durable commits (adds, reports) leave it to the store, which notifies
-- right after them in a transaction of its own that does not wait for the disk; only adds in a caller's
-- transaction notify here (the signal must go out with their commit, and only if it commits).
CREATE FUNCTION ${s('wake')}(p_origin text, p_at timestamptz, p_notify boolean) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
  v_ms double precision;
BEGIN
  IF p_at IS NULL THEN RETURN NULL; END IF;
  v_ms := greatest(0, ceil(extract(epoch FROM p_at - clock_timestamp()) * 1000));
  IF p_notify THEN
    PERFORM pg_notify('${n.channel}', p_origin || '|w' || CASE WHEN v_ms = 0 THEN '' ELSE '|' || v_ms::bigint END);
  END IF;
  RETURN v_ms;
END $$;
`;
}
