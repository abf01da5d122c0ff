// One more port (issue 4): create+bind until ACTIVE with N ports already ACTIVE, stage by stage from esdn's own trace, beside bare OVS doing its part.
// Run (root, Open vSwitch installed; `npm run build` first so esdn runs compiled):
//   node bin/run-ts.js bench/oneMorePort.bench.ts [--sizes=100,1000] (5000: minutes of bring-up) [--hosts=1] [--runs=9] [--security-groups=none|default]
//
// esdn runs as a process on the e2e test bed at log level debug: its 'feed folded', 'observations
// durable', 'diff confirmed' and 'http request' lines carry wall-clock times, and this process
// stamps its own steps with the same clock. Both orders a hypervisor may use are timed:
// - bind first: POST the bound port, then make its tap (`ip`) and add it to br-int (`ovs-vsctl`);
// - tap first: the VIF is on br-int (and seen by esdn) before the POST, which names it with
//   binding:profile.interface_name.
// "ACTIVE" is read back by polling GET /v2.0/ports/{id} every 2 ms. References on the same bridge
// in the same minutes: the tap alone (`ip` + `ovs-vsctl`, the hypervisor's part, from the tap-first
// runs) and `ovs-ofctl add-flows` of as many flows as esdn's diff carried, with its barrier.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ovsAvailable } from '../test/support/ovsAvailability.ts';
import { run } from '../test/support/ovsExec.ts';
import { tapName, type E2eBed, type NetworkRef } from '../test/e2e/harness.ts';
import type { OvsHost } from '../test/support/ovsTestbed.ts';
import { addTaps, createBenchBed, createPorts, hostKey, hostName, sleep, VSCTL_WAIT_S, waitAllActive } from './support/bringUp.ts';
import { ReferenceController, REF_COOKIE, REF_TABLE } from './oneMorePortReference.ts';
import { readTimeline, stageTable, type Mark, type Timeline } from './oneMorePortTimeline.ts';

const arg = (name: string, dflt: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const SIZES = arg('sizes', '100,1000').split(',').map(Number);
const RUNS = Number(arg('runs', '9'));
const SECURITY_GROUPS = arg('security-groups', 'none');
/** Hypervisors the N ports are spread over (round robin); the one more port always lands on the first. */
const HOSTS = Number(arg('hosts', '1'));
/** How often ACTIVE is polled while one more port comes up (ms). */
const FAST_POLL_MS = 2;
const BRING_UP_TIMEOUT_MS = 900_000;
const ONE_MORE_TIMEOUT_MS = 60_000;
/** Quiet time between repetitions, so one port's trailing appends do not overlap the next one's. */
const SETTLE_MS = 300;

/** flow_mods of the reference when esdn's diff could not be read from its trace */
const DEFAULT_REF_FLOWS = 15;

/**
 * --profile=DIR: esdn runs with a CPU profile (bin/cpuProfile.js), stopped cleanly after the runs; the
 * bench prints how long the one-more-port phase lasted, so the profile's last that many ms are it.
 */
const PROFILE = arg('profile', '');
if (PROFILE) process.env.ESDN_CPU_PROFILE = PROFILE;

const now = (): number => performance.timeOrigin + performance.now();

/**
 * esdn's own account of an outlier: a batch of appends slow to become durable (with the phase it spent its
 * time in: the write lock, the fsync, a main thread that did not run) and the idle compactor's pauses.
 */
const isOutlierNote = (l: Record<string, unknown>): boolean =>
  typeof l.msg === 'string' && (l.msg.startsWith('slow event log batch') || l.msg === 'idle: heap compacted');

const securityGroups = () => (SECURITY_GROUPS === 'none' ? { security_groups: [] } : {});

/** One tap as a hypervisor makes it: `ip` (create, up), then `ovs-vsctl add-port`, which returns once ovs-vswitchd applied it. */
async function oneTap(host: OvsHost, tap: string, marks: Mark[]): Promise<void> {
  await run(['ip', '-n', host.ns, '-batch', '-'], { input: `tuntap add mode tap name ${tap}\nlink set ${tap} up\n` });
  marks.push({ stage: 'tap made (ip)', at: now() });
  await run(['ovs-vsctl', `--db=unix:${host.dir}/db.sock`, `--timeout=${VSCTL_WAIT_S}`, 'add-port', 'br-int', tap], { timeoutMs: (VSCTL_WAIT_S + 1) * 1000 });
  marks.push({ stage: 'tap on br-int (ovs-vsctl)', at: now() });
}

/** Round trips of the poll's GETs: ACTIVE is seen up to one poll interval plus one of these after esdn has it. */
const getRoundTrips: number[] = [];

async function waitActive(bed: E2eBed, id: string, marks: Mark[]): Promise<void> {
  const deadline = Date.now() + ONE_MORE_TIMEOUT_MS;
  for (;;) {
    const sent = now();
    const status = await bed.portStatus(id);
    getRoundTrips.push(now() - sent);
    if (status === 'ACTIVE') break;
    if (Date.now() > deadline) throw new Error(`port ${id} not ACTIVE within ${ONE_MORE_TIMEOUT_MS} ms`);
    await sleep(FAST_POLL_MS);
  }
  marks.push({ stage: 'ACTIVE seen in GET', at: now() });
}

async function postPort(bed: E2eBed, net: NetworkRef, extra: Record<string, unknown>, marks: Mark[]): Promise<string> {
  const r = await bed.api<{ port: { id: string } }>('POST', '/v2.0/ports', {
    port: { network_id: net.id, project_id: net.projectId, 'binding:host_id': hostName(0), ...securityGroups(), ...extra },
  });
  marks.push({ stage: 'POST answered', at: now() });
  return r.port.id;
}

/** Bind first (as the southbound bench): POST, then the tap. */
async function bindFirst(bed: E2eBed, net: NetworkRef): Promise<Timeline> {
  const marks: Mark[] = [{ stage: 'POST sent', at: now() }];
  const id = await postPort(bed, net, {}, marks);
  const tap = tapName(id);
  await oneTap(bed.ovs(hostKey(0)), tap, marks);
  await waitActive(bed, id, marks);
  await sleep(SETTLE_MS); // the status becomes durable after GET already shows it
  return readTimeline(bed.esdn!.logs, { id, tap, marks });
}

let tapSeq = 0;

/**
 * Tap first: the VIF is on br-int and esdn has recorded it, then the POST names it. The tap step is
 * also the reference: the bare client on the management socket answers its port_status with `flows`
 * flow_mods and a barrier at once.
 */
async function tapFirst(bed: E2eBed, net: NetworkRef, ref: ReferenceController, flows: number): Promise<{ timeline: Timeline; reference: Timeline }> {
  const tap = `tapm${process.pid.toString(16)}${(tapSeq++).toString(16)}`.slice(0, 15);
  const tapMarks: Mark[] = [{ stage: 'tap started', at: now() }];
  const bare = ref.expect(tap, flows);
  await oneTap(bed.ovs(hostKey(0)), tap, tapMarks);
  const { portStatusAt, confirmedAt } = await bare;
  tapMarks.push({ stage: 'port_status in (bare client)', at: portStatusAt }, { stage: 'flows confirmed (bare client)', at: confirmedAt });
  const reference: Timeline = { stages: new Map(tapMarks.map((m) => [m.stage, m.at - tapMarks[0].at])) };
  await ref.clear();
  // esdn records the interface (SwitchPortObserved) a few ms later; the bind must find it known
  const deadline = Date.now() + ONE_MORE_TIMEOUT_MS;
  while (!bed.esdn!.logs.some((l) => l.msg === 'observations durable' && (l.events as string[] | undefined)?.includes(`SwitchPortObserved ${tap}`))) {
    if (Date.now() > deadline) throw new Error(`esdn did not record ${tap}`);
    await sleep(FAST_POLL_MS);
  }
  await sleep(SETTLE_MS);
  const marks: Mark[] = [{ stage: 'POST sent', at: now() }];
  const id = await postPort(bed, net, { 'binding:profile': { interface_name: tap } }, marks);
  await waitActive(bed, id, marks);
  await sleep(SETTLE_MS);
  return { timeline: readTimeline(bed.esdn!.logs, { id, tap, marks }), reference };
}

/** `ovs-ofctl add-flows` of n flows (foreign cookie, an unused table) on the same bridge, its barrier included; then removed. */
async function bareFlows(host: OvsHost, n: number): Promise<number> {
  const file = join(host.dir, 'ref-flows.txt');
  writeFileSync(file, Array.from({ length: n }, (_, i) => `cookie=0x${REF_COOKIE.toString(16)},table=${REF_TABLE},priority=${i + 1},in_port=${i + 1},dl_src=02:00:00:00:00:01 actions=drop`).join('\n') + '\n');
  const mgmt = `unix:${host.mgmtSocket()}`;
  const t = now();
  await run(['ovs-ofctl', '-O', 'OpenFlow13', 'add-flows', mgmt, file]);
  const ms = now() - t;
  await run(['ovs-ofctl', '-O', 'OpenFlow13', 'del-flows', mgmt, `cookie=0x${REF_COOKIE.toString(16)}/-1`]);
  return ms;
}

async function measure(n: number): Promise<void> {
  process.env.ESDN_LOG_LEVEL = 'debug';
  const bed = await createBenchBed(HOSTS);
  try {
    const net = await bed.createNetwork('bench', 'bench', '10.0.0.0/16');
    const t0 = now();
    const ids = await createPorts(bed, net, n, { hosts: HOSTS, securityGroups: SECURITY_GROUPS });
    await addTaps(bed, ids, HOSTS);
    await waitAllActive(bed, n, BRING_UP_TIMEOUT_MS);
    console.log(`\n## ${n} ports on ${HOSTS} host(s): all ACTIVE after ${((now() - t0) / 1000).toFixed(1)} s; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    // the bring-up's lines are of no use below, and at 5000 ports they are many
    bed.esdn!.logs.splice(0);
    const bind: Timeline[] = [];
    const tapped: Timeline[] = [];
    const bare: Timeline[] = [];
    const flowRefs: number[] = [];
    const notes: string[] = [];
    const ref = await ReferenceController.connect(bed.ovs(hostKey(0)).mgmtSocket());
    const phaseStart = now();
    try {
      for (let r = 0; r < RUNS; r++) {
        const b = await bindFirst(bed, net);
        bind.push(b);
        // as many flow_mods as esdn's diff for the port carried
        const flows = b.flowMods ?? DEFAULT_REF_FLOWS;
        const t = await tapFirst(bed, net, ref, flows);
        tapped.push(t.timeline);
        bare.push(t.reference);
        flowRefs.push(await bareFlows(bed.ovs(hostKey(0)), flows));
        for (const l of bed.esdn!.logs.filter(isOutlierNote)) notes.push(`run ${r}: ${JSON.stringify({ ...l, service: undefined, pid: undefined })}`);
        bed.esdn!.logs.splice(0);
      }
    } finally {
      await ref.close();
    }
    if (PROFILE) {
      const phaseMs = now() - phaseStart;
      await bed.esdn!.stop('SIGTERM');
      bed.esdn = undefined;
      console.log(`CPU profile of esdn in ${PROFILE}: the one-more-port phase is its last ${phaseMs.toFixed(0)} ms (up to the stop)`);
    }
    console.log(`\n### bind first (POST, then ip + ovs-vsctl), ${RUNS} runs, ms since POST sent`);
    console.log(stageTable(bind));
    console.log(`\n### tap first (tap on br-int and recorded, then POST naming it), ${RUNS} runs, ms since POST sent`);
    console.log(stageTable(tapped));
    const mods = bind.map((t) => t.flowMods ?? DEFAULT_REF_FLOWS);
    console.log(`\n### references on the same bridge, same minutes: the bare tap, and a bare OpenFlow client answering its port_status with ${Math.min(...mods)}-${Math.max(...mods)} flow_mods + barrier; ms since the tap started`);
    console.log(stageTable(bare, [
      ['ovs-ofctl add-flows of as many flows + barrier (a process of its own)', flowRefs],
      [`GET /v2.0/ports/{id} round trip (the poll, every ${FAST_POLL_MS} ms)`, getRoundTrips.splice(0)],
    ]));
    console.log(`\n### esdn's notes during the runs (slow event-log batches, heap compactions): ${notes.length === 0 ? 'none' : ''}`);
    for (const note of notes) console.log(note);
  } catch (error) {
    console.log(`FAILED at ${n} ports: ${error instanceof Error ? error.stack : String(error)}\n${bed.postMortem()}`);
  } finally {
    await bed.teardown();
  }
}

async function main(): Promise<void> {
  const a = ovsAvailable();
  if (!a.ok) {
    console.log(`one-more-port bench skipped: ${a.reason}`);
    return;
  }
  console.log(`one more port: ${HOSTS} host(s), sizes ${SIZES.join(', ')}, security groups ${SECURITY_GROUPS}, ${RUNS} runs per order; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const n of SIZES) await measure(n);
}

await main();
