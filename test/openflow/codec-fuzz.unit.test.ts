// Fuzzes decodeMessage and the Framer with >100k random and mutated frames: never a throw or a hang, always a value or a typed error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, Framer, type DecodeResult, type OfpMessage } from '../../openflow/index.ts';
import { message } from './codec/arbitraries.ts';
import { loadVectors } from './golden/vectors.ts';

/** Reproducible by default; set ESDN_FUZZ_SEED to explore other inputs. */
const SEED = Number(process.env.ESDN_FUZZ_SEED ?? 0x5eed);
/** Inputs per family; 4 families of decode inputs plus framer streams make > 100k per run. */
const PER_FAMILY = 26_000;
const STREAMS = 3_000;
/** A hang detector, not a performance test: no single input may take anywhere near this long. */
const HANG_MS = 2_000;
const ERROR_CODES = new Set(['truncated', 'bad_length', 'bad_version', 'unknown_type', 'bad_value', 'unsupported']);
const OFP13 = 4;
/** Highest ofp_type number in OpenFlow 1.3 (OFPT_METER_MOD = 29) plus a margin of unknown ones. */
const MAX_TYPE = 35;

const golden = [...loadVectors('requests.json'), ...loadVectors('replies.json')].map((v) => Buffer.from(v.hex, 'hex'));

/** fast-check builds records with a null prototype; plain copies compare by value with toStrictEqual. */
function plain<T>(x: T): T {
  if (Buffer.isBuffer(x) || x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map(plain) as T;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)])) as T;
}

/** xorshift32: fast, seedable, good enough to spread mutations. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const withLength = (b: Buffer): Buffer => {
  if (b.length >= 4) b.writeUInt16BE(Math.min(b.length, 0xffff), 2);
  return b;
};

/** Families of inputs; each returns a fresh buffer. */
function families(next: () => number): Record<string, () => Buffer> {
  const pick = (): Buffer => golden[next() % golden.length];
  return {
    random: () => {
      const b = Buffer.alloc(next() % 300);
      for (let i = 0; i < b.length; i++) b[i] = next() & 0xff;
      // mostly a plausible header, so the body decoders are reached
      if (b.length >= 8 && next() % 8 !== 0) { b[0] = OFP13; b[1] = next() % (MAX_TYPE + 1); withLength(b); }
      return b;
    },
    bitflip: () => {
      const b = Buffer.from(pick());
      const flips = 1 + (next() % 8);
      for (let i = 0; i < flips; i++) b[next() % b.length] ^= 1 << (next() % 8);
      return next() % 2 ? withLength(b) : b;
    },
    truncateOrCorrupt: () => {
      const src = pick();
      const b = Buffer.from(src.subarray(0, next() % (src.length + 1)));
      // corrupt a 16-bit field anywhere: most TLV lengths (OXM, action, instruction, bucket) are u16
      if (b.length >= 2 && next() % 2) b.writeUInt16BE(next() & 0xffff, (next() % (b.length - 1)) & ~1);
      return next() % 3 ? withLength(b) : b;
    },
    splice: () => {
      const a = pick();
      const c = pick();
      return withLength(Buffer.concat([a.subarray(0, next() % (a.length + 1)), c.subarray(next() % (c.length + 1))]));
    },
  };
}

/** Asserts the contract of one decode; returns the decoded message when there is one. */
function checkDecode(frame: Buffer): OfpMessage | undefined {
  let r: DecodeResult<OfpMessage>;
  const t0 = performance.now();
  try {
    r = decodeMessage(frame);
  } catch (e) {
    throw new Error(`decodeMessage threw on ${frame.toString('hex')}: ${String(e)}`);
  }
  const ms = performance.now() - t0;
  if (ms > HANG_MS) throw new Error(`decodeMessage took ${ms} ms on ${frame.toString('hex')}`);
  if (r.ok) return r.value;
  if (!ERROR_CODES.has(r.error.code) || typeof r.error.message !== 'string' || !Number.isInteger(r.error.offset)) {
    throw new Error(`untyped error ${JSON.stringify(r.error)} for ${frame.toString('hex')}`);
  }
  return undefined;
}

/** What decoded once must survive encode and decode unchanged (no value the codec cannot write back). */
function checkStable(value: OfpMessage, frame: Buffer): void {
  let again: Buffer;
  try {
    again = encodeMessage(value);
  } catch (e) {
    throw new Error(`encodeMessage threw on a value decoded from ${frame.toString('hex')}: ${String(e)}`);
  }
  const back = decodeMessage(again);
  if (!back.ok) throw new Error(`re-encoded frame does not decode (${back.error.message}): ${frame.toString('hex')}`);
  expect(back.value).toStrictEqual(value);
}

describe(`decodeMessage under fuzzing (seed ${SEED})`, () => {
  for (const [name, gen] of Object.entries(families(rng(SEED)))) {
    it(`${PER_FAMILY} ${name} inputs: a value or a typed error, never a throw or a hang`, () => {
      let decoded = 0;
      for (let i = 0; i < PER_FAMILY; i++) {
        const frame = gen();
        const value = checkDecode(frame);
        if (value) {
          decoded++;
          checkStable(value, frame);
        }
      }
      // the family must reach the decoders, not just bounce off the header
      console.log(`${name}: ${decoded}/${PER_FAMILY} decoded to a value`);
      expect(decoded).toBeGreaterThan(0);
    });
  }
});

describe('Framer under fuzzing', () => {
  it(`${STREAMS} streams of golden and random frames, split at random points: whole frames out, or one typed error`, () => {
    const next = rng(SEED ^ 0xf00d);
    const gen = families(next);
    for (let s = 0; s < STREAMS; s++) {
      const parts = Array.from({ length: 1 + (next() % 6) }, () => (next() % 4 ? golden[next() % golden.length] : gen.random()));
      const stream = Buffer.concat(parts);
      const framer = new Framer();
      const out: Buffer[] = [];
      let error;
      for (let off = 0; off < stream.length; ) {
        const n = 1 + (next() % 200);
        const r = framer.push(stream.subarray(off, off + n));
        out.push(...r.frames);
        if (r.error) { error = r.error; break; }
        off += n;
      }
      for (const f of out) {
        expect(f.readUInt16BE(2)).toBe(f.length);
        checkDecode(f);
      }
      if (error) expect(ERROR_CODES.has(error.code)).toBe(true);
      else expect(Buffer.concat([...out, Buffer.alloc(framer.bufferedBytes)]).length).toBe(stream.length);
      // frames come out in stream order and byte-identical
      expect(Buffer.concat(out).equals(stream.subarray(0, Buffer.concat(out).length))).toBe(true);
    }
  });

  it('decode(encode(x)) equals x for generated messages of every type, after a trip through a randomly split Framer (property)', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }), (msgs, cuts) => {
        const frames = msgs.map((m) => encodeMessage(m));
        const stream = Buffer.concat(frames);
        const framer = new Framer();
        const out: Buffer[] = [];
        let off = 0;
        for (let i = 0; off < stream.length; i++) {
          const n = cuts[i % cuts.length];
          const r = framer.push(stream.subarray(off, off + n));
          expect(r.error).toBeUndefined();
          out.push(...r.frames);
          off += n;
        }
        expect(out.map((f) => f.toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
        expect(framer.bufferedBytes).toBe(0);
        for (const [i, f] of out.entries()) {
          const r = decodeMessage(f);
          if (!r.ok) throw new Error(`${msgs[i].type}: ${r.error.message}`);
          expect(r.value).toStrictEqual(plain(msgs[i]));
        }
      }),
      { numRuns: 1000, seed: SEED },
    );
  });
});
