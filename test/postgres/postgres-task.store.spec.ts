import { describeConformanceOf } from '../support/store-conformance.js';
import { postgresTarget } from './postgres.store-target.js';

await describeConformanceOf(postgresTarget);
