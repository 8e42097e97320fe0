import type { TaskQueueLogger } from '../../interfaces/task-queue-logger.interface.js';
import type { RedisConnections } from './redis-connection.js';
import type { StoreSignalBus } from '../shared/store-signal-bus.js';
import { connectionEvents } from '../shared/connection-events.js';

/**
 * Watches the store's connections: delivers channel messages to the signal bus, logs an outage once (not
 * every reconnection attempt), and once both connections are back (ioredis reconnects and resubscribes by
 * itself) logs it and wakes the workers, so they claim what arrived meanwhile. Waking before the command
 * connection is ready would only make their claim fail and back off further.
 */
export function monitorConnections(
  { client, subscriber, ownsClient, server, where }: RedisConnections,
  signals: StoreSignalBus,
  logger: TaskQueueLogger | undefined,
): void {
  const events = connectionEvents(server, where, signals, logger);
  let reachable = true;
  const lost = (reason: string) => {
    if (!reachable) return;
    reachable = false;
    events.lost(reason);
  };
  const back = () => {
    if (reachable || client.status !== 'ready' || subscriber.status !== 'ready') return;
    reachable = true;
    events.reconnected();
  };
  subscriber.on('message', (_channel: string, message: string) => signals.receive(message));
  for (const connection of [client, subscriber]) {
    connection.on('reconnecting', () => lost('connection closed'));
    connection.on('ready', back);
  }
  subscriber.on('error', (error: Error) => lost(error.message));
  // A client you pass keeps its own error listeners (the store adds none: that would hide ioredis's warning).
  if (ownsClient) client.on('error', (error: Error) => lost(error.message));
}
