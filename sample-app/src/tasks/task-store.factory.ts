import { InMemoryTaskStore, type ITaskStore } from 'nest-task-queue';
import type { SampleConfig } from '../config/sample-config.js';

/** The durable stores, typed here until every build of nest-task-queue exports them. */
interface DurableStores {
  RedisTaskStore?: new (options: { connection: string | { host: string; port: number } }) => ITaskStore;
  PostgresTaskStore?: new (options: { connectionString: string }) => ITaskStore;
}

/** TASK_STORE picks the store. The durable ones are imported only when chosen. */
export async function createTaskStore(config: SampleConfig): Promise<ITaskStore> {
  switch (config.taskStore) {
    case 'memory':
      return new InMemoryTaskStore();
    case 'redis': {
      const RedisTaskStore = await durableStore('RedisTaskStore');
      return new RedisTaskStore({ connection: config.redisUrl });
    }
    case 'postgres': {
      const PostgresTaskStore = await durableStore('PostgresTaskStore');
      return new PostgresTaskStore({ connectionString: config.databaseUrl });
    }
  }
}

async function durableStore<K extends keyof DurableStores>(name: K): Promise<NonNullable<DurableStores[K]>> {
  const exported = ((await import('nest-task-queue')) as unknown as DurableStores)[name];
  if (exported === undefined) {
    throw new Error(`TASK_STORE asks for ${name}, but this build of nest-task-queue does not export it yet. Unset TASK_STORE to use the in-memory store.`);
  }
  return exported;
}
