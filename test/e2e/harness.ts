// The e2e harness: N simulated hypervisors (real ovs-vswitchd each, VXLAN underlay), esdn as a real process, driven only through its HTTP API.
//
//   const bed = await E2eBed.create([{ key: 'A', host: 'hv1', tunnelIp: '192.168.50.1' }, ...]);
//   const net = await bed.createNetwork('project-a');          // POST /v2.0/networks (+ subnet)
//   const vm = await bed.addVm('A', net, { name: 'A1', mac, ip }); // port bound to hv1 first, then its tap
//   await bed.waitActive(vm.portId);                           // GET /v2.0/ports/{id} says ACTIVE
//   await bed.assertConverged('A');                            // switch holds exactly the desired flows
//   await bed.teardown();
//
// esdn runs as `bin/esdn serve` (the launcher users start) with a temp SQLite store, a free API port and OpenFlow on a free
// loopback port that stays the same across restarts (the hosts' socat relays point at it), with its
// OpenFlow lanes (default 3) on the next ports: each br-int has a Controller row and a relay per lane. The
// harness never talks to esdn except over HTTP; it reads switches only with ovs-ofctl.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlow } from '../../openflow/text/parse.ts';
import { COOKIE_MARKER, COOKIE_MARKER_MASK } from '../../projections/pipeline/cookie.ts';
import { switchKey } from '../../src/controller/flowDiff.ts';
import { startEsdn, type RunningEsdn } from '../cli/esdnProcess.ts';
import { run, waitFor } from '../support/ovsExec.ts';
import { OvsTestbed, type OvsHost, type Vm } from '../support/ovsTestbed.ts';

/** Nova's tap naming: tap + the first 11 characters of the port id (DESIGN.md). */
export const tapName = (portId: string): string => `tap${portId.slice(0, 11)}`;
/** OVS retries a lost controller connection after at most this long (default 8 s) so restarts converge fast. */
const CONTROLLER_MAX_BACKOFF_MS = 1000;
const CIDR = '10.0.0.0/24';
/** Lanes per switch unless a test asks otherwise: ESDN_OPENFLOW_LANES as esdn reads it (benchmarks compare 0 and N), else esdn's default. */
/**
 * Lanes of a test bed: ESDN_OPENFLOW_LANES when set (benchmarks compare counts with it), else 3. The
 * tests need lanes, not esdn's default count of them: each lane is a socat relay per host, and the
 * suites run many beds at once.
 */
const TEST_BED_LANES = 3;
const DEFAULT_BED_LANES = /^\d{1,2}$/.test(process.env.ESDN_OPENFLOW_LANES ?? '') ? Number(process.env.ESDN_OPENFLOW_LANES) : TEST_BED_LANES;

export interface HostDef {
  /** test-bed name (1-4 chars) */
  key: string;
  /** esdn host name */
  host: string;
  tunnelIp: string;
  /** physical network -> OVS port on br-int (issue 5); see ./externalSegment.ts for the wire behind it */
  bridgeMappings?: Record<string, string>;
}

export interface NetworkRef {
  id: string;
  projectId: string;
  subnetId: string;
}

export interface VmRef {
  vm: Vm;
  portId: string;
  hostKey: string;
  mac: string;
  ip: string;
}

function bindable(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => {
      const bound = (s.address() as { port: number }).port;
      s.close(() => resolve(bound));
    });
  });
}

/**
 * Where the OpenFlow port and its lanes are picked: below the kernel's ephemeral range, so no outgoing
 * connection (an HTTP client, a relay's TCP leg: the kernel picks their source ports from that range)
 * takes one between the check and esdn's bind, or while esdn restarts on the same ports.
 */
const FIXED_PORTS_FROM = 10_000;
/** Port picks tried before a bed gives up on starting esdn. */
const PORT_ATTEMPTS = 3;
function ephemeralStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768;
  }
}

/** A free loopback port whose next `after` ports are free too (OpenFlow and its lanes), outside the ephemeral range. */
async function freePorts(after: number): Promise<number> {
  const span = ephemeralStart() - FIXED_PORTS_FROM - after;
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = FIXED_PORTS_FROM + Math.floor(Math.random() * span);
    let all = true;
    for (let k = 0; k <= after && all; k++) all = (await bindable(base + k)) !== undefined;
    if (all) return base;
  }
  throw new Error(`no ${after + 1} consecutive free ports`);
}

export interface BedOptions {
  /** esdn --openflow-lanes, and lane targets on every br-int (default: ESDN_OPENFLOW_LANES, else 3; esdn's own default is DEFAULT_OPENFLOW_LANES) */
  lanes?: number;
  /** extra environment for esdn (e.g. ESDN_LANE_MIN_MODS=1: every diff over the lanes) */
  env?: Record<string, string>;
}

export class E2eBed {
  esdn: RunningEsdn | undefined;
  readonly hosts = new Map<string, { def: HostDef; ovs: OvsHost }>();
  readonly lanes: number;
  private readonly env: Record<string, string>;
  private constructor(readonly tb: OvsTestbed, readonly storeDir: string, readonly openflowPort: number, opts: BedOptions) {
    this.lanes = opts.lanes ?? DEFAULT_BED_LANES;
    this.env = opts.env ?? {};
  }

  static async create(defs: readonly HostDef[], opts: BedOptions = {}): Promise<E2eBed> {
    const tb = await OvsTestbed.create();
    let bed = new E2eBed(tb, mkdtempSync(join(tmpdir(), 'esdn-e2e-')), await freePorts(opts.lanes ?? DEFAULT_BED_LANES), opts);
    try {
      // another bed (vitest runs files at once) may take the ports between the check and esdn's bind
      for (let attempt = 1; ; attempt++) {
        try {
          await bed.startEsdn();
          break;
        } catch (error) {
          if (attempt >= PORT_ATTEMPTS || !String(error).includes('EADDRINUSE')) throw error;
          bed = new E2eBed(tb, bed.storeDir, await freePorts(bed.lanes), opts);
        }
      }
      for (const [i, d] of defs.entries()) {
        const ovs = await tb.addHost({ name: d.key, datapathId: 0xa1n + BigInt(i), tunnelIp: d.tunnelIp });
        bed.hosts.set(d.key, { def: d, ovs });
        await bed.api('POST', '/v2.0/hosts', { host: { name: d.host, datapath_id: (0xa1n + BigInt(i)).toString(16).padStart(16, '0'), tunnel_ip: d.tunnelIp, ...(d.bridgeMappings ? { bridge_mappings: d.bridgeMappings } : {}) } });
        await bed.connect(d.key);
      }
    } catch (e) {
      await bed.teardown();
      throw e;
    }
    return bed;
  }

  ovs(key: string): OvsHost {
    const h = this.hosts.get(key);
    if (!h) throw new Error(`no host ${key}`);
    return h.ovs;
  }

  hostName(key: string): string {
    return this.hosts.get(key)!.def.host;
  }

  /** Points a host's br-int at esdn (and its lanes) through socat relays, with a short reconnect backoff. */
  async connect(key: string): Promise<void> {
    await this.ovs(key).setController({ tcpPort: this.openflowPort, lanes: this.lanes }, 'br-int', [`max_backoff=${CONTROLLER_MAX_BACKOFF_MS}`]);
  }

  /** Kills one lane's relay (lane 1..lanes) and the connection it forked: that lane's link is cut, the others stay. */
  cutLaneRelay(key: string, lane: number): void {
    const ovs = this.ovs(key);
    const pid = Number.parseInt(readFileSync(join(ovs.dir, `socat-br-int-lane${lane}.pid`), 'utf8'), 10);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    rmSync(ovs.relayPath(`br-int-lane${lane}`), { force: true });
  }

  /** Kills a host's relay (and every connection it forked), cutting the controller link. */
  async cutRelay(key: string): Promise<void> {
    const ovs = this.ovs(key);
    const pid = Number.parseInt(readFileSync(join(ovs.dir, 'socat-br-int.pid'), 'utf8'), 10);
    try {
      process.kill(-pid, 'SIGKILL'); // the relay was started detached: its own process group
    } catch {
      /* already gone */
    }
    rmSync(join(ovs.dir, 'relay-br-int.sock'), { force: true });
  }

  async startEsdn(): Promise<void> {
    this.esdn = await startEsdn([
      '--api-listen', '127.0.0.1:0', '--openflow-listen', `127.0.0.1:${this.openflowPort}`,
      '--store', `sqlite:${join(this.storeDir, 'events.db')}`, '--openflow-lanes', String(this.lanes),
    ], this.env);
    // keep what esdn says on stderr (crashes, warnings) beside its store, for post-mortems
    this.esdn.child.stderr?.on('data', (d: Buffer) => appendFileSync(join(this.storeDir, 'esdn.stderr'), d));
  }

  /**
   * kill -9 and start again; resolves with the 'switch in sync' log line of every host's first resync
   * (adds, deletes, changed: what the restart had to re-send) once each host has had one.
   */
  async restartEsdn(timeoutMs = 20_000): Promise<Record<string, unknown>[]> {
    await this.killEsdn();
    await this.startEsdn();
    return waitFor(`${this.hosts.size} switches in sync`, async () => {
      const s = this.esdn!.logs.filter((l) => l.msg === 'switch in sync');
      return s.length >= this.hosts.size ? s : undefined;
    }, { timeoutMs, intervalMs: 100 });
  }

  /** kill -9: no shutdown at all. */
  async killEsdn(): Promise<void> {
    const e = this.esdn;
    this.esdn = undefined;
    if (e) await e.stop('SIGKILL');
  }

  async api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.esdn) throw new Error('esdn is not running');
    const res = await fetch(`${this.esdn.apiUrl}${path}`, {
      method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text === '' ? {} : JSON.parse(text)) as T;
  }

  async createNetwork(projectId: string, name = 'net', cidr = CIDR): Promise<NetworkRef> {
    const n = await this.api<{ network: { id: string } }>('POST', '/v2.0/networks', { network: { name, project_id: projectId } });
    const s = await this.api<{ subnet: { id: string } }>('POST', '/v2.0/subnets', {
      subnet: { network_id: n.network.id, project_id: projectId, cidr, ip_version: 4 },
    });
    return { id: n.network.id, projectId, subnetId: s.subnet.id };
  }

  /** Creates the port bound to the host in the API, then the VM whose tap carries the contract's name. */
  async addVm(key: string, net: NetworkRef, spec: { name: string; mac: string; ip: string; portSecurity?: boolean }): Promise<VmRef> {
    const port = await this.api<{ port: { id: string } }>('POST', '/v2.0/ports', {
      port: {
        network_id: net.id, project_id: net.projectId, mac_address: spec.mac,
        fixed_ips: [{ subnet_id: net.subnetId, ip_address: spec.ip }], 'binding:host_id': this.hostName(key),
        ...(spec.portSecurity === false ? { port_security_enabled: false, security_groups: [] } : {}),
      },
    });
    const id = port.port.id;
    const vm = await this.ovs(key).addVm({ name: spec.name, iface: tapName(id), mac: spec.mac, ip: `${spec.ip}/24` });
    return { vm, portId: id, hostKey: key, mac: spec.mac, ip: spec.ip };
  }

  async portStatus(id: string): Promise<string> {
    return (await this.api<{ port: { status: string } }>('GET', `/v2.0/ports/${id}`)).port.status;
  }

  waitStatus(id: string, status: 'ACTIVE' | 'DOWN', timeoutMs = 15_000): Promise<true> {
    return waitFor(`port ${id} ${status}`, async () => ((await this.portStatus(id)) === status ? true : undefined), { timeoutMs, intervalMs: 50 });
  }

  /** The host's desired flows as esdn reports them (GET /v2.0/hosts/{name}/flows). */
  async desiredFlows(key: string): Promise<{ flow: string; cookie: string; resources: { kind: string; id: string }[] }[]> {
    return (await this.api<{ flows: { flow: string; cookie: string; resources: { kind: string; id: string }[] }[] }>(
      'GET', `/v2.0/hosts/${this.hostName(key)}/flows`)).flows;
  }

  /** esdn's flows on the switch as (key -> cookie) plus how many there are (duplicates would show as count > keys). */
  async installedEsdnFlows(key: string): Promise<{ keys: Map<string, bigint>; count: number; foreign: number }> {
    const text = await this.ovs(key).dumpFlows('br-int', '--no-stats');
    const keys = new Map<string, bigint>();
    let count = 0;
    let foreign = 0;
    for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('OFPST_FLOW'))) {
      const parsed = parseFlow(line);
      if (!parsed.ok) throw new Error(`unparseable dump line: ${line}`);
      const f = parsed.value;
      if ((f.cookie & COOKIE_MARKER_MASK) !== COOKIE_MARKER) {
        foreign++;
        continue;
      }
      count++;
      keys.set(switchKey(f), f.cookie);
    }
    return { keys, count, foreign };
  }

  /** Differences between the switch and the desired table (empty = converged). */
  async flowDifferences(key: string): Promise<string[]> {
    const desired = await this.desiredFlows(key);
    const want = new Map<string, bigint>();
    for (const d of desired) {
      const p = parseFlow(d.flow);
      if (!p.ok) throw new Error(`esdn reported an unparseable flow: ${d.flow}`);
      want.set(switchKey(p.value), BigInt(d.cookie));
    }
    const have = await this.installedEsdnFlows(key);
    const diffs: string[] = [];
    if (have.count !== have.keys.size) diffs.push(`duplicates: ${have.count} flows for ${have.keys.size} keys`);
    for (const [k, c] of want) if (have.keys.get(k) !== c) diffs.push(`missing or wrong cookie: ${k}`);
    for (const k of have.keys.keys()) if (!want.has(k)) diffs.push(`leftover: ${k}`);
    return diffs;
  }

  /** Waits until the switch holds exactly the desired flows; returns how many there are. */
  async waitConverged(key: string, timeoutMs = 15_000): Promise<number> {
    let last: string[] = [];
    try {
      return await waitFor(`host ${key} converged`, async () => {
        last = await this.flowDifferences(key);
        return last.length === 0 ? (await this.desiredFlows(key)).length : undefined;
      }, { timeoutMs, intervalMs: 100 });
    } catch (e) {
      throw new Error(`${(e as Error).message}\n${last.slice(0, 10).join('\n')}`);
    }
  }

  /** What esdn wrote on stderr and its last log lines (for a failing test's message). */
  postMortem(): string {
    let err = '';
    try {
      err = readFileSync(join(this.storeDir, 'esdn.stderr'), 'utf8');
    } catch {
      /* nothing written */
    }
    const logs = (this.esdn?.logs ?? []).slice(-10).map((l) => JSON.stringify(l)).join('\n');
    return `${err.slice(-4000)}\n${logs}`;
  }

  async teardown(): Promise<void> {
    try {
      await this.esdn?.stop('SIGKILL');
    } catch {
      /* already gone */
    }
    await this.tb.teardown();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}

export { pingStats } from '../support/pingStats.ts';
export { run };
