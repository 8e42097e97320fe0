/** What the Redis store logs (its errors use the library's `Messages`). */
export const RedisMessages = {
  connectionLost: (where: string, reason: string) =>
    `Redis at ${where} is unreachable (${reason}); operations fail with StoreUnavailableError until it is back. Reconnecting.`,
  reconnected: (where: string) => `Reconnected to Redis at ${where}; workers claim again.`,
  leasesRecovered: (count: number) => `${count} task(s) whose worker stopped renewing its lease (it died or stalled) are claimable again; the attempt counts.`,
  /** `offsetMs`: Redis's clock minus this machine's (worded by its sign: a minus sign read as "ahead"). */
  clockSkew: (offsetMs: number) =>
    `Redis's clock is ${Math.abs(offsetMs)} ms ${offsetMs > 0 ? 'ahead of' : 'behind'} this machine's; ` +
    "runAt of scheduled tasks is shifted to Redis's clock.",
  notStarted: () => 'the store is not started: init() was not called, or close() was',
} as const;
