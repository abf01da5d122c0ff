// Southbound L3: desired flows per host for a router with many subnets (by stage), and the projection cost of one router change.
// Run: node bin/run-ts.js bench/l3Flows.bench.ts [--subnets=10] [--hosts=10] [--vms-per-subnet=10] [--fips=100] [--runs=5]
//
// Pure projection figures (no switch): the distributed router is on every host with a port in one of
// its networks, so its table-62 routes grow with subnets^2 per host and its next hops with the VMs.
// With --fips=N (issue 5): the router gets a gateway on a flat provider network every host maps, and
// the first N VMs a floating IP each (DVR: NAT flows on the VM's host).
import { FlowProjection } from '../projections/flows/incremental.ts';
import { COOKIE_STAGES } from '../projections/pipeline/cookie.ts';
import type { TopologyEvent } from '../projections/topology/inputs.ts';
import { networkCreated, portBound, portCreated, switchPort, switchPortRemoved } from '../test/projections/support/topologyFixtures.ts';
import {
  floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet,
} from '../test/projections/support/externalFixtures.ts';
import { interfaceName } from '../projections/topology/view.ts';

const arg = (name: string, dflt: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const SUBNETS = arg('subnets', 10);
const HOSTS = arg('hosts', 10);
const VMS = arg('vms-per-subnet', 10);
const FIPS = arg('fips', 100);
const RUNS = arg('runs', 5);
const EXT = 'e0000000-0000-4000-8000-000000000000';
const PHYS_OFPORT = 7;
const STAGE_SHIFT = 44n;
const NIBBLE = 0xfn;
const VNI_BASE = 9000;
const TUNNEL_OFPORT = 100;

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
const uuid = (kind: number, i: number) => `${hex(kind, 2)}${hex(i, 6)}-0000-4000-8000-000000000000`;

function history(): TopologyEvent[] {
  const ev: TopologyEvent[] = [{ type: 'RouterCreated', data: { id: 'router', adminStateUp: true, routes: [] } }];
  for (let h = 0; h < HOSTS; h++) {
    ev.push(mappedHost(`hv${h}`, `192.0.2.${h + 1}`, FIPS > 0 ? { public: 'ex-public' } : {}), switchPort(`hv${h}`, 'vxlan0', TUNNEL_OFPORT));
    if (FIPS > 0) ev.push(switchPort(`hv${h}`, 'ex-public', PHYS_OFPORT));
  }
  for (let s = 0; s < SUBNETS; s++) {
    const net = uuid(0x0e, s);
    const sub = uuid(0x5b, s);
    ev.push(networkCreated(net, VNI_BASE + s), { type: 'SubnetCreated', data: { id: sub, networkId: net, ipVersion: 4, cidr: `10.${s}.0.0/24`, gatewayIp: `10.${s}.0.1` } });
    const rp = portCreated({ id: uuid(0xaa, s), networkId: net, mac: `02:aa:00:00:${hex(s, 2)}:01`, ips: [`10.${s}.0.1`] });
    if (rp.type === 'PortCreated') ev.push({ ...rp, data: { ...rp.data, deviceOwner: 'network:router_interface', fixedIps: [{ subnetId: sub, ipAddress: `10.${s}.0.1` }] } });
    ev.push({ type: 'RouterInterfaceAdded', data: { id: 'router', portId: uuid(0xaa, s), subnetId: sub } });
    for (let v = 0; v < VMS; v++) {
      const id = uuid(0xbb, s * 1000 + v);
      const host = `hv${(s * VMS + v) % HOSTS}`;
      const p = portCreated({ id, networkId: net, mac: `02:bb:00:${hex(s, 2)}:${hex(v, 2)}:01`, ips: [`10.${s}.0.${v + 10}`] });
      if (p.type === 'PortCreated') ev.push({ ...p, data: { ...p.data, fixedIps: [{ subnetId: sub, ipAddress: `10.${s}.0.${v + 10}` }] } });
      ev.push(portBound(id, host), switchPort(host, interfaceName(id, {}), v + 1 + s * VMS));
    }
  }
  return [...ev, ...floatingIps()];
}

/** The gateway on a flat provider network (172.16.0.0/16) and one floating IP per VM, in VM order. */
function floatingIps(): TopologyEvent[] {
  if (FIPS === 0) return [];
  const ev: TopologyEvent[] = [providerNetworkCreated(EXT, 'public'), subnet('ext-subnet', EXT, '172.16.0.0/16', '172.16.0.1'),
    servicePort(uuid(0xee, 0), EXT, '02:ee:00:00:00:01', '172.16.0.2', 'ext-subnet', 'network:router_gateway'),
    gatewaySet('router', EXT, uuid(0xee, 0), '172.16.0.2', 'ext-subnet')];
  for (let i = 0; i < FIPS; i++) {
    const s = Math.floor(i / VMS) % SUBNETS;
    const v = i % VMS;
    const address = `172.16.${1 + (i >> 8)}.${i & 255}`;
    ev.push(servicePort(uuid(0xef, i), EXT, `02:ef:00:00:${hex(i >> 8, 2)}:${hex(i & 255, 2)}`, address, 'ext-subnet', 'network:floatingip'),
      floatingIpCreated(uuid(0xf1, i), EXT, 'ext-subnet', address, uuid(0xef, i)),
      floatingIpAssociated(uuid(0xf1, i), uuid(0xbb, s * 1000 + v), `10.${s}.0.${v + 10}`, 'router'));
  }
  return ev;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const proj = new FlowProjection();
const t0 = process.hrtime.bigint();
proj.applyBatch(history());
const foldMs = Number(process.hrtime.bigint() - t0) / 1e6;
// the first fold includes JIT warm-up: the steady figure is the median of --runs more folds into fresh projections
const folds: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const events = history();
  const s = process.hrtime.bigint();
  new FlowProjection().applyBatch(events);
  folds.push(Number(process.hrtime.bigint() - s) / 1e6);
}
const perHost = proj.hostNames().map((h) => {
  const byStage = new Map<string, number>();
  for (const f of proj.desired(h).values()) {
    const stage = COOKIE_STAGES[Number((f.cookie >> STAGE_SHIFT) & NIBBLE)] ?? '?';
    byStage.set(stage, (byStage.get(stage) ?? 0) + 1);
  }
  return { host: h, total: proj.desired(h).size, byStage };
});
const totals = perHost.map((p) => p.total);
const routing = perHost.map((p) => p.byStage.get('routing') ?? 0);
console.log(`router with ${SUBNETS} subnets, ${SUBNETS * VMS} VMs on ${HOSTS} hosts, ${FIPS} floating IPs (no security groups): full fold ${foldMs.toFixed(0)} ms (first), median of ${RUNS} more ${median(folds).toFixed(0)} ms`);
console.log(`flows per host: median ${median(totals)} (min ${Math.min(...totals)}, max ${Math.max(...totals)}); routing stage: median ${median(routing)}`);
console.log('by stage on hv0:', Object.fromEntries(perHost[0].byStage));
if (FIPS > 0) {
  const fip = perHost.map((p) => p.byStage.get('floating_ip') ?? 0);
  const ext = perHost.map((p) => p.byStage.get('external') ?? 0);
  console.log(`floating_ip stage per host: median ${median(fip)} (min ${Math.min(...fip)}, max ${Math.max(...fip)}, total ${fip.reduce((a, b) => a + b, 0)}); external stage: median ${median(ext)}`);
  // one floating IP more: disassociate and reassociate the last one (its NAT host only)
  const last = uuid(0xf1, FIPS - 1);
  const lastVm = uuid(0xbb, (Math.floor((FIPS - 1) / VMS) % SUBNETS) * 1000 + ((FIPS - 1) % VMS));
  const lastIp = `10.${Math.floor((FIPS - 1) / VMS) % SUBNETS}.0.${((FIPS - 1) % VMS) + 10}`;
  const assoc: number[] = [];
  let fipChanges = 0;
  for (let i = 0; i < RUNS; i++) {
    proj.apply({ type: 'FloatingIpDisassociated', data: { id: last } });
    const s = process.hrtime.bigint();
    const c = proj.apply(floatingIpAssociated(last, lastVm, lastIp, 'router'));
    assoc.push(Number(process.hrtime.bigint() - s) / 1e6);
    fipChanges = [...c.values()].reduce((n, h) => n + h.upserts.size + h.deletes.size, 0);
  }
  console.log(`one floating IP association: median ${median(assoc).toFixed(2)} ms to recompute (${RUNS} runs), ${fipChanges} flow changes`);
}

// one router change: adding a static route touches the router unit on every host
const times: number[] = [];
let changed = 0;
for (let i = 0; i < RUNS; i++) {
  const s = process.hrtime.bigint();
  const c = proj.apply({ type: 'RouterUpdated', data: { id: 'router', changes: { routes: i % 2 === 0 ? [{ destination: '172.16.0.0/12', nexthop: '10.0.0.10' }] : [] } } });
  times.push(Number(process.hrtime.bigint() - s) / 1e6);
  changed = [...c.values()].reduce((n, h) => n + h.upserts.size + h.deletes.size, 0);
}
console.log(`one static route added/removed: median ${median(times).toFixed(2)} ms to recompute (${RUNS} runs), ${changed} flow changes over ${HOSTS} hosts`);
// one VM added to subnet 0: every host of the router learns its next hop (then removed again, so each run adds it anew)
const id = uuid(0xcc, 1);
const p = portCreated({ id, networkId: uuid(0x0e, 0), mac: '02:cc:00:00:00:01', ips: ['10.0.0.250'] });
const ev: TopologyEvent[] = p.type === 'PortCreated' ? [{ ...p, data: { ...p.data, fixedIps: [{ subnetId: uuid(0x5b, 0), ipAddress: '10.0.0.250' }] } }] : [];
const vmTimes: number[] = [];
let n = 0;
for (let i = 0; i < RUNS; i++) {
  n = 0;
  const s2 = process.hrtime.bigint();
  for (const e of [...ev, portBound(id, 'hv0'), switchPort('hv0', interfaceName(id, {}), 999)]) n += [...proj.apply(e).values()].reduce((k, h) => k + h.upserts.size + h.deletes.size, 0);
  vmTimes.push(Number(process.hrtime.bigint() - s2) / 1e6);
  proj.apply(switchPortRemoved('hv0', interfaceName(id, {})));
  proj.apply({ type: 'PortDeleted', data: { id, networkId: uuid(0x0e, 0) } });
}
console.log(`one more VM in a routed subnet: median ${median(vmTimes).toFixed(2)} ms for its 3 events (${RUNS} runs, min ${Math.min(...vmTimes).toFixed(2)}, max ${Math.max(...vmTimes).toFixed(2)}), ${n} flow changes`);
