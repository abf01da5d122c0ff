// Listeners and writes against scripted peers: unix-domain and TLS listeners, client-certificate checks, write backpressure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchConnection } from '../../../openflow/connection.ts';
import { createOpenFlowServer, type ConnectionFailure, type OpenFlowServer, type OpenFlowServerOptions } from '../../../openflow/server.ts';
import { ConnectionClosedError, WriteQueueFullError } from '../../../openflow/transport/errors.ts';
import { OFPT, ScriptedPeer, type PeerTarget, type PeerTls } from '../../support/scriptedPeer.ts';
import { makeCerts, type CertSet } from './certs.ts';
import { until } from '../../support/ovsExec.ts';

const DPID = 0xbeefn;
/** Payload of each echo request in the backpressure tests: big enough to fill buffers quickly. */
const PAYLOAD_BYTES = 4096;
/** Node's default socket high-water mark is 16 KiB (64 KiB from Node 22): allow the larger. */
const SOCKET_HWM_CEILING = 64 * 1024;

let tmp: string;
let certs: CertSet;
const servers: OpenFlowServer[] = [];
const peers: ScriptedPeer[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'esdn-of-'));
  certs = await makeCerts();
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(certs.dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  for (const s of servers.splice(0)) await s.close();
});

async function serve(opts: OpenFlowServerOptions): Promise<{ server: OpenFlowServer; failures: ConnectionFailure[]; next: () => Promise<SwitchConnection> }> {
  const server = createOpenFlowServer({ echoIntervalMs: 0, ...opts });
  servers.push(server);
  await server.listen();
  const failures: ConnectionFailure[] = [];
  server.on('connection_failed', (f) => failures.push(f));
  return { server, failures, next: () => new Promise((resolve) => server.once('switch', resolve)) };
}

async function handshaken(target: PeerTarget, next: () => Promise<SwitchConnection>, tls?: PeerTls): Promise<{ p: ScriptedPeer; sw: SwitchConnection }> {
  const p = tls ? await ScriptedPeer.connectTls(target, tls) : await ScriptedPeer.connect(target);
  peers.push(p);
  const announced = next();
  await p.handshake(DPID);
  return { p, sw: await announced };
}

/** Resolves when a TLS client is refused: the connect fails, or the socket closes before any OpenFlow byte. */
async function refused(target: PeerTarget, tls: PeerTls): Promise<boolean> {
  let p: ScriptedPeer;
  try {
    p = await ScriptedPeer.connectTls(target, tls);
  } catch {
    return true;
  }
  peers.push(p);
  try {
    await p.nextFrame(3_000);
    return false;
  } catch {
    return p.isEnded;
  }
}

describe('unix-domain listener', () => {
  it('accepts a switch on a socket path and refuses to steal a path another server listens on', async () => {
    const path = join(tmp, 'of.sock');
    const { server, next } = await serve({ listen: [{ unix: path }] });
    expect(server.addresses).toEqual([{ kind: 'unix', path }]);
    const { sw } = await handshaken({ path }, next);
    expect(sw.datapathId).toBe(DPID);
    expect(sw.remote).toBe('unix');
    const second = createOpenFlowServer({ listen: [{ unix: path }] });
    await expect(second.listen()).rejects.toThrow(/EADDRINUSE/);
    // the first server still serves
    const { sw: again } = await handshaken({ path }, next);
    expect(again.state).toBe('ready');
  });
});

describe('TLS listener with client certificates', () => {
  const tlsSpec = () => ({ key: certs.pem('serverKey'), cert: certs.pem('serverCert'), ca: certs.pem('caCert') });

  it('accepts a switch whose certificate the CA signed, over TCP and over a unix path', async () => {
    const path = join(tmp, 'tls.sock');
    const { server, next } = await serve({ listen: [{ tls: { ...tlsSpec(), host: '127.0.0.1', port: 0 } }, { tls: { ...tlsSpec(), path } }] });
    const [tcp, unix] = server.addresses;
    expect(unix).toEqual({ kind: 'tls-unix', path });
    if (tcp.kind !== 'tls') throw new Error('expected tls');
    const client = { ca: certs.pem('caCert'), key: certs.pem('switchKey'), cert: certs.pem('switchCert') };
    const a = await handshaken({ port: tcp.port }, next, client);
    expect(a.sw.datapathId).toBe(DPID);
    const b = await handshaken({ path }, next, client);
    expect(b.sw.state).toBe('ready');
  });

  it('refuses a client without a certificate and one signed by another CA, and keeps serving', async () => {
    const { server, failures, next } = await serve({ listen: [{ tls: { ...tlsSpec(), host: '127.0.0.1', port: 0 } }] });
    const [addr] = server.addresses;
    if (addr.kind !== 'tls') throw new Error('expected tls');
    const target = { port: addr.port };
    expect(await refused(target, { ca: certs.pem('caCert') })).toBe(true);
    await until('first failure', () => failures.length === 1);
    expect(failures[0].error.message).toMatch(/peer did not return a certificate/);
    expect(await refused(target, { ca: certs.pem('caCert'), key: certs.pem('rogueKey'), cert: certs.pem('rogueCert') })).toBe(true);
    await until('second failure', () => failures.length === 2);
    expect(failures[1].error.message).toMatch(/client certificate refused: UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    expect(server.switches).toEqual([]);
    const ok = await handshaken(target, next, { ca: certs.pem('caCert'), key: certs.pem('switchKey'), cert: certs.pem('switchCert') });
    expect(ok.sw.state).toBe('ready');
  });
});

describe('write backpressure', () => {
  it('holds a sender that awaits send() while the peer does not read, with bounded buffers, then delivers everything in order', async () => {
    const { server, next } = await serve({ listen: [{ tcp: { host: '127.0.0.1', port: 0 } }] });
    const [addr] = server.addresses;
    if (addr.kind !== 'tcp') throw new Error('expected tcp');
    const { p, sw } = await handshaken({ port: addr.port }, next);
    p.pauseReading();
    const payload = Buffer.alloc(PAYLOAD_BYTES, 7);
    const total = 20_000; // 80 MB: far more than loopback socket buffers hold
    let sent = 0;
    let maxBuffered = 0;
    const sender = (async () => {
      for (let i = 0; i < total; i++) {
        await sw.send({ type: 'echo_request', data: payload });
        sent++;
        maxBuffered = Math.max(maxBuffered, sw.bufferedBytes);
      }
    })();
    // wait until the sender stalls: no progress for a while
    let last = -1;
    while (sent !== last) {
      last = sent;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(sent).toBeLessThan(total);
    expect(sw.queuedFrames).toBeLessThanOrEqual(1);
    // the socket's high-water mark plus one frame, never the whole backlog
    const frameBytes = 8 + PAYLOAD_BYTES;
    expect(maxBuffered).toBeLessThanOrEqual(SOCKET_HWM_CEILING + 2 * frameBytes);
    p.resumeReading();
    await sender;
    let expectedXid = -1;
    for (let i = 0; i < total; i++) {
      const f = await p.nextFrame();
      expect(f.type).toBe(OFPT.ECHO_REQUEST);
      if (expectedXid >= 0) expect(f.xid).toBe(expectedXid);
      expectedXid = f.xid + 1;
    }
  }, 60_000);

  it('rejects sends beyond maxQueuedBytes from a caller that does not await, and rejects queued sends on close', async () => {
    const maxQueuedBytes = 64 * 1024;
    const { server, next } = await serve({ listen: [{ tcp: { host: '127.0.0.1', port: 0 } }], maxQueuedBytes });
    const [addr] = server.addresses;
    if (addr.kind !== 'tcp') throw new Error('expected tcp');
    const { p, sw } = await handshaken({ port: addr.port }, next);
    p.pauseReading();
    const payload = Buffer.alloc(PAYLOAD_BYTES);
    const results = await (async () => {
      const all: Promise<unknown>[] = [];
      for (let i = 0; i < 10_000; i++) all.push(sw.send({ type: 'echo_request', data: payload }).then(() => 'ok', (e: unknown) => e));
      // while these are in flight, the queue must stay under its ceiling
      // our queue under its ceiling, the socket at most one frame past its high-water mark
      expect(sw.queuedFrames * (8 + PAYLOAD_BYTES)).toBeLessThanOrEqual(maxQueuedBytes);
      expect(sw.bufferedBytes).toBeLessThanOrEqual(maxQueuedBytes + SOCKET_HWM_CEILING + 8 + PAYLOAD_BYTES);
      setTimeout(() => void sw.close(), 200);
      return Promise.all(all);
    })();
    const full = results.filter((r) => r instanceof WriteQueueFullError).length;
    const closed = results.filter((r) => r instanceof ConnectionClosedError).length;
    const ok = results.filter((r) => r === 'ok').length;
    expect(full).toBeGreaterThan(0);
    expect(closed).toBeGreaterThan(0);
    expect(ok + full + closed).toBe(10_000);
  });
});
