import type { PostgresNames } from './postgres-names.js';
import { addSql } from './sql/add.sql.js';
import { cancelSql } from './sql/cancel.sql.js';
import { deploymentsFunctionsSql, deploymentsTablesSql } from './sql/deployments.sql.js';
import { countsSql } from './sql/counts.sql.js';
import { finishOrderSql } from './sql/finish-order.sql.js';
import { finishSql } from './sql/finish.sql.js';
import { flowsFunctionsSql, flowsTablesSql } from './sql/flows.sql.js';
import { leasesSql } from './sql/leases.sql.js';
import { operatorsMigrationSql, operatorsSql } from './sql/operators.sql.js';
import { partitionsSql } from './sql/partitions.sql.js';
import { recurringSql } from './sql/recurring.sql.js';
import { retentionSql } from './sql/retention.sql.js';
import { signalsSql } from './sql/signals.sql.js';
import { tablesSql } from './sql/tables.sql.js';

/** One step of the schema, applied once, in order, inside the migration transaction. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql(names: PostgresNames): string;
}

/**
 * The schema's history. Append new versions; never change what an applied one does to tables and indexes.
 * Functions: sql/ holds each one's current definition; a version that changes one installs it again
 * (CREATE OR REPLACE, same signature), so a new schema and an upgraded one end with the same functions. The
 * README's PostgreSQL section says why each table, index and function exists.
 */
export const MIGRATIONS: readonly PostgresMigration[] = [
  { version: 1, name: 'tasks, partitions, counts, functions', sql: version1 },
  { version: 2, name: 'recover_leases: no next expiry (null, not 0) when nothing is leased', sql: leasesSql },
  { version: 3, name: 'finish order for retention', sql: version3 },
  { version: 4, name: 'operators: retry, remove, purge', sql: operatorsMigrationSql },
  { version: 5, name: 'recurring schedules: their table, and one function per change', sql: recurringSql },
  { version: 6, name: 'flows: waiting status, dependencies, progress, watched tasks', sql: versionFlows },
  { version: 7, name: 'deployments: per-handler claims and limits, pause, holds, workers', sql: versionDeployments },
  {
    version: 8,
    name: 'operators: remove and purge keep to the flows (dependents settled, dependencies kept)',
    sql: operatorsSql,
  },
  {
    version: 9,
    name: "claims: startedAt is the instant the rate windows count, taken after the handlers' locks",
    sql: deploymentsFunctionsSql,
  },
  { version: 10, name: 'claims and finishes: planned once per connection, through indexes only', sql: version10 },
];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Version 1: the whole design (see sql/: tables, counts, signals, partitions, and one function per change). */
function version1(n: PostgresNames): string {
  const parts = [
    tablesSql,
    countsSql,
    signalsSql,
    partitionsSql,
    addSql,
    finishSql,
    cancelSql,
    leasesSql,
    retentionSql,
  ];
  return parts.map((part) => part(n)).join('\n');
}

/** Version 10: the claim and the finish again, with HOT_PATH_PLANS (postgres.queries.ts). */
function version10(n: PostgresNames): string {
  return [deploymentsFunctionsSql, finishSql].map((part) => part(n)).join('\n');
}

/** Version 3: finished tasks in finish order (a finish sequence), and the functions that finish or trim tasks. */
function version3(n: PostgresNames): string {
  return [finishOrderSql, finishSql, cancelSql, retentionSql].map((part) => part(n)).join('\n');
}

/** Flows (issue 12): the waiting status, dependency columns and links, and the functions that add, finish, cancel and trim. */
function versionFlows(n: PostgresNames): string {
  const parts = [flowsTablesSql, flowsFunctionsSql, addSql, finishSql, cancelSql, retentionSql];
  return parts.map((part) => part(n)).join('\n');
}

/** Deployments (issue 10): rate-limit keys, per-handler indexes and tables, the per-handler claim; add, finish and cancel again. */
function versionDeployments(n: PostgresNames): string {
  return [deploymentsTablesSql, deploymentsFunctionsSql, addSql, finishSql, cancelSql]
    .map((part) => part(n))
    .join('\n');
}
