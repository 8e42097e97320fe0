import { InMemoryTaskStore, PostgresTaskStore, RedisTaskStore, type ITaskStore } from 'nest-task-queue';
import type { SampleConfig } from '../config/sample-config.js';

/**
 * TASK_STORE picks the store. Constructing a durable store loads nothing: its driver (ioredis, pg) is
 * imported when the store starts, so the in-memory default never needs one.
 */
export function createTaskStore(config: SampleConfig): ITaskStore {
  switch (config.taskStore) {
    case 'memory':
      return new InMemoryTaskStore();
    case 'redis':
      return new RedisTaskStore({ connection: config.redisUrl });
    case 'postgres':
      return new PostgresTaskStore({ connectionString: config.databaseUrl });
  }
}
