// HTTP metrics middleware: counts by route pattern (never raw path) and status, served at GET /metrics.
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.ts';
import { httpMetrics, metricsHandler, UNMATCHED_ROUTE } from '../../src/observability/httpMetrics.ts';

function appWithMetrics() {
  const metrics = createMetrics({ defaultMetrics: false });
  const app = new Hono();
  app.use(httpMetrics(metrics));
  app.get('/metrics', metricsHandler(metrics));
  const api = new Hono();
  api.use('/v2.0/*', async (c, next) => (c.req.header('x-deny') ? c.json({}, 401) : next()));
  api.get('/v2.0/ports/:id', (c) => c.json({ port: { id: c.req.param('id') } }));
  api.post('/v2.0/ports', () => {
    throw new Error('handler failure');
  });
  api.onError((_error, c) => c.json({ NeutronError: { type: 'Internal', message: 'x', detail: '' } }, 500));
  app.route('/', api);
  return { app, metrics };
}

async function requestCount(metrics: ReturnType<typeof createMetrics>, labels: Record<string, string>): Promise<number> {
  const metric = await metrics.httpRequests.get();
  const sample = metric.values.find((v) => Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val));
  return sample?.value ?? 0;
}

describe('httpMetrics', () => {
  test('requests to different ids of one route share the route pattern label', async () => {
    const { app, metrics } = appWithMetrics();
    for (const id of ['a', 'b', 'c']) expect((await app.request(`/v2.0/ports/${id}`)).status).toBe(200);
    expect(await requestCount(metrics, { method: 'GET', route: '/v2.0/ports/:id', status: '200' })).toBe(3);
    const series = (await metrics.httpRequests.get()).values;
    expect(series.some((v) => String(v.labels.route).includes('/a'))).toBe(false);
  });

  test('unknown paths fold into one label; middleware answers and handler errors keep their status', async () => {
    const { app, metrics } = appWithMetrics();
    await app.request('/random/1');
    await app.request('/random/2');
    await app.request('/v2.0/ports/x', { headers: { 'x-deny': '1' } });
    expect((await app.request('/v2.0/ports', { method: 'POST' })).status).toBe(500);
    expect(await requestCount(metrics, { route: UNMATCHED_ROUTE, status: '404' })).toBe(2);
    expect(await requestCount(metrics, { route: '/v2.0/*', status: '401' })).toBe(1);
    expect(await requestCount(metrics, { method: 'POST', route: '/v2.0/ports', status: '500' })).toBe(1);
  });

  test('GET /metrics serves the Prometheus text format with the latency histogram', async () => {
    const { app } = appWithMetrics();
    await app.request('/v2.0/ports/a');
    const response = await app.request('/metrics');
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('esdn_http_requests_total{method="GET",route="/v2.0/ports/:id",status="200"} 1');
    expect(text).toMatch(/esdn_http_request_duration_seconds_count\{method="GET",route="\/v2.0\/ports\/:id",status="200"\} 1/);
    expect(text).toContain('# TYPE esdn_events_appended_total counter');
  });

  test('default Node metrics are registered unless turned off', async () => {
    expect(await createMetrics().render()).toContain('esdn_nodejs_eventloop_lag_seconds');
    expect(await createMetrics({ defaultMetrics: false }).render()).not.toContain('nodejs_');
  });
});
