/** Prefixes the store accepts: non-empty, and without braces (the prefix is the keys' hash tag). */
export function isKeyPrefix(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !/[{}]/.test(value);
}

/**
 * The key names of one queue. Every key starts with `{prefix}:`, so all of them hash to one Redis Cluster
 * slot and one script may touch any of them. The Lua scripts build the same names from `base`.
 */
export class RedisKeys {
  /** `{prefix}:`, the start of every key, as commands name them. */
  readonly base: string;
  /** The same as the scripts must name it: with the client's ioredis `keyPrefix`, which ioredis adds to commands' keys but not to script arguments. */
  scriptBase: string;
  /** The key the scripts are routed by (a real key of the queue). */
  readonly counts: string;
  /** The pub/sub channel of wake and cancel signals. */
  readonly channel: string;

  constructor(readonly prefix: string) {
    this.base = `{${prefix}}:`;
    this.scriptBase = this.base;
    this.counts = `${this.base}counts`;
    this.channel = `${this.base}signal`;
  }

  useClientPrefix(keyPrefix: string | undefined): void {
    this.scriptBase = (keyPrefix ?? '') + this.base;
  }

  task(id: string): string {
    return `${this.base}t:${id}`;
  }

  /** A SCAN pattern matching every key of the queue (for tooling and tests, never on a hot path). */
  get pattern(): string {
    return `${this.base.replace(/[*?[\]\\]/g, '\\$&')}*`;
  }
}
