// Auditing a real switch: esdn (a real process) programs a real OVS br-int; verify sees hand-made drift, explain traces a dumped flow back to its port and events.
//
// verify and explain run as `esdn audit ...` processes on the same SQLite log while esdn serves it;
// verify dumps the switch through our own OpenFlow connection to the bridge's br-int.mgmt socket.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { runEsdn } from '../cli/esdnProcess.ts';
import { E2eBed, type NetworkRef, type VmRef } from '../e2e/harness.ts';
import { join } from 'node:path';

/** A flow added by hand (not esdn's cookie): drift verify must report. */
const HAND_FLOW = 'cookie=0x4242,table=0,priority=7,in_port=999,actions=drop';
const EXIT_DRIFT = 3;

describeWithOvs('esdn audit against a real switch', () => {
  let bed: E2eBed;
  let net: NetworkRef;
  let vm: VmRef;
  let store: string;
  let mgmt: string;
  const audit = (...args: string[]) => runEsdn(['audit', ...args, '--store', store]);

  beforeAll(async () => {
    bed = await E2eBed.create([{ key: 'A', host: 'hv1', tunnelIp: '192.168.50.1' }]);
    net = await bed.createNetwork('project-a', 'net1');
    vm = await bed.addVm('A', net, { name: 'A1', mac: '02:00:00:00:01:01', ip: '10.0.0.11' });
    await bed.waitStatus(vm.portId, 'ACTIVE');
    await bed.waitConverged('A');
    store = `sqlite:${join(bed.storeDir, 'events.db')}`;
    mgmt = `unix:${bed.ovs('A').mgmtSocket('br-int')}`;
  }, 180_000);
  afterAll(() => bed?.teardown(), 60_000);

  it('verify: in sync after the controller synced; a hand-added flow and a hand-deleted one are drift (exit 3)', async () => {
    const clean = await audit('verify', 'hv1', '--switch', mgmt, '--json');
    expect(clean.stderr).toBe('');
    const report = JSON.parse(clean.stdout);
    expect([report.in_sync, report.missing, report.extra, report.different], bed.postMortem()).toEqual([true, [], [], []]);
    expect(report.matching).toBeGreaterThan(0);
    expect(clean.code).toBe(0);

    await bed.ovs('A').addFlows('br-int', [HAND_FLOW]);
    const lines = await bed.ovs('A').flowLines('br-int', '--no-stats');
    const victim = lines.find((l) => l.includes('table=0') && l.includes(`dl_src=${vm.mac}`)) ?? lines.find((l) => l.includes('cookie=0xe5d'))!;
    const strict = victim.replace(/^cookie=\S+\s*/, '').replace(/ actions=.*$/, '');
    await bed.ovs('A').ofctl('--strict', 'del-flows', 'br-int', strict);
    const esdnFlows = async () => (await bed.ovs('A').flowLines('br-int', '--no-stats')).filter((l) => l.startsWith('cookie=0xe5d'));
    const gone = lines.filter((l) => l.startsWith('cookie=0xe5d')).length - (await esdnFlows()).length;
    expect(gone).toBeGreaterThan(0);
    const drift = await audit('verify', 'hv1', '--switch', mgmt);
    expect(drift.code).toBe(EXIT_DRIFT);
    expect(drift.stdout).toMatch(/DRIFT/);
    expect(drift.stdout).toMatch(/^extra: cookie=0x4242, table=0, priority=7,in_port=999 actions=drop {2}# foreign <- pipeline$/m);
    expect(drift.stdout).toMatch(/^missing: /m);
    const json = JSON.parse((await audit('verify', 'hv1', '--switch', mgmt, '--json')).stdout);
    expect(json.extra.map((l: { cookie: string }) => l.cookie)).toEqual(['0x4242']);
    expect(json.missing.length).toBe(gone);
    expect(json.missing.map((l: { flow: string }) => l.flow)).toContainEqual(expect.stringContaining(strict.split(',')[0]));
    // the running esdn answers the same over HTTP, dumping the switch over its own controller connection
    const api = await bed.api<{ extra: { cookie: string }[]; missing: unknown[] }>('GET', '/v1/audit/verify/hv1');
    expect(api.extra.map((l) => l.cookie)).toEqual(['0x4242']);
    expect(api.missing.length).toBe(gone);
  }, 120_000);

  it('explain: a flow line dumped from the switch names the port and the events (with actors and times) that made it', async () => {
    const ofport = await bed.ovs('A').ofportOf(`tap${vm.portId.slice(0, 11)}`);
    const dumped = (await bed.ovs('A').flowLines('br-int')).find((l) => l.includes(`in_port=${ofport}`) && l.includes('cookie=0xe5d'));
    expect(dumped, 'a flow for the VM port on the switch').toBeDefined();
    const r = await audit('explain', 'hv1', '--flow', dumped as string, '--json');
    expect(r.code, r.stderr).toBe(0);
    const x = JSON.parse(r.stdout);
    expect(x.owner).toBe('esdn');
    expect(x.matches_desired).toBe(true);
    const port = x.resources.find((p: { id: string }) => p.id === vm.portId);
    expect(port.kind).toBe('port');
    expect(port.resource.mac_address).toBe(vm.mac);
    const types = port.events.map((e: { type: string }) => e.type);
    expect(types).toContain('PortCreated');
    expect(types).toContain('SwitchPortObserved');
    const created = port.events.find((e: { type: string }) => e.type === 'PortCreated');
    expect(created.actor).toEqual({ user_id: 'admin', project_id: 'admin' });
    expect(Date.parse(created.at)).not.toBeNaN();
    // the same answer from the running esdn over HTTP
    const api = await bed.api<{ resources: { id: string }[] }>('GET', `/v1/audit/explain/hv1?flow=${encodeURIComponent(dumped as string)}`);
    expect(api.resources.map((p) => p.id)).toContain(vm.portId);
    const text = await audit('explain', 'hv1', '--flow', dumped as string);
    expect(text.stdout).toContain(`port ${vm.portId}`);
  }, 120_000);
});
