import { Registry } from 'prom-client';

/** The app's Prometheus registry: the task queue's metrics register here, and GET /metrics serves it. */
export const metricsRegistry = new Registry();
