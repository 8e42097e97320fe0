import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { StoreSignalBus } from './store-signal-bus.js';
import { StoreMessages } from './store.messages.js';

/** What a durable store does when its server goes away and when it is back (each called once per outage). */
export interface StoreConnectionEvents {
  lost(reason: string): void;
  reconnected(): void;
}

/**
 * Logs an outage and the reconnection, and once back wakes the store's workers, so that they claim what
 * arrived meanwhile (a signal sent while the store was not listening is lost).
 */
export function connectionEvents(
  server: string,
  where: string,
  signals: StoreSignalBus,
  logger: TaskQueueLogger | undefined,
): StoreConnectionEvents {
  return {
    lost: (reason) => logger?.warn(StoreMessages.connectionLost(server, where, reason)),
    reconnected: () => {
      logger?.log(StoreMessages.reconnected(server, where));
      signals.reconnected();
    },
  };
}
