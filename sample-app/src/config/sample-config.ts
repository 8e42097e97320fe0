import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TaskStoreKind = 'memory' | 'redis' | 'postgres';
const STORE_KINDS: readonly TaskStoreKind[] = ['memory', 'redis', 'postgres'];

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Everything the sample reads from the environment, read once. Tests build one with `SampleConfig.from({...})`
 * and override the provider. The demo (on unless DEMO=0) shortens the realistic delays so it runs in seconds.
 */
export class SampleConfig {
  /** HTTP port. PORT, default 3000. */
  readonly port: number = 3000;
  /** Run the scripted walkthrough at start-up. DEMO, default on. */
  readonly demo: boolean = true;
  /** Print every task event to the console. LOG_TASK_EVENTS, default on. */
  readonly logTaskEvents: boolean = true;
  /** TASK_STORE=memory|redis|postgres, default memory. */
  readonly taskStore: TaskStoreKind = 'memory';
  readonly redisUrl: string = 'redis://127.0.0.1:6379';
  readonly databaseUrl: string = 'postgres://postgres@127.0.0.1:5432/test';
  /** Tasks run at once. CONCURRENCY, default 4. */
  readonly concurrency: number = 4;
  /** Welcome email after registration. WELCOME_DELAY_MS: 5 min, 3 s in the demo. */
  readonly welcomeDelayMs: number = 5 * MINUTE;
  /** Uploaded files are deleted after this. FILE_TTL_MS: 1 h, 5 s in the demo. */
  readonly fileTtlMs: number = HOUR;
  /** Where uploads go. UPLOAD_DIR, default <tmp>/nest-task-queue-sample. */
  readonly uploadDir: string = join(tmpdir(), 'nest-task-queue-sample');
  /** The fake external API fails each request key this many times first. FAKE_API_FAILURES, default 2. */
  readonly fakeApiFailures: number = 2;
  /** Retries of the external API call. API_MAX_RETRIES, default 4. */
  readonly apiMaxRetries: number = 4;
  /** First retry delay; each next one doubles. API_RETRY_BASE_MS, default 1 s (400 ms in the demo). */
  readonly apiRetryBaseMs: number = SECOND;
  /** Where the external API lives. EXTERNAL_API_URL, default this app's own /fake-api. */
  readonly externalApiUrl: string | undefined = undefined;
  /** How long each order step pretends to work. ORDER_STEP_MS, default 300. */
  readonly orderStepMs: number = 300;

  private constructor(values: Partial<SampleConfig>) {
    const given = Object.entries(values).filter(([, value]) => value !== undefined);
    Object.assign(this, Object.fromEntries(given));
  }

  /** The defaults, overridden by the values given and not undefined (tests use this directly). */
  static from(values: Partial<SampleConfig> = {}): SampleConfig {
    return new SampleConfig(values);
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): SampleConfig {
    const demo = env.DEMO !== '0' && env.DEMO !== 'false';
    const store = (env.TASK_STORE ?? 'memory') as TaskStoreKind;
    if (!STORE_KINDS.includes(store))
      throw new Error(`TASK_STORE must be one of ${STORE_KINDS.join(', ')}; got "${env.TASK_STORE}"`);
    return SampleConfig.from({
      demo,
      port: int(env, 'PORT'),
      logTaskEvents: env.LOG_TASK_EVENTS === undefined ? undefined : env.LOG_TASK_EVENTS !== '0',
      taskStore: store,
      redisUrl: env.REDIS_URL,
      databaseUrl: env.DATABASE_URL,
      concurrency: int(env, 'CONCURRENCY'),
      welcomeDelayMs: int(env, 'WELCOME_DELAY_MS') ?? (demo ? 3 * SECOND : undefined),
      fileTtlMs: int(env, 'FILE_TTL_MS') ?? (demo ? 5 * SECOND : undefined),
      uploadDir: env.UPLOAD_DIR,
      fakeApiFailures: int(env, 'FAKE_API_FAILURES'),
      apiMaxRetries: int(env, 'API_MAX_RETRIES'),
      apiRetryBaseMs: int(env, 'API_RETRY_BASE_MS') ?? (demo ? 400 : undefined),
      externalApiUrl: env.EXTERNAL_API_URL,
      orderStepMs: int(env, 'ORDER_STEP_MS'),
    });
  }
}

/** An integer env variable, or undefined when unset (so the default applies). */
function int(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be an integer from 0 up; got "${raw}"`);
  return value;
}
