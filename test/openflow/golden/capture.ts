// Regenerates the golden vectors: the bytes ovs-ofctl sends (to a fake switch) and a real ovs-vswitchd's replies (through a relay).
// Run as root with Open vSwitch installed:  node bin/run-ts.js test/openflow/golden/capture.ts
// After changing the annotator only (no OVS needed):  node bin/run-ts.js test/openflow/golden/capture.ts --reannotate
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../support/ovsExec.ts';
import { OvsTestbed, type OvsHost } from '../../support/ovsTestbed.ts';
import { annotateFrame } from './annotate.ts';
import { OFPT, startFakeSwitch } from './fakeSwitch.ts';
import { captureReplies } from './captureReplies.ts';
import { ofpPrint } from './ofpPrint.ts';
import { SOURCES, type Source } from './sources.ts';
import { VECTORS_DIR, loadVectors, type Vector } from './vectors.ts';

const OFCTL = ['ovs-ofctl', '-O', 'OpenFlow13', '--no-names'];
/** Frames of the conversation that are not the request itself. */
const PLUMBING = new Set<number>([OFPT.HELLO, OFPT.BARRIER_REQUEST, OFPT.ECHO_REQUEST, OFPT.FEATURES_REQUEST]);

function argsOf(src: Source, target: string): string[] {
  return [...(src.options ?? []), src.command, target, ...(src.text ? [src.text] : [])];
}

/** What the real switch shows after the source is applied alone (flows only). */
async function switchView(host: OvsHost, src: Source): Promise<{ switchDump?: string; switchError?: string }> {
  if (src.command !== 'add-flow') return {};
  await host.ofctl('del-flows', 'br-int');
  const r = await run([...OFCTL, ...argsOf(src, 'br-int')], { env: { ...process.env, OVS_RUNDIR: host.dir }, allowFailure: true });
  if (r.code !== 0) return { switchError: r.stderr.trim() };
  const dump = await host.ofctl('--no-names', '--no-stats', 'dump-flows', 'br-int');
  return { switchDump: dump.trim() };
}

async function captureRequests(host: OvsHost, dir: string): Promise<Vector[]> {
  const sw = await startFakeSwitch(join(dir, 'fake.sock'));
  const vectors: Vector[] = [];
  try {
    for (const src of SOURCES) {
      const before = sw.received.length;
      const r = await run([...OFCTL, ...argsOf(src, `unix:${sw.path}`)], { allowFailure: true, timeoutMs: 10_000 });
      if (r.code !== 0) {
        console.error(`\novs-ofctl refused ${src.id}: ${r.stderr.trim()}`);
        process.exitCode = 1;
        continue;
      }
      const frames = sw.received.slice(before).flat().filter((f) => !PLUMBING.has(f[1]));
      if (frames.length === 0) throw new Error(`no request captured for ${src.id}`);
      const view = await switchView(host, src);
      for (const [i, frame] of frames.entries()) {
        const { spans, expect } = annotateFrame(frame);
        vectors.push({
          id: frames.length === 1 ? src.id : `${src.id}#${i}`,
          direction: 'to_switch',
          command: `ovs-ofctl -O OpenFlow13 --no-names ${argsOf(src, 'unix:SWITCH').map((a) => (a.includes(' ') || a.includes('(') ? `'${a}'` : a)).join(' ')}`,
          text: src.text,
          hex: frame.toString('hex'),
          ofpPrint: await ofpPrint(frame),
          ...view,
          expect,
          spans,
        });
      }
      process.stdout.write('.');
    }
  } finally {
    await sw.close();
  }
  process.stdout.write('\n');
  return vectors;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'esdn-golden-'));
  const tb = await OvsTestbed.create();
  try {
    const host = await tb.addHost({ name: 'G', datapathId: 0x00000000000000c1n });
    // groups and meters that golden flows refer to, so the real switch accepts them
    await host.ofctl('add-group', 'br-int', 'group_id=1,type=all,bucket=output:1');
    for (const m of [1, 2, 5]) await host.ofctl('add-meter', 'br-int', `meter=${m},kbps,band=type=drop,rate=1000`);
    const requests = await captureRequests(host, dir);
    writeFileSync(join(VECTORS_DIR, 'requests.json'), `${JSON.stringify(requests, null, 1)}\n`);
    const replies = await captureReplies(host, dir);
    writeFileSync(join(VECTORS_DIR, 'replies.json'), `${JSON.stringify(replies, null, 1)}\n`);
    const refused = requests.filter((v) => v.switchError).map((v) => v.id);
    console.log(`${requests.length} request vectors, ${replies.length} reply vectors; refused by the real switch: ${refused.join(', ') || 'none'}`);
  } finally {
    await tb.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Recomputes spans and expectations of the committed vectors from their bytes. */
function reannotate(): void {
  for (const file of ['requests.json', 'replies.json'] as const) {
    const vectors = loadVectors(file).map((v) => ({ ...v, ...annotateFrame(Buffer.from(v.hex, 'hex')) }));
    // keep the key order of a fresh capture: expect and spans last
    const ordered = vectors.map(({ expect, spans, ...rest }) => ({ ...rest, expect, spans }));
    writeFileSync(join(VECTORS_DIR, file), `${JSON.stringify(ordered, null, 1)}\n`);
  }
}

if (process.argv.includes('--reannotate')) reannotate();
else await main();
