import { InvalidTaskOptionsError } from '../../errors/invalid-task-options.error.js';
import { checkOption, checkOptional, isNonEmptyString } from '../../validation/option.validator.js';
import { resolveDurableStoreOptions, type ResolvedDurableStoreOptions } from '../shared/durable-store-options.js';
import { isSchemaName } from './postgres-names.js';
import type { PostgresTaskStoreOptions } from './postgres-task-store-options.interface.js';
import { PostgresMessages } from './postgres.messages.js';

export interface ResolvedPostgresStoreOptions extends ResolvedDurableStoreOptions {
  schema: string;
  preparedStatements: boolean;
  listenConnectionString: string | undefined;
}

/** The store's options with defaults applied and checked: the one place that does either. */
export function resolvePostgresStoreOptions(options: PostgresTaskStoreOptions): ResolvedPostgresStoreOptions {
  if ((options.connectionString === undefined) === (options.pool === undefined)) {
    throw new InvalidTaskOptionsError(PostgresMessages.invalidConnection());
  }
  const schema = checkOption('schema', options.schema ?? 'task_queue', isSchemaName, PostgresMessages.schemaExpected());
  const preparedStatements = checkOption(
    'preparedStatements',
    options.preparedStatements ?? true,
    (v) => typeof v === 'boolean',
    'a boolean',
  );
  const listen = checkOptional(
    'listenConnectionString',
    options.listenConnectionString,
    isNonEmptyString,
    'a non-empty connection string',
  );
  return { schema, preparedStatements, listenConnectionString: listen, ...resolveDurableStoreOptions(options) };
}
