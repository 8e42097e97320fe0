// The public API of the Redis store, at `nest-task-queue/redis` (and re-exported by the root). Its types are
// structural, so neither entry needs ioredis installed to type-check; ioredis is loaded when a store starts.
export { RedisTaskStore } from './redis-task.store.js';
export type {
  RedisTaskStoreOptions,
  RedisConnectionOptions,
  RedisClientLike,
} from './redis-task-store-options.interface.js';
