// Southbound L3: the floating IP status check after one confirmed sync of one host, with many floating IPs over many hosts.
// Run: node bin/run-ts.js bench/floatingIpSync.bench.ts [--hosts=50] [--fips=5000] [--syncs=500] [--runs=5]
//
// After every confirmed sync or diff of a host's switch (with 5000 ports: after every port change),
// the controller asks which floating IPs change status (src/controller/floatingIpStatus.ts). Side by
// side: floatingIpStatusChanges, which looks only at the host's floating IPs through the view's
// association indexes, and the loop it replaced (one pass over every floating IP of the cloud, copied
// below from 6d1051c). Every floating IP is ACTIVE on its VM's host (DVR, every host maps the physical
// network), the steady state; both must report no change. Pure CPU in one process, no switch.
import { natHostOf, floatingIpNat, floatingIpUnit } from '../projections/flows/externalUnits.ts';
import { unitFlows } from '../projections/flows/units.ts';
import { externalOf } from '../projections/topology/external.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../projections/topology/view.ts';
import { ActiveFloatingIps, floatingIpStatusChanges, type HoldsFlow } from '../src/controller/floatingIpStatus.ts';
import type { FloatingIpStatus } from '../src/domain/floatingIp/state.ts';
import { floatingIpCloud } from './support/floatingIpCloud.ts';

const arg = (name: string, dflt: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const HOSTS = arg('hosts', 50);
const FIPS = arg('fips', 5000);
const SYNCS = arg('syncs', 500);
const RUNS = arg('runs', 5);
/** The steady state of the cloud: the router has its gateway. */
const history = () => floatingIpCloud({ hosts: HOSTS, fips: FIPS, gateway: true });

/** The loop before the index (6d1051c): every floating IP of the cloud, on every sync of every host. */
function scanChanges(view: TopologyView, host: string, holds: HoldsFlow, current: (id: string) => FloatingIpStatus | undefined, activeOn: Map<string, string>) {
  const out: { id: string; status: FloatingIpStatus }[] = [];
  for (const fip of externalOf(view).floatingIps.values()) {
    const status = current(fip.id);
    if (status === undefined) continue;
    const natHost = natHostOf(view, fip);
    if (natHost === host) {
      if (status === 'ACTIVE') {
        if (floatingIpNat(view, fip, host) === undefined) out.push({ id: fip.id, status: 'DOWN' });
        else activeOn.set(fip.id, host);
        continue;
      }
      const flows = unitFlows(view, floatingIpUnit(fip.id), host);
      if (flows.size > 0 && [...flows].every(([k, f]) => holds(k, f))) out.push({ id: fip.id, status: 'ACTIVE' });
    } else if (status === 'ACTIVE' && (natHost === undefined || activeOn.get(fip.id) === host)) {
      out.push({ id: fip.id, status: 'DOWN' });
    }
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Microseconds per sync over SYNCS syncs, the hosts taken in turn; throws if a sync reports a change (the steady state has none). */
function perSync(check: (host: string) => readonly unknown[]): number {
  const t0 = performance.now();
  for (let i = 0; i < SYNCS; i++) {
    const changes = check(`hv${i % HOSTS}`);
    if (changes.length > 0) throw new Error(`unexpected changes: ${JSON.stringify(changes.slice(0, 3))}`);
  }
  return ((performance.now() - t0) * 1000) / SYNCS;
}

function main(): void {
  const view = emptyView();
  for (const e of history()) applyTopologyEvent(view, e);
  const current = (): FloatingIpStatus => 'ACTIVE';
  const holds: HoldsFlow = () => true;
  const active = new ActiveFloatingIps();
  const activeOn = new Map<string, string>();
  const indexed = (host: string) => floatingIpStatusChanges(view, host, holds, current, active);
  const scan = (host: string) => scanChanges(view, host, holds, current, activeOn);
  // warm-up: the first sync of every host claims its floating IPs in both
  for (let h = 0; h < HOSTS; h++) { indexed(`hv${h}`); scan(`hv${h}`); }
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    a.push(perSync(indexed));
    b.push(perSync(scan));
  }
  const fmt = (x: number) => x.toFixed(1);
  console.log(`floating IP status per confirmed sync: ${FIPS} floating IPs (all ACTIVE) over ${HOSTS} hosts, ${SYNCS} syncs per run, ${RUNS} runs`);
  console.log(`  indexed (the host's own): median ${fmt(median(a))} us/sync  runs ${a.map(fmt).join(' ')}`);
  console.log(`  scan (every floating IP): median ${fmt(median(b))} us/sync  runs ${b.map(fmt).join(' ')}`);
  console.log(`  ratio scan/indexed: ${(median(b) / median(a)).toFixed(1)}x`);
}

main();
