// The benches' reads of esdn's HTTP API (GET): sent once more when the kept-alive socket they went out on was closed under them.
//
// esdn's HTTP server closes a kept-alive socket once it has been idle for its keep-alive timeout
// (Node's default, 5 s). When esdn's event loop is blocked that long (a heap snapshot, a 65k-flow
// report, a long fold on a loaded machine), the timer fires as soon as it unblocks: a GET the bench
// sent meanwhile on that socket, still unread, dies with it (`fetch failed`, caused by a socket error).
// Nothing of it was processed, and a GET changes nothing anyway: it is sent again on a new connection.
// Every other failure is real and goes up as it came: esdn gone (ECONNREFUSED), an HTTP error status,
// a socket that fails again, a POST (never resent: it may have been applied).
import type { E2eBed } from '../../test/e2e/harness.ts';

/** Socket errors of a request whose connection the server closed or reset (undici and Node codes). */
const CLOSED_UNDER_US = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE']);

/** Times a GET is sent in all (the second on a fresh connection). */
const GET_ATTEMPTS = 2;

/** Whether `error` is fetch's failure on a connection closed or reset by the server. */
export function closedUnderUs(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && CLOSED_UNDER_US.has(code);
}

/** Runs a read, sending it once more when its socket was closed under it; says so on stderr, so a retry is never silent. */
export async function resendOnClosedSocket<T>(what: string, read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (!closedUnderUs(error) || attempt >= GET_ATTEMPTS) throw error;
      const code = String(((error as TypeError).cause as { code: string }).code);
      process.stderr.write(`bench: ${what}: esdn closed the kept-alive socket (${code}), sent again\n`);
    }
  }
}

/** The body of GET `url` as text; an HTTP error status throws with it. */
export function getText(url: string): Promise<string> {
  return resendOnClosedSocket(`GET ${new URL(url).pathname}`, async () => {
    const res = await fetch(url);
    const text = await res.text();
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text}`);
    return text;
  });
}

/** Makes every GET of `bed.api` (and so portStatus, desiredFlows, the ACTIVE polls) resend on a closed socket; other methods are untouched. */
export function resendGets(bed: E2eBed): E2eBed {
  const api = bed.api.bind(bed);
  bed.api = (<T>(method: string, path: string, body?: unknown): Promise<T> =>
    (method === 'GET' ? resendOnClosedSocket(`GET ${path.split('?')[0]}`, () => api<T>(method, path, body)) : api<T>(method, path, body))) as E2eBed['api'];
  return bed;
}
