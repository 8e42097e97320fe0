import { literal, type PostgresNames } from '../postgres-names.js';

/** The expression that numbers a finish (see finishOrderSql). */
export function nextFinishSeq(n: PostgresNames): string {
  return `nextval(${literal(n.of('finish_seq'))})`;
}

/**
 * Schema version 2: finish order. Tasks finished by one statement share now(), so retention broke the tie by
 * insertion order and could drop the newest; finish_seq numbers finishes as they are reported. Tasks finished
 * before it keep their insertion order (seq), which is what retention used for them.
 */
export function finishOrderSql(n: PostgresNames): string {
  const s = (name: string) => n.of(name);
  return `
CREATE SEQUENCE ${s('finish_seq')};
ALTER TABLE ${s('tasks')} ADD COLUMN finish_seq bigint;
UPDATE ${s('tasks')} SET finish_seq = seq WHERE finished_at IS NOT NULL;
SELECT setval(${literal(s('finish_seq'))}, coalesce((SELECT max(finish_seq) FROM ${s('tasks')}), 0) + 1, false);
DROP INDEX ${s('tasks_finished')};
-- Retention: the oldest finished tasks, in finish order.
CREATE INDEX tasks_finished ON ${s('tasks')} (finished_at, finish_seq)
  WHERE status IN ('succeeded', 'failed', 'cancelled');
`;
}
