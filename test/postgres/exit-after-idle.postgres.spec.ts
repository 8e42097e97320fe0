import { describeExitAfterIdle } from '../support/exit-after-idle.js';
import { postgresTarget } from './postgres.store-target.js';

await describeExitAfterIdle(postgresTarget);
