// Neutron's body size limit over a real HTTP server: by Content-Length without reading, and by counting chunked bodies.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BODY_BYTES } from '../../src/api/createApp.ts';
import { startHarness, type Harness } from '../support/apiClient.ts';

let harness: Harness;
let server: ServerType;
let port: number;

beforeAll(async () => {
  harness = await startHarness();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: harness.client.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await harness.cleanup();
});

/** POSTs a network body, with Content-Length or chunked (written in two pieces); resolves status and error type. */
function postNetwork(name: string, chunked: boolean): Promise<{ status: number; type?: string }> {
  const data = JSON.stringify({ network: { name } });
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = Buffer.byteLength(data);
    const req = request({ host: '127.0.0.1', port, path: '/v2.0/networks', method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: (JSON.parse(body) as { NeutronError?: { type: string } }).NeutronError?.type }));
    });
    // the server may answer 413 and close before the whole body is written
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    const half = Math.floor(data.length / 2);
    req.write(data.slice(0, half));
    req.end(data.slice(half));
  });
}

describe('request body limit over HTTP', () => {
  it('accepts bodies under the limit, with Content-Length and chunked', async () => {
    expect((await postNetwork('small', false)).status).toBe(201);
    expect((await postNetwork('small-chunked', true)).status).toBe(201);
  });

  it('refuses bodies over the limit with 413 RequestEntityTooLarge, with Content-Length and chunked', async () => {
    const before = (await harness.events()).length;
    const big = 'x'.repeat(MAX_REQUEST_BODY_BYTES);
    expect(await postNetwork(big, false)).toEqual({ status: 413, type: 'RequestEntityTooLarge' });
    expect(await postNetwork(big, true)).toEqual({ status: 413, type: 'RequestEntityTooLarge' });
    expect((await harness.events()).length).toBe(before);
  });
});
