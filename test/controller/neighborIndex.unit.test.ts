// Neighbor decisions through the view's network index equal those of the scan over every network and subnet, on random topologies.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PacketIn } from '../../openflow/messages/types.ts';
import { providerMetadata } from '../../projections/pipeline/stages/external.ts';
import { TABLE_EXT_INGRESS, TABLE_EXT_NEIGHBOR } from '../../projections/pipeline/tables.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { subnetsOfNetwork } from '../../projections/topology/networkIndex.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../projections/topology/view.ts';
import { ARP_REPLY, buildArpRequest } from '../../src/controller/neighbors/arpFrame.ts';
import { decideNeighbor, providerByMetadata, providerByMetadataScan } from '../../src/controller/neighbors/decide.ts';
import { mappedHost, neighborObserved } from '../projections/support/externalFixtures.ts';
import { switchPort } from '../projections/support/topologyFixtures.ts';

/**
 * Network ids: the first two hex digits vary over PREFIXES and the next eight over BODIES. Metadata
 * keeps 32 bits of the id (hex digits 3-10), so ids that differ only in the prefix collide: the
 * property also covers which of two colliding provider networks a packet-in is given to.
 */
const PREFIXES = ['aa', 'bb'];
const BODIES = ['00000001', '00000002', '00000003', '12345678'];
const netId = (p: number, b: number) => `${PREFIXES[p]}${BODIES[b].slice(0, 6)}-${BODIES[b].slice(6)}00-4000-8000-000000000000`;
const PHYSNETS = ['public', 'other'];
const HOST = 'hv1';
const PHYS_OFPORT = 7;

const arbNet = fc.record({ p: fc.nat(PREFIXES.length - 1), b: fc.nat(BODIES.length - 1) });
const arbEvent: fc.Arbitrary<TopologyEvent> = fc.oneof(
  fc.record({ n: arbNet, kind: fc.constantFrom('flat', 'vlan', 'vxlan', 'vlan-no-id', 'flat-no-physnet'), physnet: fc.constantFrom(...PHYSNETS), vlan: fc.integer({ min: 1, max: 4094 }) })
    .map(({ n, kind, physnet, vlan }): TopologyEvent => {
      const networkType = kind.startsWith('vlan') ? 'vlan' : kind === 'vxlan' ? 'vxlan' : 'flat';
      const segmentationId = kind === 'vlan' ? vlan : kind === 'vxlan' ? 1000 + n.b : null;
      const physicalNetwork = kind === 'vxlan' || kind === 'flat-no-physnet' ? null : physnet;
      return { type: 'NetworkCreated', data: { id: netId(n.p, n.b), projectId: 'admin', segment: { networkType, physicalNetwork, segmentationId } } };
    }),
  arbNet.map((n): TopologyEvent => ({ type: 'NetworkDeleted', data: { id: netId(n.p, n.b) } })),
  fc.record({ s: fc.nat(5), n: arbNet, octet: fc.nat(3), v6: fc.boolean() }).map(({ s, n, octet, v6 }): TopologyEvent => ({
    type: 'SubnetCreated',
    data: { id: `subnet-${s}`, networkId: netId(n.p, n.b), ipVersion: v6 ? 6 : 4, cidr: v6 ? `2001:db8:${octet}::/64` : `172.16.${octet}.0/24`, gatewayIp: null },
  })),
  fc.record({ s: fc.nat(5), n: arbNet }).map(({ s, n }): TopologyEvent => ({ type: 'SubnetDeleted', data: { id: `subnet-${s}`, networkId: netId(n.p, n.b) } })),
  fc.record({ n: arbNet, octet: fc.nat(3), host: fc.nat(3) }).map(({ n, octet, host }) =>
    neighborObserved(HOST, netId(n.p, n.b), `172.16.${octet}.${10 + host}`, '02:00:00:00:ee:01')),
);

function build(events: readonly TopologyEvent[]): TopologyView {
  const v = emptyView();
  for (const e of [mappedHost(HOST, '192.0.2.1', { public: 'ex-public' }), switchPort(HOST, 'ex-public', PHYS_OFPORT), ...events]) applyTopologyEvent(v, e);
  return v;
}

/** The same view without the network index: decide.ts then scans, as it did before the index. */
const scanned = (v: TopologyView): TopologyView => ({ ...v, networkIndex: undefined });

function arpIn(metadata: bigint, ip: string): PacketIn {
  const data = buildArpRequest('02:00:00:00:ee:01', ip, '172.16.0.1');
  data.writeUInt16BE(ARP_REPLY, 20);
  return { type: 'packet_in', xid: 0, bufferId: 0xffffffff, totalLen: data.length, reason: 1, tableId: TABLE_EXT_INGRESS, cookie: 0n, data,
    match: [{ field: 'in_port', value: PHYS_OFPORT }, { field: 'metadata', value: metadata }] };
}

const arbProbe = fc.record({ n: arbNet, octet: fc.nat(4), host: fc.nat(5), table: fc.constantFrom(TABLE_EXT_INGRESS, TABLE_EXT_NEIGHBOR), stray: fc.boolean() });

describe('neighbor decisions with the network index', () => {
  it('equal the scan on random histories (creates, deletes, re-creates, colliding metadata, subnets of both IP versions)', () => {
    fc.assert(fc.property(fc.array(arbEvent, { maxLength: 40 }), fc.array(arbProbe, { minLength: 1, maxLength: 10 }), (events, probes) => {
      const v = build(events);
      for (const pr of probes) {
        const metadata = pr.stray ? 0xdead_beefn : providerMetadata(netId(pr.n.p, pr.n.b));
        expect(providerByMetadata(v, metadata)).toBe(providerByMetadataScan(v, metadata));
        const pi = arpIn(metadata, `172.16.${pr.octet}.${10 + pr.host}`);
        if (pr.table === TABLE_EXT_NEIGHBOR) Object.assign(pi, { tableId: TABLE_EXT_NEIGHBOR, match: [...pi.match, { field: 'reg5', value: 0xac100001 }] });
        expect(decideNeighbor(pi, HOST, v)).toEqual(decideNeighbor(pi, HOST, scanned(v)));
      }
      // the subnet index holds exactly the subnets the view has, under their network
      for (const n of new Set([...v.networks.keys(), ...[...v.subnets.values()].map((s) => s.networkId)])) {
        expect(subnetsOfNetwork(v, n).map((s) => s.id).sort()).toEqual(subnetsOfNetwork(scanned(v), n).map((s) => s.id).sort());
      }
    }), { numRuns: 1000 });
  });

  it('follows the view as it changes under a cached table: a later provider network is found, a deleted one is gone', () => {
    const a = netId(0, 0);
    const b = netId(1, 0); // same metadata as a
    const v = build([{ type: 'NetworkCreated', data: { id: a, projectId: 'admin', segment: { networkType: 'flat', physicalNetwork: 'public', segmentationId: null } } }]);
    expect(providerByMetadata(v, providerMetadata(a))).toBe(a);
    applyTopologyEvent(v, { type: 'NetworkCreated', data: { id: b, projectId: 'admin', segment: { networkType: 'vlan', physicalNetwork: 'public', segmentationId: 5 } } });
    expect(providerByMetadata(v, providerMetadata(b))).toBe(a); // first in view order, as the scan
    applyTopologyEvent(v, { type: 'NetworkDeleted', data: { id: a } });
    expect(providerByMetadata(v, providerMetadata(a))).toBe(b);
    applyTopologyEvent(v, { type: 'NetworkDeleted', data: { id: b } });
    expect(providerByMetadata(v, providerMetadata(a))).toBeUndefined();
  });
});
