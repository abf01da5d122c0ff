// The gateway scheduler's pure decision: eligibility, preference order, failover, and no flapping.
import { describe, expect, it } from 'vitest';
import { decideGatewayHosts, type HostCandidate, type RouterToSchedule, type SchedulingInput } from '../../src/controller/gatewayScheduler/decide.ts';

const FAILOVER_MS = 2_000;
const host = (name: string, physnets: string[], connected = true, downForMs = 0): HostCandidate => ({ name, physicalNetworks: physnets, connected, downForMs: connected ? 0 : downForMs });
const router = (routerId: string, current: string | null | undefined, physicalNetwork: string | null = 'public'): RouterToSchedule => ({ routerId, physicalNetwork, current });
const input = (routers: RouterToSchedule[], hosts: HostCandidate[]): SchedulingInput => ({ routers, hosts, failoverAfterMs: FAILOVER_MS });

describe('decideGatewayHosts', () => {
  it('schedules a new gateway only on hosts mapping the physical network, connected first, then fewest gateways, then name', () => {
    const hosts = [host('a', ['other']), host('b', ['public'], false, 1), host('c', ['public']), host('d', ['public'])];
    expect(decideGatewayHosts(input([router('r1', undefined)], hosts))).toEqual([
      { routerId: 'r1', host: 'c', reason: 'gateway_set', physicalNetwork: 'public' },
    ]);
    // c already carries one gateway: the next goes to d; two new ones are spread as they are decided
    expect(decideGatewayHosts(input([router('r0', 'c'), router('r1', undefined), router('r2', undefined)], hosts)).map((d) => d.host)).toEqual(['d', 'c']);
    // nothing connected: a disconnected eligible host is still better than none
    expect(decideGatewayHosts(input([router('r1', undefined)], [host('b', ['public'], false, 1)]))[0].host).toBe('b');
  });

  it('records once that no host is eligible, and schedules when one appears', () => {
    const none = decideGatewayHosts(input([router('r1', undefined)], [host('a', ['other'])]));
    expect(none).toEqual([{ routerId: 'r1', host: null, reason: 'gateway_set', physicalNetwork: 'public' }]);
    expect(decideGatewayHosts(input([router('r1', null)], [host('a', ['other'])]))).toEqual([]);
    expect(decideGatewayHosts(input([router('r1', null)], [host('a', ['public'])]))).toEqual([
      { routerId: 'r1', host: 'a', reason: 'host_available', physicalNetwork: 'public' },
    ]);
    // an external network without a physical network (an overlay) can be carried by no host
    expect(decideGatewayHosts(input([router('r1', undefined, null)], [host('a', ['public'])]))[0].host).toBeNull();
  });

  it('keeps a gateway where it is while its host is registered, eligible and not down for too long', () => {
    const hosts = [host('a', ['public']), host('b', ['public'])];
    // a has more gateways than b: still no move (no rebalancing, no flapping)
    expect(decideGatewayHosts(input([router('r1', 'a'), router('r2', 'a')], hosts))).toEqual([]);
    expect(decideGatewayHosts(input([router('r1', 'a')], [host('a', ['public'], false, FAILOVER_MS - 1), host('b', ['public'])]))).toEqual([]);
  });

  it('moves a gateway off a deregistered host, or one that no longer maps the network', () => {
    expect(decideGatewayHosts(input([router('r1', 'gone')], [host('b', ['public'])]))).toEqual([
      { routerId: 'r1', host: 'b', previousHost: 'gone', reason: 'host_removed', physicalNetwork: 'public' },
    ]);
    expect(decideGatewayHosts(input([router('r1', 'a')], [host('a', ['other']), host('b', ['public'])]))).toEqual([
      { routerId: 'r1', host: 'b', previousHost: 'a', reason: 'host_ineligible', physicalNetwork: 'public' },
    ]);
    // and says so when nowhere is left
    expect(decideGatewayHosts(input([router('r1', 'a')], [host('a', ['other'])]))).toEqual([
      { routerId: 'r1', host: null, previousHost: 'a', reason: 'host_ineligible', physicalNetwork: 'public' },
    ]);
  });

  it('fails over after the configured time, only to a connected host, and never back when the old host returns', () => {
    const downA = host('a', ['public'], false, FAILOVER_MS);
    expect(decideGatewayHosts(input([router('r1', 'a')], [downA, host('b', ['public']), host('c', ['public'], false, 99_999)]))).toEqual([
      { routerId: 'r1', host: 'b', previousHost: 'a', reason: 'host_unavailable', physicalNetwork: 'public' },
    ]);
    // the only other eligible host is down too: stay (no trading a gateway between dead hosts)
    expect(decideGatewayHosts(input([router('r1', 'a')], [downA, host('c', ['public'], false, 99_999)]))).toEqual([]);
    // after the move a is back: nothing changes
    expect(decideGatewayHosts(input([router('r1', 'b')], [host('a', ['public']), host('b', ['public'])]))).toEqual([]);
  });

  it('is idempotent: feeding its own decisions back in decides nothing more', () => {
    const hosts = [host('a', ['public'], false, FAILOVER_MS * 2), host('b', ['public']), host('c', ['public']), host('x', ['other'])];
    const routers = [router('r1', undefined), router('r2', 'a'), router('r3', 'gone'), router('r4', undefined, 'nowhere'), router('r5', 'x')];
    const first = decideGatewayHosts(input(routers, hosts));
    expect(first.map((d) => d.routerId)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    const after = routers.map((r) => {
      const d = first.find((x) => x.routerId === r.routerId);
      return { ...r, current: d ? d.host : r.current };
    });
    expect(decideGatewayHosts(input(after, hosts))).toEqual([]);
    // the load is spread over the two healthy hosts
    const counts = new Map<string, number>();
    for (const r of after) if (typeof r.current === 'string') counts.set(r.current, (counts.get(r.current) ?? 0) + 1);
    expect([...counts.entries()].sort()).toEqual([['b', 2], ['c', 2]]);
  });
});
