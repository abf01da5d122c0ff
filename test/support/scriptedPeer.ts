// A raw socket posing as a switch that speaks exactly the bytes a test scripts: for what a real switch won't do.
//
// Its frame builders are written from the spec independently of openflow/'s codec, so tests that
// use them check the connection layer against a second reading of the wire format.
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** ofp_type numbers (OpenFlow 1.3.5 section 7.1). */
export const OFPT = {
  HELLO: 0,
  ERROR: 1,
  ECHO_REQUEST: 2,
  ECHO_REPLY: 3,
  EXPERIMENTER: 4,
  FEATURES_REQUEST: 5,
  FEATURES_REPLY: 6,
  PACKET_IN: 10,
  FLOW_REMOVED: 11,
  PORT_STATUS: 12,
  FLOW_MOD: 14,
  MULTIPART_REQUEST: 18,
  MULTIPART_REPLY: 19,
  BARRIER_REQUEST: 20,
  BARRIER_REPLY: 21,
  ROLE_REQUEST: 24,
  ROLE_REPLY: 25,
} as const;

export const OFP13 = 4;
const HEADER_LEN = 8;
/** OFPHET_VERSIONBITMAP hello element (7.5.1). */
const OFPHET_VERSIONBITMAP = 1;
/** OFPMP_PORT_DESC multipart type (7.3.5.7). */
export const OFPMP_PORT_DESC = 13;
/** sizeof(struct ofp_port) (7.2.1). */
const OFP_PORT_LEN = 64;
const OFP_MAX_PORT_NAME_LEN = 16;

export interface RawFrame {
  version: number;
  type: number;
  length: number;
  xid: number;
  body: Buffer;
  bytes: Buffer;
}

/** ofp_header + body, with the length filled in (or forced, for broken frames). */
export function frame(type: number, xid: number, body: Buffer = Buffer.alloc(0), opts: { version?: number; length?: number } = {}): Buffer {
  const h = Buffer.alloc(HEADER_LEN);
  h.writeUInt8(opts.version ?? OFP13, 0);
  h.writeUInt8(type, 1);
  h.writeUInt16BE(opts.length ?? HEADER_LEN + body.length, 2);
  h.writeUInt32BE(xid >>> 0, 4);
  return Buffer.concat([h, body]);
}

/** HELLO with an optional version bitmap element (padded to 8 bytes as the spec asks). */
export function hello(xid: number, version: number, bitmapVersions?: readonly number[]): Buffer {
  if (!bitmapVersions) return frame(OFPT.HELLO, xid, Buffer.alloc(0), { version });
  let bitmap = 0;
  for (const v of bitmapVersions) bitmap |= 1 << v;
  const elem = Buffer.alloc(8);
  elem.writeUInt16BE(OFPHET_VERSIONBITMAP, 0);
  elem.writeUInt16BE(8, 2);
  elem.writeUInt32BE(bitmap >>> 0, 4);
  return frame(OFPT.HELLO, xid, elem, { version });
}

export function featuresReply(xid: number, datapathId: bigint, nTables = 254): Buffer {
  const b = Buffer.alloc(24);
  b.writeBigUInt64BE(datapathId, 0);
  b.writeUInt32BE(256, 8); // n_buffers
  b.writeUInt8(nTables, 12);
  return frame(OFPT.FEATURES_REPLY, xid, b);
}

export function errorMsg(xid: number, errType: number, errCode: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(errType, 0);
  b.writeUInt16BE(errCode, 2);
  return frame(OFPT.ERROR, xid, Buffer.concat([b, data]));
}

/** struct ofp_port with the fields tests look at. */
export function ofpPort(portNo: number, name: string, hwAddr = '02:00:00:00:00:01'): Buffer {
  const b = Buffer.alloc(OFP_PORT_LEN);
  b.writeUInt32BE(portNo, 0);
  Buffer.from(hwAddr.split(':').map((x) => Number.parseInt(x, 16))).copy(b, 8);
  b.write(name.slice(0, OFP_MAX_PORT_NAME_LEN - 1), 16, 'ascii');
  return b;
}

export function multipartReply(xid: number, mpType: number, flags: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(mpType, 0);
  h.writeUInt16BE(flags, 2);
  return frame(OFPT.MULTIPART_REPLY, xid, Buffer.concat([h, body]));
}

/** OFPT_PORT_STATUS: reason 0 add, 1 delete, 2 modify. */
export function portStatus(reason: number, port: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt8(reason, 0);
  return frame(OFPT.PORT_STATUS, 0, Buffer.concat([h, port]));
}

export function parseHeader(bytes: Buffer): RawFrame {
  return {
    version: bytes.readUInt8(0),
    type: bytes.readUInt8(1),
    length: bytes.readUInt16BE(2),
    xid: bytes.readUInt32BE(4),
    body: bytes.subarray(HEADER_LEN),
    bytes,
  };
}

export type PeerTarget = { port: number; host?: string } | { path: string };

export interface PeerTls {
  ca: string | Buffer;
  key?: string | Buffer;
  cert?: string | Buffer;
}

/** Reads one frame at a time by the header's length (no Framer from openflow/). */
export class ScriptedPeer {
  private buffered = Buffer.alloc(0);
  private readonly frames: RawFrame[] = [];
  private waiters: Array<() => void> = [];
  private ended = false;
  /** resolves when the controller hung up (FIN) or the socket closed */
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => {
      /* tests look at `closed` and at frames; a reset is just the end */
    });
    // the controller hanging up (FIN) counts as closed: this peer allows half-open sockets, so
    // 'close' alone would wait for the test to end its side too
    this.closed = new Promise((resolve) => {
      const done = (): void => {
        this.ended = true;
        this.wake();
        resolve();
      };
      socket.once('end', done);
      socket.once('close', done);
    });
  }

  static connect(target: PeerTarget): Promise<ScriptedPeer> {
    return new Promise((resolve, reject) => {
      const s = 'path' in target ? netConnect(target.path) : netConnect(target.port, target.host ?? '127.0.0.1');
      // allowHalfOpen lets a test keep reading after it half-closes its side
      s.allowHalfOpen = true;
      s.once('connect', () => resolve(new ScriptedPeer(s)));
      s.once('error', reject);
    });
  }

  /** TLS client; resolves when the TLS handshake finished (or rejects when the server refused us). */
  static connectTls(target: PeerTarget, tls: PeerTls): Promise<ScriptedPeer> {
    return new Promise((resolve, reject) => {
      const base = { ca: tls.ca, key: tls.key, cert: tls.cert, checkServerIdentity: () => undefined };
      const s = 'path' in target ? tlsConnect({ ...base, path: target.path }) : tlsConnect({ ...base, port: target.port, host: target.host ?? '127.0.0.1' });
      s.once('secureConnect', () => resolve(new ScriptedPeer(s)));
      s.once('error', reject);
    });
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next whole frame from the controller; rejects on timeout or when the stream ended first. */
  async nextFrame(timeoutMs = 5_000): Promise<RawFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = this.frames.shift();
      if (f) return f;
      if (this.ended) throw new Error('peer: stream ended while waiting for a frame');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`peer: no frame within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Skips frames until one of `type` arrives (echo requests and others in between are dropped). */
  async expect(type: number, timeoutMs = 5_000): Promise<RawFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = await this.nextFrame(Math.max(1, deadline - Date.now()));
      if (f.type === type) return f;
    }
  }

  /** Plays a well-behaved OpenFlow 1.3 switch up to FEATURES_REPLY. */
  async handshake(datapathId: bigint): Promise<void> {
    const h = await this.expect(OFPT.HELLO);
    if (h.version !== OFP13) throw new Error(`controller hello version ${h.version}`);
    this.write(hello(1, OFP13, [OFP13]));
    const fr = await this.expect(OFPT.FEATURES_REQUEST);
    this.write(featuresReply(fr.xid, datapathId));
  }

  /** Answers every ECHO_REQUEST from now on (otherwise keepalive tests own them). */
  answerEchoes(): void {
    this.socket.on('data', () => {
      for (let i = 0; i < this.frames.length; i++) {
        const f = this.frames[i];
        if (f.type !== OFPT.ECHO_REQUEST) continue;
        this.frames.splice(i--, 1);
        this.write(frame(OFPT.ECHO_REPLY, f.xid, f.body));
      }
    });
  }

  /** Whether the stream from the controller has ended (FIN or close). */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Frames received and not yet taken. */
  get queued(): number {
    return this.frames.length;
  }

  /** Stops reading: the kernel buffers fill and the controller sees backpressure. */
  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  /** Half-closes: sends FIN, keeps reading. */
  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= HEADER_LEN) {
      const len = this.buffered.readUInt16BE(2);
      if (len < HEADER_LEN || this.buffered.length < len) break;
      this.frames.push(parseHeader(Buffer.from(this.buffered.subarray(0, len))));
      this.buffered = this.buffered.subarray(len);
    }
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}
