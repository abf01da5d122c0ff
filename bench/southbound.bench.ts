// Southbound: port bring-up, one more port, flows per port, cold start and controller RSS, with esdn as a process and real tap ports in OVS.
// Run (root, Open vSwitch installed): node bin/run-ts.js bench/southbound.bench.ts [--sizes=100,1000] [--runs=5] [--security-groups=default|none] [--hosts=1] [--profile=DIR] [--heap-snapshot=DIR] [--settle-ms=20000] [--memory-only] [--order=bind-first|tap-first] [--lanes=N]
//
// One simulated hypervisor (ovs-vswitchd in its own namespace, userspace datapath) whose br-int
// reaches esdn through the test bed's relay. Ports are created through the HTTP API (bulk, bound
// with binding:host_id), then their tap devices are created (one `ip -batch`) and added to br-int in
// few ovs-vsctl transactions, as Nova would after binding. "ACTIVE" is read from GET /v2.0/ports.
// With --order=tap-first the taps are on br-int before the first POST (which names them), so the
// bring-up measured is esdn's own: API to every port ACTIVE.
// Beside it, the reference: the same taps added the same way to a bare bridge with no controller;
// bring-up is printed as esdn / bare OVS, a ratio that moves less with the machine's load.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ovsAvailable } from '../test/support/ovsAvailability.ts';
import { run } from '../test/support/ovsExec.ts';
import type { E2eBed, NetworkRef } from '../test/e2e/harness.ts';
import { OvsTestbed } from '../test/support/ovsTestbed.ts';
import { getText } from './support/apiReads.ts';
import { addHostTaps, addTaps, createBenchBed, createPorts, hostKey, sleep, VSCTL_WAIT_S, waitAllActive } from './support/bringUp.ts';
import { DEFAULT_OPENFLOW_LANES } from '../src/config.ts';
import { cpuSince, machineBusyMs, pidsIn, threadCpuMs } from './support/cpuTimes.ts';

const arg = (name: string, dflt: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt;
const SIZES = arg('sizes', '100,1000').split(',').map(Number);
const RUNS = Number(arg('runs', '5'));
/** 'default': ports join the project's default security group (Neutron's default); 'none': security_groups: [] */
const SECURITY_GROUPS = arg('security-groups', 'default');
/** Hypervisors the ports are spread over (round robin); one more port always lands on the first. */
const HOSTS = Number(arg('hosts', '1'));
/**
 * 'bind-first' (Nova's order): POST bound ports, then the taps. 'tap-first': every VIF is already on
 * br-int (the hypervisor plugged them), then the bound ports are POSTed naming them with
 * binding:profile.interface_name: the bring-up is then the controller's own work, API to ACTIVE.
 */
const ORDER = arg('order', 'bind-first');
/** --lanes=N: esdn's --openflow-lanes and N lane targets per br-int (0: the main connection only); unset: ESDN_OPENFLOW_LANES, else esdn's default. */
const LANES = arg('lanes', process.env.ESDN_OPENFLOW_LANES ?? String(DEFAULT_OPENFLOW_LANES));
/** How often ACTIVE is polled while one more port comes up (ms). */
const FAST_POLL_MS = 2;
const BRING_UP_TIMEOUT_MS = 600_000;
/** --profile=DIR: esdn runs with a CPU profile written into DIR (bin/cpuProfile.js) and is stopped cleanly after the bring-up. */
const PROFILE = arg('profile', '');
if (PROFILE) {
  process.env.ESDN_CPU_PROFILE = PROFILE;
  process.env.ESDN_LOG_LEVEL = 'debug';
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The interface a tap-first port i is plugged as (Nova's length; named by the port's binding:profile). */
const plugTap = (i: number): string => `tapp${i.toString(16).padStart(10, '0')}`;

/** Tap names for the bare-OVS reference (same length and form as Nova's, never a port of esdn's). */
const refTap = (i: number): string => `tap${i.toString(16).padStart(11, '0')}`;

/**
 * The reference: the same taps added the same way to the same kind of bridge (userspace datapath,
 * OpenFlow 1.3, fail_mode=secure) in its own namespace, with no controller at all; then the same
 * flow table esdn made the first host's switch hold, loaded with `ovs-ofctl --bundle add-flows`
 * (what an operator would run). What esdn's bring-up takes beyond taps + flows is esdn's own.
 */
async function bareOvs(n: number, flows: readonly string[]): Promise<{ tapsMs: number; flowsMs: number; oneMoreMs: number }> {
  const tb = await OvsTestbed.create();
  try {
    const host = await tb.addHost({ name: 'ref', datapathId: REF_DPID });
    const t0 = performance.now();
    await addHostTaps(host, Array.from({ length: n }, (_, i) => refTap(i)));
    const t1 = performance.now();
    const ofports = (await host.vsctl('--bare', '--columns=ofport', 'list', 'Interface')).split('\n').filter((l) => Number(l) > 0).length;
    if (ofports < n) throw new Error(`bare OVS reference: only ${ofports} of ${n} taps have an OpenFlow port`);
    const file = join(host.dir, 'flows.txt');
    writeFileSync(file, flows.join('\n') + '\n');
    const t2 = performance.now();
    // not host.ofctl: its 30 s deadline is shorter than 65k flows into a bridge of 5000 taps
    await run(['ovs-ofctl', '-O', 'OpenFlow13', '--bundle', 'add-flows', `unix:${host.mgmtSocket()}`, file], { timeoutMs: VSCTL_WAIT_S * 1000 });
    const t3 = performance.now();
    const installed = (await run(['ovs-ofctl', '-O', 'OpenFlow13', 'dump-aggregate', `unix:${host.mgmtSocket()}`], { timeoutMs: VSCTL_WAIT_S * 1000 })).stdout.match(/flow_count=(\d+)/)?.[1];
    if (Number(installed) !== flows.length) throw new Error(`bare OVS reference: ${installed} flows installed of ${flows.length}`);
    // one more tap on the full bridge, as the one-more-port figure adds it (the part esdn cannot shorten)
    const more: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      await addHostTaps(host, [refTap(n + r)]);
      more.push(performance.now() - t);
    }
    return { tapsMs: t1 - t0, flowsMs: t3 - t2, oneMoreMs: median(more) };
  } finally {
    await tb.teardown();
  }
}
const REF_DPID = 0xbeefn;

/** process.memoryUsage() of esdn in MB, from its /metrics (src/observability/memoryGauge.ts). */
async function memoryMb(bed: E2eBed): Promise<Record<string, number>> {
  const text = await getText(`${bed.esdn!.apiUrl}/metrics`);
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^esdn_process_memory_bytes\{kind="(\w+)"\} (\S+)$/gm)) out[m[1]] = Number(m[2]) / 2 ** 20;
  // V8's spaces (prom-client's default metrics): the young generation's semi-spaces against the old generation
  for (const m of text.matchAll(/^esdn_nodejs_heap_space_size_total_bytes\{space="(\w+)"\} (\S+)$/gm)) out[`space_${m[1]}`] = Number(m[2]) / 2 ** 20;
  return out;
}

/** Heap used / heap total / external (MB) from esdn's own /metrics. */
async function heapMb(bed: E2eBed): Promise<string> {
  const m = await memoryMb(bed);
  return `heap ${m.heap_used?.toFixed(0)} used of ${m.heap_total?.toFixed(0)} (new space ${m.space_new?.toFixed(0)}, old ${m.space_old?.toFixed(0)}, code ${m.space_code?.toFixed(0)}), ` +
    `external ${m.external?.toFixed(0)} (array buffers ${m.array_buffers?.toFixed(0)})`;
}

/** V8's memory reducer shrinks the heap only once the mutator has been idle for a while: the steady figure is read this long after the last port is ACTIVE. */
const SETTLE_MS = Number(arg('settle-ms', '20000'));
/** --memory-only: stop after the memory figures (no flow reports, one more port, cold start or bare reference), to iterate on memory. */
const MEMORY_ONLY = process.argv.includes('--memory-only');

/** --heap-snapshot=DIR: after the bring-up esdn writes a heap snapshot there (node's --heapsnapshot-signal, SIGUSR2). */
const HEAP_SNAPSHOT = arg('heap-snapshot', '');
if (HEAP_SNAPSHOT) process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${HEAP_SNAPSHOT}`.trim();

/** VmRSS (now) and VmHWM (the peak since esdn started) in MB. */
function rssMb(bed: E2eBed, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${bed.esdn!.child.pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
}

/** One more port: POST (bound) -> tap added -> ACTIVE; returns [total ms, ms after the tap was on br-int]. */
async function oneMore(bed: E2eBed, net: NetworkRef): Promise<[number, number]> {
  const t0 = performance.now();
  const [id] = await createPorts(bed, net, 1, { hosts: 1, securityGroups: SECURITY_GROUPS });
  await addTaps(bed, [id], 1);
  const t1 = performance.now();
  for (;;) {
    if ((await bed.portStatus(id)) === 'ACTIVE') break;
    await sleep(FAST_POLL_MS);
  }
  const t2 = performance.now();
  return [t2 - t0, t2 - t1];
}

async function coldStart(bed: E2eBed): Promise<{ readyMs: number; inSyncMs: number }> {
  await bed.killEsdn();
  const t0 = performance.now();
  await bed.startEsdn();
  const readyMs = performance.now() - t0;
  while (bed.esdn!.logs.filter((l) => l.msg === 'switch in sync').length < HOSTS) await sleep(5);
  return { readyMs, inSyncMs: performance.now() - t0 };
}

const stageLines: string[] = [];
const memoryLines: string[] = [];
/** Time for the signal to reach esdn before its API is asked (the request then waits for the snapshot). */
const HEAP_SNAPSHOT_START_MS = 200;

/** With --profile (debug logs): every diff the reconciler confirmed and every switch event, as ms since the first API call. */
function printDiffTimeline(bed: E2eBed, wall0: number): void {
  for (const l of bed.esdn!.logs) {
    const at = Date.parse(String(l.time)) - wall0;
    if (l.msg === 'diff confirmed') {
      const over = l.lanes === undefined ? '' : ` over 1 + ${String(l.lanes)} connections`;
      console.log(`diff confirmed at ${at} ms: ${String(l.mods)} flow_mods${over}, barrier after ${String(l.barrierMs)} ms`);
    }
    else if (at >= 0 && (typeof l.host === 'string' || l.msg === 'OpenFlow lane disconnected')) {
      const err = typeof l.err === 'string' ? l.err : (l.err as { message?: string } | undefined)?.message;
      console.log(`${l.msg} at ${at} ms${l.adds === undefined ? '' : `: ${String(l.adds)} adds, ${String(l.deletes)} deletes`}${l.reason === undefined ? '' : ` (${String(l.reason)})`}${err === undefined ? '' : ` (${err})`}`);
    }
  }
}

async function measure(n: number): Promise<void> {
  const row = await measureEsdn(n);
  if (!row) return;
  // esdn's figures first, so a failing reference loses nothing
  console.log(`esdn at ${n}: ${(row.bringUpMs / 1000).toFixed(2)} s ${row.parts} ${row.rest}; ${row.cpu}`);
  // the reference on its own test bed after esdn's is gone; per host, as esdn's taps are added
  const ref = await bareOvs(Math.ceil(n / HOSTS), row.flows);
  const bareTaps = ref.tapsMs * HOSTS;
  const bareAll = (ref.tapsMs + ref.flowsMs) * HOSTS;
  console.log(
    `| ${n} | ${(row.bringUpMs / 1000).toFixed(2)} s ${row.parts} | ${(bareTaps / 1000).toFixed(2)} s + ${((bareAll - bareTaps) / 1000).toFixed(2)} s ` +
    `| **${(row.bringUpMs / bareTaps).toFixed(2)}** / **${(row.bringUpMs / bareAll).toFixed(2)}** ${row.rest}`.replace(ONE_MORE_BARE, `${ref.oneMoreMs.toFixed(1)} ms`),
  );
}

/** Placeholder in esdn's row for the bare reference's one-more-tap time, measured after esdn's bed is gone. */
const ONE_MORE_BARE = '<bare one more>';

interface EsdnRow {
  bringUpMs: number;
  /** (API + taps + to ACTIVE) */
  parts: string;
  /** the columns after the ratios */
  rest: string;
  /** the first host's desired flows, ovs-ofctl syntax */
  flows: string[];
  /** where the cores went during the bring-up (formatCpu) */
  cpu: string;
}

/**
 * CPU time from now on: esdn (every thread), the hosts' ovs-vswitchd and ovsdb-server, the bench, and
 * the whole machine, whose rest is the relays and anything else running. Two cores give a bring-up of
 * T seconds 2T core-seconds; esdn's share of them says what cutting its work can gain. The returned
 * function formats what was used until it is called, over `wallMs` of wall time.
 */
function bringUpCpu(bed: E2eBed): (wallMs: number) => string {
  const dirs = Array.from({ length: HOSTS }, (_, h) => bed.ovs(hostKey(h)).dir);
  const machine0 = machineBusyMs();
  const threads0 = threadCpuMs(bed.esdn!.child.pid!);
  const used = cpuSince({
    esdn: () => [bed.esdn!.child.pid!],
    vswitchd: () => dirs.flatMap((d) => pidsIn(d, 'ovs-vswitchd')),
    ovsdb: () => dirs.flatMap((d) => pidsIn(d, 'ovsdb-server')),
    bench: () => [process.pid],
  });
  return (wallMs) => {
    const u = used();
    const machine = machineBusyMs() - machine0;
    const rest = machine - u.esdn - u.vswitchd - u.ovsdb - u.bench;
    const pid = String(bed.esdn!.child.pid);
    const threads = Object.entries(threadCpuMs(bed.esdn!.child.pid!)).map(([tid, ms]): [string, number] => [tid === pid ? 'main' : tid, ms - (threads0[tid] ?? 0)])
      .filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]).map(([tid, ms]) => `${tid} ${ms}`).join(', ');
    return `CPU during the bring-up (${wallMs.toFixed(0)} ms): esdn ${u.esdn} ms (by thread id: ${threads}), ovs-vswitchd ${u.vswitchd} ms, ovsdb ${u.ovsdb} ms, ` +
      `bench ${u.bench} ms, rest (relays, other) ${rest.toFixed(0)} ms; machine busy ${machine.toFixed(0)} of ${(2 * wallMs).toFixed(0)} core-ms`;
  };
}

async function measureEsdn(n: number): Promise<EsdnRow | undefined> {
  const bed = await createBenchBed(HOSTS, { lanes: Number(LANES) });
  try {
    const net = await bed.createNetwork('bench', 'bench', '10.0.0.0/16');
    const rssIdle = rssMb(bed);
    const heapIdle = await heapMb(bed);
    // tap first: the hypervisor's part (the taps) comes before t0, so bring-up is API -> all ACTIVE
    const tPlug = performance.now();
    const plugged = ORDER === 'tap-first' ? Array.from({ length: n }, (_, i) => plugTap(i)) : undefined;
    if (plugged) await addTaps(bed, plugged, HOSTS, (name) => name);
    const t0 = performance.now();
    const wall0 = Date.now();
    const cpu = bringUpCpu(bed);
    const ids = await createPorts(bed, net, n, { hosts: HOSTS, securityGroups: SECURITY_GROUPS, interfaces: plugged });
    const tApi = performance.now();
    if (!plugged) await addTaps(bed, ids, HOSTS);
    const tTaps = performance.now();
    await waitAllActive(bed, n, BRING_UP_TIMEOUT_MS);
    const tActive = performance.now();
    const cpuLine = cpu(tActive - t0);
    // before the bench's own flow reports (65k flows as text at 5000 ports), which grow the heap too:
    // the peak of the bring-up (VmHWM), now, and after SETTLE_MS with esdn idle
    const rssPeak = rssMb(bed, 'VmHWM');
    const rssAtActive = rssMb(bed);
    const heapAtActive = await heapMb(bed);
    await sleep(SETTLE_MS);
    const rssSettled = rssMb(bed);
    const heapSettled = await heapMb(bed);
    // the idle compactor's log lines (src/observability/idleCompactor.ts): its pauses, and the heap before -> after
    const compactions = bed.esdn!.logs.filter((l) => l.msg === 'idle: heap compacted')
      .map((l) => `${String(l.pauseMs)} ms pause, heap total ${String(l.heapTotalMb).replace(',', ' -> ')} MB`);
    memoryLines.push(`${n} ports: RSS peak during bring-up ${rssPeak.toFixed(0)} MB; when all ACTIVE ${rssAtActive.toFixed(0)} MB, ${heapAtActive}; ` +
      `${SETTLE_MS / 1000} s later, idle, ${rssSettled.toFixed(0)} MB, ${heapSettled} (before any port: RSS ${rssIdle.toFixed(0)} MB, ${heapIdle}); ` +
      `idle compactions: ${compactions.length ? compactions.join('; ') : 'none'}`);
    if (MEMORY_ONLY) {
      console.log(`esdn at ${n}: ${((tActive - t0) / 1000).toFixed(2)} s; ${cpuLine}; ${memoryLines.at(-1)}`);
      return undefined;
    }
    const report = await bed.desiredFlows(hostKey(0));
    let flows = 0;
    for (let h = 0; h < HOSTS; h++) flows += h === 0 ? report.length : (await bed.desiredFlows(hostKey(h))).length;
    const byStage = new Map<string, number>();
    for (const f of report as { stage?: string }[]) byStage.set(f.stage ?? '?', (byStage.get(f.stage ?? '?') ?? 0) + 1);
    stageLines.push(`${n} ports on ${HOSTS} host(s), first host: ${[...byStage].map(([k, v]) => `${k} ${(v / n).toFixed(2)}`).join(', ')} flows per port`);
    const converged = (await Promise.all(Array.from({ length: HOSTS }, (_, h) => bed.flowDifferences(hostKey(h))))).flat();
    const rssAfterBringUp = rssMb(bed);
    memoryLines.push(`${n} ports: after the flow reports RSS ${rssAfterBringUp.toFixed(0)} MB, ${await heapMb(bed)}`);
    if (HEAP_SNAPSHOT) {
      bed.esdn!.child.kill('SIGUSR2');
      // the snapshot is written on esdn's main thread: the first answer after the signal means it is done
      await sleep(HEAP_SNAPSHOT_START_MS);
      // (a keep-alive socket esdn closed while it was blocked is resent by the bed: ./support/apiReads.ts)
      await bed.api('GET', '/');
    }
    const bringUp = {
      bringUpMs: tActive - t0, flows: report.map((f) => f.flow), cpu: cpuLine,
      parts: plugged
        ? `(taps plugged first in ${((t0 - tPlug) / 1000).toFixed(2)} s, then API ${((tApi - t0) / 1000).toFixed(2)} + to ACTIVE ${((tActive - tApi) / 1000).toFixed(2)})`
        : `(API ${((tApi - t0) / 1000).toFixed(2)} + taps ${((tTaps - tApi) / 1000).toFixed(2)} + to ACTIVE ${((tActive - tTaps) / 1000).toFixed(2)})`,
    };
    if (PROFILE) {
      // a clean stop writes the CPU profile of the bring-up; nothing after it is measured
      printDiffTimeline(bed, wall0);
      await bed.esdn!.stop('SIGTERM');
      bed.esdn = undefined;
      return { ...bringUp, rest: `| profile written to ${PROFILE} |` };
    }
    const more: [number, number][] = [];
    for (let r = 0; r < RUNS; r++) more.push(await oneMore(bed, net));
    const cold = await coldStart(bed);
    await waitAllActive(bed, n + RUNS, BRING_UP_TIMEOUT_MS);
    const rssCold = rssMb(bed);
    return {
      ...bringUp,
      rest: `| ${median(more.map((m) => m[0])).toFixed(1)} ms (${median(more.map((m) => m[1])).toFixed(1)} ms after the tap; bare OVS tap alone ${ONE_MORE_BARE}) ` +
      `| ${(flows / n).toFixed(2)} (${flows} flows${converged.length ? `, NOT converged: ${converged.length}` : ''}) ` +
      `| ${(cold.readyMs / 1000).toFixed(2)} s ready, ${(cold.inSyncMs / 1000).toFixed(2)} s in sync ` +
      `| ${rssIdle.toFixed(0)} MB / peak ${rssPeak.toFixed(0)}, all ACTIVE ${rssAtActive.toFixed(0)}, ${SETTLE_MS / 1000} s later ${rssSettled.toFixed(0)} MB (${rssAfterBringUp.toFixed(0)} MB after the flow reports) / ${rssCold.toFixed(0)} MB |`,
    };
  } catch (error) {
    console.log(`FAILED at ${n} ports: ${error instanceof Error ? error.message : String(error)}\n${bed.postMortem()}`);
    return undefined;
  } finally {
    await bed.teardown();
  }
}

async function main(): Promise<void> {
  const a = ovsAvailable();
  if (!a.ok) {
    console.log(`southbound bench skipped: ${a.reason}`);
    return;
  }
  console.log(`southbound: ${HOSTS} host(s), sizes ${SIZES.join(', ')}, security groups ${SECURITY_GROUPS}, order ${ORDER}, OpenFlow lanes ${LANES || process.env.ESDN_OPENFLOW_LANES || 'default'}, one-more-port median of ${RUNS}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('| ports | esdn bring-up (all ACTIVE) | bare OVS: same taps + same flows (ovs-ofctl --bundle), no controller | esdn / bare taps, esdn / bare taps+flows | one more port until ACTIVE (median) | flows per port (all switches) | cold start (kill -9, restart) until every switch in sync | esdn RSS with no port / after bring-up (peak, all ACTIVE, settled) / after cold start |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const n of SIZES) await measure(n);
  console.log(`\nflows per port by pipeline stage:\n${stageLines.join('\n')}`);
  console.log(`\nesdn memory:\n${memoryLines.join('\n')}`);
}

await main();
