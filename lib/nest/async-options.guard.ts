import { InvalidTaskOptionsError } from '../errors/invalid-task-options.error.js';

/** What every `forRootAsync` form must name: how to make the options. */
export interface AsyncOptionsSource {
  useFactory?: unknown;
  useClass?: unknown;
  useExisting?: unknown;
}

/**
 * ConfigurableModuleBuilder accepts an async form with no factory and fails later, obscurely: both modules'
 * `forRootAsync` refuse it here, at once, with their own message (an InvalidTaskOptionsError).
 */
export function checkAsyncOptions<T extends AsyncOptionsSource>(options: T, message: () => string): T {
  if (!options?.useFactory && !options?.useClass && !options?.useExisting) throw new InvalidTaskOptionsError(message());
  return options;
}
