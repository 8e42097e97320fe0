/** What the Redis store logs or expects (besides `StoreMessages` and the library's `Messages`). */
export const RedisMessages = {
  prefixExpected: () => 'a non-empty string without { or }',
  leasesRecovered: (count: number) =>
    `${count} task(s) whose worker stopped renewing its lease (it died or stalled) are claimable again; the attempt counts.`,
  clientClosed: () => 'the ioredis client passed as `connection` was closed (status end)',
  databaseRefused: (db: number, where: string, reason: string) =>
    `Redis at ${where} refused database ${db} (the connection's \`db\`, or the URL's /${db}): ${reason}. Redis has 16 databases (0-15) unless its \`databases\` setting says otherwise.`,
  layoutMismatch: (base: string, found: string, needed: string) =>
    `the keys under ${base} are in key layout ${found}, this version of nest-task-queue reads layout ${needed} ` +
    'only: drain the queue with the version that wrote it, or use another prefix',
} as const;
