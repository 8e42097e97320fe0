import type * as OtelApi from '@opentelemetry/api';

/** The metadata keys a task's trace context is stored under (W3C Trace Context, as in HTTP headers). */
export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

const TRACEPARENT_FORMAT = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(-.*)?$/;

/**
 * Writes and reads a span context as W3C `traceparent` / `tracestate` strings, so it survives every store
 * (JSON ones included) and crosses processes. Self-contained: it works whatever propagator the app set.
 */
export class TraceContextCodec {
  constructor(private readonly api: typeof OtelApi) {}

  /** The active span's context as metadata entries, or undefined if no valid span is active. */
  encode(context: OtelApi.Context): Record<string, string> | undefined {
    const span = this.api.trace.getSpanContext(context);
    if (span === undefined || !this.api.isSpanContextValid(span)) return undefined;
    const entries: Record<string, string> = {
      [TRACEPARENT]: `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`,
    };
    const state = span.traceState?.serialize();
    if (state) entries[TRACESTATE] = state;
    return entries;
  }

  /** A root context holding the remote span context stored in `metadata`, or undefined if none is there. */
  decode(metadata: Readonly<Record<string, unknown>> | undefined): OtelApi.Context | undefined {
    const traceparent = metadata?.[TRACEPARENT];
    if (typeof traceparent !== 'string') return undefined;
    const match = TRACEPARENT_FORMAT.exec(traceparent.trim());
    // Version ff is invalid; version 00 has nothing after the flags.
    if (match === null || match[1] === 'ff' || (match[1] === '00' && match[5] !== undefined)) return undefined;
    const tracestate = metadata?.[TRACESTATE];
    const span: OtelApi.SpanContext = {
      traceId: match[2]!,
      spanId: match[3]!,
      traceFlags: parseInt(match[4]!, 16),
      isRemote: true,
      traceState:
        typeof tracestate === 'string' && tracestate.length > 0 ? this.api.createTraceState(tracestate) : undefined,
    };
    if (!this.api.isSpanContextValid(span)) return undefined;
    return this.api.trace.setSpanContext(this.api.ROOT_CONTEXT, span);
  }
}
