/** The store operations that write: a failure whose reply was lost leaves their outcome unknown. */
const WRITES = new Set(['add', 'schedule', 'cancel', 'complete/fail']);
const UNKNOWN_OUTCOME =
  '. If the request reached the store before the reply was lost, it may have been applied all the same;' +
  ' to retry a schedule safely, give it the same taskId (that adds nothing while the first task is unfinished).';

/** Every message the library throws or logs about bad input, in one place (tests import these). */
export const Messages = {
  unknownHandlerName: (name: string) =>
    `No task handler is registered under the name "${name}". Decorate a provider with @TaskHandler() and list it in a module.`,
  unknownHandlerClass: (className: string) =>
    `${className} is not a registered task handler. Decorate it with @TaskHandler() and list it in a module's providers.`,
  duplicateHandler: (name: string, first: string, second: string) =>
    `Two task handlers are named "${name}": ${first} and ${second}. Give one of them another name with @TaskHandler('...').`,
  invalidOption: (name: string, expected: string, value: unknown) =>
    `Expected \`${name}\` to be ${expected}, got \`${describe(value)}\``,
  delayAndRunAt: () => 'Give either `delay` or `runAt`, not both.',
  notSerializable: (what: string, path: string, reason: string) =>
    `${what} cannot be stored as JSON by this store: ${path} is ${reason}. Pass plain data (strings, numbers, booleans, null, arrays, plain objects).`,
  textNotStorable: (name: string, problem: string) =>
    `Expected \`${name}\` to be text every store can keep, got one holding ${problem} (no store takes U+0000 or lone surrogates).`,
  textTooLong: (name: string, max: number, length: number) =>
    `Expected \`${name}\` to be at most ${max} characters (the longest id or key every store can index), got ${length}.`,
  dataRefused: (store: string, reason: string) => `${store} refused the task's data, so nothing was added: ${reason}`,
  transactionUnsupported: () =>
    'This store cannot add tasks inside your transaction (`transaction`); PostgresTaskStore can.',
  mixedTransactions: () => 'All items of one scheduleMany() call must share one `transaction` (or none).',
  queueFull: (maxPending: number) =>
    `The queue holds ${maxPending} pending tasks (maxQueueSize); nothing was added. Try again later.`,
  timedOut: (taskId: string, timeout: number) => `Task ${taskId} timed out after ${timeout} ms`,
  cancelled: (taskId: string) => `Task ${taskId} was cancelled`,
  leaseLost: (taskId: string) =>
    `Task ${taskId}: this worker's lease was lost (another worker took the task over, or it was cancelled)`,
  shuttingDown: (taskId: string) => `Task ${taskId} was aborted: the application is shutting down`,
  staleClaim: (taskId: string, replyMs: number, leaseTime: number) =>
    `Task ${taskId} was handed back unstarted: its claim was answered after ${replyMs} ms, too late to hold its ${leaseTime} ms lease`,
  storeUnavailable: (operation: string, cause: string) =>
    `The task store is unavailable (${operation}): ${cause}${WRITES.has(operation) ? UNKNOWN_OUTCOME : ''}`,
  missingDriver: (store: string, pkg: string) => `${store} needs the "${pkg}" package: npm install ${pkg}`,
  asyncOptionsWithoutFactory: () => 'TaskQueueModule.forRootAsync() needs useFactory, useClass or useExisting.',
  handlerProvidedTwice: (className: string) =>
    `${className} is provided in more than one module; provide a task handler once.`,
  handlerWithoutExecute: (className: string) =>
    `${className} is decorated with @TaskHandler() but has no execute(args, ctx) method.`,
  requestScopedHandler: (className: string) =>
    `${className} is a request-scoped task handler: each task gets its own instance, resolved in a fresh DI context.`,
} as const;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return `Date(${value.toString()})`;
  return String(value);
}
