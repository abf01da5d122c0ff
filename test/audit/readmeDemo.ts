// Regenerates the README "Auditing" examples: a small scripted history on a real esdn (tokens auth, one real OVS host), then every audit command, CLI and HTTP.
// Run (root, OVS installed): node bin/run-ts.js test/audit/readmeDemo.ts   — prints a transcript; not a test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { runEsdn, startEsdn } from '../cli/esdnProcess.ts';
import { waitFor } from '../support/ovsExec.ts';
import { OvsTestbed } from '../support/ovsTestbed.ts';

const TOKENS = 'admin-token ops root admin\nalice-token proj-a alice member\nbob-token proj-b bob member\n';
const HAND_FLOW = 'cookie=0x4242,table=0,priority=7,in_port=999,actions=drop';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'esdn-readme-'));
const tb = await OvsTestbed.create();
const tokens = join(dir, 'tokens');
writeFileSync(tokens, TOKENS);
const ofPort = await freePort();
const store = `sqlite:${join(dir, 'events.db')}`;
const esdn = await startEsdn(['--api-listen', '127.0.0.1:0', '--openflow-listen', `127.0.0.1:${ofPort}`, '--store', store, '--auth', `tokens:${tokens}`]);
const say = (s: string) => process.stdout.write(`${s}\n`);
try {
  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${esdn.apiUrl}${path}`, { method, headers: { 'content-type': 'application/json', 'x-auth-token': `${token}-token` }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text === '' ? {} : JSON.parse(text);
  };
  const host = await tb.addHost({ name: 'A', datapathId: 0xa1n, tunnelIp: '192.168.50.1' });
  await api('admin', 'POST', '/v2.0/hosts', { host: { name: 'hv1', datapath_id: '00000000000000a1', tunnel_ip: '192.168.50.1' } });
  await host.setController({ tcpPort: ofPort });
  const netA = (await api('alice', 'POST', '/v2.0/networks', { network: { name: 'net-a' } })).network.id;
  const subA = (await api('alice', 'POST', '/v2.0/subnets', { subnet: { network_id: netA, cidr: '10.0.0.0/24', ip_version: 4, name: 'sub-a' } })).subnet.id;
  const netB = (await api('bob', 'POST', '/v2.0/networks', { network: { name: 'net-b' } })).network.id;
  const port = (await api('alice', 'POST', '/v2.0/ports', { port: { network_id: netA, name: 'vm1', mac_address: '02:00:00:00:01:01', fixed_ips: [{ subnet_id: subA, ip_address: '10.0.0.11' }] } })).port.id;
  await api('alice', 'PUT', `/v2.0/networks/${netA}`, { network: { name: 'net-a2' } });
  await api('admin', 'PUT', `/v2.0/ports/${port}`, { port: { 'binding:host_id': 'hv1' } });
  await host.addVm({ name: 'A1', iface: `tap${port.slice(0, 11)}`, mac: '02:00:00:00:01:01', ip: '10.0.0.11/24' });
  await waitFor('port ACTIVE', async () => ((await api('admin', 'GET', `/v2.0/ports/${port}`)).port.status === 'ACTIVE' ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
  await api('alice', 'PUT', `/v2.0/ports/${port}`, { port: { name: 'vm1-web' } });
  await api('bob', 'DELETE', `/v2.0/networks/${netB}`);
  // let the controller finish the rename's (empty) flow round before dumping
  await new Promise((r) => setTimeout(r, 1_000));
  const mgmt = `unix:${host.mgmtSocket('br-int')}`;
  say(`# ids: net-a ${netA} sub-a ${subA} net-b ${netB} port ${port}; esdn ${esdn.apiUrl}; store ${store}; switch ${mgmt}`);

  const cli = async (args: string[], shown = args.join(' ')) => {
    const r = await runEsdn(['audit', ...args, '--store', store]);
    say(`\n$ esdn audit ${shown}\n${r.stdout}${r.stderr}[exit ${r.code}]`);
    return r;
  };
  const curl = (path: string) => {
    const r = spawnSync('curl', ['-s', '-H', 'X-Auth-Token: admin-token', `${esdn.apiUrl}${path}`], { encoding: 'utf8' });
    say(`\n$ curl -s -H "X-Auth-Token: $ADMIN" "http://127.0.0.1:9696${path}"\n${r.stdout}`);
  };
  await cli(['events', '--actor', 'bob']);
  await cli(['events', '--resource-id', port, '--type', 'PortCreated,PortBoundToHost,PortStatusChanged']);
  const events = JSON.parse((await runEsdn(['audit', 'events', '--store', store, '--json', '--limit', '1000'])).stdout.split('\n').filter(Boolean).map((l) => l).join(',').replace(/^/, '[').replace(/$/, ']'));
  const positionOf = (type: string) => (events as { type: string; position: number }[]).find((e) => e.type === type)!.position;
  const created = positionOf('PortCreated');
  await cli(['state', '--at', String(created - 1)]);
  await cli(['state', '--at', '2020-01-01T00:00:00Z']);
  await cli(['diff', '--from', String(created - 1), '--to', String(positionOf('PortStatusChanged'))]);
  await cli(['history', netA]);
  await cli(['history', port]);
  const flows = await cli(['flows', 'hv1']);
  // a time: that of the port's creation (the scripted history runs on the real clock, in a second or two)
  const at = (events as { type: string; at: string }[]).find((e) => e.type === 'PortCreated')!.at;
  await cli(['flows', 'hv1', '--at', at]);
  const dumped = spawnSync('ovs-ofctl', ['-O', 'OpenFlow13', 'dump-flows', host.mgmtSocket('br-int')], { encoding: 'utf8' }).stdout.split('\n');
  const line = dumped.find((l) => l.includes('table=0,') && l.includes('priority=100,in_port=') && l.includes('cookie=0xe5d'))!.trim();
  say(`\n# a line from ovs-ofctl dump-flows:\n${line}`);
  await cli(['explain', 'hv1', '--flow', line], `explain hv1 --flow "$(ovs-ofctl -O OpenFlow13 dump-flows br-int | grep 'table=0,.*priority=100,in_port=' | head -1)"`);
  const cookie = flows.stdout.split('\n').find((l) => l.includes('table=0') && l.includes('in_port='))!.match(/cookie=(0x[0-9a-f]+)/)![1];
  await cli(['verify', 'hv1', '--switch', mgmt], 'verify hv1 --switch br-int');
  await host.addFlows('br-int', [HAND_FLOW]);
  say(`\n$ ovs-ofctl -O OpenFlow13 add-flow br-int "${HAND_FLOW}"`);
  await cli(['verify', 'hv1', '--switch', mgmt], 'verify hv1 --switch br-int');
  const fresh = join(dir, 'fresh.audit.db');
  await cli(['state', '--stats', '--checkpoints', fresh], `state --stats --checkpoints ${fresh}`);
  await cli(['state', '--stats', '--checkpoints', fresh], `state --stats --checkpoints ${fresh}`);
  await cli(['state', '--stats']);
  await cli(['state', '--stats', '--checkpoints', 'none']);
  await cli(['events', '--type', 'NetworkDeleted', '--json']);
  curl('/v1/audit/events?actor=bob');
  curl(`/v1/audit/state?at=${created - 1}`);
  curl(`/v1/audit/diff?from=${created - 1}&to=${positionOf('PortStatusChanged')}`);
  curl(`/v1/audit/history/${netA}`);
  curl(`/v1/audit/flows/hv1?at=${created}`);
  curl(`/v1/audit/explain/hv1?cookie=${cookie}`);
  curl('/v1/audit/verify/hv1');
  curl('/v1/audit/state?at=noon');
} finally {
  await esdn.stop('SIGTERM');
  await tb.teardown();
  rmSync(dir, { recursive: true, force: true });
}
