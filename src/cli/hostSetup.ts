// The ovs-vsctl lines that make a hypervisor an esdn host (`esdn host-setup`): br-int for OpenFlow 1.3, secure, our controller, one VXLAN port.
//
// Idempotent (--may-exist): running the lines again, or on a host set up by hand the same way,
// changes nothing.
//
// Lanes (src/controller/lanes.ts): a tcp: or ssl: target gets N more Controller rows on the N ports
// after its own (OVS keys controllers by target), all created and set in one transaction so that every
// row carries the packet-in limits (`set controller BRIDGE` only works on a bridge with one row). A
// unix: target gets no lanes: esdn listens for lanes on TCP only, and a socket path has no "next port". The controller is set before esdn installs any flow (adding the first
// controller wipes a bridge's flows, TESTBED.md section 5). Names follow DESIGN.md: br-int, vxlan0.

import { DEFAULT_OPENFLOW_LANES, MAX_OPENFLOW_LANES } from '../config.ts';

export const DEFAULT_BRIDGE = 'br-int';
export const DEFAULT_TUNNEL_INTERFACE = 'vxlan0';

export interface HostSetupOptions {
  /** 16 hex digits (the switch's u64 datapath id), e.g. '00000000000000a1' */
  datapathId: string;
  /** this host's VXLAN endpoint address (must be configured on the host, e.g. on br-phy) */
  tunnelIp: string;
  /** OVS controller target, e.g. 'tcp:192.0.2.1:6653' or 'unix:/run/esdn/ofctl.sock' */
  controller: string;
  bridge?: string;
  tunnelInterface?: string;
  /** physical network -> existing interface (NIC or patch port) to attach to br-int */
  bridgeMappings?: Record<string, string>;
  /** 'netdev' for the userspace datapath (test beds); default: OVS's own default (system) */
  datapathType?: 'system' | 'netdev';
  /** extra controller targets on the next ports (esdn --openflow-lanes); default DEFAULT_OPENFLOW_LANES (7) for tcp:/ssl:, none for unix: */
  lanes?: number;
}

export type HostSetupResult = { ok: true; argv: string[][]; lines: string[] } | { ok: false; error: HostSetupError };

export interface HostSetupError {
  code: 'bad_datapath_id' | 'bad_tunnel_ip' | 'bad_controller' | 'bad_name' | 'bad_lanes';
  message: string;
}

const DATAPATH_ID = /^[0-9a-fA-F]{16}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+$/;
const CONTROLLER = /^(tcp|ssl):[^\s:]+(:\d{1,5})?$|^(tcp|ssl):\[[0-9a-fA-F:]+\](:\d{1,5})?$|^unix:\/\S+$/;
/** Linux interface names are at most 15 characters (IFNAMSIZ - 1); OVS bridge and port names follow. */
const IFACE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

function validate(o: HostSetupOptions): HostSetupError | undefined {
  if (!DATAPATH_ID.test(o.datapathId)) return { code: 'bad_datapath_id', message: `datapath id must be 16 hex digits: ${o.datapathId}` };
  if (!IPV4.test(o.tunnelIp) && !(o.tunnelIp.includes(':') && IPV6.test(o.tunnelIp))) {
    return { code: 'bad_tunnel_ip', message: `tunnel IP is not an IPv4 or IPv6 address: ${o.tunnelIp}` };
  }
  if (!CONTROLLER.test(o.controller)) return { code: 'bad_controller', message: `controller must be tcp:HOST:PORT, ssl:HOST:PORT or unix:/PATH: ${o.controller}` };
  if (o.lanes !== undefined) {
    if (!(Number.isInteger(o.lanes) && o.lanes >= 0 && o.lanes <= MAX_OPENFLOW_LANES)) {
      return { code: 'bad_lanes', message: `lanes must be a whole number from 0 to ${MAX_OPENFLOW_LANES}: ${o.lanes}` };
    }
    if (o.lanes > 0 && o.controller.startsWith('unix:')) return { code: 'bad_lanes', message: `lanes need a tcp: or ssl: controller target: ${o.controller}` };
    if (o.lanes > 0 && controllerPort(o.controller) + o.lanes > MAX_TCP_PORT) return { code: 'bad_lanes', message: `${o.lanes} lanes after ${o.controller} go past port ${MAX_TCP_PORT}` };
  }
  const names = [o.bridge ?? DEFAULT_BRIDGE, o.tunnelInterface ?? DEFAULT_TUNNEL_INTERFACE, ...Object.values(o.bridgeMappings ?? {})];
  const bad = names.find((n) => !IFACE_NAME.test(n));
  return bad === undefined ? undefined : { code: 'bad_name', message: `not a valid OVS port or bridge name: ${bad}` };
}

/** OVS's port for a tcp: or ssl: target that names none (OpenFlow's IANA port). */
const DEFAULT_OPENFLOW_PORT = 6653;
const MAX_TCP_PORT = 65_535;
/** tcp:HOST[:PORT], ssl:HOST[:PORT], tcp:[V6][:PORT]: the port after the host (or the default). */
const TARGET_PORT = /^(tcp|ssl):(\[[^\]]+\]|[^:]+)(?::(\d+))?$/;

function controllerPort(target: string): number {
  const m = TARGET_PORT.exec(target);
  return m?.[3] === undefined ? DEFAULT_OPENFLOW_PORT : Number(m[3]);
}

/** The main target, then one per lane on the next ports. */
export function controllerTargets(target: string, lanes: number): string[] {
  const m = TARGET_PORT.exec(target);
  if (!m || lanes === 0) return [target];
  const port = controllerPort(target);
  return [target, ...Array.from({ length: lanes }, (_, i) => `${m[1]}:${m[2]}:${port + 1 + i}`)];
}

/** Packet-ins per second the switch sends esdn (OVS queues and drops beyond it, fairly across ports). */
export const PACKET_IN_RATE_LIMIT = 1000;
/** Packet-ins the switch may send at once above the rate (a burst of DHCP at VM boot). */
export const PACKET_IN_BURST_LIMIT = 250;

/** Quotes one argument for a POSIX shell when it needs it. */
function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The commands as argv arrays (to run) and as shell lines (to print). */
export function hostSetupCommands(o: HostSetupOptions): HostSetupResult {
  const error = validate(o);
  if (error) return { ok: false, error };
  const br = o.bridge ?? DEFAULT_BRIDGE;
  const tun = o.tunnelInterface ?? DEFAULT_TUNNEL_INTERFACE;
  const bridgeSettings = ['protocols=OpenFlow13', 'fail_mode=secure', `other_config:datapath-id=${o.datapathId.toLowerCase()}`];
  if (o.datapathType) bridgeSettings.push(`datapath_type=${o.datapathType}`);
  const targets = controllerTargets(o.controller, o.lanes ?? (o.controller.startsWith('unix:') ? 0 : DEFAULT_OPENFLOW_LANES));
  // packet-ins (DHCP, ARP from physical networks, neighbor misses) are capped in the switch, so a
  // broadcast storm on a provider network cannot flood the controller from every host at once
  const limits = [`controller_rate_limit=${PACKET_IN_RATE_LIMIT}`, `controller_burst_limit=${PACKET_IN_BURST_LIMIT}`];
  const controllers: string[][] = targets.length === 1
    ? [['ovs-vsctl', 'set-controller', br, o.controller], ['ovs-vsctl', 'set', 'controller', br, ...limits]]
    // the rows replace the bridge's old ones (unreferenced Controller rows are garbage collected)
    : [['ovs-vsctl', ...targets.flatMap((t, i) => ['--', `--id=@c${i}`, 'create', 'controller', `target="${t}"`, ...limits]),
      '--', 'set', 'bridge', br, `controller=${targets.map((_, i) => `@c${i}`).join(',')}`]];
  const argv: string[][] = [
    ['ovs-vsctl', '--may-exist', 'add-br', br, '--', 'set', 'bridge', br, ...bridgeSettings],
    ...controllers,
    ['ovs-vsctl', '--may-exist', 'add-port', br, tun, '--', 'set', 'interface', tun, 'type=vxlan',
      'options:remote_ip=flow', 'options:key=flow', `options:local_ip=${o.tunnelIp}`],
  ];
  for (const port of Object.values(o.bridgeMappings ?? {}).sort()) argv.push(['ovs-vsctl', '--may-exist', 'add-port', br, port]);
  return { ok: true, argv, lines: argv.map((a) => a.map(shellQuote).join(' ')) };
}
