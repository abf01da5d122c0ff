// Southbound L3: latency of a floating-IP association until it forwards, with esdn as a process and a real switch.
// Run (root, Open vSwitch installed): node bin/run-ts.js bench/fipLatency.bench.ts [--runs=7] [--background-fips=0]
//
// One simulated hypervisor that maps the flat provider network "public" to its port ex-public, an
// external namespace on that network (test/e2e/externalSegment.ts), a router with a gateway, one VM.
// Each run associates the floating IP with the VM (PUT /v2.0/floatingips/{id}) and measures, from
// just before the PUT: the API answer, the status ACTIVE (esdn records FloatingIpStatusChanged only
// after a barrier on the VM's switch confirmed every NAT flow; polled every 2 ms), and the first
// ping from the external namespace that comes back (one ping every 10 ms, each waiting 100 ms).
// Then it disassociates and waits for DOWN and for the ping to fail. Medians over the runs.
import { loadavg } from 'node:os';
import { ovsAvailable } from '../test/support/ovsAvailability.ts';
import { waitFor } from '../test/support/ovsExec.ts';
import { E2eBed, type VmRef } from '../test/e2e/harness.ts';
import { addExternalSegment, type ExternalSegment } from '../test/e2e/externalSegment.ts';

const arg = (name: string, dflt: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const RUNS = Number(arg('runs', '7'));
/** Floating IPs associated with other VMs first, so the host already carries their NAT flows. */
const BACKGROUND = Number(arg('background-fips', '0'));
const STATUS_POLL_MS = 2;
const PING_EVERY_MS = 10;
const TIMEOUT_MS = 30_000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;

async function main(): Promise<void> {
  const avail = await ovsAvailable();
  if (!avail.ok) {
    console.log(`skipped: ${avail.reason}`);
    return;
  }
  const bed = await E2eBed.create([{ key: 'A', host: 'hv1', tunnelIp: '192.168.50.1', bridgeMappings: { public: 'ex-public' } }]);
  try {
    const ext: ExternalSegment = await addExternalSegment(bed.tb, { name: 'X', hosts: [bed.ovs('A')], iface: 'ex-public' });
    await ext.addAddress({ ip: '172.16.0.100/16', mac: '02:00:00:00:ee:01' });
    const pub = await bed.api<{ network: { id: string } }>('POST', '/v2.0/networks', {
      network: { name: 'public', 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' },
    });
    await bed.api('POST', '/v2.0/subnets', { subnet: { network_id: pub.network.id, cidr: '172.16.0.0/16', gateway_ip: '172.16.0.1', ip_version: 4, enable_dhcp: false } });
    const net = await bed.createNetwork('project-a', 'net', '10.0.0.0/16');
    const r = await bed.api<{ router: { id: string } }>('POST', '/v2.0/routers', { router: { name: 'r', project_id: 'project-a', external_gateway_info: { network_id: pub.network.id } } });
    await bed.api('PUT', `/v2.0/routers/${r.router.id}/add_router_interface`, { subnet_id: net.subnetId });
    const vm: VmRef = await bed.addVm('A', net, { name: 'A1', mac: '02:00:00:00:01:01', ip: '10.0.0.11', portSecurity: false });
    await vm.vm.exec(['ip', 'route', 'add', 'default', 'via', '10.0.0.1']);
    await bed.waitStatus(vm.portId, 'ACTIVE');
    for (let i = 0; i < BACKGROUND; i++) {
      const p = await bed.api<{ port: { id: string } }>('POST', '/v2.0/ports', {
        port: { network_id: net.id, project_id: 'project-a', fixed_ips: [{ subnet_id: net.subnetId, ip_address: `10.0.${1 + (i >> 8)}.${i & 255}` }], 'binding:host_id': 'hv1' },
      });
      await bed.api('POST', '/v2.0/floatingips', { floatingip: { floating_network_id: pub.network.id, port_id: p.port.id, project_id: 'project-a' } });
    }
    const fip = await bed.api<{ floatingip: { id: string; floating_ip_address: string } }>('POST', '/v2.0/floatingips', {
      floatingip: { floating_network_id: pub.network.id, project_id: 'project-a' },
    });
    const id = fip.floatingip.id;
    const to = fip.floatingip.floating_ip_address;
    const status = async () => (await bed.api<{ floatingip: { status: string } }>('GET', `/v2.0/floatingips/${id}`)).floatingip.status;
    const pingOnce = async (waitMs: number) => (await ext.exec(['ping', '-n', '-c', '1', '-W', String(waitMs / 1000), to], { allowFailure: true })).code === 0;
    const api: number[] = [];
    const active: number[] = [];
    const forwards: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t0 = process.hrtime.bigint();
      await bed.api('PUT', `/v2.0/floatingips/${id}`, { floatingip: { port_id: vm.portId } });
      api.push(ms(t0));
      const activeAt = waitFor('ACTIVE', async () => ((await status()) === 'ACTIVE' ? ms(t0) : undefined), { timeoutMs: TIMEOUT_MS, intervalMs: STATUS_POLL_MS });
      const forwardAt = waitFor('forwarding', async () => ((await pingOnce(100)) ? ms(t0) : undefined), { timeoutMs: TIMEOUT_MS, intervalMs: PING_EVERY_MS });
      active.push(await activeAt);
      forwards.push(await forwardAt);
      await bed.api('PUT', `/v2.0/floatingips/${id}`, { floatingip: { port_id: null } });
      await waitFor('DOWN', async () => ((await status()) === 'DOWN' ? true : undefined), { timeoutMs: TIMEOUT_MS, intervalMs: 20 });
      await waitFor('unreachable', async () => ((await pingOnce(200)) ? undefined : true), { timeoutMs: TIMEOUT_MS, intervalMs: 50 });
    }
    const fmt = (xs: number[]) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)})`;
    console.log(`floating IP association on a real switch, ${RUNS} runs, ${BACKGROUND} other floating IPs on the host, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    console.log(`  PUT answered:                    ${fmt(api)}`);
    console.log(`  status ACTIVE (barrier-confirmed): ${fmt(active)}`);
    console.log(`  first ping from outside answered: ${fmt(forwards)}  (ping every ${PING_EVERY_MS} ms)`);
  } finally {
    await bed.teardown();
  }
}

await main();
