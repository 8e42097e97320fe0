import { RedisTaskStore } from '../../lib/index.js';
import { describeIfReachable } from '../support/service-gate.js';
import { describeStoreConformance } from '../support/store-conformance.js';
import { deletePrefix, probeRedis, REDIS_URL, uniquePrefix } from './redis-test-support.js';

const describeRedis = await describeIfReachable('Redis', probeRedis);

describeRedis('RedisTaskStore', () => {
  describeStoreConformance('RedisTaskStore', async ({ leaseTime }) => {
    const prefix = uniquePrefix('conformance');
    return {
      store: new RedisTaskStore({ connection: REDIS_URL, prefix, leaseTime }),
      dispose: () => deletePrefix(prefix),
    };
  });
});
