import { InMemoryTaskStore } from '../lib/index.js';
import { describeStoreConformance } from './support/store-conformance.js';

describeStoreConformance('InMemoryTaskStore', async ({ leaseTime }) => ({
  store: new InMemoryTaskStore({ leaseTime }),
  dispose: async () => {},
}));
