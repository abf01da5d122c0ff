// Neighbor learning on a provider network that also holds esdn VMs (bound directly on it): they are not recorded as external neighbors.
import { describe, expect, it } from 'vitest';
import type { PacketIn } from '../../openflow/messages/types.ts';
import { providerMetadata } from '../../projections/pipeline/stages/external.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { ARP_REPLY } from '../../src/controller/neighbors/arpFrame.ts';
import { decideNeighbor } from '../../src/controller/neighbors/decide.ts';
import { mappedHost, providerNetworkCreated, subnet } from '../projections/support/externalFixtures.ts';
import { portBound, portCreated, switchPort } from '../projections/support/topologyFixtures.ts';
import { arp, ipv4From, packetIn as packetInOf } from './support/neighborFrames.ts';

const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const VM = { id: 'aaaaaaaa-0000-4000-8000-00000000000a', networkId: EXT, mac: '02:00:00:00:0a:01', ips: ['172.16.0.21'] };

function view() {
  const v = emptyView();
  for (const e of [providerNetworkCreated(EXT, 'public'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
    mappedHost('hv1', '192.0.2.1', { public: 'ex-public' }), switchPort('hv1', 'ex-public', 7), portCreated(VM), portBound(VM.id, 'hv2')]) applyTopologyEvent(v, e);
  return v;
}

/** A packet-in of this provider network (frames: ./support/neighborFrames.ts). */
const packetIn = (tableId: number, data: Buffer, reg5?: number): PacketIn => packetInOf(tableId, data, providerMetadata(EXT), reg5);
const arpFrom = (mac: string, ip: string): Buffer => arp(ARP_REPLY, mac, ip, '172.16.0.100');

describe('neighbor decisions next to VMs on the provider network', () => {
  it("a VM's ARP heard over the physical network is not recorded; a stranger's, or one claiming the VM's address with another MAC, is", () => {
    const v = view();
    expect(decideNeighbor(packetIn(30, arpFrom(VM.mac, '172.16.0.21')), 'hv1', v)).toMatchObject({ kind: 'ignore', reason: 'an esdn VM port of the network' });
    expect(decideNeighbor(packetIn(30, arpFrom('02:00:00:00:ee:01', '172.16.0.100')), 'hv1', v).kind).toBe('learn');
    expect(decideNeighbor(packetIn(30, arpFrom('02:00:00:00:ee:09', '172.16.0.21')), 'hv1', v).kind).toBe('learn');
  });

  it('routed to a VM of the network (neighbor miss), its MAC comes from the log instead of an ARP request', () => {
    const v = view();
    const miss = packetIn(67, ipv4From('02:fe:00:00:00:01', '172.16.0.50'), (172 << 24 | 16 << 16 | 0 << 8 | 21) >>> 0);
    expect(decideNeighbor(miss, 'hv1', v)).toEqual({ kind: 'learn', networkId: EXT, ip: '172.16.0.21', mac: VM.mac });
    const other = packetIn(67, ipv4From('02:fe:00:00:00:01', '172.16.0.50'), (172 << 24 | 16 << 16 | 0 << 8 | 100) >>> 0);
    expect(decideNeighbor(other, 'hv1', v).kind).toBe('ask');
  });
});
