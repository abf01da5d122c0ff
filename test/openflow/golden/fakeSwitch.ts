// A minimal OpenFlow 1.3 switch on a unix socket that answers what ovs-ofctl waits for and records every frame it receives.
// It parses only headers, on purpose: golden vectors must not depend on the codec they test.
import { createServer, type Server, type Socket } from 'node:net';

/** OpenFlow 1.3 wire version (spec 7.1). */
const OFP13 = 4;
const HEADER_LEN = 8;
/** ofp_type numbers (spec 7.1). */
export const OFPT = {
  HELLO: 0, ERROR: 1, ECHO_REQUEST: 2, ECHO_REPLY: 3, EXPERIMENTER: 4, FEATURES_REQUEST: 5, FEATURES_REPLY: 6,
  GET_CONFIG_REQUEST: 7, GET_CONFIG_REPLY: 8, SET_CONFIG: 9, PACKET_IN: 10, FLOW_REMOVED: 11, PORT_STATUS: 12,
  PACKET_OUT: 13, FLOW_MOD: 14, GROUP_MOD: 15, PORT_MOD: 16, TABLE_MOD: 17, MULTIPART_REQUEST: 18,
  MULTIPART_REPLY: 19, BARRIER_REQUEST: 20, BARRIER_REPLY: 21, ROLE_REQUEST: 24, ROLE_REPLY: 25, METER_MOD: 29,
} as const;
/** ONF bundle extension in OpenFlow 1.3 (ONF TR-538): experimenter message 2300 = bundle control. */
const ONF_EXPERIMENTER = 0x4f4e4600;
const ONFT_BUNDLE_CONTROL = 2300;
const BUNDLE_TYPE_OFFSET = 20;
/** Datapath id the fake switch reports. */
const FAKE_DPID = 0x00000000000000f1n;
/** Hello element OFPHET_VERSIONBITMAP with only bit 4 (OpenFlow 1.3) set. */
const HELLO_BITMAP_ELEMENT = Buffer.from('0001000800000010', 'hex');

function header(type: number, length: number, xid: number): Buffer {
  const b = Buffer.alloc(length);
  b.writeUInt8(OFP13, 0);
  b.writeUInt8(type, 1);
  b.writeUInt16BE(length, 2);
  b.writeUInt32BE(xid, 4);
  return b;
}

/** The answer the fake switch gives to one request, or undefined when none is due. */
function answer(frame: Buffer): Buffer | undefined {
  const type = frame[1];
  const xid = frame.readUInt32BE(4);
  switch (type) {
    case OFPT.ECHO_REQUEST: {
      const r = Buffer.concat([header(OFPT.ECHO_REPLY, HEADER_LEN, xid), frame.subarray(HEADER_LEN)]);
      r.writeUInt16BE(r.length, 2);
      return r;
    }
    case OFPT.FEATURES_REQUEST: {
      const r = header(OFPT.FEATURES_REPLY, 32, xid);
      r.writeBigUInt64BE(FAKE_DPID, 8);
      r.writeUInt32BE(0, 16); // n_buffers
      r.writeUInt8(254, 20); // n_tables
      return r;
    }
    case OFPT.GET_CONFIG_REQUEST: {
      const r = header(OFPT.GET_CONFIG_REPLY, 12, xid);
      r.writeUInt16BE(0xffff, 10);
      return r;
    }
    case OFPT.EXPERIMENTER: {
      if (frame.length < 24 || frame.readUInt32BE(8) !== ONF_EXPERIMENTER || frame.readUInt32BE(12) !== ONFT_BUNDLE_CONTROL) return undefined;
      // every bundle request type (open 0, close 2, commit 4, discard 6) succeeds with its reply (type + 1)
      const r = Buffer.from(frame.subarray(0, 24));
      r.writeUInt16BE(24, 2);
      r.writeUInt16BE(frame.readUInt16BE(BUNDLE_TYPE_OFFSET) + 1, BUNDLE_TYPE_OFFSET);
      return r;
    }
    case OFPT.BARRIER_REQUEST:
      return header(OFPT.BARRIER_REPLY, HEADER_LEN, xid);
    case OFPT.MULTIPART_REQUEST: {
      // an empty reply of the same multipart type: "no ports / no flows"
      const r = header(OFPT.MULTIPART_REPLY, 16, xid);
      r.writeUInt16BE(frame.readUInt16BE(8), 8);
      return r;
    }
    default:
      return undefined;
  }
}

export interface FakeSwitch {
  path: string;
  /** every frame received, in order, per connection (hello included) */
  received: Buffer[][];
  close(): Promise<void>;
}

/** Listens on a unix socket; each connection gets its own recorded frame list. */
export async function startFakeSwitch(path: string): Promise<FakeSwitch> {
  const received: Buffer[][] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
    const frames: Buffer[] = [];
    received.push(frames);
    const hello = Buffer.concat([header(OFPT.HELLO, HEADER_LEN, 1), HELLO_BITMAP_ELEMENT]);
    hello.writeUInt16BE(hello.length, 2);
    sock.write(hello);
    let pending = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= HEADER_LEN) {
        const len = pending.readUInt16BE(2);
        if (len < HEADER_LEN) {
          sock.destroy();
          return;
        }
        if (pending.length < len) break;
        const frame = Buffer.from(pending.subarray(0, len));
        pending = pending.subarray(len);
        frames.push(frame);
        const reply = answer(frame);
        if (reply) sock.write(reply);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, resolve);
  });
  return {
    path,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
