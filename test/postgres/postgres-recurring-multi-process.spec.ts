import { describeRecurringMultiProcess } from '../support/recurring-multi-process-suite.js';
import { postgresTarget } from './postgres.store-target.js';

await describeRecurringMultiProcess(postgresTarget);
