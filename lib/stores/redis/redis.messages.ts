/** What the Redis store logs or expects (besides `StoreMessages` and the library's `Messages`). */
export const RedisMessages = {
  prefixExpected: () => 'a non-empty string without { or }',
  leasesRecovered: (count: number) =>
    `${count} task(s) whose worker stopped renewing its lease (it died or stalled) are claimable again; the attempt counts.`,
  clientClosed: () => 'the ioredis client passed as `connection` was closed (status end)',
} as const;
