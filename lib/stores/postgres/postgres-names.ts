/**
 * The SQL names of one queue: its schema (quoted), the channel its signals go on, and the advisory lock keys
 * of its one-at-a-time jobs. Every statement and migration builds on these.
 */
export class PostgresNames {
  /** The quoted schema, ready to prefix a table: `"task_queue"`. */
  readonly schema: string;
  /** The LISTEN/NOTIFY channel (a plain string for pg_notify; `channelIdent` for LISTEN). */
  readonly channel: string;
  readonly channelIdent: string;

  constructor(readonly schemaName: string) {
    this.schema = `"${schemaName}"`;
    this.channel = `${schemaName}_signal`;
    this.channelIdent = `"${this.channel}"`;
  }

  /** A schema-qualified name: `"task_queue".tasks`. */
  of(name: string): string {
    return `${this.schema}.${name}`;
  }

  /** The two-int advisory lock key of one job of this schema (migrate, add, trim, fold), as SQL. */
  lockKey(job: 'migrate' | 'add' | 'trim' | 'fold'): string {
    return `hashtext('nest-task-queue:${job}'), hashtext(${literal(this.schemaName)})`;
  }

  /** The advisory lock key of one handler's limits (deployments), as SQL; `handler` is a SQL expression. */
  handlerLockKey(handler: string): string {
    return `hashtext(${literal(`nest-task-queue:handler:${this.schemaName}`)}), hashtext(${handler})`;
  }
}

/** A SQL string literal (the names checked by `isSchemaName` need no escaping; this is for safety). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Schema names the store accepts: plain identifiers short enough to leave room for the channel suffix. */
export function isSchemaName(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,48}$/.test(value);
}
