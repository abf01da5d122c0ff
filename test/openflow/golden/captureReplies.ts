// Records what a real ovs-vswitchd answers ovs-ofctl (features, port_desc, flow stats, group_desc, meter_config, errors) through a relay.
import { createConnection, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { run } from '../../support/ovsExec.ts';
import type { OvsHost } from '../../support/ovsTestbed.ts';
import { annotateFrame } from './annotate.ts';
import { OFPT } from './fakeSwitch.ts';
import { ofpPrint } from './ofpPrint.ts';
import { SOURCES } from './sources.ts';
import type { Vector } from './vectors.ts';

const HEADER_LEN = 8;
/** Switch frames that are conversation plumbing, not replies worth a vector. */
const PLUMBING = new Set<number>([OFPT.HELLO, OFPT.BARRIER_REPLY, OFPT.ECHO_REPLY, OFPT.ECHO_REQUEST]);
/** Asynchronous messages a switch sends on its own (spec 7.4). */
const ASYNC = new Set<number>([OFPT.PACKET_IN, OFPT.FLOW_REMOVED, OFPT.PORT_STATUS, OFPT.EXPERIMENTER]);

/** Splits a byte stream into frames, calling onFrame for each. */
function framer(onFrame: (f: Buffer) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= HEADER_LEN && pending.length >= pending.readUInt16BE(2)) {
      const len = pending.readUInt16BE(2);
      onFrame(Buffer.from(pending.subarray(0, len)));
      pending = pending.subarray(len);
    }
  };
}

/** A unix-socket relay to a bridge's management socket that records the switch's frames. */
async function startRelay(path: string, target: string): Promise<{ fromSwitch: Buffer[]; close(): Promise<void> }> {
  const fromSwitch: Buffer[] = [];
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    open.add(client).add(upstream);
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', framer((f) => { fromSwitch.push(f); client.write(f); }));
    const end = (): void => { client.destroy(); upstream.destroy(); };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    fromSwitch,
    close: () => new Promise<void>((resolve) => { for (const s of open) s.destroy(); server.close(() => resolve()); }),
  };
}

interface ReplyCase {
  id: string;
  args: string[];
  /** for `monitor`: what to do on the switch while ovs-ofctl listens for asynchronous messages */
  during?: (host: OvsHost) => Promise<unknown>;
}

/** A DHCPDISCOVER from 02:00:00:00:01:01 (0.0.0.0:68 -> 255.255.255.255:67), what DHCP-by-controller sees. */
function dhcpDiscover(srcPort = 68, dstPort = 67): Buffer {
  const BOOTP_LEN = 236;
  const bootp = Buffer.alloc(BOOTP_LEN);
  bootp.set([1, 1, 6, 0]); // op BOOTREQUEST, htype Ethernet, hlen 6, hops 0
  bootp.writeUInt32BE(0x12345678, 4); // xid
  Buffer.from('020000000101', 'hex').copy(bootp, 28); // chaddr
  const options = Buffer.from('63825363' + '350101' + 'ff', 'hex'); // magic cookie, DHCP message type DISCOVER, end
  const payload = Buffer.concat([bootp, options]);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(srcPort, 0);
  udp.writeUInt16BE(dstPort, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45; // IPv4, 20-byte header
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip[8] = 64; // TTL
  ip[9] = 17; // UDP
  ip.writeUInt32BE(0xffffffff, 16); // source 0.0.0.0, destination broadcast
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  const eth = Buffer.from('ffffffffffff' + '020000000101' + '0800', 'hex');
  return Buffer.concat([eth, ip, udp, payload]);
}

/** Truncation asked of the controller action, so the packet_in carries less than the whole packet. */
const PACKET_IN_MAX_LEN = 200;
/** How long ovs-ofctl monitor listens (seconds), and when the trigger runs inside that window. */
const MONITOR_S = '3';
const MONITOR_SETTLE_MS = 500;

const CASES: ReplyCase[] = [
  { id: 'r-show', args: ['show'] },
  { id: 'r-dump-ports-desc', args: ['dump-ports-desc'] },
  { id: 'r-dump-desc', args: ['dump-desc'] },
  { id: 'r-dump-flows', args: ['dump-flows'] },
  { id: 'r-dump-groups', args: ['dump-groups'] },
  { id: 'r-dump-meters', args: ['dump-meters'] },
  { id: 'r-error-eperm', args: ['add-flow', 'recirc_id=1 actions=output:1'] },
  { id: 'r-error-bad-prereq', args: ['add-flow', 'ip,ct_state=+trk,ct_nw_src=10.0.0.1 actions=output:1'] },
  { id: 'r-error-bad-out-group', args: ['add-flow', 'actions=group:99'] },
  { id: 'r-error-unknown-meter', args: ['add-flow', 'actions=meter:99,output:1'] },
  { id: 'r-error-meter-bad-band', args: ['add-meter', 'meter=9,kbps,band=type=dscp_remark,rate=500,prec_level=1'] },
  { id: 'r-error-bad-group-type', args: ['add-group', 'group_id=1,type=all,bucket=output:2'] },
  {
    id: 'a-packet-in',
    args: ['monitor', '65534', '-P', 'standard'],
    during: (h) => h.ofctl('packet-out', 'br-int', `in_port=1 packet=${dhcpDiscover().toString('hex')} actions=resubmit(,0)`),
  },
  {
    id: 'a-port-status',
    args: ['monitor', '65534', '-P', 'standard'],
    during: async (h) => {
      await h.vsctl('add-port', 'br-int', 'p3', '--', 'set', 'interface', 'p3', 'type=internal', 'ofport_request=3');
      await h.vsctl('del-port', 'br-int', 'p3');
    },
  },
  {
    // controller() userdata and pause reach a controller only as Nicira NXT_PACKET_IN2
    id: 'a-packet-in2',
    args: ['monitor', '65534', '-P', 'nxt_packet_in2'],
    during: (h) => h.ofctl('packet-out', 'br-int', `in_port=1 packet=${dhcpDiscover(67, 68).toString('hex')} actions=resubmit(,0)`),
  },
  { id: 'a-flow-removed', args: ['monitor', '65534', '-P', 'standard'], during: (h) => h.ofctl('del-flows', 'br-int', 'cookie=0x77/-1') },
];

/** Flows, groups and meters the switch holds while replies are recorded: a spread of the golden sources. */
async function populate(host: OvsHost): Promise<void> {
  for (const [i, name] of ['p1', 'p2'].entries()) {
    await host.vsctl('add-port', 'br-int', name, '--', 'set', 'interface', name, 'type=internal', `ofport_request=${i + 1}`);
  }
  await host.ofctl('del-flows', 'br-int');
  const pick = ['m-in-port-eth-src', 'm-cookie-timeouts-flags', 'm-ct-state-new', 'a-set-field-arp', 'a-ct-nat-dst', 'i-all', 'a-learn-neutron', 'm-xreg', 'a-ct-exec-label'];
  for (const id of pick) {
    const s = SOURCES.find((x) => x.id === id);
    if (s) await host.ofctl('add-flow', 'br-int', s.text);
  }
  for (const s of SOURCES.filter((x) => x.command === 'add-group' && x.id !== 'g-all')) await host.ofctl('add-group', 'br-int', s.text);
  // for the asynchronous messages: DHCP to the controller (with a register set), and a flow whose removal is reported
  await host.ofctl('add-flow', 'br-int', `table=0,priority=1000,udp,tp_dst=67 actions=load:0x5->NXM_NX_REG0[],controller(max_len=${PACKET_IN_MAX_LEN})`);
  await host.ofctl('add-flow', 'br-int', 'table=0,priority=999,cookie=0x77,send_flow_rem,ip,nw_src=1.2.3.4 actions=drop');
  await host.ofctl('add-flow', 'br-int', 'table=0,priority=1000,cookie=0x99,udp,tp_dst=68 actions=load:0x7->NXM_NX_REG1[],controller(userdata=01.02.03.04.05,pause)');
  // userspace meters refuse dscp_remark bands (OFPMMFC_BAD_BAND): that refusal is its own error vector below
  for (const s of SOURCES.filter((x) => x.command === 'add-meter' && !/meter=[12],/.test(x.text) && !x.text.includes('dscp_remark'))) {
    await host.ofctl('add-meter', 'br-int', s.text);
  }
}

export async function captureReplies(host: OvsHost, dir: string): Promise<Vector[]> {
  await populate(host);
  const vectors: Vector[] = [];
  for (const c of CASES) {
    const relay = await startRelay(join(dir, `relay-${c.id}.sock`), host.mgmtSocket('br-int'));
    try {
      const argv = ['ovs-ofctl', '-O', 'OpenFlow13', '--no-names', c.args[0], `unix:${join(dir, `relay-${c.id}.sock`)}`, ...c.args.slice(1)];
      let frames: Buffer[];
      if (c.during) {
        // monitor opens a unixctl socket in OVS_RUNDIR: point that at our scratch directory
        const listening = run(['timeout', MONITOR_S, ...argv], { allowFailure: true, timeoutMs: 10_000, env: { ...process.env, OVS_RUNDIR: dir } });
        await new Promise((r) => setTimeout(r, MONITOR_SETTLE_MS));
        await c.during(host);
        await listening;
        frames = relay.fromSwitch.filter((f) => ASYNC.has(f[1]));
      } else {
        await run(argv, { allowFailure: true, timeoutMs: 10_000 });
        frames = relay.fromSwitch.filter((f) => !PLUMBING.has(f[1]));
      }
      for (const [i, frame] of frames.entries()) {
        const { spans, expect } = annotateFrame(frame);
        vectors.push({
          id: frames.length === 1 ? c.id : `${c.id}#${i}`,
          direction: 'from_switch',
          command: `ovs-ofctl -O OpenFlow13 --no-names ${c.args[0]} <relay to br-int> ${c.args.slice(1).map((a) => `'${a}'`).join(' ')}`.trim(),
          hex: frame.toString('hex'),
          ofpPrint: await ofpPrint(frame),
          expect,
          spans,
        });
      }
    } finally {
      await relay.close();
    }
  }
  return vectors;
}
