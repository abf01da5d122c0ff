// The flow projection's CPU per port event of one more port, with N ports already on one host (projection only, no switch).
// Run: node bin/run-ts.js bench/portFold.bench.ts [--ports=5000] [--runs=31] [--security-groups=none|default|both] [--batch=1000] [--networks=vxlan|vlan|both]
//
// The shape of bench/oneMorePort.bench.ts at the projection: one host, one network, N ports
// created, bound and seen on the switch. Then, --runs times, one more port folded one event per
// applyBatch (the controller's feed folds each as it becomes durable): PortCreated, PortBoundToHost,
// SwitchPortObserved; then taken away again (SwitchPortRemoved, PortDeleted) so every run sees N
// ports. 'none': security_groups [] (port security on); 'default': every port in the project's default
// group with Neutron's default rules (egress open, ingress from the group itself: a remote group).
// --networks: the network is a VXLAN tenant network (default), a VLAN provider network the VMs are
// bound on directly (the host maps physnet 'public' to its port ex-public), or both in turn, same minutes.
// Figures: process CPU (user + system, /proc via process.cpuUsage) per event, median and p90, and the
// flow changes each event sends. Pure CPU in one process: per-event figures of one core.
import { FlowProjection } from '../projections/flows/incremental.ts';
import type { TopologyEvent } from '../projections/topology/inputs.ts';
import { interfaceName } from '../projections/topology/view.ts';
import { hostRegistered, networkCreated, portBound, portCreated, switchPort, switchPortRemoved } from '../test/projections/support/topologyFixtures.ts';

const arg = (name: string, dflt: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const PORTS = Number(arg('ports', '5000'));
const RUNS = Number(arg('runs', '31'));
const BATCH = Number(arg('batch', '1000'));
const GROUPS = arg('security-groups', 'both');
const NETWORKS = arg('networks', 'vxlan');
const HOST = 'hv1';
const PHYS_OFPORT = 0xfff00;
const VNI = 1000;
const TUNNEL_OFPORT = 1;
const NET = 'ne000000-0000-4000-8000-000000000000';
const GROUP = 'sg000000-0000-4000-8000-000000000000';
/** the one more port's index: above every port already there */
const EXTRA = 0xfffff;
const P90 = 0.9;

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');
const portId = (i: number): string => `${hex(i, 8)}-0000-4000-8000-000000000000`;

/** Neutron's default group: egress IPv4/IPv6 anywhere, ingress IPv4/IPv6 from members of the group. */
function defaultRules(): TopologyEvent[] {
  return (['egress', 'ingress'] as const).flatMap((direction) => (['IPv4', 'IPv6'] as const).map((ethertype): TopologyEvent => ({
    type: 'SecurityGroupRuleCreated',
    data: {
      id: `r-${direction}-${ethertype}`, securityGroupId: GROUP, direction, ethertype, protocol: null, portRangeMin: null,
      portRangeMax: null, remoteIpPrefix: null, remoteGroupId: direction === 'ingress' ? GROUP : null,
    },
  } as TopologyEvent)));
}

function created(i: number, withGroup: boolean): TopologyEvent {
  const e = portCreated({ id: portId(i), networkId: NET, mac: `fa:16:3e:${hex((i >> 16) & 255, 2)}:${hex((i >> 8) & 255, 2)}:${hex(i & 255, 2)}`, ips: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`] });
  if (e.type !== 'PortCreated') throw new Error('fixture');
  return { ...e, data: { ...e.data, securityGroups: withGroup ? [GROUP] : [] } };
}

let KIND: 'vxlan' | 'vlan' = 'vxlan';
const network = (): TopologyEvent => KIND === 'vxlan' ? networkCreated(NET, VNI)
  : { type: 'NetworkCreated', data: { id: NET, projectId: 'proj-a', segment: { networkType: 'vlan', physicalNetwork: 'public', segmentationId: 101 } } };

function history(withGroup: boolean): TopologyEvent[] {
  const ev: TopologyEvent[] = [hostRegistered(HOST, '192.0.2.1'), switchPort(HOST, 'vxlan0', TUNNEL_OFPORT), network(),
    { type: 'HostUpdated', data: { name: HOST, changes: { bridgeMappings: { public: 'ex-public' } } } }, switchPort(HOST, 'ex-public', PHYS_OFPORT)];
  if (withGroup) ev.push(...defaultRules());
  for (let i = 0; i < PORTS; i++) ev.push(created(i, withGroup), portBound(portId(i), HOST));
  for (let i = 0; i < PORTS; i++) ev.push(switchPort(HOST, interfaceName(portId(i), {}), i + 2));
  return ev;
}

const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const quantile = (xs: number[], q: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

function run(withGroup: boolean): void {
  const proj = new FlowProjection();
  const events = history(withGroup);
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += BATCH) proj.applyBatch(events.slice(i, i + BATCH));
  const foldMs = performance.now() - t0;
  const id = portId(EXTRA);
  const iface = interfaceName(id, {});
  const steps: [string, TopologyEvent][] = [
    ['PortCreated', created(EXTRA, withGroup)], ['PortBoundToHost', portBound(id, HOST)],
    ['SwitchPortObserved', switchPort(HOST, iface, PORTS + 2)], ['SwitchPortRemoved', switchPortRemoved(HOST, iface)],
    ['PortDeleted', { type: 'PortDeleted', data: { id, networkId: NET } } as TopologyEvent],
  ];
  const cpu = new Map<string, number[]>(steps.map(([n]) => [n, []]));
  const changes = new Map<string, number>();
  const perPort: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let sum = 0;
    for (const [name, ev] of steps) {
      const c0 = cpuMs();
      const ch = proj.apply(ev);
      const c = cpuMs() - c0;
      cpu.get(name)!.push(c);
      if (name !== 'SwitchPortRemoved' && name !== 'PortDeleted') sum += c;
      changes.set(name, [...ch.values()].reduce((n, h) => n + h.upserts.size + h.deletes.size, 0));
    }
    perPort.push(sum);
  }
  console.log(`${KIND}, security groups ${withGroup ? 'default' : 'none'}: ${PORTS} ports, ${proj.desired(HOST).size} desired flows, folded in ${foldMs.toFixed(0)} ms; CPU ms per event, median (p90) of ${RUNS}:`);
  for (const [name] of steps) console.log(`  ${name.padEnd(20)} ${quantile(cpu.get(name)!, 0.5).toFixed(3)} (${quantile(cpu.get(name)!, P90).toFixed(3)})  flow changes ${changes.get(name)}`);
  console.log(`  one more port (first three) ${quantile(perPort, 0.5).toFixed(3)} (${quantile(perPort, P90).toFixed(3)})`);
}

for (const kind of ['vxlan', 'vlan'] as const) {
  if (NETWORKS !== 'both' && NETWORKS !== kind) continue;
  KIND = kind;
  console.log(`portFold ${kind}: load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (GROUPS !== 'default') run(false);
  if (GROUPS !== 'none') run(true);
}
