import { PostgresTaskStore } from '../../lib/stores/postgres/postgres-task.store.js';
import { describeIfReachable } from '../support/service-gate.js';
import { describeStoreConformance } from '../support/store-conformance.js';
import { dropSchema, POSTGRES_URL, probePostgres, uniqueSchema } from './postgres-test-support.js';

const describePostgres = await describeIfReachable('PostgreSQL', probePostgres);

describePostgres('PostgresTaskStore', () => {
  describeStoreConformance('PostgresTaskStore', async ({ leaseTime }) => {
    const schema = uniqueSchema('conformance');
    return {
      store: new PostgresTaskStore({ connectionString: POSTGRES_URL, schema, leaseTime }),
      dispose: () => dropSchema(schema),
    };
  });
});
