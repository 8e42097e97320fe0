import type * as OtelApi from '@opentelemetry/api';
import type { TaskObserver } from '../../interfaces/task-event.interface.js';
import type { TaskContext } from '../../interfaces/task-handler.interface.js';
import type { NewTask } from '../../interfaces/task-record.interface.js';
import { INSTRUMENTATION_NAME } from '../metrics/task-metric.names.js';
import { loadPeer } from '../../stores/shared/peer-loader.js';
import { TraceContextCodec } from './trace-context.codec.js';
import { executionSpanAttributes, executionSpanName } from './task-span.attributes.js';
import type { TaskTracingOptions } from './task-tracing-options.interface.js';

/**
 * OpenTelemetry traces of tasks (@opentelemetry/api, an optional peer; your SDK records them). `schedule()`
 * stores the active span's context in the task's metadata (`traceparent`); each attempt then runs in a span
 * `task.execute <handler>`, a child of that span, in whichever process runs it. The handler's own spans
 * (HTTP calls, queries) nest under it.
 */
export class TaskTracing implements TaskObserver {
  private readonly tracer: OtelApi.Tracer;
  private readonly codec: TraceContextCodec;
  private readonly messagingSystem: string;

  /** Imports @opentelemetry/api unless `options.api` is given. */
  static async create(options: TaskTracingOptions = {}): Promise<TaskTracing> {
    const api =
      options.api ?? (await loadPeer('TaskTracing', '@opentelemetry/api', () => import('@opentelemetry/api')));
    return new TaskTracing(api, options);
  }

  constructor(
    private readonly api: typeof OtelApi,
    options: TaskTracingOptions = {},
  ) {
    this.tracer = (options.tracerProvider ?? api.trace.getTracerProvider()).getTracer(INSTRUMENTATION_NAME);
    this.codec = new TraceContextCodec(api);
    this.messagingSystem = options.messagingSystem ?? 'nest-task-queue';
  }

  stampMetadata(_task: Readonly<NewTask>): Record<string, unknown> | undefined {
    return this.codec.encode(this.api.context.active());
  }

  wrapExecution(context: TaskContext, run: () => Promise<unknown>): Promise<unknown> {
    const { api } = this;
    // Never the context active here: that is whatever woke the worker (maybe another task's request).
    const parent = this.codec.decode(context.metadata) ?? api.ROOT_CONTEXT;
    const span = this.tracer.startSpan(
      executionSpanName(context.handler),
      { kind: api.SpanKind.CONSUMER, attributes: executionSpanAttributes(context, this.messagingSystem) },
      parent,
    );
    return api.context.with(api.trace.setSpan(parent, span), run).then(
      (result) => {
        // A timeout or cancel fails the attempt even when the handler ignored its signal and returned.
        if (context.signal.aborted) this.fail(span, context.signal.reason);
        span.end();
        return result;
      },
      (error: unknown) => {
        this.fail(span, error);
        span.end();
        throw error;
      },
    );
  }

  private fail(span: OtelApi.Span, error: unknown): void {
    const exception = error instanceof Error ? error : new Error(String(error));
    span.recordException(exception);
    span.setAttribute('error.type', exception.name);
    span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: exception.message });
  }
}
