// Bring-up of many bound ports with real taps on the e2e test bed, shared by bench/southbound.bench.ts and bench/oneMorePort.bench.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../test/support/ovsExec.ts';
import { E2eBed, tapName, type BedOptions, type NetworkRef } from '../../test/e2e/harness.ts';
import type { OvsHost } from '../../test/support/ovsTestbed.ts';
import { resendGets } from './apiReads.ts';
// @ts-expect-error plain JavaScript module of the launcher, no type declarations
import { freshBuild } from '../../bin/compiled.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const hostKey = (i: number): string => `H${i}`;
export const hostName = (i: number): string => `hv${i + 1}`;

/** A test bed of `hosts` simulated hypervisors H0.. (hv1..), tunnel addresses 192.168.50.1..; its API reads survive a closed keep-alive socket (./apiReads.ts). */
export async function createBenchBed(hosts: number, opts: BedOptions = {}): Promise<E2eBed> {
  // esdn then compiles its TypeScript at start (tsx): ~50 MB more RSS and other CPU figures, easy to mistake for a regression
  if (!(freshBuild as () => string | undefined)()) console.log('WARNING: no fresh build (a source file is newer than dist/): esdn runs from its TypeScript sources; run `npm run build` for figures comparable with BENCHMARKS.md');
  return resendGets(await E2eBed.create(Array.from({ length: hosts }, (_, h) => ({ key: hostKey(h), host: hostName(h), tunnelIp: `192.168.50.${h + 1}` })), opts));
}

/** Ports per bulk POST. */
const CHUNK = 250;

export interface PortOptions {
  /** port i is bound to host (i mod hosts) */
  hosts: number;
  /** 'default': ports join the project's default security group (Neutron's default); 'none': security_groups: [] */
  securityGroups: string;
  /** port i names interfaces[i] with binding:profile.interface_name (its tap is plugged before the POST) */
  interfaces?: readonly string[];
}

/** Creates n bound ports in bulk POSTs of CHUNK; returns their ids in order. */
export async function createPorts(bed: E2eBed, net: NetworkRef, n: number, opts: PortOptions): Promise<string[]> {
  const ids: string[] = [];
  const sg = opts.securityGroups === 'none' ? { security_groups: [] } : {};
  for (let i = 0; i < n; i += CHUNK) {
    const ports = Array.from({ length: Math.min(CHUNK, n - i) }, (_, j) => ({
      network_id: net.id, project_id: net.projectId, 'binding:host_id': hostName((i + j) % opts.hosts), ...sg,
      ...(opts.interfaces ? { 'binding:profile': { interface_name: opts.interfaces[i + j] } } : {}),
    }));
    const r = await bed.api<{ ports: { id: string }[] }>('POST', '/v2.0/ports', { ports });
    ids.push(...r.ports.map((p) => p.id));
  }
  return ids;
}

/** How long the last ovs-vsctl may wait for ovs-vswitchd (5000 taps on the userspace datapath take minutes at load). */
export const VSCTL_WAIT_S = 600;
/** Ports per ovs-vsctl transaction: few transactions, each command line well under ARG_MAX. */
const TAPS_PER_TXN = 1000;

/**
 * Makes the taps with one `ip -batch` process and adds them to br-int in few ovs-vsctl transactions,
 * so the harness costs little next to what it measures. All but the last transaction use --no-wait;
 * the last waits until ovs-vswitchd has applied the database (its next_cfg covers every earlier one),
 * so when this returns every tap is on the bridge with an OpenFlow port number.
 */
export async function addHostTaps(host: OvsHost, taps: readonly string[]): Promise<void> {
  const file = join(host.dir, `taps-${taps[0]}.batch`);
  writeFileSync(file, taps.flatMap((t) => [`tuntap add mode tap name ${t}`, `link set ${t} up`]).join('\n') + '\n');
  await run(['ip', '-n', host.ns, '-batch', file]);
  for (let i = 0; i < taps.length; i += TAPS_PER_TXN) {
    const last = i + TAPS_PER_TXN >= taps.length;
    // not host.vsctl: its 20 s timeout is shorter than ovs-vswitchd's reconfiguration of thousands of taps
    await run(['ovs-vsctl', `--db=unix:${host.dir}/db.sock`, `--timeout=${VSCTL_WAIT_S}`, ...(last ? [] : ['--no-wait']),
      ...taps.slice(i, i + TAPS_PER_TXN).flatMap((t) => ['--', 'add-port', 'br-int', t])], { timeoutMs: (VSCTL_WAIT_S + 1) * 1000 });
  }
}

/** Creates the tap of port i (named by `name`, Nova's tap + uuid prefix by default) on host (i mod hosts). */
export async function addTaps(bed: E2eBed, ids: readonly string[], hosts: number, name: (id: string) => string = tapName): Promise<void> {
  for (let h = 0; h < hosts; h++) await addHostTaps(bed.ovs(hostKey(h)), ids.filter((_, i) => i % hosts === h).map(name));
}

async function activeCount(bed: E2eBed): Promise<number> {
  const r = await bed.api<{ ports: { status: string }[] }>('GET', '/v2.0/ports?fields=status&status=ACTIVE');
  return r.ports.filter((p) => p.status === 'ACTIVE').length;
}

/** Listing thousands of ports costs esdn CPU: poll more slowly the more there are, so the probe does not slow what it measures. */
const POLL_MS_PER_PORT = 0.1;
const SLOW_POLL_MS = 50;

/** Returns once at least n ports are ACTIVE (GET /v2.0/ports); throws after timeoutMs. */
export async function waitAllActive(bed: E2eBed, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await activeCount(bed)) < n) {
    if (Date.now() > deadline) throw new Error(`not all ${n} ports ACTIVE in time`);
    await sleep(Math.max(SLOW_POLL_MS, n * POLL_MS_PER_PORT));
  }
}
