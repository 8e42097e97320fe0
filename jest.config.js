/** Jest in native ESM mode (Nest 12 is ESM-only): run through `npm test`, which sets --experimental-vm-modules. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^nest-task-queue$': '<rootDir>/lib/index.ts',
    '^nest-task-queue/(redis|postgres)$': '<rootDir>/lib/stores/$1/index.ts',
    '^nest-task-queue/observability$': '<rootDir>/lib/observability/index.ts',
    '^nest-task-queue/dashboard$': '<rootDir>/lib/dashboard/index.ts',
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  roots: ['<rootDir>/test', '<rootDir>/sample-app'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  setupFiles: ['reflect-metadata'],
  testTimeout: 30_000,
  // Jest's default on 2 cores is one worker; most suites wait on servers, timers and child processes, so two
  // workers halve the run (429 s -> 258 s here) without making a test wait for CPU it needs.
  maxWorkers: 2,
};
