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
import type { TopologyView } from '../projections/topology/view.ts';
import { subnet } from '../test/projections/support/externalFixtures.ts';
import { networkCreated } from '../test/projections/support/topologyFixtures.ts';
import { floatingIp, floatingIpCloud, ROUTER_INTERFACE, uuid, vm, VNI } from './support/floatingIpCloud.ts';

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
const history = () => floatingIpCloud({ hosts: HOSTS, fips: FIPS, gateway: GATEWAY });

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
    if (touches(ev)[0] === floatingIpUnit(floatingIp(i))) named++;
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
