// Property tests: every generated message encodes to encodingLength bytes and decodes back deep-equal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, encodingLength, type OfpMessage } from '../../../openflow/index.ts';
import { action, bundleAdd, message, oxm } from './arbitraries.ts';

/** Enough runs to visit every message kind and action kind many times, still quick. */
const RUNS = 2000;

/** fast-check builds records with a null prototype; copy them to plain objects so toStrictEqual compares values. */
function plain<T>(x: T): T {
  if (Buffer.isBuffer(x) || x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map(plain) as T;
  return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)])) as T;
}

function roundTrip(generated: OfpMessage): void {
  const m = plain(generated);
  const frame = encodeMessage(m);
  expect(frame.length).toBe(encodingLength(m));
  expect(frame.readUInt16BE(2)).toBe(frame.length);
  const back = decodeMessage(frame);
  if (!back.ok) throw new Error(`${m.type}: ${back.error.code} ${back.error.message} @${back.error.offset}`);
  expect(back.value).toStrictEqual(m);
  // and the bytes are stable: re-encoding the decoded value gives the same frame
  expect(encodeMessage(back.value).equals(frame)).toBe(true);
}

describe('decode(encode(x)) deep-equals x', () => {
  it('for generated messages of every type', () => {
    fc.assert(fc.property(message, (m) => roundTrip(m)), { numRuns: RUNS });
  });

  it('for generated match fields, one per packet_in', () => {
    fc.assert(
      fc.property(oxm, (o) =>
        roundTrip({ type: 'packet_in', xid: 1, bufferId: 0, totalLen: 0, reason: 0, tableId: 0, cookie: 0n, match: [o], data: Buffer.alloc(0) }),
      ),
      { numRuns: RUNS },
    );
  });

  it('for generated actions, one per packet_out', () => {
    fc.assert(
      fc.property(action, (a) => roundTrip({ type: 'packet_out', xid: 1, bufferId: 0xffffffff, inPort: 1, actions: [a], data: Buffer.alloc(0) })),
      { numRuns: RUNS },
    );
  });

  it('for bundle_add carrying any other message', () => {
    fc.assert(fc.property(bundleAdd, (m) => roundTrip(m)), { numRuns: 300 });
  });
});
