// Proof with real OVS and real packets: security groups from the projection are stateful (conntrack) with Neutron semantics.
//
// Two simulated hypervisors, one network. A1 (host A) and B1 (host B) are in group D, a Neutron
// default group (egress open, ingress from members of D); A2 (host A) is in group W (egress open, no
// ingress until a tcp/22 rule). Flows come only from the projection and are loaded with
// `ovs-ofctl replace-flows` (no controller), so conntrack entries survive every rule change.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FlowProjection } from '../../projections/flows/incremental.ts';
import type { SecurityGroupRuleInput, TopologyEvent } from '../../projections/topology/inputs.ts';
import { interfaceName } from '../../projections/topology/view.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { OvsTestbed, type OvsHost, type Vm } from '../support/ovsTestbed.ts';
import { hostRegistered, networkCreated, portBound, portCreated, switchPort } from '../projections/support/topologyFixtures.ts';
import { replaceFlows } from '../support/replaceFlows.ts';

const NET = '0e100000-0000-4000-8000-0000000000a1';
const VNI = 6001;
const CIDR_BITS = 24;
const GROUP_D = 'sg-default';
const GROUP_W = 'sg-web';
const SSH = 22;
const TELNET = 23;
/** nc's connect timeout (s): long enough for the tunnel, short enough for blocked ports. */
const NC_WAIT_S = '2';

interface VmDef { name: string; host: 'A' | 'B'; id: string; mac: string; ip: string; group: string }
const VMS: VmDef[] = [
  { name: 'A1', host: 'A', id: 'a1000001-0000-4000-8000-0000000000a1', mac: '02:00:00:00:0a:01', ip: '10.0.0.11', group: GROUP_D },
  { name: 'A2', host: 'A', id: 'a2000002-0000-4000-8000-0000000000a2', mac: '02:00:00:00:0a:02', ip: '10.0.0.12', group: GROUP_W },
  { name: 'B1', host: 'B', id: 'b1000001-0000-4000-8000-0000000000b1', mac: '02:00:00:00:0b:01', ip: '10.0.0.21', group: GROUP_D },
];
const HOSTS = { A: { name: 'hv1', tunnelIp: '192.168.50.1' }, B: { name: 'hv2', tunnelIp: '192.168.50.2' } } as const;

function rule(id: string, securityGroupId: string, r: Partial<SecurityGroupRuleInput> & Pick<SecurityGroupRuleInput, 'direction'>): TopologyEvent {
  return {
    type: 'SecurityGroupRuleCreated',
    data: { id, securityGroupId, ethertype: 'IPv4', protocol: null, portRangeMin: null, portRangeMax: null, remoteIpPrefix: null, remoteGroupId: null, ...r },
  };
}
const ruleDeleted = (id: string, securityGroupId: string): TopologyEvent => ({ type: 'SecurityGroupRuleDeleted', data: { id, securityGroupId } });

describeWithOvs('security groups from projected flows: conntrack, default group, rules (2 hosts, 3 VMs)', () => {
  let tb: OvsTestbed;
  const hosts = {} as Record<'A' | 'B', OvsHost>;
  const vms: Record<string, Vm> = {};
  const proj = new FlowProjection();
  const children: ChildProcess[] = [];
  const def = (name: string) => VMS.find((v) => v.name === name)!;

  async function feed(events: TopologyEvent[]): Promise<void> {
    for (const e of events) proj.apply(e);
    for (const key of ['A', 'B'] as const) await replaceFlows(hosts[key], proj.desired(HOSTS[key].name).values());
  }

  /** A TCP listener in a VM (netcat-openbsd), writing what it receives to a file; killed in afterAll by its pid. */
  function listen(vm: string, port: number, keep: boolean, outFile = '/dev/null'): void {
    const args = keep ? ['-lk', String(port)] : ['-l', String(port)];
    const c = spawn('sh', ['-c', `exec ip netns exec ${vms[vm].ns} nc ${args.join(' ')} > ${outFile}`], { stdio: 'ignore' });
    children.push(c);
  }

  const connects = async (from: string, to: string, port: number): Promise<boolean> =>
    (await vms[from].exec(['nc', '-z', '-w', NC_WAIT_S, def(to).ip, String(port)], { allowFailure: true })).code === 0;
  const pings = async (from: string, to: string): Promise<boolean> =>
    (await vms[from].ping(def(to).ip, { count: 2, timeoutS: 1 })).received > 0;

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    hosts.A = await tb.addHost({ name: 'A', datapathId: 0xa1n, tunnelIp: HOSTS.A.tunnelIp });
    hosts.B = await tb.addHost({ name: 'B', datapathId: 0xa2n, tunnelIp: HOSTS.B.tunnelIp });
    const events: TopologyEvent[] = [
      networkCreated(NET, VNI),
      // the default group as Neutron creates it: egress open, ingress only from members
      rule('d-egress', GROUP_D, { direction: 'egress' }),
      rule('d-ingress', GROUP_D, { direction: 'ingress', remoteGroupId: GROUP_D }),
      rule('w-egress', GROUP_W, { direction: 'egress' }),
    ];
    for (const key of ['A', 'B'] as const) {
      events.push(hostRegistered(HOSTS[key].name, HOSTS[key].tunnelIp));
      events.push(switchPort(HOSTS[key].name, 'vxlan0', await hosts[key].ofportOf('vxlan0')));
    }
    for (const v of VMS) {
      const iface = interfaceName(v.id, {});
      vms[v.name] = await hosts[v.host].addVm({ name: v.name, iface, mac: v.mac, ip: `${v.ip}/${CIDR_BITS}` });
      const created = portCreated({ id: v.id, networkId: NET, mac: v.mac, ips: [v.ip] });
      if (created.type !== 'PortCreated') throw new Error('fixture');
      events.push({ ...created, data: { ...created.data, securityGroups: [v.group] } }, portBound(v.id, HOSTS[v.host].name),
        switchPort(HOSTS[v.host].name, iface, await hosts[v.host].ofportOf(iface)));
    }
    await feed(events);
    listen('A2', SSH, true);
    listen('A2', TELNET, true);
  });

  afterAll(async () => {
    for (const c of children) if (c.pid !== undefined && c.exitCode === null) c.kill('SIGTERM');
    await tb?.teardown();
  });

  it('default group: members reach each other (also over the tunnel), a non-member cannot get in', async () => {
    expect(await pings('B1', 'A1')).toBe(true);
    expect(await pings('A1', 'B1')).toBe(true);
    expect(await pings('A2', 'A1')).toBe(false);
    expect(await pings('A2', 'B1')).toBe(false);
    // the remote-group rule is a conjunction: clause 1 per port, clause 2 per member address, shared
    const lines = await hosts.A.flowLines('br-int', 'table=51');
    expect(lines.filter((l) => l.includes('conj_id='))).toHaveLength(1);
    for (const v of VMS.filter((x) => x.group === GROUP_D)) expect(lines.some((l) => l.includes(`nw_src=${v.ip} `) && l.includes('conjunction('))).toBe(true);
  });

  it('a group without ingress rules admits no new connection, from either host', async () => {
    expect(await pings('A1', 'A2')).toBe(false);
    expect(await pings('B1', 'A2')).toBe(false);
    expect(await connects('A1', 'A2', SSH)).toBe(false);
  });

  it('a tcp/22 ingress rule lets 22 through and not 23; removing it stops new connections', async () => {
    await feed([rule('w-ssh', GROUP_W, { direction: 'ingress', protocol: 'tcp', portRangeMin: SSH, portRangeMax: SSH, remoteIpPrefix: '0.0.0.0/0' })]);
    expect(await connects('A1', 'A2', SSH)).toBe(true);
    expect(await connects('B1', 'A2', SSH)).toBe(true);
    expect(await connects('A1', 'A2', TELNET)).toBe(false);
    expect(await pings('A1', 'A2')).toBe(false);
    await feed([ruleDeleted('w-ssh', GROUP_W)]);
    expect(await connects('A1', 'A2', SSH)).toBe(false);
    expect(await connects('B1', 'A2', SSH)).toBe(false);
  });

  it('an established connection survives a rule change that still allows it (22 -> range 20-25)', async () => {
    // a listener that records what arrives, on a port of the range (22 and 23 have keep-alive listeners)
    const RECORDED = 24;
    const out = join(hosts.A.dir, 'received.txt');
    await feed([rule('w-ssh', GROUP_W, { direction: 'ingress', protocol: 'tcp', portRangeMin: SSH, portRangeMax: SSH }),
      rule('w-24', GROUP_W, { direction: 'ingress', protocol: 'tcp', portRangeMin: RECORDED, portRangeMax: RECORDED })]);
    listen('A2', RECORDED, false, out);
    await new Promise((r) => setTimeout(r, 300));
    const client = spawn('ip', ['netns', 'exec', vms.B1.ns, 'sh', '-c', `(echo first; sleep 3; echo second) | nc -N ${def('A2').ip} ${RECORDED}`], { stdio: 'ignore' });
    children.push(client);
    const done = new Promise<number | null>((resolve) => client.on('exit', (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 1000));
    // mid-connection: replace the exact-port rules by one range rule that still allows 24 (masked tcp_dst flows)
    await feed([ruleDeleted('w-24', GROUP_W), ruleDeleted('w-ssh', GROUP_W),
      rule('w-range', GROUP_W, { direction: 'ingress', protocol: 'tcp', portRangeMin: 20, portRangeMax: 25 })]);
    const lines = await hosts.A.flowLines('br-int', 'table=51');
    expect(lines.some((l) => /tp_dst=24[ ,]/.test(l))).toBe(false);
    expect(lines.some((l) => l.includes('tp_dst=0x14/0xfffc'))).toBe(true);
    expect(await done).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toEqual(['first', 'second']);
    // and the range really is in force: 23 now connects, 26 would not
    expect(await connects('A1', 'A2', TELNET)).toBe(true);
  });
});
