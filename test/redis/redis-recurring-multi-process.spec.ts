import { describeRecurringMultiProcess } from '../support/recurring-multi-process-suite.js';
import { redisTarget } from './redis.store-target.js';

await describeRecurringMultiProcess(redisTarget);
