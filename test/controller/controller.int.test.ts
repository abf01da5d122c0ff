// The controller in-process against a real switch: a flow the switch rejects is logged with its text, and the controller carries on.
//
// The bad input is an observation in the log naming an OpenFlow port number OVS refuses in a match
// (70000: above OFPP_MAX of OVS's 16-bit port space, below the reserved ports), as a corrupt or
// hand-written log could hold. The port's flows then cannot be installed; the next good observation
// brings everything back, with no restart.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Hono } from 'hono';
import { createNeutronApi } from '../../src/api/createApp.ts';
import type { ApiEnv } from '../../src/api/env.ts';
import { Controller } from '../../src/controller/controller.ts';
import { openEventStore } from '../../src/eventStore/open.ts';
import type { EventStore } from '../../src/eventStore/types.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { createNeutronService, type NeutronService } from '../../src/service/neutronService.ts';
import { switchStream } from '../../projections/topology/observations.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { waitFor } from '../support/ovsExec.ts';
import { OvsTestbed } from '../support/ovsTestbed.ts';
import { tapName } from '../e2e/harness.ts';

/** Above OVS's OFPP_MAX (0xff00) and below the OF1.3 reserved range: OVS rejects it in a match. */
const BAD_OFPORT = 70_000;

describeWithOvs('controller against a real switch: rejected flows', () => {
  let tb: OvsTestbed;
  let store: EventStore;
  let service: NeutronService;
  let controller: Controller;
  let api: Hono<ApiEnv>;
  let dir: string;
  const logs: Record<string, unknown>[] = [];
  let portId = '';

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await api.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as Record<string, Record<string, string>>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const status = () => service.world().ports.get(portId)?.status;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'esdn-ctl-'));
    store = await openEventStore(`sqlite:${join(dir, 'events.db')}`);
    service = createNeutronService({ store });
    await service.start();
    const log = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
    controller = new Controller({ store, service, log, listen: [{ tcp: { host: '127.0.0.1', port: 0 } }] });
    const [addr] = await controller.start();
    api = createNeutronApi({ service, auth: { kind: 'noauth' } });
    tb = await OvsTestbed.create();
    const host = await tb.addHost({ name: 'A', datapathId: 0xa1n, tunnelIp: '192.168.50.1' });
    await call('POST', '/v2.0/hosts', { host: { name: 'hv1', datapath_id: '00000000000000a1', tunnel_ip: '192.168.50.1' } });
    await host.setController({ tcpPort: (addr as { port: number }).port });
    const net = await call('POST', '/v2.0/networks', { network: { name: 'n' } });
    await call('POST', '/v2.0/subnets', { subnet: { network_id: net.network.id, cidr: '10.0.0.0/24', ip_version: 4 } });
    const port = await call('POST', '/v2.0/ports', { port: { network_id: net.network.id, 'binding:host_id': 'hv1', security_groups: [] } });
    portId = port.port.id;
    await host.addVm({ name: 'A1', iface: tapName(portId), mac: port.port.mac_address, ip: '10.0.0.5/24' });
    await waitFor('port ACTIVE', () => (status() === 'ACTIVE' ? true : undefined), { timeoutMs: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await controller?.stop();
    await service?.stop();
    await store?.close();
    await tb?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const observe = (ofport: number) => store.append(switchStream('hv1'), [{
    id: randomUUID(), type: 'SwitchPortObserved', data: { host: 'hv1', name: tapName(portId), ofport, at: new Date().toISOString() },
    metadata: { correlationId: 'c', causationId: 'c', requestId: 'r', actor: { userId: 'test', projectId: 'test' }, at: new Date().toISOString() },
  }], 'any');

  it('logs each rejected flow with its ovs-ofctl text, does not mark the port ACTIVE for it, and recovers on the next good observation', async () => {
    const realOfport = Number.parseInt((await tb.host('A').vsctl('get', 'interface', tapName(portId), 'ofport')).trim(), 10);
    await observe(BAD_OFPORT);
    const rejected = await waitFor('a rejected flow logged', () => {
      const l = logs.filter((x) => x.msg === 'switch rejected a flow');
      return l.length > 0 ? l : undefined;
    }, { timeoutMs: 20_000 });
    // every rejected flow is one that names the bad port number (in_port=, output:), shown as ovs-ofctl text
    for (const r of rejected) expect(String(r.flow)).toMatch(new RegExp(`(in_port=|output:)${BAD_OFPORT}\\b`));
    expect(String(rejected[0].flow)).toMatch(/^cookie=0xe5d0/);
    expect(controller.switchState('hv1')).not.toBe('disconnected');
    // its own flows were refused, so the port is not wired: DOWN
    await waitFor('port DOWN', () => (status() === 'DOWN' ? true : undefined), { timeoutMs: 20_000 });
    // the good number again: flows with it are installed and the switch holds the desired table
    await observe(realOfport);
    await waitFor('flows back', async () => {
      const dump = await tb.host('A').dumpFlows('br-int', '--no-stats');
      return dump.includes(`in_port=${realOfport} `) || dump.includes(`in_port=${realOfport},`) ? true : undefined;
    }, { timeoutMs: 20_000 });
    await waitFor('port ACTIVE again', () => (status() === 'ACTIVE' ? true : undefined), { timeoutMs: 20_000 });
  }, 90_000);
});
