// The gateway scheduler in the real esdn process on a real SQLite log, with real OVS switches whose controller link is cut.
//
// Two hosts map the physical network `public`, a third does not. A router's gateway is scheduled on
// one of the two (a RouterGatewayHostScheduled in the log, also in the router's audit history); when
// that host's controller link is cut for longer than --gateway-failover-after (2 s here, through
// ESDN_GATEWAY_FAILOVER_AFTER), esdn moves it to the other and records why. It does not move back when
// the link returns, a restart of esdn records nothing new, and a deregistered host loses its gateways.
// GET /v2.0/routers/{id}/l3-agents (Neutron's l3_agent_scheduler shape) names the host throughout.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { waitFor } from '../support/ovsExec.ts';
import { E2eBed } from '../e2e/harness.ts';

const FAILOVER_SECONDS = '2';
/**
 * esdn's default. After a restart every switch is away until it reconnects, and they come back one after another:
 * the last 1.2-2.3 s after 'esdn ready' in 3 runs at load 8-9, over 2 s in a fourth at load 10. With the 2 s above, esdn moved
 * the gateway whenever its host came back last (session 4 twice at load ~15, reproduced at load 10).
 */
const RESTART_FAILOVER_SECONDS = '30';
/** Comfortably longer than the failover time plus a reconnect, to show that nothing more happens. */
const QUIET_MS = 5_000;

interface ScheduledEvent {
  type: string;
  position: string;
  data: { id: string; host: string | null; previousHost?: string; reason: string; physicalNetwork: string | null; detail?: string };
}

describeWithOvs('gateway scheduler in esdn serve (real OVS switches, controller link cut; real SQLite log)', () => {
  let bed: E2eBed;
  let routerId = '';
  const savedEnv = process.env.ESDN_GATEWAY_FAILOVER_AFTER;

  const decisions = async (): Promise<ScheduledEvent[]> => {
    const r = await bed.api<{ events: ScheduledEvent[] }>('GET', '/v1/audit/events?type=RouterGatewayHostScheduled');
    return r.events.filter((e) => e.data.id === routerId);
  };
  const waitDecisions = (n: number, timeoutMs = 20_000) =>
    waitFor(`${n} scheduling decisions`, async () => {
      const d = await decisions();
      return d.length >= n ? d : undefined;
    }, { timeoutMs, intervalMs: 100 });
  const keyOf = (host: string) => ({ hv1: 'A', hv2: 'B', hv3: 'C' })[host] ?? '?';

  beforeAll(async () => {
    process.env.ESDN_GATEWAY_FAILOVER_AFTER = FAILOVER_SECONDS;
    bed = await E2eBed.create([
      { key: 'A', host: 'hv1', tunnelIp: '192.168.50.1' },
      { key: 'B', host: 'hv2', tunnelIp: '192.168.50.2' },
      { key: 'C', host: 'hv3', tunnelIp: '192.168.50.3' },
    ]);
    for (const h of ['hv1', 'hv2']) await bed.api('PUT', `/v2.0/hosts/${h}`, { host: { bridge_mappings: { public: 'ex-public' } } });
    const net = await bed.api<{ network: { id: string } }>('POST', '/v2.0/networks', {
      network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' },
    });
    await bed.api('POST', '/v2.0/subnets', { subnet: { network_id: net.network.id, cidr: '203.0.113.0/24', ip_version: 4, enable_dhcp: false } });
    const router = await bed.api<{ router: { id: string } }>('POST', '/v2.0/routers', {
      router: { name: 'r1', external_gateway_info: { network_id: net.network.id } },
    });
    routerId = router.router.id;
  }, 180_000);

  afterAll(async () => {
    await bed?.teardown();
    if (savedEnv === undefined) delete process.env.ESDN_GATEWAY_FAILOVER_AFTER;
    else process.env.ESDN_GATEWAY_FAILOVER_AFTER = savedEnv;
  }, 60_000);

  it('schedules on a host that maps the physical network, fails over after the switch stays away, and never flaps back', async () => {
    const [first] = await waitDecisions(1);
    expect(first.data).toMatchObject({ reason: 'gateway_set', physicalNetwork: 'public' });
    expect(['hv1', 'hv2']).toContain(first.data.host);
    const gwHost = first.data.host!;
    const other = gwHost === 'hv1' ? 'hv2' : 'hv1';
    // the router's audit history tells the story too
    const history = await bed.api<{ events: { type: string }[] }>('GET', `/v1/audit/history/${routerId}`);
    expect(history.events.map((e) => e.type)).toContain('RouterGatewayHostScheduled');
    // and Neutron's l3-agents listing names the host (openstack network agent list --router)
    const agents = async () => (await bed.api<{ agents: { host: string; alive: boolean; agent_type: string }[] }>('GET', `/v2.0/routers/${routerId}/l3-agents`)).agents;
    expect(await agents()).toEqual([expect.objectContaining({ host: gwHost, alive: true, agent_type: 'L3 agent' })]);

    const cutAt = Date.now();
    await bed.cutRelay(keyOf(gwHost));
    const moved = (await waitDecisions(2))[1];
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual(Number(FAILOVER_SECONDS) * 1000);
    expect(moved.data).toMatchObject({ host: other, previousHost: gwHost, reason: 'host_unavailable', physicalNetwork: 'public' });
    expect(moved.data.detail).toMatch(/disconnected for/);
    expect((await bed.api<{ agents: { host: string; alive: boolean }[] }>('GET', `/v2.0/routers/${routerId}/l3-agents`)).agents)
      .toEqual([expect.objectContaining({ host: other, alive: true })]);

    // the old host comes back: the gateway stays where it is
    await bed.connect(keyOf(gwHost));
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(await decisions()).toHaveLength(2);
  }, 120_000);

  it('a restart of esdn reads the choice from the log and records nothing new', async () => {
    const gwHost = (await decisions()).at(-1)!.data.host!;
    await bed.esdn!.stop('SIGTERM');
    process.env.ESDN_GATEWAY_FAILOVER_AFTER = RESTART_FAILOVER_SECONDS;
    await bed.startEsdn();
    await waitFor('every switch back in sync', async () => {
      const synced = new Set(bed.esdn!.logs.filter((l) => l.msg === 'switch in sync').map((l) => l.host));
      return synced.size >= 3 ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    // the restarted esdn sees the gateway's host back, and keeps the gateway there
    expect((await bed.api<{ agents: { host: string; alive: boolean }[] }>('GET', `/v2.0/routers/${routerId}/l3-agents`)).agents)
      .toEqual([expect.objectContaining({ host: gwHost, alive: true })]);
    // nothing decided on start (the choice comes from the log) nor on the switches' return
    await new Promise((r) => setTimeout(r, QUIET_MS));
    expect(await decisions()).toHaveLength(2);
  }, 120_000);

  it('moves the gateway off a host that stops mapping the network, and off a deregistered one', async () => {
    const current = (await decisions()).at(-1)!.data.host!;
    const other = current === 'hv1' ? 'hv2' : 'hv1';
    await bed.api('PUT', `/v2.0/hosts/${current}`, { host: { bridge_mappings: {} } });
    const third = (await waitDecisions(3))[2];
    expect(third.data).toMatchObject({ host: other, previousHost: current, reason: 'host_ineligible' });
    await bed.api('DELETE', `/v2.0/hosts/${other}`);
    // nowhere left (hv3 never mapped `public`, `current` no longer does): recorded once, as no host
    const fourth = (await waitDecisions(4))[3];
    expect(fourth.data).toMatchObject({ host: null, previousHost: other, reason: 'host_removed' });
    await bed.api('PUT', `/v2.0/hosts/hv3`, { host: { bridge_mappings: { public: 'ex-public' } } });
    const fifth = (await waitDecisions(5))[4];
    expect(fifth.data).toMatchObject({ host: 'hv3', reason: 'host_available' });
    expect(fifth.data.previousHost).toBeUndefined();
  }, 120_000);
});
