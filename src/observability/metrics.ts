// The Prometheus registry and the metrics every part of esdn records into (HTTP, event log, Node).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerMemoryGauge } from './memoryGauge.ts';

/** Seconds; HTTP intents take about a millisecond when group commit is warm, tens under load. */
const HTTP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Seconds; an append waits for fsync (SQLite group commit) or a round trip (KurrentDB). */
const APPEND_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export interface Metrics {
  readonly registry: Registry;
  /** Labels method, route (the route pattern, never the raw path), status. */
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Labels category: the stream name up to its first '-' (network, port, ...). */
  readonly eventsAppended: Counter<'category'>;
  readonly appendDuration: Histogram<'outcome'>;
  /** Labels operation (append, read, subscribe, ...) and error (the error class name). */
  readonly storeErrors: Counter<'operation' | 'error'>;
  /** Batches of appends slow to become durable (SLOW_BATCH_MS), labelled by where most of the time went. */
  readonly slowBatches: Counter<'slowest'>;
  /** Prometheus text exposition of everything registered. */
  render(): Promise<string>;
  readonly contentType: string;
}

export interface MetricsOptions {
  /** Node's default process metrics (heap, event loop lag, GC); off in unit tests that count series. */
  defaultMetrics?: boolean;
  prefix?: string;
}

/** A fresh registry per process (or per test), so nothing leaks through prom-client's global one. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const prefix = options.prefix ?? 'esdn_';
  const registry = new Registry();
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix });
    registerMemoryGauge(registry, prefix);
  }
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({ name: `${prefix}http_requests_total`, help: 'HTTP requests by route pattern and status',
      labelNames: ['method', 'route', 'status'], registers }),
    httpDuration: new Histogram({ name: `${prefix}http_request_duration_seconds`, help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'], buckets: HTTP_BUCKETS, registers }),
    eventsAppended: new Counter({ name: `${prefix}events_appended_total`, help: 'Events written to the log, by stream category',
      labelNames: ['category'], registers }),
    appendDuration: new Histogram({ name: `${prefix}event_append_duration_seconds`, help: 'Latency of one append to the log',
      labelNames: ['outcome'], buckets: APPEND_BUCKETS, registers }),
    storeErrors: new Counter({ name: `${prefix}event_store_errors_total`, help: 'Event log operations that failed',
      labelNames: ['operation', 'error'], registers }),
    slowBatches: new Counter({ name: `${prefix}event_store_slow_batches_total`,
      help: 'Batches of appends that took 50 ms or more to become durable, by where most of the time went (begin: waiting for the write lock, insert, commit: fsync, outside: not in the writer)',
      labelNames: ['slowest'], registers }),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}

/** "port-3f2a..." -> "port": bounded label values whatever the stream ids are. */
export function streamCategory(stream: string): string {
  const dash = stream.indexOf('-');
  return dash < 0 ? stream : stream.slice(0, dash);
}
