// Says whether real Open vSwitch test beds can run here, and skips (or, with ESDN_REQUIRE_OVS=1, fails) suites that need one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

export type OvsAvailability = { ok: true } | { ok: false; reason: string };

/** Where Debian's openvswitch-common puts the database schema. */
export const OVS_SCHEMA = '/usr/share/openvswitch/vswitch.ovsschema';
const REQUIRED_BINARIES = ['ovsdb-tool', 'ovsdb-server', 'ovs-vswitchd', 'ovs-vsctl', 'ovs-ofctl', 'ovs-appctl', 'ip', 'ethtool', 'socat', 'ping'];

let cached: OvsAvailability | undefined;

function probe(): OvsAvailability {
  if (process.platform !== 'linux') return { ok: false, reason: `network namespaces need Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'creating network namespaces and OVS daemons needs root' };
  for (const bin of REQUIRED_BINARIES) {
    const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
    if (r.status !== 0) return { ok: false, reason: `${bin} is not installed (Debian: openvswitch-switch iproute2 ethtool socat iputils-ping)` };
  }
  if (!existsSync(OVS_SCHEMA)) return { ok: false, reason: `${OVS_SCHEMA} is missing` };
  // the real proof that namespaces work here: create and delete one
  // pid plus a random tail: worker threads of one test process share the pid
  const ns = `esxprobe${process.pid}${Math.random().toString(36).slice(2, 6)}`;
  const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
  if (add.status !== 0) return { ok: false, reason: `ip netns add failed: ${add.stderr.trim()}` };
  spawnSync('ip', ['netns', 'del', ns]);
  return { ok: true };
}

/** Whether OVS, root and network namespaces are available (probed once per process). */
export function ovsAvailable(): OvsAvailability {
  cached ??= probe();
  return cached;
}

/** True when env ESDN_REQUIRE_OVS=1: then a missing OVS is a failure, never a skip. */
export function ovsRequired(): boolean {
  return process.env.ESDN_REQUIRE_OVS === '1';
}

/**
 * Throws when OVS is unavailable and required; otherwise returns whether tests may use OVS,
 * printing the reason when they may not.
 */
export function requireOvs(): boolean {
  const a = ovsAvailable();
  if (a.ok) return true;
  if (ovsRequired()) throw new Error(`ESDN_REQUIRE_OVS=1 but OVS is unavailable: ${a.reason}`);
  console.warn(`[skip] OVS test bed unavailable: ${a.reason}`);
  return false;
}

/**
 * describe() for suites that need a real OVS test bed: runs them when available, skips them with a
 * printed reason when not, and fails with the reason when ESDN_REQUIRE_OVS=1.
 */
export function describeWithOvs(name: string, fn: () => void): void {
  const a = ovsAvailable();
  if (a.ok) {
    describe(name, fn);
  } else if (ovsRequired()) {
    describe(name, () => {
      it('needs a real OVS test bed (ESDN_REQUIRE_OVS=1)', () => {
        throw new Error(`OVS is unavailable: ${a.reason}`);
      });
    });
  } else {
    console.warn(`[skip] ${name}: OVS test bed unavailable: ${a.reason}`);
    describe.skip(`${name} (skipped: ${a.reason})`, fn);
  }
}
