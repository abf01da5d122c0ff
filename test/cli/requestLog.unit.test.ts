// Request logging middleware: one JSON line per request with the route pattern, debug normally, warn for 5xx.
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { requestLog } from '../../src/observability/requestLog.ts';
import type { LogLevel } from '../../src/config.ts';

function appLoggingAt(level: LogLevel) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = new Hono();
  app.use(requestLog(createLogger(level, sink)));
  app.get('/v2.0/ports/:id', (c) => {
    c.header('X-Openstack-Request-Id', 'req-1');
    return c.json({});
  });
  app.get('/boom', (c) => c.json({}, 503));
  return { app, lines };
}

describe('requestLog', () => {
  test('at debug, every request is one line with method, raw path, route pattern, status, duration, request id', async () => {
    const { app, lines } = appLoggingAt('debug');
    await app.request('/v2.0/ports/abc');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 20, msg: 'http request', method: 'GET', path: '/v2.0/ports/abc', route: '/v2.0/ports/:id',
      status: 200, requestId: 'req-1' });
    expect(typeof lines[0].ms).toBe('number');
  });

  test('at info, successful requests are silent and server errors still show at warn', async () => {
    const { app, lines } = appLoggingAt('info');
    await app.request('/v2.0/ports/abc');
    await app.request('/boom');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, status: 503, route: '/boom' });
  });
});
