/** What every durable store logs or puts in its errors; `server` names it ("Redis", "PostgreSQL"). */
export const StoreMessages = {
  integerMsFrom: (min: number) => `an integer from ${min} up (ms)`,
  notStarted: () => 'the store is not started: init() was not called, or close() was',
  connectionLost: (server: string, where: string, reason: string) =>
    `${server} at ${where} is unreachable (${reason}); ` +
    'operations fail with StoreUnavailableError until it is back. Reconnecting.',
  reconnected: (server: string, where: string) => `Reconnected to ${server} at ${where}; workers claim again.`,
  resultDropped: (taskId: string, reason: string) =>
    `Task ${taskId}: its result cannot be stored as JSON (${reason}); it is recorded without one.`,
  clockSkew: (server: string, offsetMs: number) =>
    `${server}'s clock is ${Math.abs(offsetMs)} ms ${offsetMs > 0 ? 'ahead of' : 'behind'} this machine's; ` +
    `runAt of scheduled tasks is shifted to ${server}'s clock.`,
} as const;
