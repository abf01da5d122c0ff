// The real openstack CLI (python3-openstackclient) against esdn's API served over HTTP on loopback.
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
if (!available) console.warn('openstackCli.int.test: skipped, the openstack command (python3-openstackclient) is not installed');

let server: ServerType;
let store: SqliteEventStore;
let service: NeutronService;
let endpoint = '';
const dir = mkdtempSync(join(tmpdir(), 'esdn-osc-'));

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

describe.skipIf(!available)('openstack CLI', () => {
  it('creates a provider network, a subnet and a bound port, lists it, and refuses deleting the network in use', async () => {
    const net = await json('network', 'create', '--provider-network-type', 'vxlan', '--provider-segment', '4242', 'cli-net');
    expect(net).toMatchObject({ name: 'cli-net', 'provider:segmentation_id': 4242, mtu: 1450, status: 'ACTIVE' });
    const subnet = await json('subnet', 'create', '--network', 'cli-net', '--subnet-range', '10.77.0.0/24', 'cli-sub');
    expect(subnet).toMatchObject({ cidr: '10.77.0.0/24', gateway_ip: '10.77.0.1' });
    const port = await json('port', 'create', '--network', 'cli-net', '--host', 'hv1', '--fixed-ip', 'subnet=cli-sub,ip-address=10.77.0.9', 'cli-port');
    expect(port).toMatchObject({ binding_host_id: 'hv1', binding_vif_type: 'ovs', status: 'DOWN' });
    expect(port.fixed_ips).toEqual([{ subnet_id: subnet.id, ip_address: '10.77.0.9' }]);
    const ports = await json('port', 'list');
    expect(ports.map((p: { Name: string }) => p.Name)).toEqual(['cli-port']);
    const inUse = await openstack('network', 'delete', 'cli-net');
    expect(inUse.ok).toBe(false);
    expect(inUse.out).toContain('There are one or more ports still in use on the network');
  });
});
