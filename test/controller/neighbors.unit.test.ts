// Neighbor learning frames and decisions: ARP parse/build, what a packet-in from tables 30/67 means, and bad input never throws.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { providerMetadata } from '../../projections/pipeline/stages/external.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { ARP_REPLY, ARP_REQUEST, buildArpRequest, parseArp, parseIpv4Source } from '../../src/controller/neighbors/arpFrame.ts';
import { decideNeighbor } from '../../src/controller/neighbors/decide.ts';
import { mappedHost, neighborObserved, providerNetworkCreated, subnet } from '../projections/support/externalFixtures.ts';
import { switchPort } from '../projections/support/topologyFixtures.ts';
import { arp, ipv4From, packetIn } from './support/neighborFrames.ts';

const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const EXT_V = 'ffffffff-0000-4000-8000-00000000000f';

function view(extra: TopologyEvent[] = []) {
  const v = emptyView();
  for (const e of [providerNetworkCreated(EXT, 'public'), providerNetworkCreated(EXT_V, 'public', 100), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
    mappedHost('hv1', '192.0.2.1', { public: 'ex-public' }), switchPort('hv1', 'ex-public', 7), ...extra]) applyTopologyEvent(v, e);
  return v;
}

describe('ARP frames', () => {
  it('a built request parses back, padded to the Ethernet minimum', () => {
    const b = buildArpRequest('02:fe:00:00:00:01', '172.16.0.11', '172.16.0.100');
    expect(b.length).toBe(60);
    expect(b.subarray(0, 6).toString('hex')).toBe('ffffffffffff');
    expect(parseArp(b)).toEqual({ ok: true, value: { op: ARP_REQUEST, senderMac: '02:fe:00:00:00:01', senderIp: '172.16.0.11', targetMac: '00:00:00:00:00:00', targetIp: '172.16.0.100' } });
  });

  it('parses past one 802.1Q tag', () => {
    const b = buildArpRequest('02:fe:00:00:00:01', '172.16.0.11', '172.16.0.100');
    const tagged = Buffer.concat([b.subarray(0, 12), Buffer.from([0x81, 0x00, 0x00, 0x64]), b.subarray(12)]);
    expect(parseArp(tagged).ok && (parseArp(tagged) as { value: { senderIp: string } }).value.senderIp).toBe('172.16.0.11');
  });

  it('returns typed errors, never throws, on any bytes', () => {
    expect(parseArp(Buffer.alloc(3))).toMatchObject({ ok: false, error: { kind: 'truncated' } });
    expect(parseArp(ipv4From('02:00:00:00:00:01', '1.2.3.4'))).toMatchObject({ ok: false, error: { kind: 'not_arp' } });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      const b = Buffer.from(bytes);
      expect(typeof parseArp(b).ok).toBe('boolean');
      expect(typeof parseIpv4Source(b).ok).toBe('boolean');
    }), { numRuns: 2000 });
  });
});

describe('neighbor decisions', () => {
  it('an ARP reply from the physical network teaches a neighbor, once per MAC', () => {
    const pi = packetIn(30, arp(ARP_REPLY, '02:00:00:00:ee:01', '172.16.0.100', '172.16.0.11'), providerMetadata(EXT));
    expect(decideNeighbor(pi, 'hv1', view())).toEqual({ kind: 'learn', networkId: EXT, ip: '172.16.0.100', mac: '02:00:00:00:ee:01' });
    expect(decideNeighbor(pi, 'hv1', view([neighborObserved('hv1', EXT, '172.16.0.100', '02:00:00:00:ee:01')])).kind).toBe('ignore');
    // a changed MAC is news again
    expect(decideNeighbor(pi, 'hv1', view([neighborObserved('hv1', EXT, '172.16.0.100', '02:00:00:00:ee:99')])).kind).toBe('learn');
  });

  it('ignores probes, group senders, addresses off the subnets, other tables and unknown metadata', () => {
    const v = view();
    const d = (data: Buffer, table = 30, meta = providerMetadata(EXT)) => decideNeighbor(packetIn(table, data, meta), 'hv1', v).kind;
    expect(d(arp(ARP_REQUEST, '02:00:00:00:ee:01', '0.0.0.0', '172.16.0.100'))).toBe('ignore');
    expect(d(arp(ARP_REPLY, '03:00:00:00:ee:01', '172.16.0.100', '172.16.0.11'))).toBe('ignore');
    expect(d(arp(ARP_REPLY, '02:00:00:00:ee:01', '10.9.9.9', '172.16.0.11'))).toBe('ignore');
    expect(d(arp(ARP_REPLY, '02:00:00:00:ee:01', '172.16.0.100', '172.16.0.11'), 40)).toBe('ignore');
    expect(d(arp(ARP_REPLY, '02:00:00:00:ee:01', '172.16.0.100', '172.16.0.11'), 30, 12345n)).toBe('ignore');
  });

  it('a neighbor miss asks for reg5 from the packet source, out the physical port (tagged on a VLAN network)', () => {
    const target = (172 << 24) | (16 << 16) | 100;
    const flat = decideNeighbor(packetIn(67, ipv4From('02:fe:00:00:00:01', '172.16.0.11'), providerMetadata(EXT), target >>> 0), 'hv1', view());
    expect(flat.kind).toBe('ask');
    if (flat.kind !== 'ask') return;
    expect(flat.targetIp).toBe('172.16.0.100');
    expect(parseArp(flat.frame)).toMatchObject({ ok: true, value: { op: ARP_REQUEST, senderMac: '02:fe:00:00:00:01', senderIp: '172.16.0.11', targetIp: '172.16.0.100' } });
    expect(flat.actions).toEqual([{ type: 'output', port: 7, maxLen: 0 }]);
    const vlan = decideNeighbor(packetIn(67, ipv4From('02:fe:00:00:00:01', '172.16.1.11'), providerMetadata(EXT_V), target >>> 0), 'hv1', view());
    expect(vlan.kind === 'ask' && vlan.actions.map((a) => a.type)).toEqual(['push_vlan', 'set_field', 'output']);
    // a host that does not reach the network cannot ask
    expect(decideNeighbor(packetIn(67, ipv4From('02:fe:00:00:00:01', '172.16.0.11'), providerMetadata(EXT), target >>> 0), 'hv9', view()).kind).toBe('ignore');
  });

  it('random packet-ins never throw', () => {
    const v = view();
    fc.assert(fc.property(fc.constantFrom(30, 67, 0), fc.uint8Array({ maxLength: 80 }), fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
      (table, bytes, reg5) => {
        expect(['learn', 'ask', 'ignore']).toContain(decideNeighbor(packetIn(table, Buffer.from(bytes), providerMetadata(EXT), reg5), 'hv1', v).kind);
      }), { numRuns: 2000 });
  });
});

describe('neighbor handler', () => {
  it('records a neighbor once across switches sharing the memory, and asks at most once per interval', async () => {
    const { EventEmitter } = await import('node:events');
    const { attachNeighborHandler, ASK_INTERVAL_MS } = await import('../../src/controller/neighbors/handler.ts');
    const learned = new Map<string, { at: number; mac?: string }>();
    const recorded: string[] = [];
    const sent: unknown[] = [];
    let t = 0;
    const switches = [0, 1].map(() => {
      const sw = Object.assign(new EventEmitter(), { send: async (m: unknown) => { sent.push(m); } });
      attachNeighborHandler(sw as never, { host: () => 'hv1', view: () => view(), record: async (e) => { recorded.push(e.data.mac); }, learned, now: () => t });
      return sw;
    });
    const reply = packetIn(30, arp(ARP_REPLY, '02:00:00:00:ee:01', '172.16.0.100', '172.16.0.11'), providerMetadata(EXT));
    for (const sw of switches) sw.emit('packet_in', reply);
    expect(recorded).toEqual(['02:00:00:00:ee:01']);
    const target = ((172 << 24) | (16 << 16) | 100) >>> 0;
    const miss = packetIn(67, ipv4From('02:fe:00:00:00:01', '172.16.0.11'), providerMetadata(EXT), target);
    switches[0].emit('packet_in', miss);
    switches[0].emit('packet_in', miss);
    expect(sent).toHaveLength(1);
    t += ASK_INTERVAL_MS;
    switches[0].emit('packet_in', miss);
    expect(sent).toHaveLength(2);
    // garbage never throws out of the handler
    switches[0].emit('packet_in', packetIn(67, Buffer.alloc(3), providerMetadata(EXT), target));
  });

  it('an ARP storm from the physical network appends a bounded number of observations, and a flapping MAC waits', async () => {
    const { EventEmitter } = await import('node:events');
    const { attachNeighborHandler, MAX_RECORDS_PER_SECOND } = await import('../../src/controller/neighbors/handler.ts');
    const recorded: string[] = [];
    let t = 10_000;
    const sw = Object.assign(new EventEmitter(), { send: async () => undefined });
    attachNeighborHandler(sw as never, { host: () => 'hv1', view: () => view(), record: async (e) => { recorded.push(`${e.data.ip} ${e.data.mac}`); }, now: () => t });
    for (let i = 1; i < 250; i += 1) {
      const mac = `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;
      sw.emit('packet_in', packetIn(30, arp(ARP_REPLY, mac, `172.16.0.${i}`, '172.16.0.1'), providerMetadata(EXT)));
    }
    expect(recorded).toHaveLength(MAX_RECORDS_PER_SECOND);
    // next second: a known address whose MAC flips is recorded once, then held for a while
    t += 1000;
    recorded.length = 0;
    const flip = (mac: string) => sw.emit('packet_in', packetIn(30, arp(ARP_REPLY, mac, '172.16.0.1', '172.16.0.2'), providerMetadata(EXT)));
    flip('02:00:00:00:aa:01');
    flip('02:00:00:00:aa:02');
    expect(recorded).toEqual(['172.16.0.1 02:00:00:00:aa:01']);
    t += 1000;
    flip('02:00:00:00:aa:02');
    expect(recorded).toEqual(['172.16.0.1 02:00:00:00:aa:01', '172.16.0.1 02:00:00:00:aa:02']);
  });
});
