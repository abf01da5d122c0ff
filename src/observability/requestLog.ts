// Hono middleware logging one structured line per HTTP request at debug level (errors at warn), with the route pattern.
import type { MiddlewareHandler } from 'hono';
import type { Logger } from './logger.ts';
import { routeLabel } from './httpMetrics.ts';

const NS_PER_MS = 1e6;
/** Answers at or above this status are logged at warn: the server failed, not the client. */
const FIRST_SERVER_ERROR = 500;

export function requestLog(log: Logger): MiddlewareHandler {
  const middleware: MiddlewareHandler = async (c, next) => {
    const started = process.hrtime.bigint();
    await next();
    const status = c.res.status;
    const level = status >= FIRST_SERVER_ERROR ? 'warn' : 'debug';
    if (!log.isLevelEnabled(level)) return;
    log[level]({
      method: c.req.method,
      path: c.req.path,
      route: routeLabel(c, middleware),
      status,
      ms: Number(process.hrtime.bigint() - started) / NS_PER_MS,
      requestId: c.res.headers.get('x-openstack-request-id') ?? undefined,
    }, 'http request');
  };
  return middleware;
}
