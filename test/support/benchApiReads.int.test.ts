// The benches' GETs of esdn's API (bench/support/apiReads.ts): sent again once when the server closed the socket under them, never for anything else.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it, vi } from 'vitest';
import { getText } from '../../bench/support/apiReads.ts';

let server: Server | undefined;

/** A loopback HTTP server whose handler sees the request's number (1, 2, ...). */
async function serve(handler: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; requests: () => number }> {
  let n = 0;
  server = createServer((req, res) => handler(++n, req, res));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, requests: () => n };
}

afterEach(async () => {
  vi.restoreAllMocks();
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((resolve) => s.close(resolve));
});

/** What esdn's keep-alive timer does to a request that arrived while it was blocked: the socket goes, unanswered. */
const dropSocket = (req: IncomingMessage) => req.socket.destroy();

it('sends a GET again when the server closed its socket, and says so on stderr', async () => {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const s = await serve((n, req, res) => (n === 1 ? dropSocket(req) : res.end('esdn_up 1\n')));
  expect(await getText(s.url)).toBe('esdn_up 1\n');
  expect(s.requests()).toBe(2);
  expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/GET \/metrics: esdn closed the kept-alive socket \(\w+\), sent again/);
});

it('gives up when the socket is closed again: the error is the fetch failure itself', async () => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const s = await serve((_n, req) => dropSocket(req));
  await expect(getText(s.url)).rejects.toThrow('fetch failed');
  expect(s.requests()).toBe(2);
});

it('does not resend on an HTTP error status', async () => {
  const s = await serve((_n, _req, res) => {
    res.statusCode = 500;
    res.end('boom');
  });
  await expect(getText(s.url)).rejects.toThrow('GET http://127.0.0.1');
  expect(s.requests()).toBe(1);
});

it('does not resend when nothing listens (esdn gone)', async () => {
  const s = await serve((_n, _req, res) => res.end());
  const url = s.url;
  await new Promise((resolve) => server!.close(resolve));
  server = undefined;
  const stderr = vi.spyOn(process.stderr, 'write');
  await expect(getText(url)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  expect(stderr).not.toHaveBeenCalled();
});
