import type * as OtelApi from '@opentelemetry/api';

export interface TaskTracingOptions {
  /** Where the tracer comes from. Default: the global one (`trace.getTracerProvider()`), set by your SDK. */
  tracerProvider?: OtelApi.TracerProvider;
  /** The `messaging.system` attribute of the spans. Default `nest-task-queue`. */
  messagingSystem?: string;
  /** The @opentelemetry/api module, to pass it rather than have it imported. */
  api?: typeof OtelApi;
}
