import { describeDeploymentsMultiProcess } from '../support/deployments-multi-process-suite.js';
import { redisTarget } from './redis.store-target.js';

await describeDeploymentsMultiProcess(redisTarget);
