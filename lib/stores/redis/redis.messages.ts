/** What the Redis store logs or expects (besides `StoreMessages` and the library's `Messages`). */
export const RedisMessages = {
  prefixExpected: () => 'a non-empty string without { or }',
  leasesRecovered: (count: number) =>
    `${count} task(s) whose worker stopped renewing its lease (it died or stalled) are claimable again; the attempt counts.`,
  layoutMismatch: (base: string, found: string, needed: string) =>
    `the keys under ${base} are in key layout ${found}, this version of nest-task-queue reads layout ${needed} ` +
    'only: drain the queue with the version that wrote it, or use another prefix',
} as const;
