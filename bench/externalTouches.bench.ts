// Southbound L3: which floating IP units one port event touches, in a cloud of many floating IPs (index vs the old pass over all).
// Run: node bin/run-ts.js bench/externalTouches.bench.ts [--hosts=50] [--fips=5000] [--events=20000] [--runs=5] [--gateway=1]
//
// The flow projection asks externalTouches (projections/flows/externalUnits.ts) for every event,
// before and after folding it. Side by side, for port events on VMs that each hold a floating IP:
// externalTouches through the floating IP indexes, and the pass over every floating IP it replaced
// (copied below from e2edb6f). Both must name the same units. For scale, the whole incremental step
// of the projection for one such event (FlowProjection.apply, which calls externalTouches twice) is
// timed too. Then a tenant network and its subnet created in that cloud (the projection's whole step:
// before 7b29595 each touched every floating IP unit; compare by running this file at both commits).
// --gateway=0 leaves the router without an external gateway (its floating IPs still get a NAT zone
// and DVR on their VMs' hosts): a network event then costs only what the floating IP touches add,
// without the gateway's router-wide recompute (projections/flows/gatewayUnit.ts touches every
// gateway unit on any network or subnet event, and each of those every next hop of the router).
// Pure CPU in one process, no switch: per-event figures of one core.
import { externalTouches, floatingIpUnit } from '../projections/flows/externalUnits.ts';
import { FlowProjection } from '../projections/flows/incremental.ts';
import { externalOf } from '../projections/topology/external.ts';
import type { TopologyEvent } from '../projections/topology/inputs.ts';
import { routersOf } from '../projections/topology/routers.ts';
import { interfaceName, type TopologyView } from '../projections/topology/view.ts';
import {
  floatingIpAssociated, floatingIpCreated, gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet,
} from '../test/projections/support/externalFixtures.ts';
import { networkCreated, portBound, switchPort } from '../test/projections/support/topologyFixtures.ts';

/** Tenant networks created per run for the network figure (each: NetworkCreated + SubnetCreated). */
const NEW_NETWORKS = 20;
const arg = (name: string, dflt: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const HOSTS = arg('hosts', 50);
const FIPS = arg('fips', 5000);
const EVENTS = arg('events', 20_000);
const RUNS = arg('runs', 5);
const GATEWAY = arg('gateway', 1) !== 0;
/** The projection step does real flow work per event: fewer of them per run. */
const APPLY_EVENTS = Math.max(1, Math.floor(EVENTS / 10));
const NET = 'a0000000-0000-4000-8000-000000000000';
const EXT = 'e0000000-0000-4000-8000-000000000000';
const ROUTER = 'r0000000-0000-4000-8000-000000000000';
const LEG = 'ra000000-0000-4000-8000-000000000000';
const ROUTER_INTERFACE = 'network:router_interface';
const PHYS_OFPORT = 7;
const TUNNEL_OFPORT = 100;
const VNI = 9000;
/** VM ofports start above the physical port's number */
const FIRST_VM_OFPORT = 10;

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
const uuid = (kind: number, i: number) => `${hex(kind, 2)}${hex(i, 6)}-0000-4000-8000-000000000000`;
const octets = (i: number) => `${(i >> 8) & 255}.${i & 255}`;
const vm = (i: number) => uuid(0xbb, i);

function history(): TopologyEvent[] {
  const ev: TopologyEvent[] = [
    networkCreated(NET, VNI), subnet('tenant', NET, '10.0.0.0/16', '10.0.0.1'),
    providerNetworkCreated(EXT, 'public'), subnet('ext', EXT, '172.16.0.0/12', '172.16.0.1'),
    { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
    servicePort(LEG, NET, '02:aa:00:00:00:01', '10.0.0.1', 'tenant', ROUTER_INTERFACE),
    { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: LEG, subnetId: 'tenant' } },
    servicePort(uuid(0xee, 0), EXT, '02:ee:00:00:00:01', '172.16.0.2', 'ext', 'network:router_gateway'),
    ...(GATEWAY ? [gatewaySet(ROUTER, EXT, uuid(0xee, 0), '172.16.0.2', 'ext')] : []),
  ];
  for (let h = 0; h < HOSTS; h++) {
    ev.push(mappedHost(`hv${h}`, `192.0.2.${h + 1}`, { public: 'ex-public' }), switchPort(`hv${h}`, 'ex-public', PHYS_OFPORT), switchPort(`hv${h}`, 'vxlan0', TUNNEL_OFPORT));
  }
  for (let i = 0; i < FIPS; i++) {
    const host = `hv${i % HOSTS}`;
    const fixed = `10.0.${octets(i + 10)}`;
    const address = `172.17.${octets(i)}`;
    ev.push(servicePort(vm(i), NET, `02:bb:00:${hex((i >> 16) & 255, 2)}:${hex((i >> 8) & 255, 2)}:${hex(i & 255, 2)}`, fixed, 'tenant', 'compute:nova'),
      portBound(vm(i), host), switchPort(host, interfaceName(vm(i), {}), FIRST_VM_OFPORT + Math.floor(i / HOSTS)),
      servicePort(uuid(0xef, i), EXT, `02:ef:00:${hex((i >> 16) & 255, 2)}:${hex((i >> 8) & 255, 2)}:${hex(i & 255, 2)}`, address, 'ext', 'network:floatingip'),
      floatingIpCreated(uuid(0xf1, i), EXT, 'ext', address, uuid(0xef, i)),
      floatingIpAssociated(uuid(0xf1, i), vm(i), fixed, ROUTER));
  }
  return ev;
}

/** externalTouches' port branch before the indexes (e2edb6f): every floating IP of the cloud per port event. */
function scanPortTouches(view: TopologyView, portId: string): string[] {
  const out: string[] = [];
  const maybeLeg = view.ports.get(portId)?.deviceOwner === ROUTER_INTERFACE;
  for (const fip of externalOf(view).floatingIps.values()) {
    const a = fip.association;
    const viaRouter = maybeLeg && a ? routersOf(view).get(a.routerId)?.interfaces.some((i) => i.portId === portId) : false;
    if (fip.portId === portId || a?.portId === portId || viaRouter) out.push(floatingIpUnit(fip.id));
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** A port event on VM i: admin state down on odd rounds, up on even ones (each one changes the port's flows). */
const portEvent = (i: number, round: number): TopologyEvent => ({ type: 'PortUpdated', data: { id: vm(i), changes: { adminStateUp: round % 2 === 0 } } });

/** Microseconds per call of `touches` over EVENTS port events on VMs taken in turn; checks every answer names the VM's floating IP. */
function perEvent(view: TopologyView, touches: (ev: TopologyEvent & { type: 'PortUpdated' }) => string[]): number {
  const t0 = performance.now();
  let named = 0;
  for (let n = 0; n < EVENTS; n++) {
    const i = n % FIPS;
    const ev = portEvent(i, 0) as TopologyEvent & { type: 'PortUpdated' };
    if (touches(ev)[0] === floatingIpUnit(uuid(0xf1, i))) named++;
  }
  const us = ((performance.now() - t0) * 1000) / EVENTS;
  if (named !== EVENTS) throw new Error(`only ${named} of ${EVENTS} answers named the VM's floating IP`);
  return us;
}

function main(): void {
  const projection = new FlowProjection();
  const tBuild = performance.now();
  projection.applyBatch(history());
  const buildMs = performance.now() - tBuild;
  const view = projection.view;
  const indexed = (ev: TopologyEvent & { type: 'PortUpdated' }) => externalTouches(view, ev);
  const scan = (ev: TopologyEvent & { type: 'PortUpdated' }) => scanPortTouches(view, ev.data.id);
  const a: number[] = [];
  const b: number[] = [];
  const p: number[] = [];
  let round = 1;
  for (let r = 0; r < RUNS; r++) {
    a.push(perEvent(view, indexed));
    b.push(perEvent(view, scan));
    // the projection's whole step for the same kind of event (down, then up again on the next run)
    const t0 = performance.now();
    for (let n = 0; n < APPLY_EVENTS; n++) projection.apply(portEvent(n % FIPS, round));
    p.push(((performance.now() - t0) * 1000) / APPLY_EVENTS);
    round++;
  }
  // tenant networks created in the loaded cloud: the projection step of NetworkCreated + SubnetCreated
  const nets: number[] = [];
  let made = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let n = 0; n < NEW_NETWORKS; n++, made++) {
      const id = uuid(0xa1, made);
      projection.apply(networkCreated(id, VNI + 1 + made));
      projection.apply(subnet(`t${made}`, id, `10.${100 + (made >> 8)}.${made & 255}.0/24`, null));
    }
    nets.push((performance.now() - t0) / NEW_NETWORKS);
  }
  const fmt = (x: number) => x.toFixed(2);
  const [ma, mb, mp] = [median(a), median(b), median(p)];
  console.log(`external touches per port event: ${FIPS} floating IPs (one per VM) over ${HOSTS} hosts, router gateway ${GATEWAY ? 'set' : 'none'}, ${EVENTS} events per run, ${RUNS} runs (cold start of the projection ${buildMs.toFixed(0)} ms)`);
  console.log(`  indexed (the port's own):        median ${fmt(ma)} us/call  runs ${a.map(fmt).join(' ')}`);
  console.log(`  scan (every floating IP):        median ${fmt(mb)} us/call  runs ${b.map(fmt).join(' ')}`);
  console.log(`  ratio scan/indexed: ${(mb / ma).toFixed(0)}x`);
  console.log(`  projection step (FlowProjection.apply, 2 touches calls), indexed: median ${fmt(mp)} us/event  runs ${p.map(fmt).join(' ')}`);
  console.log(`  same step with the scan, estimated (+ 2 x (scan - indexed)): ${fmt(mp + 2 * (mb - ma))} us/event`);
  console.log(`  tenant network + subnet created (projection step): median ${fmt(median(nets))} ms/network  runs ${nets.map(fmt).join(' ')}`);
}

main();
