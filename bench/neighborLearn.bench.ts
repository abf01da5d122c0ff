// Southbound L3: the flow projection's step for one newly learned external neighbor, with N neighbors already learned on a provider network that H hosts map.
// Run: node bin/run-ts.js bench/neighborLearn.bench.ts [HOSTS=50] [NEIGHBORS=1000]
//
// Every ARP packet-in that teaches esdn a new neighbor (or a new MAC) on a physical network records an
// ExternalNeighborObserved; the projection then recomputes what it touches on every host mapping the
// network. Before fc00976 all neighbors were one unit with the provider flows, rebuilt whole per new
// neighbor; run this file at fc00976 and its parent to compare. 50 new neighbors timed after the N already learned. Pure CPU, one process.
import { FlowProjection } from '../projections/flows/incremental.ts';
import type { TopologyEvent } from '../projections/topology/inputs.ts';
import { mappedHost, neighborObserved, providerNetworkCreated, subnet } from '../test/projections/support/externalFixtures.ts';
import { switchPort } from '../test/projections/support/topologyFixtures.ts';
const H = Number(process.argv[2] ?? 50);
const N = Number(process.argv[3] ?? 1000);
/** New neighbors timed after the N already learned */
const M = 50;
const EXT = 'e0000000-0000-4000-8000-000000000000';
const ev: TopologyEvent[] = [providerNetworkCreated(EXT, 'public'), subnet('ext', EXT, '172.16.0.0/12', '172.16.0.1')];
for (let h = 0; h < H; h++) ev.push(mappedHost(`hv${h}`, `192.0.2.${h + 1}`, { public: 'ex-public' }), switchPort(`hv${h}`, 'ex-public', 7), switchPort(`hv${h}`, 'vxlan0', 100));
const ip = (i: number) => `172.18.${(i >> 8) & 255}.${i & 255}`;
const mac = (i: number) => `02:cc:00:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`;
for (let i = 0; i < N; i++) ev.push(neighborObserved(`hv${i % H}`, EXT, ip(i), mac(i)));
const p = new FlowProjection();
// the N learned ones in one batch (a cold start), then one event per new neighbor
p.applyBatch(ev);
const t0 = performance.now();
for (let i = N; i < N + M; i++) p.apply(neighborObserved(`hv${i % H}`, EXT, ip(i), mac(i)));
console.log(`hosts ${H}, neighbors ${N}: ${((performance.now() - t0) / M).toFixed(2)} ms of projection step per new neighbor (${M} timed)`);
