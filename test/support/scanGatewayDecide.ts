// The gateway scheduling round as it was before eligible hosts were found once per physical network
// (copied from 162eb6c): the reference that the property test (test/controller/gatewayDecideIndex.unit.test.ts)
// and bench/gatewayDecide.bench.ts compare decideGatewayHosts with.
import type { GatewayDecision, HostCandidate, RouterToSchedule, SchedulingInput } from '../../src/controller/gatewayScheduler/decide.ts';
import type { GatewayScheduleReason } from '../../projections/topology/gatewayEvents.ts';

/** Best first: connected, then fewest gateways, then name. */
function pick(candidates: readonly HostCandidate[], load: ReadonlyMap<string, number>): string | null {
  const sorted = [...candidates].sort((a, b) =>
    Number(b.connected) - Number(a.connected) || (load.get(a.name) ?? 0) - (load.get(b.name) ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted[0]?.name ?? null;
}

/** Why the router needs a (new) host, and among which candidates; undefined when it stays. */
function need(r: RouterToSchedule, eligible: readonly HostCandidate[], hosts: ReadonlyMap<string, HostCandidate>, failoverAfterMs: number):
  { reason: GatewayScheduleReason; candidates: readonly HostCandidate[] } | undefined {
  if (r.current === undefined) return { reason: 'gateway_set', candidates: eligible };
  if (r.current === null) return eligible.length > 0 ? { reason: 'host_available', candidates: eligible } : undefined;
  const cur = hosts.get(r.current);
  if (cur === undefined) return { reason: 'host_removed', candidates: eligible };
  if (!eligible.includes(cur)) return { reason: 'host_ineligible', candidates: eligible };
  if (cur.connected || cur.downForMs < failoverAfterMs) return undefined;
  const elsewhere = eligible.filter((h) => h.connected && h !== cur);
  return elsewhere.length > 0 ? { reason: 'host_unavailable', candidates: elsewhere } : undefined;
}

/** The decisions to record now, routers in id order; each choice counts in the load of the next. */
export function scanDecide(input: SchedulingInput): GatewayDecision[] {
  const hosts = new Map(input.hosts.map((h) => [h.name, h]));
  const load = new Map<string, number>();
  for (const r of input.routers) if (typeof r.current === 'string') load.set(r.current, (load.get(r.current) ?? 0) + 1);
  const out: GatewayDecision[] = [];
  const routers = [...input.routers].sort((a, b) => (a.routerId < b.routerId ? -1 : a.routerId > b.routerId ? 1 : 0));
  for (const r of routers) {
    const physnet = r.physicalNetwork;
    const eligible = physnet === null ? [] : input.hosts.filter((h) => h.physicalNetworks.includes(physnet));
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
