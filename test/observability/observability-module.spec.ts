import { Injectable, Module, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import {
  createTaskQueue,
  InvalidTaskOptionsError,
  TaskHandler,
  TaskQueueError,
  TaskQueueModule,
  TaskScheduler,
} from '../../lib/index.js';
import {
  TaskQueueInstrumentation,
  TaskQueueObservabilityModule,
  type TaskLogRecord,
} from '../../lib/observability/index.js';
import { ObservabilityMessages } from '../../lib/observability/observability.messages.js';
import { loadPeer } from '../../lib/stores/shared/peer-loader.js';
import { Messages } from '../../lib/task-queue.messages.js';
import { PrometheusText } from './support/prometheus-text.js';

@TaskHandler('send-invoice')
class SendInvoiceTask {
  async execute(): Promise<string> {
    return 'sent';
  }
}

const METRICS_REGISTRY = Symbol('metrics-registry');
@Module({ providers: [{ provide: METRICS_REGISTRY, useValue: new Registry() }], exports: [METRICS_REGISTRY] })
class MetricsModule {}

/** A Nest logger that keeps what it is given. */
@Injectable()
class CapturingLogger implements LoggerService {
  readonly lines: { level: string; message: unknown; context: unknown }[] = [];
  log = (message: unknown, context?: unknown) => void this.lines.push({ level: 'log', message, context });
  warn = (message: unknown, context?: unknown) => void this.lines.push({ level: 'warn', message, context });
  error = (message: unknown, ...rest: unknown[]) =>
    void this.lines.push({ level: 'error', message, context: rest.at(-1) });
  debug = (message: unknown, context?: unknown) => void this.lines.push({ level: 'debug', message, context });
  verbose = (message: unknown, context?: unknown) => void this.lines.push({ level: 'verbose', message, context });
}

describe('TaskQueueObservabilityModule', () => {
  it('wires metrics, traces and logs into the app, and removes its metrics when the app closes', async () => {
    const registry = new Registry();
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const logger = new CapturingLogger();
    const ref = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({ logger: false }),
        TaskQueueObservabilityModule.forRoot({
          prometheus: { registry },
          tracing: { tracerProvider },
          logging: { levels: { succeeded: 'log' } },
        }),
      ],
      providers: [SendInvoiceTask],
    }).compile();
    const app = ref.createNestApplication({ logger });
    await app.init();
    try {
      const scheduler = app.get(TaskScheduler);
      const id = await scheduler.schedule(SendInvoiceTask, undefined);
      await scheduler.whenIdle();

      const metrics = new PrometheusText(await registry.metrics());
      expect(metrics.value('task_queue_tasks_total', { handler: 'send-invoice', outcome: 'succeeded' })).toBe(1);
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['task.execute send-invoice']);
      // Through Nest's Logger, under the TaskQueue context.
      const line = logger.lines.find((l) => (l.message as TaskLogRecord).event === 'task.succeeded')!;
      expect(line).toMatchObject({
        level: 'log',
        context: 'TaskQueue',
        message: { taskId: id, handler: 'send-invoice' },
      });
    } finally {
      await app.close();
      await tracerProvider.shutdown();
    }
    expect(registry.getMetricsAsArray()).toEqual([]);
  });

  it('takes its options from a factory (forRootAsync), e.g. the registry the app already has', async () => {
    const ref = await Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({ logger: false }),
        TaskQueueObservabilityModule.forRootAsync({
          imports: [MetricsModule],
          useFactory: (registry: Registry) => ({ prometheus: { registry } }),
          inject: [METRICS_REGISTRY],
        }),
      ],
      providers: [SendInvoiceTask],
    }).compile();
    const app = await ref.init();
    try {
      await app.get(TaskScheduler).schedule('send-invoice');
      await app.get(TaskScheduler).whenIdle();
      const registry = app.get<Registry>(METRICS_REGISTRY);
      expect(
        new PrometheusText(await registry.metrics()).value('task_queue_tasks_scheduled_total', {
          handler: 'send-invoice',
        }),
      ).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('says so when forRootAsync has no factory', () => {
    expect(() => TaskQueueObservabilityModule.forRootAsync({})).toThrow(
      new InvalidTaskOptionsError(ObservabilityMessages.asyncOptionsWithoutFactory()),
    );
  });

  it('says so when the app has no TaskQueueModule', async () => {
    const ref = await Test.createTestingModule({ imports: [TaskQueueObservabilityModule.forRoot()] }).compile();
    await expect(ref.init()).rejects.toMatchObject({
      name: TaskQueueError.name,
      message: ObservabilityMessages.noTaskQueue(),
    });
    await ref.close();
  });

  it('checks its options when the app is built', async () => {
    const building = Test.createTestingModule({
      imports: [
        TaskQueueModule.forRoot({ logger: false }),
        TaskQueueObservabilityModule.forRoot({ prometheus: { prefix: 'task-queue' } }),
      ],
    }).compile();
    await expect(building).rejects.toThrow(
      new InvalidTaskOptionsError(
        Messages.invalidOption(
          'prometheus.prefix',
          'a Prometheus metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*)',
          'task-queue',
        ),
      ),
    );
  });
});

describe('TaskQueueInstrumentation', () => {
  it('attaches to a TaskQueue without Nest, and detaches', async () => {
    const queue = createTaskQueue({ logger: false });
    queue.registerHandler('h', { execute: async () => {} });
    const registry = new Registry();
    const instrumentation = await TaskQueueInstrumentation.attach(queue, { prometheus: { registry } });
    expect(instrumentation.prometheus?.registry).toBe(registry);
    await queue.start();
    await queue.schedule('h');
    await queue.whenIdle();
    instrumentation.detach();
    expect(registry.getMetricsAsArray()).toEqual([]);
    await queue.close();
  });

  it('undoes what it attached when a later feature fails to start', async () => {
    const queue = createTaskQueue({ logger: false });
    const registry = new Registry();
    const failing = {
      getMeter: () => {
        throw new Error('no meter');
      },
    };
    await expect(
      TaskQueueInstrumentation.attach(queue, {
        prometheus: { registry },
        openTelemetryMetrics: { meterProvider: failing },
      }),
    ).rejects.toThrow('no meter');
    expect(registry.getMetricsAsArray()).toEqual([]);
    await queue.close();
  });

  it.each([
    [{ health: { storeTimeout: 0 } }, Messages.invalidOption('health.storeTimeout', 'a positive number of ms', 0)],
    [
      { health: { maxOldestDueAge: -1 } },
      Messages.invalidOption('health.maxOldestDueAge', 'a positive number of ms, or false', -1),
    ],
    [
      { prometheus: { durationBuckets: [1, 0.5] } },
      Messages.invalidOption(
        'prometheus.durationBuckets',
        'a non-empty array of increasing positive numbers (seconds)',
        [1, 0.5],
      ),
    ],
    [
      { logging: { levels: { failed: 'loud' } } },
      Messages.invalidOption('logging.levels.failed', "'verbose', 'debug', 'log', 'warn', 'error' or false", 'loud'),
    ],
  ])('rejects bad options: %j', async (options, message) => {
    const queue = createTaskQueue({ logger: false });
    await expect(TaskQueueInstrumentation.attach(queue, options as never)).rejects.toThrow(
      new InvalidTaskOptionsError(message),
    );
    await queue.close();
  });
});

describe('optional peers', () => {
  it('says what to install when a peer is missing', async () => {
    await expect(
      loadPeer('PrometheusTaskMetrics', 'prom-client', () => Promise.reject(new Error('Cannot find module'))),
    ).rejects.toMatchObject({
      name: TaskQueueError.name,
      message: Messages.missingDriver('PrometheusTaskMetrics', 'prom-client'),
    });
  });

  it('are never imported at load time, only as types or with import()', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const files = (await readdir(new URL('../../lib/', import.meta.url), { recursive: true })).filter((f) =>
      f.endsWith('.ts'),
    );
    const offenders: string[] = [];
    for (const file of files) {
      const source = await readFile(new URL(`../../lib/${file}`, import.meta.url), 'utf8');
      for (const line of source.split('\n')) {
        if (
          /^\s*(import|export)\s(?!type\b).*from\s+'(prom-client|@opentelemetry\/[^']+|@nestjs\/terminus)'/.test(line)
        )
          offenders.push(`${file}: ${line.trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
