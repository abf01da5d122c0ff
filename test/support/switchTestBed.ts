// esdn's service and API in process on a temp SQLite log, beside one real switch (OVS test bed host A, registered as hv1): the set-up of the controller int tests.
//
// The test brings its own OpenFlow side (the whole Controller, or one reconciler on a server of its
// own) and points the switch at it with `ovs.setController` when it wants.
import type { Logger } from 'pino';
import { createLogger } from '../../src/observability/logger.ts';
import { tapName } from '../e2e/harness.ts';
import { startHarness, type Harness } from './apiClient.ts';
import { OvsTestbed, type OvsHost } from './ovsTestbed.ts';

export const SWITCH_HOST = 'hv1';

export interface SwitchTestBed {
  harness: Harness;
  /** esdn's log lines, parsed, in order */
  logs: Record<string, unknown>[];
  /** the logger that fills `logs`, for the controller under test */
  log: Logger;
  tb: OvsTestbed;
  /** host A of the test bed: br-int with datapath id 0xa1, tunnel address 192.168.50.1 */
  ovs: OvsHost;
  /** One API call through the in-process app; throws on a status outside 2xx. */
  call(method: string, path: string, body?: unknown): Promise<Record<string, Record<string, string>>>;
  /**
   * A network, a /24 subnet and a port bound to hv1 with no security groups, whose VM is plugged on
   * br-int as the port's tap; returns the port's id.
   */
  addBoundPortWithVm(): Promise<string>;
  /** Stops the service, closes the log, tears the test bed down and removes the temp dir (stop the controller first). */
  close(): Promise<void>;
}

export async function createSwitchTestBed(): Promise<SwitchTestBed> {
  const harness = await startHarness();
  const logs: Record<string, unknown>[] = [];
  const log = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await harness.client.request(method, path, body);
    if (res.status < 200 || res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, Record<string, string>>;
  };
  let tb: OvsTestbed | undefined;
  try {
    tb = await OvsTestbed.create();
    const ovs = await tb.addHost({ name: 'A', datapathId: 0xa1n, tunnelIp: '192.168.50.1' });
    await call('POST', '/v2.0/hosts', { host: { name: SWITCH_HOST, datapath_id: '00000000000000a1', tunnel_ip: '192.168.50.1' } });
    const testbed = tb;
    return {
      harness, logs, log, tb, ovs, call,
      async addBoundPortWithVm() {
        const net = await call('POST', '/v2.0/networks', { network: { name: 'n' } });
        await call('POST', '/v2.0/subnets', { subnet: { network_id: net.network.id, cidr: '10.0.0.0/24', ip_version: 4 } });
        const port = await call('POST', '/v2.0/ports', { port: { network_id: net.network.id, 'binding:host_id': SWITCH_HOST, security_groups: [] } });
        await ovs.addVm({ name: 'A1', iface: tapName(port.port.id), mac: port.port.mac_address, ip: '10.0.0.5/24' });
        return port.port.id;
      },
      async close() {
        await harness.close();
        await testbed.teardown();
        await harness.cleanup();
      },
    };
  } catch (error) {
    await tb?.teardown();
    await harness.cleanup();
    throw error;
  }
}
