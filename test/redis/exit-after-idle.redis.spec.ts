import { describeExitAfterIdle } from '../support/exit-after-idle.js';
import { redisTarget } from './redis.store-target.js';

await describeExitAfterIdle(redisTarget);
