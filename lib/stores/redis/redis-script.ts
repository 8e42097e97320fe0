import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { BatchWindow, CallBatcherOptions } from '../shared/call-batcher.js';

/** Arguments per script call at most, when calls are batched (a single call larger than this still goes whole). */
const MAX_SCRIPT_ARGS = 20_000;

/** Batching of calls whose arguments go into one script call: as many as fit in its arguments. */
export function batchedScriptCalls(window: BatchWindow): CallBatcherOptions<string[]> {
  return { window, maxWeight: MAX_SCRIPT_ARGS, weight: (args) => args.length };
}

/**
 * A Lua script run by its SHA (EVALSHA), sent in full only when the server does not have it cached
 * (first use, or after a restart or SCRIPT FLUSH). Nothing is added to the client, so a client the
 * application owns is left as it was.
 */
export class RedisScript {
  private readonly sha: string;

  constructor(
    readonly name: string,
    private readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  /** Runs with one key (it routes the call on a cluster) and `args`, which may be many (no spreading). */
  async run(client: Redis, key: string, args: string[]): Promise<unknown> {
    const argv: (string | number)[] = [this.sha, 1, key].concat(args);
    try {
      return await client.call('evalsha', argv);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      argv[0] = this.source;
      return client.call('eval', argv);
    }
  }
}
