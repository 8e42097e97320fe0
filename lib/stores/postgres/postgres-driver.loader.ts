import type * as Pg from 'pg';
import { loadPeer } from '../shared/peer-loader.js';

export type PgModule = typeof Pg;

/** Loads `pg` (an optional peer dependency) only when a PostgreSQL store starts. CommonJS and ESM alike. */
export async function loadPg(): Promise<PgModule> {
  const loaded: { Pool?: unknown; default?: unknown } = await loadPeer('PostgresTaskStore', 'pg', () => import('pg'));
  // ESM: named exports (pg's wrapper); CommonJS through TypeScript's interop: the module under `default`.
  return (loaded.Pool !== undefined ? loaded : loaded.default) as PgModule;
}
