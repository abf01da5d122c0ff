// Restarts: kill -9 of esdn under 10 ms pings loses nothing; an ovs-vswitchd restart and a cut controller link converge again.
//
// After each, every switch holds exactly the desired flows (no duplicates, no leftovers), and a
// flow added by hand with another cookie is still there.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOvs } from '../support/ovsAvailability.ts';
import { E2eBed, pingStats, tapName, type VmRef } from './harness.ts';

const FOREIGN_FLOW = 'cookie=0x1234,table=0,priority=1,in_port=999,actions=drop';
/** Pings at 10 ms while esdn is killed and started again (~25 s of traffic at the nominal rate). */
const PING_INTERVAL_S = '0.01';
const PING_COUNT = 2500;
/** The bound for flows to be back after a switch restart. */
const SWITCH_RESTART_CONVERGE_MS = 1000;

const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

interface PingRun {
  done: Promise<{ sent: number; received: number; out: string }>;
}

function continuousPing(vm: VmRef, to: string): PingRun {
  const child = spawn('ip', ['netns', 'exec', vm.vm.ns, 'ping', '-i', PING_INTERVAL_S, '-c', String(PING_COUNT), '-W', '1', to], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  const done = new Promise<{ sent: number; received: number; out: string }>((resolve) => {
    child.on('exit', () => {
      const m = /(\d+) packets transmitted, (\d+) received/.exec(out);
      resolve({ sent: m ? Number(m[1]) : 0, received: m ? Number(m[2]) : 0, out: out.split('\n').slice(-4).join('\n') });
    });
  });
  return { done };
}

describeWithOvs('esdn e2e: restarts of esdn, of a switch, and of the controller link (2 hosts)', () => {
  let bed: E2eBed;
  let a1: VmRef;
  let b1: VmRef;
  const converged = async () => {
    for (const k of ['A', 'B']) await bed.waitConverged(k, 30_000);
  };

  beforeAll(async () => {
    bed = await E2eBed.create([
      { key: 'A', host: 'hv1', tunnelIp: '192.168.50.1' },
      { key: 'B', host: 'hv2', tunnelIp: '192.168.50.2' },
    ]);
    for (const k of ['A', 'B']) await bed.ovs(k).addFlows('br-int', [FOREIGN_FLOW]);
    const net = await bed.createNetwork('project-a');
    a1 = await bed.addVm('A', net, { name: 'A1', mac: '02:00:00:00:01:01', ip: '10.0.0.11' });
    b1 = await bed.addVm('B', net, { name: 'B1', mac: '02:00:00:00:02:01', ip: '10.0.0.21' });
    await bed.addVm('A', net, { name: 'A2', mac: '02:00:00:00:01:02', ip: '10.0.0.12' });
    for (const v of [a1, b1]) await bed.waitStatus(v.portId, 'ACTIVE');
    await converged();
  }, 120_000);
  afterAll(() => bed?.teardown(), 60_000);

  it('kill -9 of esdn under 10 ms pings across hosts: zero lost, and the switches hold exactly the desired flows after', async () => {
    const run = continuousPing(a1, b1.ip);
    await new Promise((r) => setTimeout(r, 2000));
    await bed.killEsdn();
    await new Promise((r) => setTimeout(r, 1000));
    await bed.startEsdn();
    await converged();
    const got = await run.done;
    console.log(`[restart] pings across the esdn kill -9 and restart: ${got.received}/${got.sent}`);
    expect(got.sent).toBe(PING_COUNT);
    expect(got.received).toBe(got.sent);
    await converged();
    // the restarted controller found every flow already in place: its resync bundles changed nothing
    const syncs = bed.esdn!.logs.filter((l) => l.msg === 'switch in sync');
    expect(syncs.length).toBeGreaterThanOrEqual(2);
    // every flow reads back from OVS as sent (conjunction-only flows and /0 prefixes included), so nothing is replaced
    for (const s of syncs) {
      expect(s.deletes).toBe(0);
      expect(s.adds).toBe(0);
      expect(s.changed, JSON.stringify(s.changed)).toEqual([]);
    }
    for (const v of [a1, b1]) expect(await bed.portStatus(v.portId)).toBe('ACTIVE');
  }, 180_000);

  it('an ovs-vswitchd restart gets its flows back within a second, then pings flow', async () => {
    const started = Date.now();
    await bed.tb.restartVswitchd('B');
    const restarted = Date.now();
    await bed.waitConverged('B', 10_000);
    const ms = Date.now() - restarted;
    console.log(`[restart] ovs-vswitchd restart: restart itself ${restarted - started} ms, flows back ${ms} ms after it`);
    expect(ms).toBeLessThan(SWITCH_RESTART_CONVERGE_MS);
    expect((await pingStats(a1.vm, b1.ip, 3)).received).toBe(3);
    await bed.waitStatus(b1.portId, 'ACTIVE');
    // the switch lost the hand-added flow itself (a restart wipes all flows); put it back for the next test
    await bed.ovs('B').addFlows('br-int', [FOREIGN_FLOW]);
  }, 60_000);

  it('a cut controller link takes the ports DOWN; the new link resyncs: stale esdn flows deleted, tampered ones restored, ports ACTIVE', async () => {
    const t0 = Date.now();
    const stage = (what: string) => console.log(`[cut] +${Date.now() - t0} ms ${what} (load ${loadavg()})`);
    try {
      // while esdn cannot see it, the switch gets a stale esdn flow and one of esdn's flows tampered with by hand
      const STALE = 'cookie=0xe5d0000000000099,table=0,priority=1,in_port=998,actions=drop';
      const ofport = await bed.ovs('A').ofportOf(tapName(a1.portId));
      const classify = (await bed.desiredFlows('A')).find((f) => f.flow.includes(' table=0,') && f.flow.includes(`in_port=${ofport} `));
      expect(classify).toBeDefined();
      await bed.cutRelay('A');
      stage('relay cut');
      await bed.ovs('A').addFlows('br-int', [STALE, classify!.flow.replace(/actions=.*$/, 'actions=drop')]);
      const cutPings = await pingStats(a1.vm, b1.ip, 2);
      stage(`pings with the tampered flow: ${cutPings.received}/${cutPings.sent}`);
      expect(cutPings.received, cutPings.out).toBe(0);
      await bed.waitStatus(a1.portId, 'DOWN', 30_000);
      stage('port DOWN');
      await bed.connect('A');
      stage('relay back');
      await bed.waitStatus(a1.portId, 'ACTIVE', 30_000);
      stage('port ACTIVE');
      await converged();
      stage('converged');
      // the resync removed the stale flow and put the tampered one back: traffic flows again
      expect(await bed.ovs('A').dumpFlows('br-int', '--no-stats')).not.toContain('in_port=998');
      const backPings = await pingStats(a1.vm, b1.ip, 3);
      stage(`pings after the resync: ${backPings.received}/${backPings.sent}`);
      expect(backPings.received, backPings.out).toBe(3);
      for (const k of ['A', 'B']) expect((await bed.installedEsdnFlows(k)).foreign, `foreign flows on ${k}`).toBe(1);
    } catch (error) {
      console.log(`[cut] failed at +${Date.now() - t0} ms; esdn post-mortem:\n${bed.postMortem()}`);
      throw error;
    }
  }, 90_000);
});
