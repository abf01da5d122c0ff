// Encode and decode rates of a typical overlay flow_mod and of the golden vector mix, medians of several runs, beside a memcpy floor.
// Run: node bin/run-ts.js bench/openflow-codec.bench.ts   (or: npm run bench -- openflow-codec)
import { loadavg } from 'node:os';
import { decodeMessage, encodeMessage, encodingLength, type FlowMod } from '../openflow/index.ts';
import { loadVectors } from '../test/openflow/golden/vectors.ts';

/** Runs per figure (the median is reported) and the wall time of one run. */
const RUNS = 7;
const RUN_MS = 400;
const TARGET_ENCODES_PER_S = 1_000_000;

/** The flow esdn installs most: L2 lookup to a remote VM over VXLAN (TESTBED.md section 2, table 60). */
export const overlayFlow: FlowMod = {
  type: 'flow_mod', xid: 1, cookie: 0x8000_0000_0000_0101n, cookieMask: 0n, tableId: 60, command: 'add',
  idleTimeout: 0, hardTimeout: 0, priority: 50, bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0,
  match: [
    { field: 'metadata', value: 0x64n },
    { field: 'eth_dst', value: '02:00:00:00:02:01' },
  ],
  instructions: [{
    type: 'apply_actions',
    actions: [
      { type: 'set_field', field: { field: 'tun_ipv4_dst', value: '192.168.50.2' } },
      { type: 'set_field', field: { field: 'tunnel_id', value: 100n } },
      { type: 'output', port: 100, maxLen: 0 },
    ],
  }],
};

/**
 * Calls fn in a loop for about RUN_MS; returns operations per wall-clock second and per second of
 * this process's CPU time (on a shared machine the second figure is the one load does not skew).
 */
function rate(fn: (i: number) => void): { wall: number; cpu: number } {
  let n = 0;
  const batch = 1000;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(RUN_MS) * 1_000_000n;
  let now = t0;
  while (now < deadline) {
    for (let i = 0; i < batch; i++) fn(n + i);
    n += batch;
    now = process.hrtime.bigint();
  }
  const c = process.cpuUsage(c0);
  return { wall: (n * 1e9) / Number(now - t0), cpu: (n * 1e6) / (c.user + c.system) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Prints and returns the median operations per CPU-second (wall-clock median beside it). */
function measure(name: string, fn: (i: number) => void): number {
  rate(fn); // warm-up: let the JIT settle before the measured runs
  const runs = Array.from({ length: RUNS }, () => rate(fn));
  const cpu = median(runs.map((r) => r.cpu));
  const wall = median(runs.map((r) => r.wall));
  const fmt = (x: number): string => (x / 1e6).toFixed(2);
  console.log(`${name.padEnd(50)} ${fmt(cpu).padStart(6)} M/cpu-s ${fmt(wall).padStart(6)} M/s wall   (cpu runs: ${runs.map((r) => fmt(r.cpu)).join(' ')})`);
  return cpu;
}

let sink = 0;
const frame = encodeMessage(overlayFlow);
const vectors = [...loadVectors('requests.json'), ...loadVectors('replies.json')].map((v) => Buffer.from(v.hex, 'hex'));
const decodedVectors = vectors.map((b) => {
  const r = decodeMessage(b);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
});

console.log(`overlay flow_mod: ${frame.length} bytes; ${RUNS} runs of ${RUN_MS} ms each, medians; node ${process.version}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const enc = measure('encodeMessage(overlay flow_mod)', (i) => { sink += encodeMessage({ ...overlayFlow, xid: i }).length; });
measure('encodingLength(overlay flow_mod)', () => { sink += encodingLength(overlayFlow); });
const dec = measure('decodeMessage(overlay flow_mod)', () => { const r = decodeMessage(frame); sink += r.ok ? 1 : 0; });
measure('reference: Buffer copy of the same bytes (floor)', () => { sink += Buffer.from(frame).length; });
measure(`decodeMessage(golden mix, ${vectors.length} frames)`, (i) => { const r = decodeMessage(vectors[i % vectors.length]); sink += r.ok ? 1 : 0; });
measure(`encodeMessage(golden mix, ${vectors.length} messages)`, (i) => { sink += encodeMessage(decodedVectors[i % decodedVectors.length]).length; });
console.log(`encode target >= ${TARGET_ENCODES_PER_S / 1e6} M/s of one core: ${enc >= TARGET_ENCODES_PER_S ? 'met' : 'NOT met'} (${(enc / 1e6).toFixed(2)} M/cpu-s); decode ${(dec / 1e6).toFixed(2)} M/cpu-s`);
if (sink === 0) console.log('');
