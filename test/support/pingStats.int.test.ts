// pingStats counts an answer that comes late but within its timeout, where one `ping -c N -i 0.2` process loses it.
//
// The answers come from a responder on a raw socket in a namespace whose kernel answers no echo request itself,
// so one answer can be made late on purpose (there is no sch_netem on these hosts).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithOvs } from './ovsAvailability.ts';
import { TESTBED_FAMILY } from './ovsCleanup.ts';
import { run, type RunOptions } from './ovsExec.ts';
import { pingStats } from './pingStats.ts';

/** The third echo request is answered this late: within ping's -W 1, beyond 2 x the earlier sub-millisecond answers. */
const LATE_ANSWER_S = 0.5;
const LATE_PROBE = 3;

/** Answers echo requests (IPv4 ICMP type 8) read from a raw socket, the LATE_PROBE-th one LATE_ANSWER_S late. */
const RESPONDER = `
import socket, struct, sys, time
late, delay = int(sys.argv[1]), float(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
def checksum(b):
    t = sum(struct.unpack('!%dH' % (len(b) // 2), b + b'\\0' * (len(b) % 2)))
    t = (t >> 16) + (t & 0xffff)
    return ~(t + (t >> 16)) & 0xffff
print('ready', flush=True)
n = 0
while True:
    pkt, (src, _) = s.recvfrom(65535)
    icmp = pkt[(pkt[0] & 0x0f) * 4:]
    if icmp[0] != 8: continue
    n += 1
    if n == late: time.sleep(delay)
    s.sendto(bytes([0, 0]) + struct.pack('!H', checksum(b'\\0\\0\\0\\0' + icmp[4:])) + icmp[4:], (src, 0))
`;

describeWithOvs('pingStats: one ping per probe, each with its full timeout', () => {
  const ns = `${TESTBED_FAMILY}ping${process.pid}`;
  const inNs = { exec: (argv: readonly string[], opts: RunOptions = {}) => run(['ip', 'netns', 'exec', ns, ...argv], opts) };
  let responder: ChildProcess | undefined;

  /** A fresh responder for each case, so its count of requests starts at zero. */
  async function startResponder(): Promise<void> {
    responder?.kill();
    const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', RESPONDER, String(LATE_PROBE), String(LATE_ANSWER_S)], { stdio: ['ignore', 'pipe', 'inherit'] });
    responder = child;
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('ready')) resolve(); });
      child.on('exit', (code) => reject(new Error(`responder exited with ${code}`)));
    });
  }

  beforeAll(async () => {
    await run(['ip', 'netns', 'add', ns]);
    await inNs.exec(['ip', 'link', 'set', 'lo', 'up']);
    await inNs.exec(['sysctl', '-qw', 'net.ipv4.icmp_echo_ignore_all=1']);
  });
  afterAll(async () => {
    responder?.kill();
    await run(['ip', 'netns', 'del', ns], { allowFailure: true });
  });

  it('control: one `ping -c 3 -i 0.2 -W 1` process counts the late third answer as lost', async () => {
    await startResponder();
    const r = await inNs.exec(['ping', '-n', '-c', '3', '-i', '0.2', '-W', '1', '127.0.0.1'], { allowFailure: true });
    expect(r.stdout).toMatch(/3 packets transmitted, 2 received/);
  });

  it('pingStats counts all three answers, the late one included', async () => {
    await startResponder();
    expect(await pingStats(inNs, '127.0.0.1', 3)).toMatchObject({ sent: 3, received: 3 });
  });

  it('pingStats still counts an answer later than its timeout as lost', async () => {
    await startResponder();
    expect(await pingStats(inNs, '127.0.0.1', 3, { timeoutS: 0.3 })).toMatchObject({ sent: 3, received: 2 });
  });
});
