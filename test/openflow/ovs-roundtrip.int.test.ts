// Round trip through a real ovs-vswitchd: our connection pushes every golden flow/group/meter, reads them back, and OVS's dumps equal ovs-ofctl's own push.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeMessage } from '../../openflow/index.ts';
import type { FlowMod, FlowStats, GroupMod, Instruction, Match, MeterMod, Oxm } from '../../openflow/index.ts';
import { createOpenFlowServer, type OpenFlowServer } from '../../openflow/server.ts';
import type { SwitchConnection } from '../../openflow/connection.ts';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { waitFor } from '../support/ovsExec.ts';
import { OvsTestbed, type OvsHost } from '../support/ovsTestbed.ts';
import { loadVectors, type Vector } from './golden/vectors.ts';

const requests = loadVectors('requests.json');
/** Flows the real switch accepted when ovs-ofctl added them (the capture recorded its dump). */
const flowVectors = requests.filter((v) => v.command.includes(' add-flow ') && v.switchDump !== undefined && !v.command.includes('--bundle'));
const groupVectors = requests.filter((v) => v.command.includes(' add-group '));
/** Userspace meters take only drop bands (dscp_remark is refused with OFPMMFC_BAD_BAND). */
const meterVectors = requests.filter((v) => v.command.includes(' add-meter ') && !v.text?.includes('dscp_remark'));

function decoded<T>(v: Vector): T {
  const r = decodeMessage(Buffer.from(v.hex, 'hex'));
  if (!r.ok) throw new Error(`${v.id}: ${r.error.message}`);
  return r.value as T;
}

/** A flow's identity in the table: OVS may reorder match fields, so they are sorted. */
function matchKey(m: Match): string {
  return m.map((o: Oxm) => JSON.stringify(o, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))).sort().join('|');
}
function flowKey(f: { tableId: number; priority: number; match: Match }): string {
  return `${f.tableId}/${f.priority}/${matchKey(f.match)}`;
}

/** Splits flows into batches in which no two share a table entry (same table, priority and match). */
function batches(vs: Vector[]): Vector[][] {
  const out: { keys: Set<string>; items: Vector[] }[] = [];
  for (const v of vs) {
    const key = flowKey(decoded<FlowMod>(v));
    let b = out.find((x) => !x.keys.has(key));
    if (!b) out.push((b = { keys: new Set(), items: [] }));
    b.keys.add(key);
    b.items.push(v);
  }
  return out.map((b) => b.items);
}

const sortedLines = (s: string): string[] => s.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('OFPST_') && !l.startsWith('NXST_')).sort();

describeWithOvs('round trip of the golden flows, groups and meters through a real ovs-vswitchd', () => {
  let tb: OvsTestbed;
  let host: OvsHost;
  let server: OpenFlowServer;
  let sw: SwitchConnection;

  beforeAll(async () => {
    tb = await OvsTestbed.create();
    host = await tb.addHost({ name: 'R', datapathId: 0xd1n });
    const path = join(host.dir, 'ctl.sock');
    server = createOpenFlowServer({ listen: [{ unix: path }], echoIntervalMs: 0 });
    await server.listen();
    const connected = new Promise<SwitchConnection>((resolve) => server.once('switch', resolve));
    await host.setController({ unixPath: path });
    sw = await connected;
    expect(sw.datapathId).toBe(0xd1n);
  });

  afterAll(async () => {
    await server?.close();
    await tb?.teardown();
  });

  it('installs every group and reads it back with group_desc, equal to what ovs-ofctl installs', async () => {
    const mods = groupVectors.map((v) => decoded<GroupMod>(v));
    // group 1 first: the fast-failover group 8 watches it
    mods.sort((a, b) => a.groupId - b.groupId);
    await sw.apply(mods.map(({ xid: _x, ...m }) => m));
    const body = await sw.multipart({ kind: 'group_desc' });
    if (body.kind !== 'group_desc') throw new Error(body.kind);
    const back = new Map(body.groups.map((g) => [g.groupId, g]));
    for (const m of mods) expect(back.get(m.groupId), `group ${m.groupId}`).toEqual({ groupType: m.groupType, groupId: m.groupId, buckets: m.buckets });
    const ours = await host.dumpGroups();
    expect(sortedLines(ours)).toHaveLength(mods.length);
    await host.ofctl('del-groups', 'br-int');
    for (const v of [...groupVectors].sort((a, b) => decoded<GroupMod>(a).groupId - decoded<GroupMod>(b).groupId)) {
      await host.ofctl('add-group', 'br-int', v.text ?? '');
    }
    expect(sortedLines(ours)).toEqual(sortedLines(await host.dumpGroups()));
  });

  it('installs every meter and reads it back with meter_config, equal to what ovs-ofctl installs', async () => {
    const mods = meterVectors.map((v) => decoded<MeterMod>(v));
    await sw.apply(mods.map(({ xid: _x, ...m }) => m));
    const body = await sw.multipart({ kind: 'meter_config', meterId: 0xffffffff });
    if (body.kind !== 'meter_config') throw new Error(body.kind);
    const back = new Map(body.meters.map((m) => [m.meterId, m]));
    for (const m of mods) {
      const got = back.get(m.meterId);
      expect(got?.flags, `meter ${m.meterId} flags`).toBe(m.flags);
      // OVS reports a burst size it chose when none was given, so compare rates and kinds
      expect(got?.bands.map((b) => [b.kind, b.rate]), `meter ${m.meterId} bands`).toEqual(m.bands.map((b) => [b.kind, b.rate]));
    }
    const ours = await host.dumpMeters();
    expect(ours.match(/^meter=/gm)).toHaveLength(mods.length);
    await host.ofctl('del-meters', 'br-int');
    for (const v of meterVectors) await host.ofctl('add-meter', 'br-int', v.text ?? '');
    expect(sortedLines(ours)).toEqual(sortedLines(await host.dumpMeters()));
  });

  it(`installs all ${flowVectors.length} accepted golden flows, reads them back with flow stats, and dump-flows equals ovs-ofctl's own install`, async () => {
    expect(flowVectors.length).toBeGreaterThanOrEqual(90);
    const mismatches: string[] = [];
    for (const batch of batches(flowVectors)) {
      await host.ofctl('del-flows', 'br-int');
      const mods = batch.map((v) => decoded<FlowMod>(v));
      await sw.apply(mods.map(({ xid: _x, ...m }) => m));
      const body = await sw.multipart({ kind: 'flow', tableId: 0xff, outPort: 0xffffffff, outGroup: 0xffffffff, cookie: 0n, cookieMask: 0n, match: [] });
      if (body.kind !== 'flow') throw new Error(body.kind);
      const back = new Map<string, FlowStats>(body.flows.map((f) => [flowKey(f), f]));
      for (const [i, m] of mods.entries()) {
        const got = back.get(flowKey(m));
        if (!got) mismatches.push(`${batch[i].id}: not found in flow stats`);
        else if (got.cookie !== m.cookie || !sameInstructions(got.instructions, m.instructions)) mismatches.push(`${batch[i].id}: read back differently`);
      }
      expect(body.flows.length).toBe(mods.length);
      const ours = await host.dumpFlows('br-int', '--no-stats', '--no-names');
      expect(sortedLines(ours)).toHaveLength(batch.length);
      await host.ofctl('del-flows', 'br-int');
      await host.addFlows('br-int', batch.map((v) => v.text ?? ''));
      const theirs = await host.dumpFlows('br-int', '--no-stats', '--no-names');
      expect(sortedLines(ours)).toEqual(sortedLines(theirs));
    }
    expect(mismatches).toEqual([]);
  });

  it('sees the flows it pushed in ovs-ofctl dump-flows right after the barrier', async () => {
    await host.ofctl('del-flows', 'br-int');
    const v = flowVectors.find((x) => x.id === 'a-ct-nat-dst');
    if (!v) throw new Error('vector a-ct-nat-dst missing');
    const { xid: _x, ...m } = decoded<FlowMod>(v);
    await sw.request(m);
    const dump = await waitFor('flow visible', async () => {
      const d = await host.dumpFlows('br-int', '--no-stats', '--no-names');
      return d.includes('nat(dst=10.0.0.11)') ? d : undefined;
    }, { timeoutMs: 1 });
    expect(sortedLines(dump)).toEqual(sortedLines(v.switchDump ?? ''));
  });
});

/** Instructions compare equal after JSON with bigint kept. */
function sameInstructions(a: Instruction[], b: Instruction[]): boolean {
  const j = (x: unknown): string => JSON.stringify(x, (_k, y) => (typeof y === 'bigint' ? `${y}n` : Buffer.isBuffer(y) ? y.toString('hex') : y));
  return j(a) === j(b);
}
