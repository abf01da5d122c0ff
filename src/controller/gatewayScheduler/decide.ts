// The gateway scheduler's pure decision: given routers, hosts and how long each switch has been down, which gateways move where and why.
//
// Stable on purpose: a gateway stays where it is while its host is registered, maps the physical
// network and is reachable (or down for less than the failover time). It never moves back when the
// old host returns, and a failover only goes to a connected host, so two dead hosts never trade a
// gateway back and forth. New choices prefer connected switches, then the fewest gateways, then the name.
import type { GatewayScheduleReason } from '../../../projections/topology/gatewayEvents.ts';

export interface RouterToSchedule {
  routerId: string;
  /** the physical network the external network is on; null: none (no host can carry it) */
  physicalNetwork: string | null;
  /** the recorded choice: a host, null (recorded that none was eligible), undefined (never scheduled) */
  current: string | null | undefined;
}

export interface HostCandidate {
  name: string;
  /** physical networks its bridge_mappings map */
  physicalNetworks: readonly string[];
  /** its switch is connected to this controller now */
  connected: boolean;
  /** how long its switch has been disconnected (0 when connected) */
  downForMs: number;
}

export interface SchedulingInput {
  routers: readonly RouterToSchedule[];
  hosts: readonly HostCandidate[];
  failoverAfterMs: number;
}

export interface GatewayDecision {
  routerId: string;
  host: string | null;
  previousHost?: string;
  reason: GatewayScheduleReason;
  physicalNetwork: string | null;
}

/** Best first: connected, then fewest gateways, then name. */
function pick(candidates: readonly HostCandidate[], load: ReadonlyMap<string, number>): string | null {
  const sorted = [...candidates].sort((a, b) =>
    Number(b.connected) - Number(a.connected) || (load.get(a.name) ?? 0) - (load.get(b.name) ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted[0]?.name ?? null;
}

/** The hosts that map a physical network, in input order, and the same as a set. */
interface Eligible {
  list: readonly HostCandidate[];
  set: ReadonlySet<HostCandidate>;
}

const NONE_ELIGIBLE: Eligible = { list: [], set: new Set() };

/** Why the router needs a (new) host, and among which candidates; undefined when it stays. */
function need(r: RouterToSchedule, eligible: Eligible, hosts: ReadonlyMap<string, HostCandidate>, failoverAfterMs: number):
  { reason: GatewayScheduleReason; candidates: readonly HostCandidate[] } | undefined {
  const { list } = eligible;
  if (r.current === undefined) return { reason: 'gateway_set', candidates: list };
  if (r.current === null) return list.length > 0 ? { reason: 'host_available', candidates: list } : undefined;
  const cur = hosts.get(r.current);
  if (cur === undefined) return { reason: 'host_removed', candidates: list };
  if (!eligible.set.has(cur)) return { reason: 'host_ineligible', candidates: list };
  if (cur.connected || cur.downForMs < failoverAfterMs) return undefined;
  const elsewhere = list.filter((h) => h.connected && h !== cur);
  return elsewhere.length > 0 ? { reason: 'host_unavailable', candidates: elsewhere } : undefined;
}

/** The decisions to record now, routers in id order; each choice counts in the load of the next. */
export function decideGatewayHosts(input: SchedulingInput): GatewayDecision[] {
  const hosts = new Map(input.hosts.map((h) => [h.name, h]));
  const load = new Map<string, number>();
  for (const r of input.routers) if (typeof r.current === 'string') load.set(r.current, (load.get(r.current) ?? 0) + 1);
  const out: GatewayDecision[] = [];
  const routers = [...input.routers].sort((a, b) => (a.routerId < b.routerId ? -1 : a.routerId > b.routerId ? 1 : 0));
  // eligible hosts once per physical network, not once per router (a round runs on every network
  // created and every switch up or down: routers x hosts was its cost)
  const byPhysnet = new Map<string, Eligible>();
  const eligibleFor = (physnet: string): Eligible => {
    let e = byPhysnet.get(physnet);
    if (!e) {
      const list = input.hosts.filter((h) => h.physicalNetworks.includes(physnet));
      byPhysnet.set(physnet, (e = { list, set: new Set(list) }));
    }
    return e;
  };
  for (const r of routers) {
    const physnet = r.physicalNetwork;
    const eligible = physnet === null ? NONE_ELIGIBLE : eligibleFor(physnet);
    const n = need(r, eligible, hosts, input.failoverAfterMs);
    if (n === undefined) continue;
    const host = pick(n.candidates, load);
    // nothing to say when it was already recorded that no host is eligible
    if (host === null && r.current === null) continue;
    if (typeof r.current === 'string') load.set(r.current, (load.get(r.current) ?? 1) - 1);
    if (host !== null) load.set(host, (load.get(host) ?? 0) + 1);
    out.push({ routerId: r.routerId, host, ...(typeof r.current === 'string' ? { previousHost: r.current } : {}), reason: n.reason, physicalNetwork: physnet });
  }
  return out;
}
