// The connection layer against scripted peers on real loopback sockets: handshake, bad input, keepalive, correlation, closing.
import { afterEach, describe, expect, it } from 'vitest';
import type { SwitchConnection } from '../../../openflow/connection.ts';
import { createOpenFlowServer, type ConnectionFailure, type OpenFlowServer, type OpenFlowServerOptions } from '../../../openflow/server.ts';
import { ConnectionClosedError, HandshakeError, OpenFlowRequestError } from '../../../openflow/transport/errors.ts';
import {
  errorMsg,
  featuresReply,
  frame,
  hello,
  multipartReply,
  OFP13,
  OFPMP_PORT_DESC,
  OFPT,
  ofpPort,
  portStatus,
  ScriptedPeer,
} from '../../support/scriptedPeer.ts';
import { until } from '../../support/ovsExec.ts';

const DPID = 0x00000000000000a1n;
/** OFPET_BAD_REQUEST and codes (spec 7.4.4.2). */
const OFPET_BAD_REQUEST = 1;
const OFPBRC_BAD_VERSION = 0;
const OFPBRC_BAD_TYPE = 1;
const OFPBRC_BAD_LEN = 6;
/** OFPET_ROLE_REQUEST_FAILED / OFPRRFC_STALE (7.4.4.13). */
const OFPET_ROLE_REQUEST_FAILED = 11;
const OFPRRFC_STALE = 0;

interface Bed {
  server: OpenFlowServer;
  port: number;
  switches: SwitchConnection[];
  failures: ConnectionFailure[];
  nextSwitch(): Promise<SwitchConnection>;
}

const beds: Bed[] = [];
const peers: ScriptedPeer[] = [];

async function startServer(opts: Partial<OpenFlowServerOptions> = {}): Promise<Bed> {
  const server = createOpenFlowServer({ listen: [{ tcp: { host: '127.0.0.1', port: 0 } }], echoIntervalMs: 0, ...opts });
  const [addr] = await server.listen();
  if (addr.kind !== 'tcp') throw new Error('expected a tcp listener');
  const switches: SwitchConnection[] = [];
  const failures: ConnectionFailure[] = [];
  let waiting: ((sw: SwitchConnection) => void)[] = [];
  server.on('switch', (sw) => {
    switches.push(sw);
    const w = waiting;
    waiting = [];
    for (const fn of w) fn(sw);
  });
  server.on('connection_failed', (f) => failures.push(f));
  const bed: Bed = {
    server, port: addr.port, switches, failures,
    nextSwitch: () => new Promise((resolve) => waiting.push(resolve)),
  };
  beds.push(bed);
  return bed;
}

async function peer(bed: Bed): Promise<ScriptedPeer> {
  const p = await ScriptedPeer.connect({ port: bed.port });
  peers.push(p);
  return p;
}

/** A peer that finished the handshake, and the connection the server announced for it. */
async function connected(bed: Bed, dpid = DPID): Promise<{ p: ScriptedPeer; sw: SwitchConnection }> {
  const p = await peer(bed);
  const announced = bed.nextSwitch();
  await p.handshake(dpid);
  return { p, sw: await announced };
}

afterEach(async () => {
  for (const p of peers.splice(0)) p.destroy();
  for (const b of beds.splice(0)) await b.server.close();
});

describe('handshake', () => {
  it('sends HELLO with a 1.3 bitmap, asks FEATURES, and announces the switch with its datapath id', async () => {
    const bed = await startServer();
    const p = await peer(bed);
    const h = await p.expect(OFPT.HELLO);
    expect(h.version).toBe(OFP13);
    // one OFPHET_VERSIONBITMAP element whose bitmap has only bit 4 set
    expect(h.body.readUInt16BE(0)).toBe(1);
    expect(h.body.readUInt32BE(4)).toBe(1 << OFP13);
    const announced = bed.nextSwitch();
    p.write(hello(1, OFP13, [1, 4]));
    const fr = await p.expect(OFPT.FEATURES_REQUEST);
    expect(bed.switches).toHaveLength(0);
    p.write(featuresReply(fr.xid, DPID, 254));
    const sw = await announced;
    expect(sw.datapathId).toBe(DPID);
    expect(sw.features.nTables).toBe(254);
    expect(sw.state).toBe('ready');
  });

  it('refuses an OpenFlow 1.0 peer with HELLO_FAILED/INCOMPATIBLE in its version, closes it, and keeps serving', async () => {
    const bed = await startServer();
    const old = await peer(bed);
    await old.expect(OFPT.HELLO);
    old.write(hello(7, 1));
    const err = await old.expect(OFPT.ERROR);
    expect(err.version).toBe(1);
    expect(err.body.readUInt16BE(0)).toBe(0); // OFPET_HELLO_FAILED
    expect(err.body.readUInt16BE(2)).toBe(0); // OFPHFC_INCOMPATIBLE
    expect(err.body.subarray(4).toString('ascii')).toMatch(/version 1/);
    await old.closed;
    await until('connection_failed', () => bed.failures.length === 1);
    expect(bed.failures[0].error).toBeInstanceOf(HandshakeError);
    const { sw } = await connected(bed);
    expect(sw.datapathId).toBe(DPID);
  });

  it('refuses a bitmap without 1.3 even from a newer peer', async () => {
    const bed = await startServer();
    const p = await peer(bed);
    await p.expect(OFPT.HELLO);
    p.write(hello(1, 6, [5, 6]));
    const err = await p.expect(OFPT.ERROR);
    expect([err.body.readUInt16BE(0), err.body.readUInt16BE(2)]).toEqual([0, 0]);
    await p.closed;
    expect(bed.switches).toHaveLength(0);
  });

  it('drops a peer whose first message is not HELLO', async () => {
    const bed = await startServer();
    const p = await peer(bed);
    await p.expect(OFPT.HELLO);
    p.write(featuresReply(1, DPID));
    expect((await p.expect(OFPT.ERROR)).body.readUInt16BE(0)).toBe(0);
    await p.closed;
  });

  it('drops a peer that never finishes the handshake (e.g. an HTTP client) after the handshake timeout', async () => {
    const bed = await startServer({ handshakeTimeoutMs: 300 });
    const p = await peer(bed);
    // reads as version 0x47, length 0x5420: the framer waits for 21536 bytes that never come
    p.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await p.closed;
    await until('failure', () => bed.failures.length === 1);
    expect(bed.failures[0].error.message).toMatch(/within 300 ms/);
  });
});

describe('framing over a byte stream', () => {
  it('completes the handshake from frames dribbled one byte per write', async () => {
    const bed = await startServer();
    const p = await peer(bed);
    await p.expect(OFPT.HELLO);
    const announced = bed.nextSwitch();
    const dribble = async (bytes: Buffer): Promise<void> => {
      for (const b of bytes) {
        p.write(Buffer.from([b]));
        await new Promise((r) => setImmediate(r));
      }
    };
    await dribble(hello(1, OFP13, [OFP13]));
    const fr = await p.expect(OFPT.FEATURES_REQUEST);
    await dribble(featuresReply(fr.xid, DPID));
    expect((await announced).datapathId).toBe(DPID);
  });

  it('takes several frames coalesced into one write, split across a frame boundary', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const result = sw.multipart({ kind: 'port_desc' });
    const rq = await p.expect(OFPT.MULTIPART_REQUEST);
    const all = Buffer.concat([
      multipartReply(rq.xid, OFPMP_PORT_DESC, 1, ofpPort(1, 'a')),
      portStatus(0, ofpPort(9, 'z')),
      multipartReply(rq.xid, OFPMP_PORT_DESC, 0, ofpPort(2, 'b')),
    ]);
    const statuses: string[] = [];
    sw.on('port_status', (m) => statuses.push(m.desc.name));
    // one write ending inside the second frame's header, then the rest
    const cut = all.length - 80 - 76; // the last two frames are 80 bytes each
    p.write(all.subarray(0, cut));
    await new Promise((r) => setTimeout(r, 20));
    p.write(all.subarray(cut));
    const body = await result;
    expect(body.kind === 'port_desc' && body.ports.map((x) => x.name)).toEqual(['a', 'b']);
    expect(statuses).toEqual(['z']);
  });
});

describe('bad input after the handshake', () => {
  it('answers an unknown message type with BAD_REQUEST/BAD_TYPE and stays usable', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const protocolErrors: string[] = [];
    sw.on('protocol_error', (e) => protocolErrors.push(e.code));
    p.write(frame(200, 0x1234, Buffer.from([1, 2, 3, 4])));
    const err = await p.expect(OFPT.ERROR);
    expect(err.xid).toBe(0x1234);
    expect([err.body.readUInt16BE(0), err.body.readUInt16BE(2)]).toEqual([OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE]);
    // the data echoes the offending frame
    expect(err.body.subarray(4, 8).readUInt8(1)).toBe(200);
    expect(protocolErrors).toEqual(['unknown_type']);
    const barrier = sw.barrier();
    const br = await p.expect(OFPT.BARRIER_REQUEST);
    p.write(frame(OFPT.BARRIER_REPLY, br.xid));
    await barrier;
  });

  it('answers a frame in another version with BAD_VERSION', async () => {
    const bed = await startServer();
    const { p } = await connected(bed);
    p.write(frame(OFPT.BARRIER_REQUEST, 55, Buffer.alloc(0), { version: 1 }));
    const err = await p.expect(OFPT.ERROR);
    expect([err.xid, err.body.readUInt16BE(0), err.body.readUInt16BE(2)]).toEqual([55, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION]);
  });

  it('answers a truncated known message with BAD_LEN', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const ports: unknown[] = [];
    sw.on('port_status', (m) => ports.push(m));
    // PORT_STATUS needs 80 bytes; this one has 12
    p.write(frame(OFPT.PORT_STATUS, 9, Buffer.alloc(4)));
    const err = await p.expect(OFPT.ERROR);
    expect([err.xid, err.body.readUInt16BE(0), err.body.readUInt16BE(2)]).toEqual([9, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN]);
    expect(ports).toEqual([]);
  });

  it('closes a connection whose length field is absurd (framing lost) and keeps serving others', async () => {
    const bed = await startServer();
    const { p: bad, sw: badSw } = await connected(bed, 1n);
    const { p: good, sw: goodSw } = await connected(bed, 2n);
    bad.write(frame(OFPT.ECHO_REQUEST, 1, Buffer.alloc(0), { length: 3 }));
    const err = await bad.expect(OFPT.ERROR);
    expect(err.body.readUInt16BE(2)).toBe(OFPBRC_BAD_LEN);
    await bad.closed;
    expect((await badSw.whenClosed()).reason).toBe('protocol_error');
    const barrier = goodSw.barrier();
    const br = await good.expect(OFPT.BARRIER_REQUEST);
    good.write(frame(OFPT.BARRIER_REPLY, br.xid));
    await barrier;
    expect(bed.server.switches).toEqual([goodSw]);
  });

  it('survives 200 random byte blobs from 20 peers without an uncaught exception', async () => {
    const bed = await startServer({ handshakeTimeoutMs: 500 });
    let seed = 42;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 20; i++) {
      const { p } = await connected(bed, BigInt(i + 1));
      for (let j = 0; j < 10; j++) {
        const blob = Buffer.alloc(rand() % 96);
        for (let k = 0; k < blob.length; k++) blob[k] = rand() & 0xff;
        // keep version 4 half the time so the decoder (not only the version check) sees garbage
        if (blob.length > 0 && j % 2 === 0) blob[0] = OFP13;
        p.write(blob);
      }
    }
    const { sw } = await connected(bed, 999n);
    expect(sw.datapathId).toBe(999n);
  });
});

describe('echo and keepalive', () => {
  it('answers the switch echo request with the same xid and data', async () => {
    const bed = await startServer();
    const { p } = await connected(bed);
    p.write(frame(OFPT.ECHO_REQUEST, 77, Buffer.from('abc')));
    const r = await p.expect(OFPT.ECHO_REPLY);
    expect(r.xid).toBe(77);
    expect(r.body.toString()).toBe('abc');
  });

  it('echoes an idle switch, keeps it while it answers, drops it when it falls silent', async () => {
    const bed = await startServer({ echoIntervalMs: 100, echoTimeoutMs: 200 });
    const { p, sw } = await connected(bed);
    for (let i = 0; i < 3; i++) {
      const e = await p.expect(OFPT.ECHO_REQUEST, 2_000);
      p.write(frame(OFPT.ECHO_REPLY, e.xid, e.body));
    }
    expect(sw.state).toBe('ready');
    const info = await sw.whenClosed();
    expect(info.reason).toBe('echo_timeout');
    await p.closed;
    expect(bed.server.switches).toEqual([]);
  });

  it('keeps a switch that is silent while it still owes a reply within its timeout (its echo waits behind the work)', async () => {
    const bed = await startServer({ echoIntervalMs: 100, echoTimeoutMs: 200, requestTimeoutMs: 5_000 });
    const { p, sw } = await connected(bed);
    const barrier = sw.barrier();
    const rq = await p.expect(OFPT.BARRIER_REQUEST);
    await p.expect(OFPT.ECHO_REQUEST, 2_000);
    // five echo timeouts of silence: a switch working through a slice of flow_mods
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(sw.state).toBe('ready');
    p.write(frame(OFPT.BARRIER_REPLY, rq.xid, Buffer.alloc(0)));
    await expect(barrier).resolves.toBeUndefined();
    expect(sw.state).toBe('ready');
  });

  it('drops a switch that stays silent past the request timeout while it owes a reply', async () => {
    const bed = await startServer({ echoIntervalMs: 100, echoTimeoutMs: 200, requestTimeoutMs: 600 });
    const { p, sw } = await connected(bed);
    const started = Date.now();
    const pending = sw.barrier().catch((e: unknown) => e);
    const info = await sw.whenClosed();
    expect(info.reason).toBe('echo_timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(await pending).toBeInstanceOf(Error);
    await p.closed;
  });
});

describe('requests and events', () => {
  it('correlates replies by xid even out of order, and routes an ERROR to the request it names', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const master = sw.setRole('master', 5n);
    const rq1 = await p.expect(OFPT.ROLE_REQUEST);
    const stale = sw.setRole('slave', 1n);
    const rq2 = await p.expect(OFPT.ROLE_REQUEST);
    expect(rq1.xid).not.toBe(rq2.xid);
    const staleResult = stale.catch((e: unknown) => e);
    p.write(errorMsg(rq2.xid, OFPET_ROLE_REQUEST_FAILED, OFPRRFC_STALE, rq2.bytes));
    const roleReply = Buffer.alloc(16);
    roleReply.writeUInt32BE(2, 0); // OFPCR_ROLE_MASTER
    roleReply.writeBigUInt64BE(5n, 8);
    p.write(frame(OFPT.ROLE_REPLY, rq1.xid, roleReply));
    await expect(master).resolves.toMatchObject({ type: 'role_reply', role: 'master', generationId: 5n });
    const e = await staleResult;
    expect(e).toBeInstanceOf(OpenFlowRequestError);
    expect(e).toMatchObject({ requestType: 'role_request', xid: rq2.xid, errType: OFPET_ROLE_REQUEST_FAILED, errCode: OFPRRFC_STALE });
  });

  it('keeps a caller-chosen xid unless a pending request already uses it', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const first = sw.request({ type: 'barrier_request', xid: 500 });
    const second = sw.request({ type: 'barrier_request', xid: 500 });
    const a = await p.expect(OFPT.BARRIER_REQUEST);
    const b = await p.expect(OFPT.BARRIER_REQUEST);
    expect(a.xid).toBe(500);
    expect(b.xid).not.toBe(500);
    p.write(frame(OFPT.BARRIER_REPLY, b.xid));
    p.write(frame(OFPT.BARRIER_REPLY, a.xid));
    await expect(first).resolves.toEqual({ type: 'barrier_reply', xid: 500 });
    await expect(second).resolves.toEqual({ type: 'barrier_reply', xid: b.xid });
  });

  it('reassembles a multipart reply sent in three parts', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const result = sw.multipart({ kind: 'port_desc' });
    const rq = await p.expect(OFPT.MULTIPART_REQUEST);
    expect(rq.body.readUInt16BE(0)).toBe(OFPMP_PORT_DESC);
    const more = 1;
    p.write(multipartReply(rq.xid, OFPMP_PORT_DESC, more, Buffer.concat([ofpPort(1, 'tap1'), ofpPort(2, 'tap2')])));
    p.write(multipartReply(rq.xid, OFPMP_PORT_DESC, more, ofpPort(3, 'tap3')));
    p.write(multipartReply(rq.xid, OFPMP_PORT_DESC, 0, ofpPort(0xfffffffe, 'br-int')));
    const body = await result;
    expect(body.kind).toBe('port_desc');
    if (body.kind === 'port_desc') expect(body.ports.map((x) => [x.portNo, x.name])).toEqual([[1, 'tap1'], [2, 'tap2'], [3, 'tap3'], [0xfffffffe, 'br-int']]);
  });

  it('emits PORT_STATUS and unsolicited ERRORs as events, and survives a throwing listener', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const seen: string[] = [];
    sw.on('port_status', () => {
      throw new Error('listener bug');
    });
    sw.on('port_status', (m) => seen.push(`${m.reason}:${m.desc.name}`));
    sw.on('error_message', (m) => seen.push(`error:${m.xid}:${m.errType}`));
    p.write(portStatus(0, ofpPort(7, 'tap7')));
    p.write(errorMsg(4242, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE));
    p.write(portStatus(1, ofpPort(7, 'tap7')));
    await until('events', () => seen.length === 3);
    // the throwing listener does not keep the next listener of the same event from running
    expect(seen).toEqual(['add:tap7', 'error:4242:1', 'delete:tap7']);
    expect(sw.state).toBe('ready');
  });

  it('rejects pending requests when the peer disconnects mid-request', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const closes: string[] = [];
    sw.on('close', (i) => closes.push(i.reason));
    const pending = sw.multipart({ kind: 'port_desc' }).catch((e: unknown) => e);
    const rq = await p.expect(OFPT.MULTIPART_REQUEST);
    p.write(multipartReply(rq.xid, OFPMP_PORT_DESC, 1, ofpPort(1, 'tap1')));
    await new Promise((r) => setTimeout(r, 20));
    p.destroy();
    expect(await pending).toBeInstanceOf(ConnectionClosedError);
    await sw.whenClosed();
    expect(closes).toHaveLength(1);
    await expect(sw.barrier()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('closes when the peer half-closes (sends FIN but keeps its socket open)', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const pending = sw.barrier().catch((e: unknown) => e);
    await p.expect(OFPT.BARRIER_REQUEST);
    p.end();
    const err = await pending;
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect((err as ConnectionClosedError).reason).toBe('peer_closed');
    // our FIN reaches the peer, so its half of the socket ends too
    await until('peer sees our FIN', () => p.isEnded);
  });

  it('abort() resets the socket: pending requests reject with reason local, and the peer gets ECONNRESET, not a FIN', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const peerErrors: string[] = [];
    p.socket.on('error', (e: NodeJS.ErrnoException) => peerErrors.push(e.code ?? e.message));
    const pending = sw.barrier().catch((e: unknown) => e);
    await p.expect(OFPT.BARRIER_REQUEST);
    await sw.abort();
    const err = await pending;
    expect((err as ConnectionClosedError).reason).toBe('local');
    await p.closed;
    expect(peerErrors).toEqual(['ECONNRESET']);
  });

  it('server.close() closes switches: pending requests reject with reason local', async () => {
    const bed = await startServer();
    const { p, sw } = await connected(bed);
    const pending = sw.barrier().catch((e: unknown) => e);
    await p.expect(OFPT.BARRIER_REQUEST);
    await bed.server.close();
    const err = await pending;
    expect((err as ConnectionClosedError).reason).toBe('local');
    await p.closed;
  });
});
