// The framer rebuilds frames from split and coalesced TCP reads and refuses absurd lengths.
import { describe, expect, it } from 'vitest';
import { encodeMessage, Framer } from '../../../openflow/index.ts';
import { SAMPLES } from './samples.ts';

const frames = SAMPLES.map((s) => encodeMessage(s.msg));
const stream = Buffer.concat(frames);

describe('Framer', () => {
  it('returns every frame from one coalesced read', () => {
    const out = new Framer().push(stream);
    expect(out.error).toBeUndefined();
    expect(out.frames).toEqual(frames);
  });

  it('returns the same frames whatever the split point, and one byte at a time', () => {
    for (let cut = 1; cut < stream.length; cut += 61) {
      const f = new Framer();
      const a = f.push(stream.subarray(0, cut));
      const b = f.push(stream.subarray(cut));
      expect([...a.frames, ...b.frames]).toEqual(frames);
      expect(f.bufferedBytes).toBe(0);
    }
    const few = frames.slice(0, 4);
    const f = new Framer();
    const got: Buffer[] = [];
    for (const byte of Buffer.concat(few)) got.push(...f.push(Uint8Array.of(byte)).frames);
    expect(got).toEqual(few);
  });

  it('refuses a length below the header size and stays failed', () => {
    const f = new Framer();
    const r = f.push(Buffer.from('0400000400000001', 'hex'));
    expect(r.error?.code).toBe('bad_length');
    expect(r.error?.offset).toBe(2);
    expect(f.push(frames[0]).error?.code).toBe('bad_length');
  });

  it('refuses lengths above maxFrameLength, after delivering the frames before it', () => {
    const f = new Framer({ maxFrameLength: 64 });
    const small = encodeMessage({ type: 'barrier_request', xid: 1 });
    const big = encodeMessage({ type: 'echo_request', xid: 2, data: Buffer.alloc(100) });
    const r = f.push(Buffer.concat([small, big]));
    expect(r.frames).toEqual([small]);
    expect(r.error).toMatchObject({ code: 'bad_length', offset: small.length + 2 });
  });
});
