// VM ports directly on provider networks (flat, VLAN): their flows per host, through the bridge_mappings port, never the tunnel.
import { describe, expect, it } from 'vitest';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { providerPortWired } from '../../projections/flows/providerPorts.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import { providerMetadata } from '../../projections/pipeline/stages/external.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../projections/topology/view.ts';
import { hostRegistered, switchPort, vmPort } from './support/topologyFixtures.ts';

const FLAT = 'f1a7f1a7-0000-4000-8000-000000000001';
const VLAN = 'f1a70101-0000-4000-8000-000000000002';
const PHYS_OFPORT = 7;
const TUNNEL_OFPORT = 100;

const provider = (id: string, type: 'flat' | 'vlan', vlan: number | null): TopologyEvent =>
  ({ type: 'NetworkCreated', data: { id, projectId: 'p', segment: { networkType: type, physicalNetwork: 'public', segmentationId: vlan } } });
const mapped = (name: string): TopologyEvent => ({ type: 'HostUpdated', data: { name, changes: { bridgeMappings: { public: 'ex-public' } } } });

const A = { id: 'aaaaaaaa-0000-4000-8000-00000000000a', networkId: VLAN, mac: '02:00:00:00:0a:01', ips: ['172.16.1.11'], host: 'hv1', ofport: 1 };
const B = { id: 'bbbbbbbb-0000-4000-8000-00000000000b', networkId: VLAN, mac: '02:00:00:00:0b:01', ips: ['172.16.1.21'], host: 'hv2', ofport: 1 };
/** On hv3, which does not map the physical network. */
const C = { id: 'cccccccc-0000-4000-8000-00000000000c', networkId: VLAN, mac: '02:00:00:00:0c:01', ips: ['172.16.1.31'], host: 'hv3', ofport: 1 };
const F = { id: 'ffffffff-0000-4000-8000-00000000000f', networkId: FLAT, mac: '02:00:00:00:0f:01', ips: ['172.16.0.11'], host: 'hv1', ofport: 2 };

function view(): TopologyView {
  const v = emptyView();
  const events: TopologyEvent[] = [
    provider(FLAT, 'flat', null), provider(VLAN, 'vlan', 101),
    ...['hv1', 'hv2', 'hv3'].flatMap((h, i) => [hostRegistered(h, `192.0.2.${i + 1}`), switchPort(h, 'vxlan0', TUNNEL_OFPORT)]),
    mapped('hv1'), mapped('hv2'), switchPort('hv1', 'ex-public', PHYS_OFPORT), switchPort('hv2', 'ex-public', PHYS_OFPORT),
    ...vmPort(A), ...vmPort(B), ...vmPort(C), ...vmPort(F),
  ];
  for (const e of events) applyTopologyEvent(v, e);
  return v;
}

const ofPort = (flows: Iterable<DesiredFlow>, id: string) => [...flows].filter((f) => f.cookie.toString(16).endsWith(id.replace(/-/g, '').slice(0, 10)));
const text = (f: DesiredFlow) => JSON.stringify(f, (_k, x) => (typeof x === 'bigint' ? x.toString(16) : x));

describe('VM ports on provider networks', () => {
  it('a port has 9 flows on its host (classify, 6 port security, ARP, local delivery) and 2 on the other host that maps the network', () => {
    const v = view();
    const own = ofPort(desiredFlows(v, 'hv1').values(), A.id);
    expect(own.map((f) => f.tableId).sort((a, b) => a - b)).toEqual([0, 10, 10, 10, 10, 10, 10, 20, 70]);
    expect(own.length).toBeLessThanOrEqual(15);
    const remote = ofPort(desiredFlows(v, 'hv2').values(), A.id);
    expect(remote.map((f) => f.tableId).sort()).toEqual([20, 60]);
    // to A from hv2: VLAN 101 pushed, out the physical port, never the tunnel
    const l2 = remote.find((f) => f.tableId === 60)!;
    expect(text(l2)).toContain('"type":"push_vlan"');
    expect(text(l2)).toContain(`"value":${0x1000 | 101}`);
    expect(text(l2)).toContain(`"port":${PHYS_OFPORT}`);
    expect(text(l2)).not.toContain('tun_ipv4_dst');
  });

  it('the network metadata is the provider one (bit 32), never a VNI; the flat network is untagged', () => {
    const v = view();
    const meta = providerMetadata(VLAN);
    expect(meta >= 1n << 32n).toBe(true);
    const classify = ofPort(desiredFlows(v, 'hv1').values(), A.id).find((f) => f.tableId === 0)!;
    expect(classify.instructions).toContainEqual(expect.objectContaining({ type: 'write_metadata', metadata: meta }));
    const flatFlood = [...desiredFlows(v, 'hv1').values()].filter((f) => f.tableId === 80 && text(f).includes(providerMetadata(FLAT).toString(16)));
    expect(flatFlood.length).toBeGreaterThan(0);
    for (const f of flatFlood) expect(text(f)).not.toContain('push_vlan');
  });

  it('flooding on a host: local ports then the physical port (tag pushed last), what came from the physical port goes to local ports only', () => {
    const v = view();
    const meta = providerMetadata(VLAN).toString(16);
    const flood = [...desiredFlows(v, 'hv1').values()].filter((f) => f.tableId === 80 && text(f).includes(meta));
    expect(flood).toHaveLength(4);
    const fromWire = flood.find((f) => f.match.some((o) => o.field === 'in_port'))!;
    expect(text(fromWire)).not.toContain('push_vlan');
    for (const f of flood) {
      const actions = (f.instructions[0] as { actions: { type: string }[] }).actions.map((a) => a.type);
      const push = actions.indexOf('push_vlan');
      // nothing is output after the tag is pushed but the physical port itself
      if (push >= 0) expect(actions.slice(push)).toEqual(['push_vlan', 'set_field', 'output']);
    }
  });

  it('a port on a host without a mapping for its physical network has no flows anywhere and is not wired (stays DOWN)', () => {
    const v = view();
    for (const h of ['hv1', 'hv2', 'hv3']) expect(ofPort(desiredFlows(v, h).values(), C.id)).toEqual([]);
    expect(providerPortWired(v, v.ports.get(C.id)!)).toBe(false);
    expect(providerPortWired(v, v.ports.get(A.id)!)).toBe(true);
    // hv3 carries nothing of the network
    expect([...desiredFlows(v, 'hv3').values()].filter((f) => text(f).includes(providerMetadata(VLAN).toString(16)))).toEqual([]);
  });

  it('the mapping registered later wires the port', () => {
    const v = view();
    applyTopologyEvent(v, mapped('hv3'));
    applyTopologyEvent(v, switchPort('hv3', 'ex-public', PHYS_OFPORT));
    expect(ofPort(desiredFlows(v, 'hv3').values(), C.id).length).toBe(9);
    expect(ofPort(desiredFlows(v, 'hv1').values(), C.id).length).toBe(2);
    expect(providerPortWired(v, v.ports.get(C.id)!)).toBe(true);
  });
});
