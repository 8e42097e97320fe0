import { createTaskQueue, FixedDelayRetryStrategy, TaskQueue, type TaskQueueLogger } from '../../lib/index.js';
import { TaskEventLogger, type TaskEventLoggerOptions, type TaskLogRecord } from '../../lib/observability/index.js';

/** A logger that keeps what it is given, by level. */
function captureLogger(): TaskQueueLogger & { records: { level: string; record: TaskLogRecord }[] } {
  const records: { level: string; record: TaskLogRecord }[] = [];
  const at = (level: string) => (record: unknown) => void records.push({ level, record: record as TaskLogRecord });
  return { records, log: at('log'), warn: at('warn'), error: at('error'), debug: at('debug'), verbose: at('verbose') };
}

describe('TaskEventLogger', () => {
  let queue: TaskQueue;
  let logger: ReturnType<typeof captureLogger>;

  async function run(options: Omit<TaskEventLoggerOptions, 'logger'> = {}): Promise<string> {
    logger = captureLogger();
    queue = createTaskQueue({ logger: false });
    queue.registerHandler('signup-email', { execute: async () => {} });
    queue.registerHandler('charge', {
      execute: async () => {
        throw new Error('card declined');
      },
    });
    queue.observe(new TaskEventLogger({ ...options, logger }));
    await queue.start();
    const id = await queue.schedule(
      'signup-email',
      { email: 'ada@example.com', plan: 'pro' },
      { name: 'welcome', partitionKey: 'user-1' },
    );
    await queue.schedule(
      'charge',
      { card: '4242424242424242' },
      { maxRetries: 1, retryStrategy: new FixedDelayRetryStrategy(0) },
    );
    await queue.whenIdle();
    return id;
  }

  afterEach(() => queue.close());

  it('writes one structured record per event, filterable by task id and handler, args never by default', async () => {
    const id = await run();
    const mine = logger.records.filter((r) => r.record.taskId === id);
    expect(mine.map((r) => `${r.level} ${r.record.event}`)).toEqual([
      'debug task.scheduled',
      'debug task.started',
      'debug task.succeeded',
    ]);
    expect(mine.find((r) => r.record.event === 'task.succeeded')!.record).toEqual({
      message: `Task ${id} (signup-email) succeeded, attempt 1`,
      event: 'task.succeeded',
      taskId: id,
      handler: 'signup-email',
      name: 'welcome',
      partitionKey: 'user-1',
      attempt: 1,
      durationMs: expect.any(Number),
    });
    const text = JSON.stringify(logger.records);
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('4242');
    expect(text).not.toContain('"args"');
  });

  it('logs a retry as a warning and the last failure as an error, with its stack', async () => {
    await run();
    const charge = logger.records.filter(
      (r) => r.record.handler === 'charge' && r.record.event !== 'task.started' && r.record.event !== 'task.scheduled',
    );
    expect(charge.map((r) => [r.level, r.record.event, r.record.attempt])).toEqual([
      ['warn', 'task.retried', 1],
      ['error', 'task.failed', 2],
    ]);
    expect(charge[0]!.record.retryAt).toEqual(expect.any(String));
    expect(charge[0]!.record.error).toEqual({ name: 'Error', message: 'card declined' });
    expect(charge[1]!.record.error).toMatchObject({
      name: 'Error',
      message: 'card declined',
      stack: expect.stringContaining('card declined'),
    });
  });

  it('logs what the args hook returns: a redacted copy, or nothing for some tasks', async () => {
    const id = await run({
      args: (args, task) =>
        task.handler === 'signup-email' ? { ...(args as object), email: '[redacted]' } : undefined,
    });
    const records = logger.records.filter((r) => r.record.taskId === id);
    for (const { record } of records) expect(record.args).toEqual({ email: '[redacted]', plan: 'pro' });
    expect(logger.records.filter((r) => r.record.handler === 'charge').every((r) => !('args' in r.record))).toBe(true);
  });

  it('uses the levels given, false for none', async () => {
    await run({ levels: { scheduled: false, started: false, succeeded: 'log', retried: false } });
    expect(logger.records.map((r) => `${r.level} ${r.record.event}`).sort()).toEqual([
      'error task.failed',
      'log task.succeeded',
    ]);
  });
});
