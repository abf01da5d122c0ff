// Pipeline stages judged by what they do to packets (a small flow-table interpreter), on a two-host, two-network topology.
import { OFPP_CONTROLLER } from '../../openflow/constants/ports.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { desiredFlows } from '../../projections/flows/desired.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../projections/topology/view.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { sendPacket, type Packet } from './support/flowInterpreter.ts';
import { A1, A2, A3, B1, HV1_IP, HV2_IP, TUNNEL_OFPORT, VNI1, VNI2, scenarioEvents } from './support/scenario.ts';

const BROADCAST = 'ff:ff:ff:ff:ff:ff';

function fold(events: TopologyEvent[]): TopologyView {
  const v = emptyView();
  for (const e of events) applyTopologyEvent(v, e);
  return v;
}

function flowsOf(events: TopologyEvent[], host: string): DesiredFlow[] {
  return [...desiredFlows(fold(events), host).values()];
}

const ipv4 = (from: typeof A1, to: { mac: string; ips: string[] }, extra: Packet = {}): Packet => ({
  in_port: from.ofport, eth_src: from.mac, eth_dst: to.mac, eth_type: 0x0800, ipv4_src: from.ips[0], ipv4_dst: to.ips[0], ip_proto: 1, ...extra,
});

const arpRequest = (from: typeof A1, tpa: string, extra: Packet = {}): Packet => ({
  in_port: from.ofport, eth_src: from.mac, eth_dst: BROADCAST, eth_type: 0x0806, arp_op: 1,
  arp_sha: from.mac, arp_spa: from.ips[0], arp_tha: '00:00:00:00:00:00', arp_tpa: tpa, ...extra,
});

describe('L2 pipeline on hv1 (A1, A2 in net1; A3 in net2) and hv2 (B1 in net1)', () => {
  let hv1: DesiredFlow[];
  let hv2: DesiredFlow[];
  beforeAll(() => {
    hv1 = flowsOf(scenarioEvents(), 'hv1');
    hv2 = flowsOf(scenarioEvents(), 'hv2');
  });

  it('delivers unicast to a VM on the same host out of its port only', () => {
    const t = sendPacket(hv1, ipv4(A1, A2));
    expect(t.outputs.map((o) => o.port)).toEqual([A2.ofport]);
  });

  it('sends unicast to a VM on another host into the tunnel with its host as tun_dst and the VNI as tun_id', () => {
    const t = sendPacket(hv1, ipv4(A1, B1));
    expect(t.outputs).toHaveLength(1);
    expect(t.outputs[0].port).toBe(TUNNEL_OFPORT);
    expect(t.outputs[0].packet.tun_ipv4_dst).toBe(HV2_IP);
    expect(t.outputs[0].packet.tunnel_id).toBe(BigInt(VNI1));
  });

  it('delivers what arrives over the tunnel with the VNI to the local VM', () => {
    const t = sendPacket(hv2, { ...ipv4(A1, B1), in_port: TUNNEL_OFPORT, tunnel_id: BigInt(VNI1) });
    expect(t.outputs.map((o) => o.port)).toEqual([B1.ofport]);
  });

  it('drops tunnel traffic with a VNI this host does not carry', () => {
    expect(sendPacket(hv2, { ...ipv4(A1, B1), in_port: TUNNEL_OFPORT, tunnel_id: BigInt(VNI2) }).outputs).toEqual([]);
    expect(sendPacket(hv2, { ...ipv4(A1, B1), in_port: TUNNEL_OFPORT, tunnel_id: 4242n }).outputs).toEqual([]);
  });

  it('floods broadcast from a VM to the other local ports of its network and once to each other host of it', () => {
    const t = sendPacket(hv1, { ...ipv4(A1, A2), eth_dst: BROADCAST });
    expect(t.outputs.map((o) => o.port)).toEqual([A2.ofport, TUNNEL_OFPORT]);
    expect(t.outputs[1].packet.tun_ipv4_dst).toBe(HV2_IP);
    expect(t.outputs[1].packet.tunnel_id).toBe(BigInt(VNI1));
  });

  it('floods broadcast from the tunnel to local ports only (no re-flood back into the tunnel)', () => {
    const t = sendPacket(hv2, { ...ipv4(A1, B1), eth_dst: BROADCAST, in_port: TUNNEL_OFPORT, tunnel_id: BigInt(VNI1) });
    expect(t.outputs.map((o) => o.port)).toEqual([B1.ofport]);
  });

  it('floods unknown unicast like broadcast, within the network', () => {
    const t = sendPacket(hv1, { ...ipv4(A1, A2), eth_dst: '02:00:00:00:99:99' });
    expect(t.outputs.map((o) => o.port)).toEqual([A2.ofport, TUNNEL_OFPORT]);
  });

  it('keeps networks isolated: A3 (net2, same IP as A1) reaches nothing of net1, and net1 floods never reach A3', () => {
    expect(sendPacket(hv1, ipv4(A3, A1)).outputs).toEqual([]);
    expect(sendPacket(hv1, ipv4(A3, B1)).outputs).toEqual([]);
    expect(sendPacket(hv1, { ...ipv4(A1, A2), eth_dst: BROADCAST }).outputs.map((o) => o.port)).not.toContain(A3.ofport);
    expect(sendPacket(hv1, { ...ipv4(A3, A1), eth_dst: BROADCAST }).outputs).toEqual([]);
  });

  it('answers ARP for a known address of the network on the local switch, back out of the asking port', () => {
    const t = sendPacket(hv1, arpRequest(A1, B1.ips[0]));
    expect(t.outputs).toHaveLength(1);
    const reply = t.outputs[0];
    expect(reply.port).toBe(A1.ofport);
    expect(reply.packet).toMatchObject({
      arp_op: 2, eth_src: B1.mac, eth_dst: A1.mac, arp_sha: B1.mac, arp_spa: B1.ips[0], arp_tha: A1.mac, arp_tpa: A1.ips[0],
    });
  });

  it('answers ARP per network: A3 asking for 10.0.0.12 (a net1 address) gets no answer', () => {
    const t = sendPacket(hv1, arpRequest(A3, A2.ips[0]));
    expect(t.outputs.filter((o) => o.packet.arp_op === 2)).toEqual([]);
  });

  it('floods ARP for an unknown address within the network, and ARP probes (sender 0.0.0.0) too', () => {
    expect(sendPacket(hv1, arpRequest(A1, '10.0.0.99')).outputs.map((o) => o.port)).toEqual([A2.ofport, TUNNEL_OFPORT]);
    const probe = sendPacket(hv1, arpRequest(A1, A2.ips[0], { arp_spa: '0.0.0.0' }));
    expect(probe.outputs.map((o) => o.port)).toEqual([A2.ofport, TUNNEL_OFPORT]);
  });

  it('drops a spoofed source MAC, a spoofed source IP, and forged ARP (sender IP or MAC not the port\'s)', () => {
    expect(sendPacket(hv1, ipv4(A1, A2, { eth_src: '02:00:00:00:66:66' })).outputs).toEqual([]);
    expect(sendPacket(hv1, ipv4(A1, A2, { ipv4_src: A2.ips[0] })).outputs).toEqual([]);
    expect(sendPacket(hv1, arpRequest(A1, '10.0.0.99', { arp_spa: B1.ips[0] })).outputs).toEqual([]);
    expect(sendPacket(hv1, arpRequest(A1, '10.0.0.99', { arp_sha: B1.mac })).outputs).toEqual([]);
    expect(sendPacket(hv1, { ...arpRequest(A1, '10.0.0.99'), arp_op: 2, eth_dst: A2.mac, arp_spa: B1.ips[0] }).outputs).toEqual([]);
    // a non-IP, non-ARP frame from a secured port
    expect(sendPacket(hv1, { in_port: A1.ofport, eth_src: A1.mac, eth_dst: A2.mac, eth_type: 0x88cc }).outputs).toEqual([]);
  });

  it('lets DHCP discovery (from 0.0.0.0) and IPv6 from the EUI-64 link-local address through', () => {
    const dhcp = ipv4(A1, A2, { eth_dst: BROADCAST, ipv4_src: '0.0.0.0', ipv4_dst: '255.255.255.255', ip_proto: 17, udp_src: 68, udp_dst: 67 });
    // (issue 5) DHCP passes port security and goes to the controller, which answers it; it is never flooded
    expect(sendPacket(hv1, dhcp).outputs.map((o) => o.port)).toEqual([OFPP_CONTROLLER]);
    const v6 = { in_port: A1.ofport, eth_src: A1.mac, eth_dst: A2.mac, eth_type: 0x86dd, ipv6_src: 'fe80::ff:fe00:101' };
    expect(sendPacket(hv1, v6).outputs.map((o) => o.port)).toEqual([A2.ofport]);
    expect(sendPacket(hv1, { ...v6, ipv6_src: 'fe80::ff:fe00:102' }).outputs).toEqual([]);
  });

  it('a packet from an unknown port goes nowhere', () => {
    expect(sendPacket(hv1, { ...ipv4(A1, A2), in_port: 77 }).outputs).toEqual([]);
  });
});

describe('port security switches', () => {
  it('port_security_enabled=false lets a spoofed source through', () => {
    const events = scenarioEvents();
    events.push({ type: 'PortUpdated', data: { id: A1.id, changes: { portSecurityEnabled: false } } });
    const hv1 = flowsOf(events, 'hv1');
    expect(sendPacket(hv1, ipv4(A1, A2, { ipv4_src: '10.9.9.9', eth_src: '02:00:00:00:66:66' })).outputs.map((o) => o.port)).toEqual([A2.ofport]);
  });

  it('allowed address pairs admit their IP (or prefix) with their MAC, and ARP about them', () => {
    const events = scenarioEvents();
    events.push({ type: 'PortUpdated', data: { id: A1.id, changes: { allowedAddressPairs: [
      { ipAddress: '10.0.0.100', macAddress: '' },
      { ipAddress: '10.1.0.0/24', macAddress: '02:00:00:00:aa:aa' },
    ] } } });
    const hv1 = flowsOf(events, 'hv1');
    expect(sendPacket(hv1, ipv4(A1, A2, { ipv4_src: '10.0.0.100' })).outputs.map((o) => o.port)).toEqual([A2.ofport]);
    expect(sendPacket(hv1, ipv4(A1, A2, { ipv4_src: '10.1.0.77', eth_src: '02:00:00:00:aa:aa' })).outputs.map((o) => o.port)).toEqual([A2.ofport]);
    expect(sendPacket(hv1, ipv4(A1, A2, { ipv4_src: '10.1.0.77' })).outputs).toEqual([]);
    expect(sendPacket(hv1, ipv4(A1, A2, { ipv4_src: '10.2.0.1', eth_src: '02:00:00:00:aa:aa' })).outputs).toEqual([]);
    const garp = arpRequest(A1, '10.0.0.100', { arp_spa: '10.0.0.100' });
    expect(sendPacket(hv1, garp).outputs.map((o) => o.port)).toEqual([A2.ofport, TUNNEL_OFPORT]);
  });

  it('an allowed address pair 0.0.0.0/0 admits any source from its MAC, with no all-zero mask in the flows (OVS would drop it)', () => {
    const events = scenarioEvents();
    events.push({ type: 'PortUpdated', data: { id: A1.id, changes: { allowedAddressPairs: [{ ipAddress: '0.0.0.0/0', macAddress: '02:00:00:00:bb:bb' }] } } });
    const hv1 = flowsOf(events, 'hv1');
    expect(sendPacket(hv1, ipv4(A1, A2, { ipv4_src: '10.9.9.9', eth_src: '02:00:00:00:bb:bb' })).outputs.map((o) => o.port)).toEqual([A2.ofport]);
    expect(sendPacket(hv1, ipv4(A1, A2, { ipv4_src: '10.9.9.9', eth_src: '02:00:00:00:66:66' })).outputs).toEqual([]);
    const zeroMasks = hv1.flatMap((f) => f.match.filter((o) => 'mask' in o && o.mask === '0.0.0.0'));
    expect(zeroMasks).toEqual([]);
  });
});
