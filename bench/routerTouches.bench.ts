// Southbound L3: which routers one event touches in a cloud of many routers (router index vs the old pass over every router's interfaces).
// Run: node bin/run-ts.js bench/routerTouches.bench.ts [--routers=500] [--hosts=20] [--vms-per-network=2] [--events=2000] [--runs=5] [--step-only=0]
//
// Cloud: R routers, each with legs on two tenant networks of its own (2R networks, one subnet each),
// a gateway on one flat provider network that every host maps, scheduled round robin over the hosts;
// V VMs per network bound round robin over the hosts. Two parts, both pure CPU in one process (CPU
// time of the process, process.cpuUsage, so other load on the machine counts less than in wall time):
// 1. Lookups, indexed and scan interleaved run by run (the scan is test/support/scanRouterTouches.ts,
//    the code before the index): routers of a port event, routers of a network, a network's routers
//    for a next-hop unit (asked once per unit and once per host it is on), gateway units a host event names.
// 2. The projection's whole step (FlowProjection.apply) per event: a VM port admin state down and up
//    again, a network MTU update and back, a host's tunnel port and physical port observed again (same
//    ofport, so no flow changes: what is left is what the event touches). Run this file at two commits to compare
//    (--step-only=1 runs only this part, for commits without the router index).
import { FlowProjection } from '../projections/flows/incremental.ts';
import type { TopologyEvent } from '../projections/topology/inputs.ts';
import { interfaceName, type TopologyView } from '../projections/topology/view.ts';
import { gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet } from '../test/projections/support/externalFixtures.ts';
import { networkCreated, portBound, switchPort } from '../test/projections/support/topologyFixtures.ts';

const arg = (name: string, dflt: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const ROUTERS = arg('routers', 500);
const HOSTS = arg('hosts', 20);
const VMS_PER_NETWORK = arg('vms-per-network', 2);
const EVENTS = arg('events', 2000);
const RUNS = arg('runs', 5);
const STEP_ONLY = arg('step-only', 0) !== 0;
const NETWORKS = 2 * ROUTERS;
const VMS = NETWORKS * VMS_PER_NETWORK;
/** The projection step does real flow work per event: fewer of them per run. */
const STEP_EVENTS = Math.max(1, Math.floor(EVENTS / 20));
const EXT = 'e0000000-0000-4000-8000-000000000000';
const PHYS = 'ex-public';
const PHYS_OFPORT = 7;
const TUNNEL_OFPORT = 100;
const FIRST_VM_OFPORT = 10;
const FIRST_VNI = 5000;

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
const uuid = (kind: number, i: number) => `${hex(kind, 2)}${hex(i, 6)}-0000-4000-8000-000000000000`;
const mac = (kind: number, i: number) => `02:${hex(kind, 2)}:00:${hex((i >> 16) & 255, 2)}:${hex((i >> 8) & 255, 2)}:${hex(i & 255, 2)}`;
const net = (n: number) => uuid(0xa0, n);
const router = (r: number) => uuid(0x70, r);
const vm = (i: number) => uuid(0xbb, i);
const host = (h: number) => `hv${h}`;
/** 10.<n / 256>.<n % 256>.0/24 for network n (.1 the leg, .10 up the VMs) */
const prefix = (n: number) => `10.${n >> 8}.${n & 255}`;

function history(): TopologyEvent[] {
  const ev: TopologyEvent[] = [providerNetworkCreated(EXT, 'public'), subnet('ext', EXT, '172.16.0.0/12', '172.16.0.1')];
  for (let h = 0; h < HOSTS; h++) {
    ev.push(mappedHost(host(h), `192.0.2.${h + 1}`, { public: PHYS }), switchPort(host(h), PHYS, PHYS_OFPORT), switchPort(host(h), 'vxlan0', TUNNEL_OFPORT));
  }
  for (let n = 0; n < NETWORKS; n++) ev.push(networkCreated(net(n), FIRST_VNI + n), subnet(`s${n}`, net(n), `${prefix(n)}.0/24`, `${prefix(n)}.1`));
  for (let r = 0; r < ROUTERS; r++) {
    ev.push({ type: 'RouterCreated', data: { id: router(r), adminStateUp: true, routes: [] } });
    for (const n of [2 * r, 2 * r + 1]) {
      ev.push(servicePort(uuid(0x1e, n), net(n), mac(0x1e, n), `${prefix(n)}.1`, `s${n}`, 'network:router_interface'),
        { type: 'RouterInterfaceAdded', data: { id: router(r), portId: uuid(0x1e, n), subnetId: `s${n}` } });
    }
    const gwIp = `172.16.${(r >> 8) + 1}.${r & 255}`;
    ev.push(servicePort(uuid(0x9e, r), EXT, mac(0x9e, r), gwIp, 'ext', 'network:router_gateway'), gatewaySet(router(r), EXT, uuid(0x9e, r), gwIp, 'ext'),
      { type: 'RouterGatewayHostScheduled', data: { id: router(r), host: host(r % HOSTS), reason: 'gateway_set', physicalNetwork: 'public', at: '2026-11-26T00:00:00Z' } });
  }
  for (let i = 0; i < VMS; i++) {
    const n = Math.floor(i / VMS_PER_NETWORK);
    const h = host(i % HOSTS);
    ev.push(servicePort(vm(i), net(n), mac(0xbb, i), `${prefix(n)}.${10 + (i % VMS_PER_NETWORK)}`, `s${n}`, 'compute:nova'),
      portBound(vm(i), h), switchPort(h, interfaceName(vm(i), {}), FIRST_VM_OFPORT + Math.floor(i / HOSTS)));
  }
  return ev;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuUs = () => { const c = process.cpuUsage(); return c.user + c.system; };
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** CPU microseconds per call of f(k) for k = 0..count-1. */
function perCall(count: number, f: (k: number) => unknown): number {
  const t0 = cpuUs();
  for (let k = 0; k < count; k++) f(k);
  return (cpuUs() - t0) / count;
}

const portEvent = (i: number, round: number): TopologyEvent => ({ type: 'PortUpdated', data: { id: vm(i % VMS), changes: { adminStateUp: round % 2 === 0 } } });
const networkEvent = (n: number, round: number): TopologyEvent => ({ type: 'NetworkUpdated', data: { id: net(n % NETWORKS), changes: { mtu: 1400 + (round % 2) } } });
const tunnelEvent = (h: number): TopologyEvent => switchPort(host(h % HOSTS), 'vxlan0', TUNNEL_OFPORT);
const physEvent = (h: number): TopologyEvent => switchPort(host(h % HOSTS), PHYS, PHYS_OFPORT);

async function lookups(view: TopologyView): Promise<void> {
  const { routerTouches, routersOnNetwork, routersTouching } = await import('../projections/topology/routers.ts');
  const { gatewayTouches } = await import('../projections/flows/gatewayUnit.ts');
  const scan = await import('../test/support/scanRouterTouches.ts');
  const cases: { name: string; indexed: (k: number) => unknown; scan: (k: number) => unknown; size: (f: (k: number) => unknown) => number }[] = [
    { name: 'routers of a VM port event (routerTouches)', indexed: (k) => routerTouches(view, portEvent(k, 0), new Set()), scan: (k) => scan.scanRouterTouches(view, portEvent(k, 0), new Set()),
      size: (f) => (f(0) as string[]).length },
    { name: 'routers on a network (routersTouching)', indexed: (k) => routersTouching(view, new Set([net(k % NETWORKS)])), scan: (k) => scan.scanRoutersTouching(view, new Set([net(k % NETWORKS)])),
      size: (f) => (f(0) as string[]).length },
    { name: 'a next-hop unit\'s routers of its network', indexed: (k) => [...routersOnNetwork(view, net(k % NETWORKS))].sort(), scan: (k) => scan.scanRoutersOfNetwork(view, net(k % NETWORKS)),
      size: (f) => (f(0) as string[]).length },
    { name: 'gateway units of a tunnel port event', indexed: (k) => gatewayTouches(view, tunnelEvent(k)), scan: (k) => scan.scanGatewayTouches(view, tunnelEvent(k)),
      size: (f) => (f(0) as string[]).length },
    { name: 'gateway units of a physical port event', indexed: (k) => gatewayTouches(view, physEvent(k)), scan: (k) => scan.scanGatewayTouches(view, physEvent(k)),
      size: (f) => (f(0) as string[]).length },
  ];
  console.log('lookups, CPU us per call (median of runs), indexed vs scan, interleaved:');
  for (const c of cases) {
    const a: number[] = [];
    const b: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      a.push(perCall(EVENTS, c.indexed));
      b.push(perCall(EVENTS, c.scan));
    }
    const [ma, mb] = [median(a), median(b)];
    console.log(`  ${c.name}: indexed ${fmt(ma)} (names ${c.size(c.indexed)})  scan ${fmt(mb)} (names ${c.size(c.scan)})  ${(mb / ma).toFixed(0)}x`);
  }
}

function steps(projection: FlowProjection): void {
  const cases: { name: string; event: (k: number, round: number) => TopologyEvent; count: number }[] = [
    { name: 'VM port admin state toggled', event: portEvent, count: STEP_EVENTS },
    { name: 'network MTU updated', event: networkEvent, count: STEP_EVENTS },
    { name: 'tunnel port observed again', event: (k) => tunnelEvent(k), count: Math.max(1, Math.floor(STEP_EVENTS / 50)) },
    { name: 'physical port observed again', event: (k) => physEvent(k), count: Math.max(1, Math.floor(STEP_EVENTS / 50)) },
  ];
  console.log('projection step (FlowProjection.apply), CPU us per event (median of runs):');
  for (const c of cases) {
    const xs: number[] = [];
    let changes = 0;
    for (let r = 0; r < RUNS; r++) {
      // each run applies the event and its reverse (down then up again, MTU and back), so every run times the same mix
      const apply = (ev: TopologyEvent) => { for (const [, hc] of projection.apply(ev)) changes += hc.upserts.size + hc.deletes.size; };
      xs.push(perCall(c.count, (k) => { apply(c.event(k * 7, 1)); apply(c.event(k * 7, 2)); }) / 2);
    }
    console.log(`  ${c.name}: ${fmt(median(xs))}  runs ${xs.map(fmt).join(' ')}  (${2 * c.count} events per run, ${(changes / (RUNS * 2 * c.count)).toFixed(1)} flow changes per event)`);
  }
}

async function main(): Promise<void> {
  const projection = new FlowProjection();
  const t0 = performance.now();
  projection.applyBatch(history());
  const hostsWithFlows = projection.hostNames().length;
  console.log(`${ROUTERS} routers with legs on ${NETWORKS} networks, gateways over ${HOSTS} hosts, ${VMS} VMs (cold start ${(performance.now() - t0).toFixed(0)} ms, ${hostsWithFlows} hosts with flows, ${projection.desired(host(0)).size} flows on ${host(0)})`);
  if (!STEP_ONLY) await lookups(projection.view);
  steps(projection);
}

await main();
