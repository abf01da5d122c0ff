// Hono middleware counting HTTP requests and their latency by route pattern and status, plus GET /metrics.
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Metrics } from './metrics.ts';

/** Label for requests no route matched: raw paths would let any client create unbounded series. */
export const UNMATCHED_ROUTE = 'unmatched';
const NS_PER_SECOND = 1e9;
/** Methods outside this set are folded into one label value for the same reason. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The pattern of the route that produced the response, e.g. "/v2.0/ports/:id". */
export function routeLabel(c: Context, self: MiddlewareHandler): string {
  const routes = matchedRoutes(c);
  const responder = routes[c.req.routeIndex];
  if (!responder || responder.handler === self) return UNMATCHED_ROUTE;
  // Middleware registered with use() has method ALL and a wildcard; a concrete handler wins if present.
  const concrete = routes.slice(0, c.req.routeIndex + 1).reverse().find((r) => r.method !== 'ALL' && r.handler !== self);
  return (concrete ?? responder).path;
}

export function httpMetrics(metrics: Metrics): MiddlewareHandler {
  const middleware: MiddlewareHandler = async (c, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / NS_PER_SECOND;
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      const labels = { method, route: routeLabel(c, middleware), status: String(c.res.status) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, seconds);
    }
  };
  return middleware;
}

/** GET /metrics in Prometheus text format. */
export function metricsHandler(metrics: Metrics) {
  return async (c: Context) => c.body(await metrics.render(), 200, { 'content-type': metrics.contentType });
}
