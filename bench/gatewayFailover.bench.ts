// Gateway failover: from killing the gateway host's ovs-vswitchd to SNAT forwarding again through another host, with esdn as a process.
// Run (root, Open vSwitch installed): node bin/run-ts.js bench/gatewayFailover.bench.ts [--runs=5] [--failover-after=2]
//
// Three simulated hypervisors: hv1 and hv2 map the flat provider network "public" (an external
// namespace on it, test/e2e/externalSegment.ts), hv3 maps nothing and holds one VM without a floating
// IP behind a router with a gateway. Each run kills the current gateway host's ovs-vswitchd and
// measures, from just before the kill: the switch seen gone (GET /v2.0/routers/{id}/l3-agents says
// alive=false, polled every 10 ms), the new host recorded (RouterGatewayHostScheduled, same listing),
// and the first ping from the VM to the outside that comes back through SNAT on the new host (one
// every 10 ms, each waiting 100 ms). The reference is the configured --gateway-failover-after: the
// floor of any failover; "overhead" is what esdn adds to it. The killed host's switch is then
// restarted (the gateway stays where it went) and the next run kills the other one. Medians over runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ovsAvailable } from '../test/support/ovsAvailability.ts';
import { killPid } from '../test/support/ovsCleanup.ts';
import { waitFor } from '../test/support/ovsExec.ts';
import { E2eBed, type VmRef } from '../test/e2e/harness.ts';
import { addExternalSegment } from '../test/e2e/externalSegment.ts';

const arg = (name: string, dflt: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const RUNS = Number(arg('runs', '5'));
const FAILOVER_AFTER_S = arg('failover-after', '2');
const POLL_MS = 10;
const PING_WAIT_MS = 100;
const TIMEOUT_MS = 60_000;
const OUTSIDE_IP = '172.16.0.100';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;

interface Agent { host: string; alive: boolean }

async function main(): Promise<void> {
  const avail = await ovsAvailable();
  if (!avail.ok) {
    console.log(`skipped: ${avail.reason}`);
    return;
  }
  process.env.ESDN_GATEWAY_FAILOVER_AFTER = FAILOVER_AFTER_S;
  const mapped = { public: 'ex-public' };
  const bed = await E2eBed.create([
    { key: 'A', host: 'hv1', tunnelIp: '192.168.50.1', bridgeMappings: mapped },
    { key: 'B', host: 'hv2', tunnelIp: '192.168.50.2', bridgeMappings: mapped },
    { key: 'C', host: 'hv3', tunnelIp: '192.168.50.3' },
  ]);
  const keyOf: Record<string, string> = { hv1: 'A', hv2: 'B' };
  try {
    const ext = await addExternalSegment(bed.tb, { name: 'X', hosts: [bed.ovs('A'), bed.ovs('B')], iface: 'ex-public' });
    await ext.addAddress({ ip: `${OUTSIDE_IP}/24`, mac: '02:00:00:00:ee:01' });
    const pub = await bed.api<{ network: { id: string } }>('POST', '/v2.0/networks', {
      network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' },
    });
    await bed.api('POST', '/v2.0/subnets', { subnet: { network_id: pub.network.id, cidr: '172.16.0.0/24', gateway_ip: '172.16.0.1', ip_version: 4, enable_dhcp: false } });
    const net = await bed.createNetwork('project-a', 'net', '10.0.0.0/24');
    const r = await bed.api<{ router: { id: string } }>('POST', '/v2.0/routers', { router: { name: 'r', project_id: 'project-a', external_gateway_info: { network_id: pub.network.id } } });
    const rid = r.router.id;
    await bed.api('PUT', `/v2.0/routers/${rid}/add_router_interface`, { subnet_id: net.subnetId });
    const vm: VmRef = await bed.addVm('C', net, { name: 'C1', mac: '02:00:00:00:c1:01', ip: '10.0.0.31', portSecurity: false });
    await vm.vm.exec(['ip', 'route', 'add', 'default', 'via', '10.0.0.1']);
    await bed.waitStatus(vm.portId, 'ACTIVE');
    const agent = async (): Promise<Agent | undefined> => (await bed.api<{ agents: Agent[] }>('GET', `/v2.0/routers/${rid}/l3-agents`)).agents[0];
    const pingOnce = async () => (await vm.vm.exec(['ping', '-n', '-c', '1', '-W', String(PING_WAIT_MS / 1000), OUTSIDE_IP], { allowFailure: true })).code === 0;
    await waitFor('SNAT forwarding', async () => ((await pingOnce()) ? true : undefined), { timeoutMs: TIMEOUT_MS, intervalMs: POLL_MS });
    const detect: number[] = [];
    const decide: number[] = [];
    const forward: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const from = (await waitFor('a live gateway host', async () => { const a = await agent(); return a?.alive ? a.host : undefined; },
        { timeoutMs: TIMEOUT_MS, intervalMs: POLL_MS }));
      const ovs = bed.ovs(keyOf[from]);
      const pidFile = join(ovs.dir, 'ovs-vswitchd.pid');
      const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
      const t0 = process.hrtime.bigint();
      // not awaited: ovs-vswitchd closes its connections early in a shutdown that takes a second or more here
      const killed = killPid(pid);
      detect.push(await waitFor('switch gone', async () => ((await agent())?.alive === false ? ms(t0) : undefined), { timeoutMs: TIMEOUT_MS, intervalMs: POLL_MS }));
      decide.push(await waitFor('new host', async () => ((await agent())?.host !== from ? ms(t0) : undefined), { timeoutMs: TIMEOUT_MS, intervalMs: POLL_MS }));
      forward.push(await waitFor('forwarding again', async () => ((await pingOnce()) ? ms(t0) : undefined), { timeoutMs: TIMEOUT_MS, intervalMs: POLL_MS }));
      await killed;
      // ovs-vswitchd removed its pid file on SIGTERM; restartVswitchd kills what the file names (dead now) and starts it again
      writeFileSync(pidFile, String(pid));
      await bed.tb.restartVswitchd(keyOf[from]);
    }
    const floor = Number(FAILOVER_AFTER_S) * 1000;
    const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
    console.log(`gateway failover on real switches, ${RUNS} runs, --gateway-failover-after ${FAILOVER_AFTER_S} s, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`  switch seen gone (l3-agents alive=false):      ${fmt(detect)}`);
    console.log(`  new gateway host recorded:                     ${fmt(decide)}  (reference: failover-after = ${floor} ms)`);
    console.log(`  first SNAT ping answered through the new host: ${fmt(forward)}  (overhead over the reference: median ${(median(forward) - floor).toFixed(0)} ms)`);
  } finally {
    await bed.teardown();
  }
}

await main();
