// Desired flows in memory: the live heap a FlowProjection holds for N ports on one host, per flow, projection only (no switch).
// Run: node bin/run-ts.js bench/desiredMemory.bench.ts [--ports=5000] [--batch=1000] [--heap-snapshot=FILE]
//
// The same shape as the southbound bench's bring-up (one host, one VXLAN network, ports without
// security groups, each created, bound and seen on the switch), folded in batches as the
// controller's feed folds them. The reconciler's installed map (a second Map over the same flows
// after a confirmed sync) is counted on its own line.
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { FlowProjection } from '../projections/flows/incremental.ts';
import { releaseInternPools } from '../projections/pipeline/flow.ts';
import type { TopologyEvent } from '../projections/topology/inputs.ts';
import { interfaceName } from '../projections/topology/view.ts';
import { hostRegistered, networkCreated, portBound, portCreated, switchPort } from '../test/projections/support/topologyFixtures.ts';

const arg = (name: string, dflt: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const PORTS = Number(arg('ports', '5000'));
/** Events per applyBatch: the feed folds whatever arrived before the event loop turned. */
const BATCH = Number(arg('batch', '1000'));
const HEAP_SNAPSHOT = arg('heap-snapshot', '');
const HOST = 'hv1';
const VNI = 1000;
const TUNNEL_OFPORT = 1;
const NET = 'ne000000-0000-4000-8000-000000000000';
const MB = 2 ** 20;

// gc() without --expose-gc on the command line (npm run bench starts every bench the same way)
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0');

function history(): TopologyEvent[] {
  const ev: TopologyEvent[] = [hostRegistered(HOST, '192.0.2.1'), switchPort(HOST, 'vxlan0', TUNNEL_OFPORT), networkCreated(NET, VNI)];
  for (let i = 0; i < PORTS; i++) {
    const id = `${hex(i, 8)}-0000-4000-8000-000000000000`;
    const created = portCreated({ id, networkId: NET, mac: `fa:16:3e:${hex(i >> 16, 2)}:${hex((i >> 8) & 255, 2)}:${hex(i & 255, 2)}`, ips: [`10.0.${i >> 8}.${i & 255}`] });
    // security_groups: [] as the southbound bench sends them (port security on, conntrack hooks, no rules)
    if (created.type === 'PortCreated') ev.push({ ...created, data: { ...created.data, securityGroups: [] } });
    ev.push(portBound(id, HOST));
  }
  // taps come after the API calls, as in the bring-up
  for (let i = 0; i < PORTS; i++) ev.push(switchPort(HOST, interfaceName(`${hex(i, 8)}-0000-4000-8000-000000000000`, {}), i + 2));
  return ev;
}

const heapUsed = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const events = history();
const base = heapUsed();
const before = process.memoryUsage();
const t0 = performance.now();
const proj = new FlowProjection();
for (let i = 0; i < events.length; i += BATCH) proj.applyBatch(events.slice(i, i + BATCH));
const foldMs = performance.now() - t0;
const afterFold = process.memoryUsage();
const withProjection = heapUsed();
// what esdn's idle compactor drops before it compacts (src/main.ts)
releaseInternPools();
const withoutPools = heapUsed();
const flows = proj.desired(HOST).size;
const installed = new Map(proj.desired(HOST));
const withInstalled = heapUsed();
console.log(`${PORTS} ports, ${flows} desired flows (${(flows / PORTS).toFixed(2)} per port), folded in batches of ${BATCH} events in ${foldMs.toFixed(0)} ms`);
console.log(`live heap: projection ${((withProjection - base) / MB).toFixed(1)} MB (${((withProjection - base) / flows).toFixed(0)} B per flow), ` +
  `${((withoutPools - base) / MB).toFixed(1)} MB (${((withoutPools - base) / flows).toFixed(0)} B per flow) once the intern pools are released, installed map ${((withInstalled - withoutPools) / MB).toFixed(1)} MB`);
console.log(`heap total grew ${((afterFold.heapTotal - before.heapTotal) / MB).toFixed(0)} MB during the fold, rss ${((afterFold.rss - before.rss) / MB).toFixed(0)} MB`);
if (HEAP_SNAPSHOT) console.log(`heap snapshot: ${writeHeapSnapshot(HEAP_SNAPSHOT)}`);
if (installed.size !== flows) throw new Error('installed copy lost flows');
