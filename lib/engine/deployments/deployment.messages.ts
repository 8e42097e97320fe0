/** Messages of deployments (contracts, handler limits, pause, workers), for their errors, logs and tests. */
export const DeploymentMessages = {
  rateLimited: (ms: number) => `Rate limited: try again in ${ms} ms`,
  badRetryAfter: (value: unknown) =>
    `Expected \`retryAfterMs\` of RateLimitedError to be a finite number of ms from 0 up, got \`${String(value)}\``,
  conflictingDefinition: (name: string) =>
    `Two task contracts are named "${name}" with different defaults (defineTask). Define a contract once and import it where it is needed.`,
  rateLimitKeyWithoutLimit: (handler: string) =>
    `\`rateLimitKey\` is given for "${handler}", which has no \`rateLimit\` (set it on the contract or the handler).`,
  rateLimitKeyUnsupported: () =>
    'This store cannot keep rate limits (`rateLimitKey`): it lacks `supportsDeployments` (the built-in stores have it).',
  unsupported: (operation: string, store: string) =>
    `${store} does not support ${operation}: it lacks \`supportsDeployments\` (the built-in stores have it).`,
  limitsUnsupported: (handler: string, store: string) =>
    `Handler "${handler}" has concurrency, globalConcurrency or rateLimit, which ${store} cannot keep: it lacks \`supportsDeployments\`.`,
  foreignTask: (handler: string) =>
    `Claimed a task of "${handler}", which this process has no handler for (the store does not keep ClaimRequest.handlers): handed back, and claims of it wait a while. Warned once.`,
  rateLimitedAttempt: (taskId: string, handler: string, attempt: number, ms: number) =>
    `Task ${taskId} (${handler}) attempt ${attempt} was rate limited; running again in ${ms} ms (not counted against maxRetries)`,
  presenceFailed: (cause: string) => `Could not record this worker in the store (${cause}); listWorkers() may miss it`,
} as const;
