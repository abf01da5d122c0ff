// Southbound L3: neighbor-learning decisions per second for ARP packet-ins from physical networks, in a cloud of many networks.
// Run: node bin/run-ts.js bench/neighborPacketIn.bench.ts [--networks=1000] [--providers=10] [--packets=50000] [--runs=5]
//
// Times decideNeighbor (src/controller/neighbors/decide.ts), what the controller does for every ARP
// a switch sends up from table 30, on a view with --networks networks (each with one IPv4 subnet), of
// which --providers are flat provider networks. Side by side: the same view without its network
// index, where decide.ts scans every network and subnet per frame (the code before the index).
// Pure CPU in one process, no switch: the figure is decisions per second of one core.
import type { PacketIn } from '../openflow/messages/types.ts';
import { providerMetadata } from '../projections/pipeline/stages/external.ts';
import { TABLE_EXT_INGRESS } from '../projections/pipeline/tables.ts';
import type { TopologyEvent } from '../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../projections/topology/view.ts';
import { ARP_REPLY, buildArpRequest } from '../src/controller/neighbors/arpFrame.ts';
import { decideNeighbor } from '../src/controller/neighbors/decide.ts';
import { mappedHost, providerNetworkCreated, subnet } from '../test/projections/support/externalFixtures.ts';
import { networkCreated, switchPort } from '../test/projections/support/topologyFixtures.ts';

const arg = (name: string, dflt: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const NETWORKS = arg('networks', 1000);
const PROVIDERS = arg('providers', 10);
const PACKETS = arg('packets', 50_000);
const RUNS = arg('runs', 5);
const HOST = 'hv1';
const PHYS_OFPORT = 7;
const VNI_BASE = 5000;
/** Distinct senders per provider network: enough that the decision is not one cached answer. */
const SENDERS = 200;
const SENDER_FIRST = 10;

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
const uuid = (kind: number, i: number) => `${hex(kind, 2)}${hex(i, 6)}-0000-4000-8000-000000000000`;
const providerId = (i: number) => uuid(0xe0, i);
/** Provider networks are spread evenly through the creation order, as operators add them over a cloud's life. */
const STRIDE = Math.max(1, Math.floor(NETWORKS / Math.max(1, PROVIDERS)));

function history(): TopologyEvent[] {
  const ev: TopologyEvent[] = [mappedHost(HOST, '192.0.2.1', { public: 'ex-public' }), switchPort(HOST, 'ex-public', PHYS_OFPORT)];
  let p = 0;
  for (let i = 0; i < NETWORKS; i++) {
    const provider = i % STRIDE === 0 && p < PROVIDERS;
    const id = provider ? providerId(p) : uuid(0x0e, i);
    ev.push(provider ? providerNetworkCreated(id, 'public') : networkCreated(id, VNI_BASE + i));
    // 10.x.y.0/24 for tenants, 172.16-31.x.0/24 for provider p: every subnet distinct
    ev.push(subnet(uuid(0x5b, i), id, provider ? `172.${16 + (p >> 8)}.${p & 0xff}.0/24` : `10.${i >> 8}.${i & 0xff}.0/24`, null));
    if (provider) p++;
  }
  return ev;
}

function packets(): PacketIn[] {
  const out: PacketIn[] = [];
  for (let p = 0; p < Math.max(1, PROVIDERS); p++) {
    for (let s = 0; s < SENDERS; s++) {
      const data = buildArpRequest(`02:00:00:${hex(p, 2)}:${hex(s, 2)}:01`, `172.${16 + (p >> 8)}.${p & 0xff}.${SENDER_FIRST + s}`, `172.${16 + (p >> 8)}.${p & 0xff}.1`);
      data.writeUInt16BE(ARP_REPLY, 20);
      out.push({ type: 'packet_in', xid: 0, bufferId: 0xffffffff, totalLen: data.length, reason: 1, tableId: TABLE_EXT_INGRESS, cookie: 0n, data,
        match: [{ field: 'in_port', value: PHYS_OFPORT }, { field: 'metadata', value: providerMetadata(providerId(p)) }] });
    }
  }
  return out;
}

/** Decisions per second over PACKETS packet-ins; throws if a decision is not 'learn' (the bench would measure the wrong path). */
function rate(view: TopologyView, pis: readonly PacketIn[]): number {
  const t0 = performance.now();
  for (let i = 0; i < PACKETS; i++) {
    const d = decideNeighbor(pis[i % pis.length], HOST, view);
    if (d.kind !== 'learn') throw new Error(`unexpected decision: ${JSON.stringify(d)}`);
  }
  return PACKETS / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const view = emptyView();
  for (const e of history()) applyTopologyEvent(view, e);
  // the same maps without the index: decide.ts falls back to scanning every network and subnet
  const scanned: TopologyView = { ...view, networkIndex: undefined };
  const pis = packets();
  // warm-up: JIT both paths before timing
  rate(view, pis);
  rate(scanned, pis.slice(0, 1000));
  const indexed: number[] = [];
  const scans: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    // interleaved, so machine load hits both alike
    indexed.push(rate(view, pis));
    scans.push(rate(scanned, pis));
  }
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`neighbor packet-ins: ${NETWORKS} networks (${PROVIDERS} provider), ${NETWORKS} subnets, ${PACKETS} ARP packet-ins per run, ${RUNS} runs`);
  console.log(`  indexed (view.networkIndex): median ${fmt(median(indexed))} decisions/s  runs ${indexed.map(fmt).join(' ')}`);
  console.log(`  scan (no index, as before):  median ${fmt(median(scans))} decisions/s  runs ${scans.map(fmt).join(' ')}`);
  console.log(`  ratio indexed/scan: ${(median(indexed) / median(scans)).toFixed(1)}x`);
}

main();
