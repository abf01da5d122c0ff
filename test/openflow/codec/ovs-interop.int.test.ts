// The codec against a real ovs-vswitchd: a raw OpenFlow 1.3 session on br-int's management socket installs flows
// in an atomic bundle, then our decoding of OVS's own flow stats must agree with `ovs-ofctl dump-flows`.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  decodeMessage, encodeMessage, encodeMessages, formatFlowMod, formatFlowStats, Framer, matchKey, normalizeMatch, parseFlow, type FlowMod, type FlowStats,
  type FlowSpec, type MessageOf, type OfpMessage, type OfpMessageType,
} from '../../../openflow/index.ts';
import { describeWithOvs } from '../../support/ovsAvailability.ts';
import { OvsTestbed, type OvsHost } from '../../support/ovsTestbed.ts';
import { FLOW_TEXTS } from './flowTexts.ts';
import { ARP_REQUEST } from './samples.ts';

/** How long to wait for one reply from ovs-vswitchd. */
const REPLY_TIMEOUT_MS = 10_000;
const ANY = 0xffffffff;
const ALL_TABLES = 0xff;
/** every reason bit of an async mask (spec 7.3.10) */
const ALL_REASONS = 0xff;
/** Lines that need objects br-int lacks (groups, meters) are left out. */
const INSTALLABLE = FLOW_TEXTS.filter((t) => !/group:|meter:/.test(t));

/** A minimal OpenFlow client: frames in, decoded messages out, waiting by predicate. */
class RawSession {
  private readonly framer = new Framer();
  private readonly inbox: OfpMessage[] = [];
  /** every frame received, raw, to compare our re-encoding with OVS's bytes */
  readonly frames: Buffer[] = [];
  private waiters: (() => void)[] = [];

  private constructor(private readonly sock: Socket) {
    sock.on('data', (chunk) => {
      const { frames, error } = this.framer.push(chunk);
      if (error) throw new Error(`framing: ${error.message}`);
      for (const f of frames) {
        this.frames.push(f);
        const r = decodeMessage(f);
        if (!r.ok) throw new Error(`decode of OVS bytes failed: ${r.error.code} ${r.error.message} in ${f.toString('hex')}`);
        this.inbox.push(r.value);
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static open(path: string): Promise<RawSession> {
    return new Promise((resolve, reject) => {
      const sock = connect(path, () => resolve(new RawSession(sock)));
      sock.once('error', reject);
    });
  }

  send(...msgs: OfpMessage[]): void {
    this.sock.write(encodeMessages(msgs));
  }

  async next<T extends OfpMessageType>(type: T, xid?: number): Promise<MessageOf<T>> {
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type && (xid === undefined || m.xid === xid));
      if (i >= 0) return this.inbox.splice(i, 1)[0] as MessageOf<T>;
      const errors = this.inbox.filter((m) => m.type === 'error');
      if (errors.length > 0) throw new Error(`switch error: ${JSON.stringify(errors, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
      if (Date.now() > deadline) throw new Error(`no ${type} within ${REPLY_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** Every message up to and including the given reply (errors included, not thrown). */
  async drainUntil<T extends OfpMessageType>(type: T, xid: number): Promise<OfpMessage[]> {
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type && m.xid === xid);
      if (i >= 0) return this.inbox.splice(0, i + 1);
      if (Date.now() > deadline) throw new Error(`no ${type} within ${REPLY_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  close(): void {
    this.sock.destroy();
  }
}

function flowMod(spec: FlowSpec, xid: number): FlowMod {
  return { type: 'flow_mod', xid, cookieMask: 0n, command: 'add', bufferId: ANY, outPort: ANY, outGroup: ANY, flags: 0, ...spec };
}

const key = (f: { tableId: number; priority: number; match: FlowSpec['match'] }): string => `${f.tableId}/${f.priority}/${matchKey(f.match)}`;
/** dump-flows line without its duration (which moves between two reads) */
const noDuration = (line: string): string => line.trim().replace(/duration=[0-9.]+s, /, '');

describeWithOvs('codec against ovs-vswitchd (br-int management socket)', () => {
  let tb: OvsTestbed;
  let host: OvsHost;
  let s: RawSession;
  const specs = INSTALLABLE.map((t) => {
    const r = parseFlow(t);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    host = await tb.addHost({ name: 'C', datapathId: 0xc1n });
    s = await RawSession.open(host.mgmtSocket());
    s.send({ type: 'hello', xid: 1, version: 4, versions: [4] });
    await s.next('hello');
  });

  afterAll(async () => {
    s?.close();
    await tb?.teardown();
  });

  it('answers features and port description requests that we decode', async () => {
    s.send({ type: 'features_request', xid: 2 }, { type: 'multipart_request', xid: 3, flags: 0, body: { kind: 'port_desc' } });
    const features = await s.next('features_reply', 2);
    expect(features.datapathId).toBe(0xc1n);
    const ports = await s.next('multipart_reply', 3);
    expect(ports.body.kind).toBe('port_desc');
    if (ports.body.kind === 'port_desc') expect(ports.body.ports.map((p) => p.name)).toContain('br-int');
  });

  it('installs every flow in one atomic bundle, confirmed by a barrier', async () => {
    const bundleId = 7;
    let xid = 100;
    s.send(
      { type: 'bundle_control', xid: xid++, bundleId, ctrlType: 'open_request', atomic: true, ordered: true, properties: Buffer.alloc(0) },
      ...specs.map((spec): OfpMessage => {
        const id = xid++;
        return { type: 'bundle_add', xid: id, bundleId, atomic: true, ordered: true, message: flowMod(spec, id), properties: Buffer.alloc(0) };
      }),
      { type: 'bundle_control', xid: 99, bundleId, ctrlType: 'commit_request', atomic: true, ordered: true, properties: Buffer.alloc(0) },
      { type: 'barrier_request', xid: 98 },
    );
    const committed = await s.next('bundle_control', 99);
    expect(committed.ctrlType).toBe('commit_reply');
    await s.next('barrier_reply', 98);
  });

  it('adds a group and a meter that OVS reports back as we encoded them', async () => {
    const buckets = [
      { weight: 0, watchPort: ANY, watchGroup: ANY, actions: [{ type: 'output' as const, port: 1, maxLen: 0 }] },
      { weight: 0, watchPort: ANY, watchGroup: ANY, actions: [{ type: 'set_field' as const, field: { field: 'tunnel_id' as const, value: 0x64n } }, { type: 'output' as const, port: 100, maxLen: 0 }] },
    ];
    const bands = [{ kind: 'drop' as const, rate: 1000, burstSize: 100 }];
    s.send(
      { type: 'group_mod', xid: 400, command: 'add', groupType: 'all', groupId: 9, buckets },
      { type: 'meter_mod', xid: 401, command: 'add', flags: 0x5, meterId: 3, bands },
      { type: 'barrier_request', xid: 402 },
      { type: 'multipart_request', xid: 403, flags: 0, body: { kind: 'group_desc' } },
      { type: 'multipart_request', xid: 404, flags: 0, body: { kind: 'meter_config', meterId: 0xffffffff } },
    );
    await s.next('barrier_reply', 402);
    const groups = await s.next('multipart_reply', 403);
    expect(groups.body).toStrictEqual({ kind: 'group_desc', groups: [{ groupType: 'all', groupId: 9, buckets }] });
    const meters = await s.next('multipart_reply', 404);
    expect(meters.body).toStrictEqual({ kind: 'meter_config', meters: [{ flags: 0x5, meterId: 3, bands }] });
    expect(await host.dumpGroups()).toContain('group_id=9,type=all,bucket=actions=output:1,bucket=actions=set_field:0x64->tun_id,output:100');
  });

  it('receives controller() userdata in NXT_PACKET_IN2 after NXT_SET_PACKET_IN_FORMAT', async () => {
    const userdata = Buffer.from('cafe01', 'hex');
    s.send(
      // a management-socket (service) connection gets no packet-ins until it asks for them
      { type: 'set_async', xid: 499, packetInMask: [ALL_REASONS, 0], portStatusMask: [ALL_REASONS, 0], flowRemovedMask: [ALL_REASONS, 0] },
      { type: 'nx_set_packet_in_format', xid: 500, format: 'nxt_packet_in2' },
      {
        type: 'packet_out', xid: 501, bufferId: ANY, inPort: 0xfffffffd /* CONTROLLER */,
        actions: [{ type: 'controller2', userdata, pause: false }], data: ARP_REQUEST,
      },
    );
    const pin = await s.next('nx_packet_in2');
    expect(pin.userdata).toStrictEqual(userdata);
    expect(pin.data).toStrictEqual(ARP_REQUEST);
    expect(pin.reason).toBe(1); // OFPR_ACTION
  });

  it('decodes the named errors OVS sends for a bundle whose flow names a missing group', async () => {
    const bad = parseFlow('table=5,priority=1 actions=group:12345');
    if (!bad.ok) throw new Error(bad.error.message);
    const raw: OfpMessage[] = [];
    s.send(
      { type: 'bundle_control', xid: 300, bundleId: 8, ctrlType: 'open_request', atomic: true, ordered: false, properties: Buffer.alloc(0) },
      { type: 'bundle_add', xid: 301, bundleId: 8, atomic: true, ordered: false, message: flowMod(bad.value, 301), properties: Buffer.alloc(0) },
      { type: 'bundle_control', xid: 302, bundleId: 8, ctrlType: 'commit_request', atomic: true, ordered: false, properties: Buffer.alloc(0) },
      { type: 'barrier_request', xid: 303 },
    );
    raw.push(...(await s.drainUntil('barrier_reply', 303)));
    const errors = raw.filter((m): m is MessageOf<'error'> => m.type === 'error');
    expect(errors.map((e) => e.codeName)).toContain('OFPBAC_BAD_OUT_GROUP');
    expect(errors.map((e) => e.codeName)).toContain('OFPBFC_MSG_FAILED');
    expect(raw.some((m) => m.type === 'bundle_control' && m.ctrlType === 'commit_reply')).toBe(false);
  });

  it('decodes OVS\'s flow stats into the flows we installed, printed exactly like dump-flows', async () => {
    s.send({ type: 'multipart_request', xid: 200, flags: 0, body: { kind: 'flow', tableId: ALL_TABLES, outPort: ANY, outGroup: ANY, cookie: 0n, cookieMask: 0n, match: [] } });
    const flows: FlowStats[] = [];
    for (;;) {
      const part = await s.next('multipart_reply', 200);
      if (part.body.kind === 'flow') flows.push(...part.body.flows);
      if ((part.flags & 1) === 0) break;
    }
    expect(flows.length).toBe(specs.length);
    const installed = new Map(flows.map((f) => [key(f), f]));
    for (const spec of specs) {
      const got = installed.get(key(spec));
      expect(got, formatFlowMod(spec)).toBeDefined();
      // OVS hands back our instructions unchanged (only the match order differs), so desired and
      // installed flows can be compared by value: matchKey for the match, deep equality for the rest
      expect(got!.instructions, formatFlowMod(spec)).toStrictEqual(spec.instructions);
      expect(normalizeMatch(got!.match)).toStrictEqual(normalizeMatch(spec.match));
      // same actions, as text (OVS may choose other encodings of the same action)
      expect(formatFlowStats(got!).replace(/^.*n_bytes=\d+, /, ''), formatFlowMod(spec)).toBe(formatFlowMod(spec).replace(/^cookie=0x[0-9a-f]+, table=\d+, /, ''));
    }
    const dumped = (await host.dumpFlows('br-int', '--no-names')).split('\n').filter((l) => l.includes('cookie='));
    expect(dumped.length).toBe(specs.length);
    // and re-encoding what we decoded gives OVS's bytes back exactly (NXM headers in NX actions,
    // zero table byte in plain resubmit, 8-byte u8/u16 properties: all as OVS writes them)
    const raw = s.frames.filter((f) => f[1] === 19 /* OFPT_MULTIPART_REPLY */ && f.readUInt32BE(4) === 200);
    for (const f of raw) {
      const d = decodeMessage(f);
      expect(d.ok).toBe(true);
      if (d.ok) expect(encodeMessage(d.value).toString('hex')).toBe(f.toString('hex'));
    }
    const ours = new Set(flows.map((f) => noDuration(formatFlowStats(f))));
    for (const line of dumped) {
      expect(ours.has(noDuration(line)), line).toBe(true);
      const p = parseFlow(line);
      expect(p.ok && installed.has(key(p.value)), line).toBe(true);
    }
  });
});
