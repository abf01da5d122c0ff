// The connection layer against a real Open vSwitch (ovs-vswitchd in its own namespace) connecting over a unix socket.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SwitchConnection } from '../../../openflow/connection.ts';
import type { FlowMod } from '../../../openflow/messages/types.ts';
import { connectToSwitch, createOpenFlowServer, type OpenFlowServer } from '../../../openflow/server.ts';
import { OpenFlowBatchError, OpenFlowBundleError, OpenFlowRequestError } from '../../../openflow/transport/errors.ts';
import type { Outgoing } from '../../../openflow/transport/outgoing.ts';
import { describeWithOvs } from '../../support/ovsAvailability.ts';
import { waitFor } from '../../support/ovsExec.ts';
import { OvsTestbed, type OvsHost } from '../../support/ovsTestbed.ts';

const DPID = 0x00000000000000a1n;
/** OFPP_ANY, OFPG_ANY, OFP_NO_BUFFER (spec 7.2.1, 7.3.4.1). */
const ANY = 0xffff_ffff;
const NO_BUFFER = 0xffff_ffff;
/** OFPTT_ALL: every table, for flow stats (7.3.5.2). */
const ALL_TABLES = 0xff;
/** OFPFF_CHECK_OVERLAP (7.3.4.1): refuse a flow that overlaps one of the same priority. */
const OFPFF_CHECK_OVERLAP = 1 << 1;
/** OFPFF_SEND_FLOW_REM and OFPRR_HARD_TIMEOUT (7.3.4.1, 7.4.2). */
const OFPFF_SEND_FLOW_REM = 1 << 0;
const OFPRR_HARD_TIMEOUT = 1;
/** Reserved ports CONTROLLER and TABLE, OFPCML_NO_BUFFER, OFPR_ACTION (7.2.1, 7.2.5, 7.4.1). */
const OFPP_CONTROLLER = 0xffff_fffd;
const OFPP_TABLE = 0xffff_fff9;
const OFPCML_NO_BUFFER = 0xffff;
const OFPR_ACTION = 1;
/** IEEE 802 local experimental ethertype: nothing else on the bridge uses it. */
const TEST_ETHERTYPE = 0x88b5;
/** More flows than fit into one 64 KiB multipart reply, so the dump must come in several parts. */
const MANY_FLOWS = 2_000;

function flowMod(over: Partial<FlowMod>): Outgoing {
  return {
    type: 'flow_mod', cookie: 0n, cookieMask: 0n, tableId: 0, command: 'add', idleTimeout: 0, hardTimeout: 0, priority: 100,
    bufferId: NO_BUFFER, outPort: ANY, outGroup: ANY, flags: 0, match: [], instructions: [], ...over,
  };
}

/** A valid flow: in_port=N -> drop (no instructions), tagged by cookie. */
const goodFlow = (cookie: bigint, inPort: number, tableId = 0): Outgoing =>
  flowMod({ cookie, tableId, match: [{ field: 'in_port', value: inPort }] });
/** ip_proto without eth_type: OVS rejects it with OFPBMC_BAD_PREREQ. */
const badFlow = (cookie: bigint): Outgoing => flowMod({ cookie, match: [{ field: 'ip_proto', value: 6 }] });

const flowsWithCookie = async (host: OvsHost, cookie: bigint): Promise<string[]> =>
  (await host.dumpFlows('br-int', `cookie=0x${cookie.toString(16)}/-1`)).split('\n').filter((l) => l.includes('cookie='));

describeWithOvs('connection layer with a real Open vSwitch', () => {
  let tb: OvsTestbed;
  let host: OvsHost;
  let server: OpenFlowServer;
  let sw: SwitchConnection;
  let sockPath: string;

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    host = await tb.addHost({ name: 'S', datapathId: DPID });
    sockPath = join(host.dir, 'of.sock');
    server = createOpenFlowServer({ listen: [{ unix: sockPath }], echoIntervalMs: 200, echoTimeoutMs: 2_000, requestTimeoutMs: 10_000 });
    await server.listen();
    const announced = new Promise<SwitchConnection>((resolve) => server.once('switch', resolve));
    await host.setController({ unixPath: sockPath });
    sw = await announced;
  });

  afterAll(async () => {
    await server?.close();
    await tb?.teardown();
  });

  it('completes the handshake and learns the datapath id; OVS reports the controller connected', async () => {
    expect(sw.datapathId).toBe(DPID);
    expect(sw.features.nTables).toBeGreaterThan(0);
    const connected = await waitFor('is_connected', async () =>
      (await host.vsctl('--columns=is_connected', '--bare', 'list', 'controller')).trim() === 'true' ? true : undefined);
    expect(connected).toBe(true);
  });

  it('keeps the connection alive with echoes that OVS answers', async () => {
    const before = sw.stats.echoRequestsOut;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sw.stats.echoRequestsOut - before).toBeGreaterThanOrEqual(2);
    expect(sw.state).toBe('ready');
    const reply = await sw.request({ type: 'echo_request', data: Buffer.from('ping') });
    expect(reply.data.toString()).toBe('ping');
  });

  it('installs a flow_mod confirmed by a barrier', async () => {
    await sw.request(goodFlow(0x1001n, 1));
    expect(await flowsWithCookie(host, 0x1001n)).toHaveLength(1);
  });

  it('routes the switch error for a bad flow_mod to that message, and applies the others', async () => {
    const err = await sw.request(badFlow(0x2001n)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenFlowRequestError);
    expect(err).toMatchObject({ requestType: 'flow_mod', typeName: 'OFPET_BAD_MATCH', codeName: 'OFPBMC_BAD_PREREQ' });

    const batch = await sw.apply([goodFlow(0x2002n, 2), badFlow(0x2002n), goodFlow(0x2002n, 3)]).catch((e: unknown) => e);
    expect(batch).toBeInstanceOf(OpenFlowBatchError);
    const failures = (batch as OpenFlowBatchError).failures;
    expect(failures.map((f) => [f.index, f.error.codeName])).toEqual([[1, 'OFPBMC_BAD_PREREQ']]);
    expect(await flowsWithCookie(host, 0x2002n)).toHaveLength(2);
  });

  it('reassembles a flow dump that OVS sends in several multipart parts', async () => {
    const cookie = 0x3001n;
    const flows = Array.from({ length: MANY_FLOWS }, (_, i) => goodFlow(cookie, 1000 + i, 1));
    await sw.apply(flows);
    const framesBefore = sw.stats.framesIn;
    const body = await sw.multipart({ kind: 'flow', tableId: ALL_TABLES, outPort: ANY, outGroup: ANY, cookie, cookieMask: ~0n & 0xffff_ffff_ffff_ffffn, match: [] });
    expect(body.kind).toBe('flow');
    if (body.kind !== 'flow') return;
    expect(body.flows).toHaveLength(MANY_FLOWS);
    expect(new Set(body.flows.map((f) => f.match.find((m) => m.field === 'in_port')?.value)).size).toBe(MANY_FLOWS);
    expect(sw.stats.framesIn - framesBefore).toBeGreaterThan(1);
  });

  it('negotiates roles with generation ids: a stale one is refused, a slave may not modify flows', async () => {
    expect(await sw.setRole('master', 10n)).toMatchObject({ type: 'role_reply', role: 'master', generationId: 10n });
    const stale = await sw.setRole('slave', 9n).catch((e: unknown) => e);
    expect(stale).toMatchObject({ typeName: 'OFPET_ROLE_REQUEST_FAILED', codeName: 'OFPRRFC_STALE' });
    expect(await sw.setRole('slave', 11n)).toMatchObject({ role: 'slave', generationId: 11n });
    const refused = await sw.request(goodFlow(0x4001n, 4)).catch((e: unknown) => e);
    expect(refused).toMatchObject({ typeName: 'OFPET_BAD_REQUEST', codeName: 'OFPBRC_IS_SLAVE' });
    expect(await sw.setRole('master', 12n)).toMatchObject({ role: 'master' });
    await sw.request(goodFlow(0x4001n, 4));
  });

  it('emits port status when a port is added and removed', async () => {
    const seen: string[] = [];
    const onStatus = (m: { reason: string; desc: { name: string } }): void => {
      if (m.desc.name === 'esxp1') seen.push(m.reason);
    };
    sw.on('port_status', onStatus);
    try {
      await host.vsctl('add-port', 'br-int', 'esxp1', '--', 'set', 'interface', 'esxp1', 'type=internal');
      await waitFor('port add', () => (seen.includes('add') ? true : undefined));
      await host.vsctl('del-port', 'br-int', 'esxp1');
      await waitFor('port delete', () => (seen.includes('delete') ? true : undefined));
      expect(seen[0]).toBe('add');
      expect(seen[seen.length - 1]).toBe('delete');
    } finally {
      sw.off('port_status', onStatus);
    }
  });

  it('commits a bundle atomically, and applies nothing of a bundle with a bad message', async () => {
    await sw.bundle([goodFlow(0x5001n, 5), goodFlow(0x5001n, 6)], { atomic: true, ordered: true });
    expect(await flowsWithCookie(host, 0x5001n)).toHaveLength(2);

    const err = await sw.bundle([goodFlow(0x5002n, 7), badFlow(0x5002n), goodFlow(0x5002n, 8)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenFlowBundleError);
    const b = err as OpenFlowBundleError;
    // OVS checks each message as it is added
    expect(b.phase).toBe('add');
    expect(b.failures.map((f) => [f.index, f.error.codeName])).toEqual([[1, 'OFPBMC_BAD_PREREQ']]);
    expect(await flowsWithCookie(host, 0x5002n)).toHaveLength(0);
    // the connection is still fine afterwards
    await sw.barrier();
  });

  it('routes an error found only at commit time to the inner message that caused it', async () => {
    // the table-0 flow in_port=1 priority 100 exists; an all-matching flow of the same priority overlaps it
    await sw.request(goodFlow(0x6000n, 1));
    const overlapping = flowMod({ cookie: 0x6001n, flags: OFPFF_CHECK_OVERLAP });
    const err = await sw.bundle([goodFlow(0x6001n, 11), overlapping]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenFlowBundleError);
    const b = err as OpenFlowBundleError;
    expect(b.phase).toBe('commit');
    expect(b.failures.map((f) => [f.index, f.error.codeName])).toEqual([[1, 'OFPFMFC_OVERLAP']]);
    expect(b.cause).toMatchObject({ codeName: expect.stringMatching(/MSG_FAILED/) });
    expect(await flowsWithCookie(host, 0x6001n)).toHaveLength(0);
  });

  it('emits FLOW_REMOVED when a flow asking for it times out', async () => {
    const removed = new Promise<{ reason: number; cookie: bigint }>((resolve) => {
      const on = (m: { reason: number; cookie: bigint }): void => {
        if (m.cookie !== 0x7001n) return;
        sw.off('flow_removed', on);
        resolve(m);
      };
      sw.on('flow_removed', on);
    });
    await sw.request(flowMod({ cookie: 0x7001n, hardTimeout: 1, flags: OFPFF_SEND_FLOW_REM, match: [{ field: 'in_port', value: 70 }] }));
    expect(await removed).toMatchObject({ cookie: 0x7001n, reason: OFPRR_HARD_TIMEOUT });
  });

  it('round-trips a frame: PACKET_OUT to the flow table, a flow sends it back as PACKET_IN', async () => {
    await sw.request(flowMod({
      cookie: 0x8001n, priority: 300, match: [{ field: 'eth_type', value: TEST_ETHERTYPE }],
      instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: OFPP_CONTROLLER, maxLen: OFPCML_NO_BUFFER }] }],
    }));
    const frameBytes = Buffer.concat([
      Buffer.from('ffffffffffff020000000001', 'hex'),
      Buffer.from([TEST_ETHERTYPE >> 8, TEST_ETHERTYPE & 0xff]),
      Buffer.from('esdn packet-in test payload, padded to a minimum frame'),
    ]);
    const got = new Promise<{ cookie: bigint; data: Buffer; reason: number }>((resolve) => sw.once('packet_in', resolve));
    await sw.request({ type: 'packet_out', bufferId: NO_BUFFER, inPort: OFPP_CONTROLLER, actions: [{ type: 'output', port: OFPP_TABLE, maxLen: 0 }], data: frameBytes });
    const pin = await got;
    expect(pin.cookie).toBe(0x8001n);
    expect(pin.reason).toBe(OFPR_ACTION);
    expect(pin.data.equals(frameBytes)).toBe(true);
  });

  it('dials the bridge management socket itself (connectToSwitch) and gets the same datapath id', async () => {
    const direct = await connectToSwitch({ unix: host.mgmtSocket() }, { echoIntervalMs: 0 });
    try {
      expect(direct.datapathId).toBe(DPID);
      const ports = await direct.multipart({ kind: 'port_desc' });
      expect(ports.kind === 'port_desc' && ports.ports.some((p) => p.name === 'br-int')).toBe(true);
    } finally {
      await direct.close();
    }
    await expect(connectToSwitch({ unix: join(host.dir, 'nobody-listens.sock') })).rejects.toThrow(/ENOENT/);
  });

  it('sees the switch go when ovs-vswitchd dies, and announces it again when it comes back', async () => {
    const again = new Promise<SwitchConnection>((resolve) => server.once('switch', resolve));
    await tb.restartVswitchd('S');
    const info = await sw.whenClosed();
    expect(['peer_closed', 'socket_error']).toContain(info.reason);
    sw = await again;
    expect(sw.datapathId).toBe(DPID);
    expect(server.switches).toEqual([sw]);
    // a restarted switch has no flows: ours are gone with it
    expect(await flowsWithCookie(host, 0x1001n)).toHaveLength(0);
    await sw.request(goodFlow(0x1001n, 1));
    expect(await flowsWithCookie(host, 0x1001n)).toHaveLength(1);
  });

  it('answers the echo probes OVS sends to an idle controller', async () => {
    // a second server without echoes of its own, so OVS sees us idle and probes (minimum 5 s)
    const idlePath = join(host.dir, 'idle.sock');
    const idle = createOpenFlowServer({ listen: [{ unix: idlePath }], echoIntervalMs: 0 });
    await idle.listen();
    try {
      const announced = new Promise<SwitchConnection>((resolve) => idle.once('switch', resolve));
      await host.vsctl('set-controller', 'br-int', `unix:${idlePath}`);
      await host.vsctl('set', 'controller', 'br-int', 'inactivity_probe=5000');
      const quiet = await announced;
      await waitFor('an echo from OVS', () => (quiet.stats.echoRequestsIn > 0 ? true : undefined), { timeoutMs: 20_000, intervalMs: 200 });
      // answered in time: OVS kept the connection
      await new Promise((r) => setTimeout(r, 500));
      expect(quiet.state).toBe('ready');
    } finally {
      await idle.close();
    }
  }, 40_000);
});
