/** Every message the observability features throw or report, in one place (tests import these). */
export const ObservabilityMessages = {
  noTaskQueue: () =>
    'TaskQueueObservabilityModule needs TaskQueueModule.forRoot() (or forRootAsync()) in the same application.',
  asyncOptionsWithoutFactory: () =>
    'TaskQueueObservabilityModule.forRootAsync() needs useFactory, useClass or useExisting.',
  metricRegistered: (name: string) =>
    `A metric named ${name} is already registered on this registry (the metrics of another TaskQueue?). Give one of them another \`prefix\`.`,
  storeTimedOut: (ms: number) => `The task store did not answer counts() within ${ms} ms`,
  storeFailed: (cause: string) => `The task store could not count its tasks: ${cause}`,
  workerNotRunning: (state: string) => `The worker is ${state}, not running`,
  claimsFailing: (failures: number) => `The worker's last ${failures} claims failed`,
  oldestDueTooLate: (ageMs: number, maxMs: number) =>
    `The oldest due task has waited ${ageMs} ms past its runAt (more than ${maxMs} ms)`,
  // What a bad option was expected to be (the `expected` of Messages.invalidOption).
  featureExpected: () => 'true, false or an options object',
  metricPrefixExpected: () => 'a Prometheus metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)',
  bucketsExpected: () => 'a non-empty array of increasing positive numbers (seconds)',
  msExpected: () => 'a positive number of ms',
  msOrFalseExpected: () => 'a positive number of ms, or false',
  countFromOneExpected: () => 'an integer from 1 up',
  logArgsExpected: () => 'a function (args, task) => what to log',
  logLevelExpected: () => "'verbose', 'debug', 'log', 'warn', 'error' or false",
} as const;
