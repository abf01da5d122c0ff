// The controller in-process against a real switch: a flow the switch rejects is logged with its text, and the controller carries on.
//
// The bad input is an observation in the log naming an OpenFlow port number OVS refuses in a match
// (70000: above OFPP_MAX of OVS's 16-bit port space, below the reserved ports), as a corrupt or
// hand-written log could hold. The port's flows then cannot be installed; the next good observation
// brings everything back, with no restart.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Controller } from '../../src/controller/controller.ts';
import { switchStream } from '../../projections/topology/observations.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { waitFor } from '../support/ovsExec.ts';
import { createSwitchTestBed, type SwitchTestBed } from '../support/switchTestBed.ts';
import { tapName } from '../e2e/harness.ts';

/** Above OVS's OFPP_MAX (0xff00) and below the OF1.3 reserved range: OVS rejects it in a match. */
const BAD_OFPORT = 70_000;

describeWithOvs('controller against a real switch: rejected flows', () => {
  let bed: SwitchTestBed;
  let controller: Controller;
  let portId = '';

  const status = () => bed.harness.service.world().ports.get(portId)?.status;

  beforeAll(async () => {
    bed = await createSwitchTestBed();
    const { store, service } = bed.harness;
    controller = new Controller({ store, service, log: bed.log, listen: [{ tcp: { host: '127.0.0.1', port: 0 } }] });
    const [addr] = await controller.start();
    await bed.ovs.setController({ tcpPort: (addr as { port: number }).port });
    portId = await bed.addBoundPortWithVm();
    await waitFor('port ACTIVE', () => (status() === 'ACTIVE' ? true : undefined), { timeoutMs: 20_000 });
  }, 120_000);

  afterAll(async () => {
    await controller?.stop();
    await bed?.close();
  }, 60_000);

  const observe = (ofport: number) => bed.harness.store.append(switchStream('hv1'), [{
    id: randomUUID(), type: 'SwitchPortObserved', data: { host: 'hv1', name: tapName(portId), ofport, at: new Date().toISOString() },
    metadata: { correlationId: 'c', causationId: 'c', requestId: 'r', actor: { userId: 'test', projectId: 'test' }, at: new Date().toISOString() },
  }], 'any');

  it('logs each rejected flow with its ovs-ofctl text, does not mark the port ACTIVE for it, and recovers on the next good observation', async () => {
    const realOfport = Number.parseInt((await bed.ovs.vsctl('get', 'interface', tapName(portId), 'ofport')).trim(), 10);
    await observe(BAD_OFPORT);
    const rejected = await waitFor('a rejected flow logged', () => {
      const l = bed.logs.filter((x) => x.msg === 'switch rejected a flow');
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
      const dump = await bed.ovs.dumpFlows('br-int', '--no-stats');
      return dump.includes(`in_port=${realOfport} `) || dump.includes(`in_port=${realOfport},`) ? true : undefined;
    }, { timeoutMs: 20_000 });
    await waitFor('port ACTIVE again', () => (status() === 'ACTIVE' ? true : undefined), { timeoutMs: 20_000 });
  }, 90_000);
});
