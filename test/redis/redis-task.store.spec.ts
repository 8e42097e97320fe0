import { describeConformanceOf } from '../support/store-conformance.js';
import { redisTarget } from './redis.store-target.js';

await describeConformanceOf(redisTarget);
