import type { Redis } from 'ioredis';
import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import { RedisMessages } from './redis.messages.js';

/** Clock differences below this (plus the round trip) are measuring noise and left alone. */
const SKEW_TOLERANCE_MS = 20;

/**
 * How far Redis's clock is ahead of this machine's, ms, if more than noise (else 0). The scripts time
 * everything by Redis's clock; this shifts the runAt this machine computes (and the times it reads back).
 */
export async function measureClockOffset(client: Redis, logger: TaskQueueLogger | undefined): Promise<number> {
  const before = Date.now();
  const [seconds, micros] = await client.time();
  const after = Date.now();
  const offset = Math.round(Number(seconds) * 1000 + Number(micros) / 1000 - (before + after) / 2);
  if (Math.abs(offset) <= SKEW_TOLERANCE_MS + (after - before)) return 0;
  logger?.warn(RedisMessages.clockSkew(offset));
  return offset;
}
