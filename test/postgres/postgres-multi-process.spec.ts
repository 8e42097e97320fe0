import { describeMultiProcess } from '../support/multi-process-suite.js';
import { postgresTarget } from './postgres.store-target.js';

await describeMultiProcess(postgresTarget);
