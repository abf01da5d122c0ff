// The real openstack CLI (python3-openstackclient) driving a real esdn process: create/list/show/set/unset/delete.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEsdn, type RunningEsdn } from '../cli/esdnProcess.ts';

const OPENSTACK = '/usr/bin/openstack';
/** One CLI call starts a Python interpreter and loads openstacksdk: about a second on these machines. */
const CLI_TIMEOUT_MS = 60_000;
const required = process.env.ESDN_REQUIRE_OVS === '1';
const missing = existsSync(OPENSTACK) ? undefined : `${OPENSTACK} is missing (Debian package python3-openstackclient)`;

if (missing && required) {
  test('openstack CLI is installed (required: ESDN_REQUIRE_OVS=1)', () => {
    throw new Error(missing);
  });
} else if (missing) {
  console.warn(`skipping openstack CLI e2e tests: ${missing}`);
}

type Json = Record<string, unknown>;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with only the settings given here: no OS_* variables from the caller's environment leak in. */
function cli(auth: string[], args: string[]): Promise<CliResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  return new Promise((resolve) => {
    execFile(OPENSTACK, [...auth, ...args], { env, timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

function client(endpoint: () => string, auth: string[] = ['--os-auth-type', 'none']) {
  const withEndpoint = () => [...auth, '--os-endpoint', endpoint()];
  const ok = async (...args: string[]): Promise<string> => {
    const result = await cli(withEndpoint(), args);
    if (result.code !== 0) throw new Error(`openstack ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
    return result.stdout;
  };
  return {
    ok,
    fails: (...args: string[]) => cli(withEndpoint(), args),
    json: async <T = Json>(...args: string[]): Promise<T> => JSON.parse(await ok(...args, '-f', 'json')) as T,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

describe.skipIf(missing !== undefined)('openstack CLI against esdn (noauth)', () => {
  let esdn: RunningEsdn;
  let dir: string;
  const os = client(() => esdn.apiUrl);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esdn-oscli-'));
    esdn = await startEsdn(['--api-listen', '127.0.0.1:0', '--store', `sqlite:${join(dir, 'events.db')}`]);
  });
  afterAll(async () => {
    await esdn?.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test('network create, list, show, set, unset', async () => {
    const net = await os.json('network', 'create', '--description', 'first', 'net1');
    expect(net).toMatchObject({ name: 'net1', description: 'first', admin_state_up: true, status: 'ACTIVE', subnets: [] });
    expect(net.id).toMatch(UUID);
    ids.net = String(net.id);
    const ext = await os.json('network', 'create', '--external', 'ext');
    expect(ext['router:external']).toBe(true);
    ids.ext = String(ext.id);

    const list = await os.json<Json[]>('network', 'list');
    expect(list.map((n) => n.Name).sort()).toEqual(['ext', 'net1']);

    await os.ok('network', 'set', '--name', 'net1b', '--description', 'renamed', 'net1');
    expect(await os.json('network', 'show', 'net1b')).toMatchObject({ id: ids.net, name: 'net1b', description: 'renamed' });
    await os.ok('network', 'set', '--disable', 'net1b');
    expect((await os.json('network', 'show', ids.net)).admin_state_up).toBe(false);
    await os.ok('network', 'set', '--enable', 'net1b');
    await os.ok('network', 'unset', '--description', 'net1b').catch(() => undefined);

    const absent = await os.fails('network', 'show', 'no-such-network');
    expect(absent.code).not.toBe(0);
    expect(absent.stderr).toContain('No Network found for no-such-network');
  });

  test('tags: network create --tag, set --tag, list --tags/--any-tags/--not-tags/--not-any-tags, unset --tag, set --no-tag', async () => {
    const net = await os.json('network', 'create', '--tag', 'beta', '--tag', 'alpha', 'tagged');
    expect(net.tags).toEqual(['alpha', 'beta']);
    await os.ok('network', 'set', '--tag', 'gamma', 'tagged');
    expect((await os.json('network', 'show', 'tagged')).tags).toEqual(['alpha', 'beta', 'gamma']);
    const names = async (...filter: string[]) => (await os.json<Json[]>('network', 'list', ...filter)).map((n) => n.Name).sort();
    expect(await names('--tags', 'alpha,gamma')).toEqual(['tagged']);
    expect(await names('--tags', 'alpha,delta')).toEqual([]);
    expect(await names('--any-tags', 'delta,beta')).toEqual(['tagged']);
    expect(await names('--not-tags', 'alpha')).toEqual(['ext', 'net1b']);
    expect(await names('--not-any-tags', 'delta')).toEqual(['ext', 'net1b', 'tagged']);
    await os.ok('network', 'unset', '--tag', 'alpha', 'tagged');
    expect((await os.json('network', 'show', 'tagged')).tags).toEqual(['beta', 'gamma']);
    await os.ok('network', 'set', '--no-tag', 'tagged');
    expect((await os.json('network', 'show', 'tagged')).tags).toEqual([]);
    await os.ok('network', 'delete', 'tagged');
  });

  test('subnet create, list, show, set, delete', async () => {
    const subnet = await os.json('subnet', 'create', '--network', 'net1b', '--subnet-range', '10.0.0.0/24', 'sub1');
    expect(subnet).toMatchObject({ name: 'sub1', cidr: '10.0.0.0/24', ip_version: 4, gateway_ip: '10.0.0.1', network_id: ids.net, enable_dhcp: true });
    expect(subnet.allocation_pools).toEqual([{ start: '10.0.0.2', end: '10.0.0.254' }]);
    ids.subnet = String(subnet.id);
    const extSubnet = await os.json('subnet', 'create', '--network', 'ext', '--subnet-range', '203.0.113.0/24', '--no-dhcp', 'extsub');
    expect(extSubnet.enable_dhcp).toBe(false);

    await os.ok('subnet', 'set', '--name', 'sub1b', '--description', 'tenant', 'sub1');
    expect(await os.json('subnet', 'show', 'sub1b')).toMatchObject({ id: ids.subnet, description: 'tenant' });
    const inNet = await os.json<Json[]>('subnet', 'list', '--network', ids.net);
    expect(inNet.map((s) => s.ID)).toEqual([ids.subnet]);
    expect((await os.json('network', 'show', ids.net)).subnets).toEqual([ids.subnet]);

    const spare = await os.json('subnet', 'create', '--network', 'net1b', '--subnet-range', '10.9.0.0/24', 'spare');
    await os.ok('subnet', 'delete', String(spare.id));
    expect((await os.fails('subnet', 'show', String(spare.id))).code).not.toBe(0);
  });

  test('port create, list, show, set, unset, delete', async () => {
    const port = await os.json('port', 'create', '--network', 'net1b', 'port1');
    expect(port).toMatchObject({ name: 'port1', network_id: ids.net, status: 'DOWN', admin_state_up: true });
    expect(port.mac_address).toMatch(MAC);
    const fixed = port.fixed_ips as { subnet_id: string; ip_address: string }[];
    expect(fixed).toHaveLength(1);
    expect(fixed[0].subnet_id).toBe(ids.subnet);
    expect(fixed[0].ip_address).toMatch(/^10\.0\.0\.\d+$/);
    ids.port = String(port.id);

    const pinned = await os.json('port', 'create', '--network', 'net1b', '--fixed-ip', 'subnet=sub1b,ip-address=10.0.0.50',
      '--mac-address', 'fa:16:3e:00:00:50', 'port2');
    expect(pinned.fixed_ips).toEqual([{ subnet_id: ids.subnet, ip_address: '10.0.0.50' }]);
    expect(pinned.mac_address).toBe('fa:16:3e:00:00:50');
    const taken = await os.fails('port', 'create', '--network', 'net1b', '--fixed-ip', 'subnet=sub1b,ip-address=10.0.0.50', 'dup');
    expect(taken.code).not.toBe(0);

    await os.ok('port', 'set', '--name', 'port1b', '--description', 'vm one', 'port1');
    await os.ok('port', 'set', '--binding-profile', 'interface_name=vm1eth0', 'port1b');
    let shown = await os.json('port', 'show', 'port1b');
    expect(shown).toMatchObject({ id: ids.port, description: 'vm one' });
    expect(shown.binding_profile).toEqual({ interface_name: 'vm1eth0' });
    await os.ok('port', 'unset', '--binding-profile', 'interface_name', 'port1b');
    shown = await os.json('port', 'show', 'port1b');
    expect(shown.binding_profile ?? {}).toEqual({});

    const list = await os.json<Json[]>('port', 'list', '--network', ids.net);
    expect(list.map((p) => p.Name).sort()).toEqual(['port1b', 'port2']);
    await os.ok('port', 'delete', 'port2');
    expect((await os.json<Json[]>('port', 'list', '--network', ids.net)).map((p) => p.ID)).toEqual([ids.port]);
  });

  test('binding a port to a registered host (esdn hosts extension over HTTP, binding through the CLI)', async () => {
    const registered = await fetch(`${esdn.apiUrl}/v2.0/hosts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ host: { name: 'hv1', datapath_id: '00000000000000a1', tunnel_ip: '192.0.2.11', bridge_mappings: { public: 'ex-public' } } }),
    });
    expect(registered.status).toBe(201);
    await os.ok('port', 'set', '--host', 'hv1', '--device-owner', 'compute:nova', 'port1b');
    const bound = await os.json('port', 'show', 'port1b');
    expect(bound).toMatchObject({ binding_host_id: 'hv1', device_owner: 'compute:nova' });
    expect((await os.json<Json[]>('port', 'list', '--host', 'hv1')).map((p) => p.ID)).toEqual([ids.port]);
    expect(await os.json<Json[]>('port', 'list', '--host', 'hv-none')).toEqual([]);
  });

  test('provider attributes: an external flat network on a physical network, a tenant network with its VNI', async () => {
    const flat = await os.json('network', 'create', '--external', '--provider-network-type', 'flat', '--provider-physical-network', 'public', 'pub');
    expect(flat).toMatchObject({ 'router:external': true, 'provider:network_type': 'flat', 'provider:physical_network': 'public' });
    const tenant = await os.json('network', 'show', ids.net);
    expect(tenant['provider:network_type']).toBe('vxlan');
    expect(tenant['provider:segmentation_id']).toEqual(expect.any(Number));
    expect((await os.json<Json[]>('network', 'list', '--external')).map((n) => n.Name).sort()).toEqual(['ext', 'pub']);
    await os.ok('network', 'delete', 'pub');
  });

  test('security group and rule create, list, show, set, delete; a port joins and leaves the group', async () => {
    const group = await os.json('security', 'group', 'create', '--description', 'web servers', 'web');
    expect(group).toMatchObject({ name: 'web', description: 'web servers' });
    ids.sg = String(group.id);
    const defaults = group.rules as Json[];
    expect(defaults.map((r) => `${r.direction}/${r.ethertype}`).sort()).toEqual(['egress/IPv4', 'egress/IPv6']);

    const rule = await os.json('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '80:81',
      '--remote-ip', '192.0.2.0/24', 'web');
    expect(rule).toMatchObject({ direction: 'ingress', ether_type: 'IPv4', protocol: 'tcp', port_range_min: 80, port_range_max: 81,
      remote_ip_prefix: '192.0.2.0/24', security_group_id: ids.sg });
    const fromGroup = await os.json('security', 'group', 'rule', 'create', '--protocol', 'icmp', '--remote-group', 'web', 'web');
    expect(fromGroup.remote_group_id).toBe(ids.sg);
    const rules = await os.json<Json[]>('security', 'group', 'rule', 'list', 'web');
    expect(rules.map((r) => r.ID)).toEqual(expect.arrayContaining([rule.id, fromGroup.id]));
    expect(rules).toHaveLength(defaults.length + 2);

    await os.ok('security', 'group', 'set', '--name', 'web2', '--description', 'renamed', 'web');
    expect(await os.json('security', 'group', 'show', 'web2')).toMatchObject({ id: ids.sg, description: 'renamed' });
    await os.ok('security', 'group', 'rule', 'delete', String(fromGroup.id));
    expect((await os.fails('security', 'group', 'rule', 'show', String(fromGroup.id))).code).not.toBe(0);

    await os.ok('port', 'set', '--security-group', 'web2', 'port1b');
    expect((await os.json('port', 'show', 'port1b')).security_group_ids).toContain(ids.sg);
    await os.ok('port', 'unset', '--security-group', 'web2', 'port1b');
    expect((await os.json('port', 'show', 'port1b')).security_group_ids).not.toContain(ids.sg);
    await os.ok('port', 'set', '--no-security-group', '--disable-port-security', 'port1b');
    expect((await os.json('port', 'show', 'port1b')).port_security_enabled).toBe(false);
    await os.ok('port', 'set', '--enable-port-security', 'port1b');

    const scratch = await os.json('security', 'group', 'create', 'scratch');
    await os.ok('security', 'group', 'delete', 'scratch');
    expect((await os.fails('security', 'group', 'show', String(scratch.id))).code).not.toBe(0);
  });

  test('router create, add subnet, set external gateway, show, list, set', async () => {
    const router = await os.json('router', 'create', 'r1');
    expect(router).toMatchObject({ name: 'r1', admin_state_up: true });
    ids.router = String(router.id);
    await os.ok('router', 'add', 'subnet', 'r1', 'sub1b');
    await os.ok('router', 'set', '--external-gateway', 'ext', 'r1');
    const shown = await os.json('router', 'show', 'r1');
    const gateway = shown.external_gateway_info as { network_id: string; external_fixed_ips: { ip_address: string }[] };
    expect(gateway.network_id).toBe(ids.ext);
    expect(gateway.external_fixed_ips[0].ip_address).toMatch(/^203\.0\.113\.\d+$/);
    const interfaces = shown.interfaces_info as { subnet_id: string; ip_address: string }[];
    expect(interfaces).toEqual([expect.objectContaining({ subnet_id: ids.subnet, ip_address: '10.0.0.1' })]);
    expect((await os.json<Json[]>('router', 'list')).map((r) => r.Name)).toEqual(['r1']);
    await os.ok('router', 'set', '--name', 'r1b', '--description', 'edge', 'r1');
    expect((await os.json('router', 'show', 'r1b')).description).toBe('edge');
  });

  test('floating ip create, list, show, set/unset port, delete', async () => {
    const fip = await os.json('floating', 'ip', 'create', '--description', 'public web', 'ext');
    expect(fip).toMatchObject({ floating_network_id: ids.ext, port_id: null, fixed_ip_address: null });
    expect(fip.floating_ip_address).toMatch(/^203\.0\.113\.\d+$/);
    const fipId = String(fip.id);
    await os.ok('floating', 'ip', 'set', '--port', 'port1b', fipId);
    const bound = await os.json('floating', 'ip', 'show', fipId);
    expect(bound).toMatchObject({ port_id: ids.port, router_id: ids.router });
    expect(bound.fixed_ip_address).toMatch(/^10\.0\.0\.\d+$/);
    const list = await os.json<Json[]>('floating', 'ip', 'list');
    expect(list.map((f) => f.ID)).toEqual([fipId]);
    await os.ok('floating', 'ip', 'unset', '--port', fipId);
    expect((await os.json('floating', 'ip', 'show', fipId)).port_id).toBeNull();
    await os.ok('floating', 'ip', 'delete', fipId);
    expect(await os.json<Json[]>('floating', 'ip', 'list')).toEqual([]);
  });

  test('teardown in dependency order: gateway, interface, router, port, group, subnet, network', async () => {
    // The CLI clears a gateway with PUT {"router": {"external_gateway_info": {}}} (an empty object, not null).
    await os.ok('router', 'unset', '--external-gateway', 'r1b');
    expect((await os.json('router', 'show', 'r1b')).external_gateway_info).toBeNull();
    await os.ok('router', 'remove', 'subnet', 'r1b', 'sub1b');
    await os.ok('router', 'delete', 'r1b');
    await os.ok('port', 'delete', 'port1b');
    await os.ok('security', 'group', 'delete', 'web2');
    await os.ok('subnet', 'delete', 'sub1b');
    await os.ok('network', 'delete', 'net1b', 'ext');
    expect(await os.json<Json[]>('network', 'list')).toEqual([]);
    expect(await os.json<Json[]>('port', 'list')).toEqual([]);
  });
});

describe.skipIf(missing !== undefined)('openstack CLI against esdn (admin_token)', () => {
  let esdn: RunningEsdn;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esdn-oscli-token-'));
    const tokens = join(dir, 'tokens');
    writeFileSync(tokens, 'T-admin admin alice admin\nT-demo demo bob member\n');
    esdn = await startEsdn(['--api-listen', '127.0.0.1:0', '--store', `sqlite:${join(dir, 'events.db')}`, '--auth', `tokens:${tokens}`]);
  });
  afterAll(async () => {
    await esdn?.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  test('a known token creates and lists; an unknown token is refused', async () => {
    const admin = client(() => esdn.apiUrl, ['--os-auth-type', 'admin_token', '--os-token', 'T-admin']);
    const net = await admin.json('network', 'create', 'tokennet');
    expect(net).toMatchObject({ name: 'tokennet', project_id: 'admin' });
    expect((await admin.json<Json[]>('network', 'list')).map((n) => n.Name)).toEqual(['tokennet']);

    const stranger = client(() => esdn.apiUrl, ['--os-auth-type', 'admin_token', '--os-token', 'wrong']);
    const refused = await stranger.fails('network', 'list');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/401|[Uu]nauthorized|authentication/);

    const none = client(() => esdn.apiUrl);
    expect((await none.fails('network', 'list')).code).not.toBe(0);
  });

  test('a member sees its own project only', async () => {
    const demo = client(() => esdn.apiUrl, ['--os-auth-type', 'admin_token', '--os-token', 'T-demo']);
    const mine = await demo.json('network', 'create', 'demonet');
    expect(mine.project_id).toBe('demo');
    expect((await demo.json<Json[]>('network', 'list')).map((n) => n.Name)).toEqual(['demonet']);
  });
});
