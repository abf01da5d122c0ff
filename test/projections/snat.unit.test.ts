// SNAT and the centralized path: the tunnel to the gateway host from the router's other hosts, SNAT on the gateway host, and a reschedule moving them.
import { describe, expect, it } from 'vitest';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { FlowProjection } from '../../projections/flows/incremental.ts';
import { explainCookie } from '../../projections/pipeline/cookie.ts';
import { flowBody, type DesiredFlow } from '../../projections/pipeline/flow.ts';
import { providerMetadata } from '../../projections/pipeline/stages/external.ts';
import { TABLE_EXT_DNAT, TABLE_EXT_EGRESS, TABLE_EXT_INGRESS, TABLE_EXT_OUT, TABLE_EXT_SNAT, TABLE_EXT_TO_INSIDE, TABLE_NEXT_HOP } from '../../projections/pipeline/tables.ts';
import { natZoneOf } from '../../projections/topology/external.ts';
import type { GatewayScheduleReason } from '../../projections/topology/gatewayEvents.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { sendPacket } from './support/flowInterpreter.ts';
import { floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet } from './support/externalFixtures.ts';
import { networkCreated, portBound, switchPort } from './support/topologyFixtures.ts';

const NET = 'aaaaaaaa-0000-4000-8000-00000000000a';
const VNI = 201;
const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const ROUTER = 'r1111111-0000-4000-8000-000000000001';
const LEG_PORT = 'ra000000-0000-4000-8000-00000000000a';
const LEG_MAC = '02:00:00:00:ff:0a';
const GW_PORT = 'rg000000-0000-4000-8000-00000000000e';
const GW_MAC = '02:00:00:00:ff:0e';
const GW_IP = '172.16.0.2';
const VM3 = '33333333-0000-4000-8000-000000000003';
const VM3_MAC = '02:00:00:00:00:33';
const TUNNEL_OFPORT = 100;
const PHYS_OFPORT = 7;
const HOST_IPS: Record<string, string> = { hv1: '192.0.2.1', hv2: '192.0.2.2', hv3: '192.0.2.3' };

const scheduled = (host: string, reason: GatewayScheduleReason = 'gateway_set'): TopologyEvent =>
  ({ type: 'RouterGatewayHostScheduled', data: { id: ROUTER, host, reason, physicalNetwork: 'public', at: '2026-11-26T00:00:00Z' } });

/** hv1 and hv2 map `public`; the VM is on hv3, which does not. */
function history(enableSnat = true): TopologyEvent[] {
  const gw = gatewaySet(ROUTER, EXT, GW_PORT, GW_IP, 'se');
  if (gw.type === 'RouterGatewaySet') gw.data.gateway.enableSnat = enableSnat;
  return [
    networkCreated(NET, VNI), providerNetworkCreated(EXT, 'public'),
    subnet('sa', NET, '10.0.0.0/24', '10.0.0.1'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1'),
    mappedHost('hv1', HOST_IPS.hv1, { public: 'ex-public' }), mappedHost('hv2', HOST_IPS.hv2, { public: 'ex-public' }), mappedHost('hv3', HOST_IPS.hv3, {}),
    ...['hv1', 'hv2', 'hv3'].flatMap((h) => [switchPort(h, 'vxlan0', TUNNEL_OFPORT), switchPort(h, 'ex-public', PHYS_OFPORT)]),
    { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
    servicePort(LEG_PORT, NET, LEG_MAC, '10.0.0.1', 'sa', 'network:router_interface'),
    { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: LEG_PORT, subnetId: 'sa' } },
    servicePort(GW_PORT, EXT, GW_MAC, GW_IP, 'se', 'network:router_gateway'),
    gw,
    servicePort(VM3, NET, VM3_MAC, '10.0.0.33', 'sa', 'compute:nova'), portBound(VM3, 'hv3'), switchPort('hv3', `tap${VM3.slice(0, 11)}`, 1),
    scheduled('hv1'),
  ];
}

function fold(events: TopologyEvent[]) {
  const v = emptyView();
  for (const e of events) applyTopologyEvent(v, e);
  return v;
}

const inTable = (flows: Map<string, DesiredFlow>, table: number) => [...flows.values()].filter((f) => f.tableId === table && f.priority > 0);
const text = (f: DesiredFlow) => JSON.stringify(f, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
/** A packet from the VM on hv3 to an external address, as it leaves routing (62) for 64. */
const fromVm = { in_port: 1, nw_ttl: 64, eth_type: 0x0800, eth_src: VM3_MAC, eth_dst: LEG_MAC, ipv4_src: '10.0.0.33', ipv4_dst: '198.51.100.7', ip_proto: 6 };

describe('SNAT and the centralized path', () => {
  it("on the VM's host (no physical network), external-bound packets go over the tunnel to the gateway host, leg MAC kept", () => {
    const t = sendPacket(desiredFlows(fold(history()), 'hv3').values(), fromVm);
    expect(t.tables).toContain(TABLE_EXT_EGRESS);
    expect(t.outputs).toHaveLength(1);
    expect(t.outputs[0].port).toBe(TUNNEL_OFPORT);
    // routed once, here: the gateway host does not decrement the TTL again
    expect(t.outputs[0].packet).toMatchObject({ tun_ipv4_dst: HOST_IPS.hv1, tunnel_id: BigInt(VNI), eth_dst: LEG_MAC, nw_ttl: 63 });
  });

  it('on the gateway host: the tunnel hook, the zone lookup, SNAT to the gateway address, the gateway MAC, and the way back by next hop', () => {
    const v = fold(history());
    const hv1 = desiredFlows(v, 'hv1');
    const zone = natZoneOf(v, ROUTER);
    expect(zone).toBeDefined();
    // classify: the tunnel packet to the leg MAC goes straight to 64
    const hook = inTable(hv1, 0).find((f) => f.match.some((o) => o.field === 'eth_dst' && o.value === LEG_MAC));
    expect(hook && text(hook)).toContain(`"tableId":${TABLE_EXT_EGRESS}`);
    expect(text(inTable(hv1, TABLE_EXT_EGRESS)[0])).toMatch(new RegExp(`"zone":\\{"imm":${zone}\\}.*"recircTable":${TABLE_EXT_SNAT}`));
    const snat = inTable(hv1, TABLE_EXT_SNAT).find((f) => f.match.some((o) => o.field === 'eth_dst'));
    expect(text(snat!)).toMatch(new RegExp(`"commit":true.*"kind":"src".*"ipv4Min":"${GW_IP}"`));
    const out = inTable(hv1, TABLE_EXT_OUT);
    expect(out.length).toBe(2); // on-link and via the external subnet's gateway
    for (const f of out) expect(text(f)).toContain(GW_MAC);
    // replies: the gateway address answers ARP and enters the router's zone; established ones go inside by next hop
    expect(inTable(hv1, TABLE_EXT_INGRESS).some((f) => f.match.some((o) => o.field === 'arp_tpa' && o.value === GW_IP))).toBe(true);
    expect(inTable(hv1, TABLE_EXT_INGRESS).some((f) => f.match.some((o) => o.field === 'ipv4_dst' && o.value === GW_IP))).toBe(true);
    expect(inTable(hv1, TABLE_EXT_DNAT).filter((f) => f.match.some((o) => o.field === 'metadata' && o.value === providerMetadata(EXT)))).toHaveLength(2);
    expect(text(inTable(hv1, TABLE_EXT_TO_INSIDE)[0])).toContain(`"tableId":${TABLE_NEXT_HOP}`);
    // the VM on hv3 is a next hop here although hv1 has no port of its network: over the tunnel to hv3
    const hop = inTable(hv1, TABLE_NEXT_HOP).find((f) => text(f).includes(VM3_MAC));
    expect(hop && text(hop)).toContain(HOST_IPS.hv3);
    // every one of them explains itself back to the router
    for (const f of [hook!, snat!, ...out]) {
      const e = explainCookie(f.cookie, v);
      expect(e.owner === 'esdn' ? e.resources.map((r) => r.id) : []).toContain(ROUTER);
    }
  });

  it('hosts that are neither the gateway host nor hosts of the router get nothing; enable_snat off keeps only the path', () => {
    const hv2 = desiredFlows(fold(history()), 'hv2');
    expect(inTable(hv2, TABLE_EXT_EGRESS)).toEqual([]);
    const off = desiredFlows(fold(history(false)), 'hv1');
    expect(inTable(off, TABLE_EXT_SNAT)).toEqual([]);
    expect(inTable(off, TABLE_EXT_INGRESS).filter((f) => f.match.some((o) => o.field === 'ipv4_dst' && o.value === GW_IP))).toEqual([]);
    expect(inTable(off, 0).some((f) => f.match.some((o) => o.field === 'eth_dst' && o.value === LEG_MAC))).toBe(true);
  });

  it('a reschedule moves every SNAT flow with one event, incrementally equal to a full recompute', () => {
    const p = new FlowProjection();
    for (const e of history()) p.apply(e);
    const changes = p.apply(scheduled('hv2', 'host_unavailable'));
    expect([...changes.keys()].sort()).toEqual(['hv1', 'hv2', 'hv3']);
    const v = fold([...history(), scheduled('hv2', 'host_unavailable')]);
    for (const h of ['hv1', 'hv2', 'hv3']) {
      const full = desiredFlows(v, h);
      const inc = p.desired(h);
      expect([...inc.keys()].sort()).toEqual([...full.keys()].sort());
      for (const [k, f] of full) expect(flowBody(inc.get(k)!)).toEqual(flowBody(f));
    }
    expect(inTable(desiredFlows(v, 'hv1'), TABLE_EXT_SNAT)).toEqual([]);
    expect(inTable(desiredFlows(v, 'hv2'), TABLE_EXT_SNAT).length).toBeGreaterThan(0);
    const t = sendPacket(desiredFlows(v, 'hv3').values(), fromVm);
    expect(t.outputs[0].packet.tun_ipv4_dst).toBe(HOST_IPS.hv2);
  });

  it("a floating IP whose VM's host does not map the physical network is NATed on the gateway host, and moves with it", () => {
    const FIP = 'f3000000-0000-4000-8000-000000000003';
    const FIP_PORT = 'fp300000-0000-4000-8000-000000000003';
    const FIP_IP = '172.16.0.13';
    const withFip = [...history(), servicePort(FIP_PORT, EXT, '02:fe:00:00:00:03', FIP_IP, 'se', 'network:floatingip'),
      floatingIpCreated(FIP, EXT, 'se', FIP_IP, FIP_PORT), floatingIpAssociated(FIP, VM3, '10.0.0.33', ROUTER)];
    const natOn = (flows: Map<string, DesiredFlow>) => ({
      arp: inTable(flows, TABLE_EXT_INGRESS).some((f) => f.match.some((o) => o.field === 'arp_tpa' && o.value === FIP_IP)),
      out: inTable(flows, TABLE_EXT_EGRESS).some((f) => f.match.some((o) => o.field === 'ipv4_src' && o.value === '10.0.0.33')),
      inside: inTable(flows, TABLE_EXT_TO_INSIDE).filter((f) => f.match.some((o) => o.field === 'ipv4_dst' && o.value === '10.0.0.33')),
    });
    const v = fold(withFip);
    const hv1 = natOn(desiredFlows(v, 'hv1'));
    expect(hv1.arp && hv1.out).toBe(true);
    // translated replies go inside by next hop (63), which tunnels to the VM's host: the VM is not here
    expect(hv1.inside).toHaveLength(1);
    expect(text(hv1.inside[0])).toContain(`"tableId":${TABLE_NEXT_HOP}`);
    expect(natOn(desiredFlows(v, 'hv3'))).toMatchObject({ arp: false, out: false });
    const p = new FlowProjection();
    for (const e of withFip) p.apply(e);
    p.apply(scheduled('hv2', 'host_unavailable'));
    const moved = fold([...withFip, scheduled('hv2', 'host_unavailable')]);
    expect(natOn(desiredFlows(moved, 'hv1'))).toMatchObject({ arp: false, out: false });
    expect(natOn(desiredFlows(moved, 'hv2'))).toMatchObject({ arp: true, out: true });
    for (const h of ['hv1', 'hv2', 'hv3']) expect([...p.desired(h).keys()].sort()).toEqual([...desiredFlows(moved, h).keys()].sort());
  });
});
