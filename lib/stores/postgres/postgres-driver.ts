import type * as Pg from 'pg';
import { loadPeer } from '../shared/peer-loader.js';
import type { PostgresTaskStoreOptions } from './postgres-task-store-options.interface.js';

export type PgModule = typeof Pg;

/** Settings of the connections the store opens; options you pass override them. */
const CONNECTION_DEFAULTS: Pg.ClientConfig = Object.freeze({
  connectionTimeoutMillis: 10_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
  application_name: 'nest-task-queue',
});

/** Loads `pg` (an optional peer dependency) only when a PostgreSQL store starts. CommonJS and ESM alike. */
export async function loadPg(): Promise<PgModule> {
  const loaded: { Pool?: unknown; default?: unknown } = await loadPeer('PostgresTaskStore', 'pg', () => import('pg'));
  // ESM: named exports (pg's wrapper); CommonJS through TypeScript's interop: the module under `default`.
  return (loaded.Pool !== undefined ? loaded : loaded.default) as PgModule;
}

/** The option's pool if it is a `pg.Pool` (rather than Pool options). */
export function ownPool(options: PostgresTaskStoreOptions): Pg.Pool | undefined {
  const pool = options.pool as Pg.Pool | undefined;
  return typeof pool?.connect === 'function' && typeof pool.query === 'function' ? pool : undefined;
}

/** The settings of every connection the store opens (its pool's and its listener's). */
export function connectionConfig(options: PostgresTaskStoreOptions): Pg.PoolConfig {
  const pool = ownPool(options);
  // pg-pool keeps the options it was created with.
  if (pool !== undefined) return { ...CONNECTION_DEFAULTS, ...(pool as Pg.Pool & { options: Pg.PoolConfig }).options };
  const config: Pg.PoolConfig = { ...CONNECTION_DEFAULTS, ...(options.pool as Pg.PoolConfig | undefined) };
  if (options.connectionString !== undefined) config.connectionString = options.connectionString;
  return config;
}

/** host:port/database, for messages. */
export function describeTarget(config: Pg.PoolConfig): string {
  if (config.connectionString !== undefined) {
    try {
      const url = new URL(config.connectionString);
      return `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname}`;
    } catch {
      return 'the configured server';
    }
  }
  return `${config.host ?? process.env.PGHOST ?? 'localhost'}:${config.port ?? process.env.PGPORT ?? 5432}/${config.database ?? process.env.PGDATABASE ?? ''}`;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Whether an error means the database could not be reached or went away (rather than a statement failing):
 * socket errors, SQLSTATE class 08 (connection exception), 57P0x (shutdown), 53300 (too many connections),
 * and pg's own "Connection terminated" / connect timeout errors.
 */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('57P') || code === '53300')) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed/i.test(message);
}

/** SQLSTATEs after which the same statement may simply run again: deadlock, serialization failure. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === '40P01' || code === '40001';
}
