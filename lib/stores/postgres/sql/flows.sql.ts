import type { PostgresNames } from '../postgres-names.js';
import { nextFinishSeq } from './finish-order.sql.js';

const UNFINISHED = "('waiting', 'pending', 'running')";

/**
 * Flows (issue 12), schema version 6: a `waiting` status, the dependency columns and the links between tasks.
 * - tasks.depends_on: the ids it waits for, in order; unfinished: how many of them are not finished (a counter:
 *   a finishing dependency decrements it, never a scan); run_on_failure: onDependencyFailure 'run'; in_flow: it
 *   has dependencies or dependents (a finish settles flows only for such a task); watched: waitFor() waits for it
 *   (its finish is NOTIFYed `|f|id`); progress: ctx.progress()'s last value.
 * - task_links (dependency, dependent): one row per edge while the dependent is unfinished (so retention keeps
 *   the dependency); done once the dependency finished and was counted.
 */
export function flowsTablesSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
ALTER TABLE ${s('tasks')} DROP CONSTRAINT IF EXISTS tasks_status_check;
ALTER TABLE ${s('tasks')} ADD CONSTRAINT tasks_status_check
  CHECK (status IN ('waiting', 'pending', 'running', 'succeeded', 'failed', 'cancelled'));
ALTER TABLE ${s('tasks')} ADD COLUMN depends_on text[], ADD COLUMN unfinished integer,
  ADD COLUMN run_on_failure boolean NOT NULL DEFAULT false, ADD COLUMN in_flow boolean NOT NULL DEFAULT false,
  ADD COLUMN watched boolean NOT NULL DEFAULT false, ADD COLUMN progress jsonb;
CREATE TABLE ${s('task_links')} (
  dependency text NOT NULL,
  dependent text NOT NULL,
  done boolean NOT NULL DEFAULT false,
  PRIMARY KEY (dependency, dependent)
);
-- A finished dependent's links go (its dependencies are no longer held by it).
CREATE INDEX task_links_dependent ON ${s('task_links')} (dependent);
INSERT INTO ${s('task_counts')} (status, n) VALUES ('waiting', 0) ON CONFLICT (status) DO NOTHING;
`;
}

/** The functions that wire, release and cancel dependents; add, finish and cancel call them. */
export function flowsFunctionsSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
-- Waiting tasks whose dependencies all finished: pending, due at the later of their run_at and now, placed as
-- added tasks are (a partition task through rehead). Returns the earliest run_at it made claimable.
CREATE OR REPLACE FUNCTION ${s('release_waiting')}(p_ids text[]) RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
  v_at timestamptz;
  v_keys text[];
BEGIN
  WITH r AS (
    UPDATE ${s('tasks')} SET status = 'pending', blocked = partition_key IS NOT NULL, run_at = greatest(run_at, now())
    WHERE id = ANY(p_ids) AND status = 'waiting' RETURNING partition_key, run_at
  )
  SELECT min(run_at) FILTER (WHERE partition_key IS NULL), array_agg(DISTINCT partition_key) FILTER (WHERE partition_key IS NOT NULL)
  INTO v_at, v_keys FROM r;
  IF v_keys IS NOT NULL THEN
    v_at := least(v_at, ${s('rehead')}(v_keys));
  END IF;
  RETURN v_at;
END $$;

-- Waiting tasks cancelled by a dependency (p_deps, p_statuses: the one that failed or was cancelled, per task).
CREATE OR REPLACE FUNCTION ${s('cancel_for_dependency')}(p_ids text[], p_deps text[], p_statuses text[])
RETURNS text[] LANGUAGE sql AS $$
  WITH c AS (
    UPDATE ${s('tasks')} t SET status = 'cancelled', finished_at = now(), finish_seq = ${nextFinishSeq(n)},
      last_error = jsonb_build_object('name', 'TaskCancelledError',
        'message', 'Task ' || t.id || ' was cancelled: its dependency ' || x.dep || ' ' || x.status)
    FROM unnest(p_ids, p_deps, p_statuses) AS x(id, dep, status)
    WHERE t.id = x.id AND t.status = 'waiting'
    RETURNING t.id
  )
  SELECT array_agg(id) FROM c
$$;

-- Tasks p_ids reached a finished status: a watched one is announced, their links as dependents go, their
-- waiting dependents are settled: released once none of their dependencies is unfinished, or cancelled by a
-- failed or cancelled one ('cancel'), whose own dependents follow, layer by layer. Locks go along the edges
-- (dependency, then dependent). Returns the earliest run_at it made claimable.
CREATE OR REPLACE FUNCTION ${s('settle_flows')}(p_ids text[]) RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
  v_ids text[] := p_ids;
  v_wake timestamptz;
  v_cancel text[];
  v_deps text[];
  v_statuses text[];
  v_release text[];
BEGIN
  WHILE v_ids IS NOT NULL AND cardinality(v_ids) > 0 LOOP
    PERFORM pg_notify('${n.channel}', '|f|' || id) FROM ${s('tasks')} WHERE id = ANY(v_ids) AND watched;
    UPDATE ${s('tasks')} SET watched = false WHERE id = ANY(v_ids) AND watched;
    DELETE FROM ${s('task_links')} WHERE dependent = ANY(v_ids);
    PERFORM 1 FROM ${s('tasks')} WHERE status = 'waiting'
      AND id IN (SELECT l.dependent FROM ${s('task_links')} l WHERE l.dependency = ANY(v_ids) AND NOT l.done)
    ORDER BY id FOR UPDATE;
    WITH hit AS (
      UPDATE ${s('task_links')} l SET done = true FROM ${s('tasks')} f
      WHERE l.dependency = ANY(v_ids) AND NOT l.done AND f.id = l.dependency
      RETURNING l.dependent, l.dependency, f.status
    ), per AS (
      SELECT h.dependent AS id, count(*)::integer AS n,
        (array_agg(h.dependency ORDER BY h.dependency) FILTER (WHERE h.status <> 'succeeded'))[1] AS bad_dep,
        (array_agg(h.status ORDER BY h.dependency) FILTER (WHERE h.status <> 'succeeded'))[1] AS bad_status
      FROM hit h GROUP BY h.dependent
    ), counted AS (
      UPDATE ${s('tasks')} t SET unfinished = t.unfinished - per.n FROM per
      WHERE t.id = per.id AND t.status = 'waiting'
      RETURNING t.id, t.unfinished, per.bad_dep, per.bad_status, t.run_on_failure
    )
    SELECT array_agg(id) FILTER (WHERE bad_dep IS NOT NULL AND NOT run_on_failure),
      array_agg(bad_dep) FILTER (WHERE bad_dep IS NOT NULL AND NOT run_on_failure),
      array_agg(bad_status) FILTER (WHERE bad_dep IS NOT NULL AND NOT run_on_failure),
      array_agg(id) FILTER (WHERE unfinished <= 0 AND (bad_dep IS NULL OR run_on_failure))
    INTO v_cancel, v_deps, v_statuses, v_release FROM counted;
    IF v_release IS NOT NULL THEN
      v_wake := least(v_wake, ${s('release_waiting')}(v_release));
    END IF;
    v_ids := CASE WHEN v_cancel IS NULL THEN NULL ELSE ${s('cancel_for_dependency')}(v_cancel, v_deps, v_statuses) END;
  END LOOP;
  RETURN v_wake;
END $$;

-- Newly added waiting tasks p_ids (their dependencies locked and known: add_tasks checked): links made,
-- unfinished dependencies counted; those that need not wait are released or cancelled at once.
CREATE OR REPLACE FUNCTION ${s('wire_dependencies')}(p_ids text[]) RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
  v_wake timestamptz;
  v_cancel text[];
  v_deps text[];
  v_statuses text[];
  v_release text[];
  v_cancelled text[];
BEGIN
  UPDATE ${s('tasks')} SET in_flow = true
  WHERE id IN (SELECT DISTINCT d FROM ${s('tasks')} t, unnest(t.depends_on) AS d WHERE t.id = ANY(p_ids)) AND NOT in_flow;
  WITH w AS (
    SELECT t.id, t.run_on_failure, u.dep, u.i, x.status
    FROM ${s('tasks')} t CROSS JOIN LATERAL unnest(t.depends_on) WITH ORDINALITY AS u(dep, i) JOIN ${s('tasks')} x ON x.id = u.dep
    WHERE t.id = ANY(p_ids)
  ), links AS (
    INSERT INTO ${s('task_links')} (dependency, dependent, done)
    SELECT dep, id, status NOT IN ${UNFINISHED} FROM w
    ON CONFLICT (dependency, dependent) DO UPDATE SET done = EXCLUDED.done
  ), per AS (
    SELECT id, bool_or(run_on_failure) AS tolerant, count(*) FILTER (WHERE status IN ${UNFINISHED})::integer AS n,
      (array_agg(dep ORDER BY i) FILTER (WHERE status IN ('failed', 'cancelled')))[1] AS bad_dep,
      (array_agg(status ORDER BY i) FILTER (WHERE status IN ('failed', 'cancelled')))[1] AS bad_status
    FROM w GROUP BY id
  ), counted AS (
    UPDATE ${s('tasks')} t SET unfinished = per.n, in_flow = true FROM per WHERE t.id = per.id
    RETURNING t.id, per.n, per.bad_dep, per.bad_status, per.tolerant
  )
  SELECT array_agg(id) FILTER (WHERE bad_dep IS NOT NULL AND NOT tolerant),
    array_agg(bad_dep) FILTER (WHERE bad_dep IS NOT NULL AND NOT tolerant),
    array_agg(bad_status) FILTER (WHERE bad_dep IS NOT NULL AND NOT tolerant),
    array_agg(id) FILTER (WHERE n = 0 AND (bad_dep IS NULL OR tolerant))
  INTO v_cancel, v_deps, v_statuses, v_release FROM counted;
  IF v_release IS NOT NULL THEN
    v_wake := ${s('release_waiting')}(v_release);
  END IF;
  IF v_cancel IS NOT NULL THEN
    v_cancelled := ${s('cancel_for_dependency')}(v_cancel, v_deps, v_statuses);
    v_wake := least(v_wake, ${s('settle_flows')}(v_cancelled));
  END IF;
  RETURN v_wake;
END $$;

-- waitFor: marks the task watched if it is unfinished (its finish is then NOTIFYed) and returns it. A task that
-- finished meanwhile is read afresh, so a finish is either seen here or announced.
CREATE OR REPLACE FUNCTION ${s('watch_task')}(p_id text) RETURNS SETOF ${s('tasks')} LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY UPDATE ${s('tasks')} SET watched = true, in_flow = true WHERE id = p_id AND status IN ${UNFINISHED} RETURNING *;
  IF NOT FOUND THEN
    RETURN QUERY SELECT * FROM ${s('tasks')} WHERE id = p_id;
  END IF;
END $$;
`;
}
