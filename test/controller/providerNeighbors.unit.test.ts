// Neighbor learning on a provider network that also holds esdn VMs (bound directly on it): they are not recorded as external neighbors.
import { describe, expect, it } from 'vitest';
import type { PacketIn } from '../../openflow/messages/types.ts';
import { providerMetadata } from '../../projections/pipeline/stages/external.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { ARP_REPLY, buildArpRequest } from '../../src/controller/neighbors/arpFrame.ts';
import { decideNeighbor } from '../../src/controller/neighbors/decide.ts';
import { mappedHost, providerNetworkCreated, subnet } from '../projections/support/externalFixtures.ts';
import { portBound, portCreated, switchPort } from '../projections/support/topologyFixtures.ts';

const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const VM = { id: 'aaaaaaaa-0000-4000-8000-00000000000a', networkId: EXT, mac: '02:00:00:00:0a:01', ips: ['172.16.0.21'] };

function view() {
  const v = emptyView();
  for (const e of [providerNetworkCreated(EXT, 'public'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
    mappedHost('hv1', '192.0.2.1', { public: 'ex-public' }), switchPort('hv1', 'ex-public', 7), portCreated(VM), portBound(VM.id, 'hv2')]) applyTopologyEvent(v, e);
  return v;
}

function packetIn(tableId: number, data: Buffer, reg5?: number): PacketIn {
  return {
    type: 'packet_in', xid: 0, bufferId: 0xffffffff, totalLen: data.length, reason: 1, tableId, cookie: 0n, data,
    match: [{ field: 'in_port', value: 7 }, { field: 'metadata', value: providerMetadata(EXT) }, ...(reg5 === undefined ? [] : [{ field: 'reg5' as const, value: reg5 }])],
  };
}

function arpFrom(mac: string, ip: string): Buffer {
  const b = buildArpRequest(mac, ip, '172.16.0.100');
  b.writeUInt16BE(ARP_REPLY, 20);
  return b;
}

/** An IPv4 frame from a floating IP (what a neighbor miss sends up). */
function ipv4From(mac: string, ip: string): Buffer {
  const b = Buffer.alloc(34);
  mac.split(':').forEach((h, i) => { b[6 + i] = Number.parseInt(h, 16); });
  b.writeUInt16BE(0x0800, 12);
  b[14] = 0x45;
  ip.split('.').forEach((x, i) => { b[26 + i] = Number(x); });
  return b;
}

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
