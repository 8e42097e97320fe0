import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import { StoreMessages } from './store.messages.js';

/** Clock differences below this (plus the round trip) are measuring noise and left alone. */
const SKEW_TOLERANCE_MS = 20;

/**
 * How far a server's clock is ahead of this machine's, ms, if more than noise (else 0); a difference is logged
 * once, here. A durable store times everything by its server's clock and shifts the runAt this machine computes
 * (and the times it reads back) by this. `readServerTime` returns the server's time in epoch ms.
 */
export async function measureClockOffset(
  server: string,
  readServerTime: () => Promise<number>,
  logger: TaskQueueLogger | undefined,
): Promise<number> {
  const before = Date.now();
  const serverTime = await readServerTime();
  const after = Date.now();
  const offset = Math.round(serverTime - (before + after) / 2);
  if (Math.abs(offset) <= SKEW_TOLERANCE_MS + (after - before)) return 0;
  logger?.warn(StoreMessages.clockSkew(server, offset));
  return offset;
}
