import { describeDeploymentsMultiProcess } from '../support/deployments-multi-process-suite.js';
import { postgresTarget } from './postgres.store-target.js';

await describeDeploymentsMultiProcess(postgresTarget);
