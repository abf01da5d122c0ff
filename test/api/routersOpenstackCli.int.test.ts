// The real openstack CLI (python3-openstackclient) driving routers, floating IPs and security group rules over HTTP.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNeutronApi } from '../../src/api/createApp.ts';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import { createNeutronService, type NeutronService } from '../../src/service/neutronService.ts';

const run = promisify(execFile);
/** Each CLI call starts a Python interpreter: a few seconds on a busy machine. */
const CLI_TIMEOUT_MS = 60_000;

async function hasCli(): Promise<boolean> {
  try {
    await run('openstack', ['--version'], { timeout: CLI_TIMEOUT_MS });
    return true;
  } catch {
    return false;
  }
}

const available = await hasCli();
if (!available) console.warn('routersOpenstackCli.int.test: skipped, the openstack command (python3-openstackclient) is not installed');

let server: ServerType;
let store: SqliteEventStore;
let service: NeutronService;
let endpoint = '';
const dir = mkdtempSync(join(tmpdir(), 'esdn-osc-l3-'));

beforeAll(async () => {
  store = SqliteEventStore.open(join(dir, 'events.db'));
  service = createNeutronService({ store });
  await service.start();
  const app = createNeutronApi({ service, auth: { kind: 'noauth' } });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      endpoint = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await service?.stop();
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openstack(...args: string[]): Promise<{ ok: boolean; out: string }> {
  try {
    const { stdout } = await run('openstack', ['--os-auth-type', 'none', '--os-endpoint', endpoint, ...args], { timeout: CLI_TIMEOUT_MS });
    return { ok: true, out: stdout };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

async function json(...args: string[]) {
  const res = await openstack(...args, '-f', 'json');
  expect(res.ok, res.out).toBe(true);
  return JSON.parse(res.out);
}

async function ok(...args: string[]) {
  const res = await openstack(...args);
  expect(res.ok, res.out).toBe(true);
}

describe.skipIf(!available)('openstack CLI: routers, floating IPs, security groups', () => {
  it('routes a tenant subnet to an external network and gives a port a floating IP', async () => {
    await ok('network', 'create', '--external', '--provider-network-type', 'flat', '--provider-physical-network', 'public', 'public');
    await ok('subnet', 'create', '--network', 'public', '--subnet-range', '203.0.113.0/24', '--no-dhcp', 'public-sub');
    await ok('network', 'create', 'private');
    await ok('subnet', 'create', '--network', 'private', '--subnet-range', '10.1.0.0/24', 'private-sub');
    await ok('router', 'create', 'r1');
    await ok('router', 'set', '--external-gateway', 'public', 'r1');
    await ok('router', 'add', 'subnet', 'r1', 'private-sub');
    const router = await json('router', 'show', 'r1');
    expect(router.external_gateway_info).toMatchObject({ enable_snat: true, external_fixed_ips: [{ ip_address: '203.0.113.2' }] });
    const port = await json('port', 'create', '--network', 'private', 'vm-port');
    const fip = await json('floating', 'ip', 'create', '--port', 'vm-port', 'public');
    expect(fip).toMatchObject({ port_id: port.id, router_id: router.id, fixed_ip_address: port.fixed_ips[0].ip_address, status: 'DOWN' });
    await ok('router', 'add', 'route', '--route', 'destination=192.168.0.0/16,gateway=10.1.0.9', 'r1');
    expect((await json('router', 'show', 'r1')).routes).toEqual([{ destination: '192.168.0.0/16', nexthop: '10.1.0.9' }]);
    const inUse = await openstack('router', 'delete', 'r1');
    expect(inUse.ok).toBe(false);
  });

  it('adds a rule to the default group and refuses its duplicate', async () => {
    const rule = await json('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', '--remote-ip', '0.0.0.0/0', 'default');
    expect(rule).toMatchObject({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, direction: 'ingress' });
    // the CLI renames ethertype to ether_type in its output.
    expect(rule.ether_type ?? rule.ethertype).toBe('IPv4');
    const dup = await openstack('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', 'default');
    expect(dup.ok).toBe(false);
    expect(dup.out).toContain('already exists');
  });
});
