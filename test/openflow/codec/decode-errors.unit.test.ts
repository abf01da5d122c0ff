// Bad input gives typed errors: truncated, bad lengths, wrong version, unknown types; decoding never throws or hangs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, EncodeError, type Action, type DecodeResult, type OfpMessage } from '../../../openflow/index.ts';
import { message } from './arbitraries.ts';
import { OVERLAY_FLOW_MOD, SAMPLES } from './samples.ts';

/** A decoder bug (an exception other than a typed failure) shows up as this message prefix. */
function noInternalError(r: DecodeResult<OfpMessage>): void {
  if (!r.ok) expect(r.error.message).not.toMatch(/^decoder failure/);
}

function fails(r: DecodeResult<OfpMessage>, code: string): void {
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.error.code).toBe(code);
}

const withLength = (b: Buffer, len: number): Buffer => {
  const c = Buffer.from(b);
  c.writeUInt16BE(len, 2);
  return c;
};

describe('decodeMessage on bad frames', () => {
  it('reports a frame shorter than the header as truncated', () => {
    fails(decodeMessage(Buffer.alloc(0)), 'truncated');
    fails(decodeMessage(Buffer.from('040200', 'hex')), 'truncated');
  });

  it('reports header lengths that disagree with the frame', () => {
    const barrier = encodeMessage({ type: 'barrier_request', xid: 1 });
    fails(decodeMessage(withLength(barrier, 4)), 'bad_length');
    fails(decodeMessage(withLength(barrier, 16)), 'truncated');
    fails(decodeMessage(Buffer.concat([barrier, Buffer.alloc(8)])), 'bad_length');
  });

  it('refuses other OpenFlow versions except for hello and error', () => {
    const fm = encodeMessage(OVERLAY_FLOW_MOD);
    fm[0] = 0x01;
    fails(decodeMessage(fm), 'bad_version');
    const hello = decodeMessage(Buffer.from('06000010000000010001000800000050', 'hex'));
    expect(hello).toStrictEqual({ ok: true, value: { type: 'hello', xid: 1, version: 6, versions: [4, 6] } });
  });

  it('reports unknown message types', () => {
    fails(decodeMessage(Buffer.from('0463000800000001', 'hex')), 'unknown_type');
  });

  it('reports an action whose length is zero instead of looping', () => {
    const fm = encodeMessage({ ...OVERLAY_FLOW_MOD, match: [], instructions: [{ type: 'apply_actions', actions: [{ type: 'output', port: 1, maxLen: 0 }] }] });
    // flow_mod fixed part (48 with header) + empty match (8) + instruction header (8) + action type (2)
    const actionLenAt = 48 + 8 + 8 + 2;
    fm.writeUInt16BE(0, actionLenAt);
    const r = decodeMessage(fm);
    fails(r, 'bad_length');
    if (!r.ok) expect(r.error.offset).toBe(actionLenAt);
  });

  it('reports an OXM that runs past its match', () => {
    const fm = encodeMessage({ ...OVERLAY_FLOW_MOD, instructions: [] });
    // first OXM header's length byte: header(8) fixed(40) match type/len(4) class/field(3)
    fm[8 + 40 + 4 + 3] = 200;
    expect(decodeMessage(fm).ok).toBe(false);
  });

  it('reports bad enum values (flow_mod command, role, port status reason)', () => {
    const fm = encodeMessage(OVERLAY_FLOW_MOD);
    fm[8 + 17] = 9; // command byte after cookie, cookie_mask, table_id
    fails(decodeMessage(fm), 'bad_value');
    const role = encodeMessage({ type: 'role_request', xid: 1, role: 'master', generationId: 0n });
    role.writeUInt32BE(7, 8);
    fails(decodeMessage(role), 'bad_value');
  });

  it('refuses ct nested in ct in ct (bounded recursion on hostile input)', () => {
    let inner: Action[] = [{ type: 'output', port: 1, maxLen: 0 }];
    for (let i = 0; i < 3; i++) inner = [{ type: 'ct', commit: false, force: false, zone: { imm: 0 }, recircTable: 0xff, alg: 0, actions: inner }];
    const frame = encodeMessage({ type: 'packet_out', xid: 1, bufferId: 0xffffffff, inPort: 0, actions: inner, data: Buffer.alloc(0) });
    const r = decodeMessage(frame);
    fails(r, 'bad_value');
    noInternalError(r);
    // ...while one level of nesting still decodes
    const ok = encodeMessage({ type: 'packet_out', xid: 1, bufferId: 0xffffffff, inPort: 0, actions: [inner[0].type === 'ct' ? inner[0].actions[0] : inner[0]], data: Buffer.alloc(0) });
    expect(decodeMessage(ok).ok).toBe(true);
  });

  it('returns a typed error (never throws) for every truncation of every sample', () => {
    for (const s of SAMPLES) {
      const frame = encodeMessage(s.msg);
      for (let k = 8; k < frame.length; k++) {
        const r = decodeMessage(withLength(frame.subarray(0, k), k));
        noInternalError(r);
        if (!r.ok) expect(['truncated', 'bad_length', 'bad_value', 'unknown_type', 'unsupported']).toContain(r.error.code);
      }
    }
  });

  it('never throws on random bytes or on corrupted valid frames', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (b) => {
        noInternalError(decodeMessage(b));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(message, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (m, flips) => {
        const frame = encodeMessage(m);
        for (const [at, v] of flips) if (at % frame.length >= 4) frame[at % frame.length] = v; // keep length/version
        noInternalError(decodeMessage(frame));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encodeMessage on values that cannot be encoded', () => {
  it('throws EncodeError for malformed addresses', () => {
    const bad = (value: string): OfpMessage => ({ ...OVERLAY_FLOW_MOD, match: [{ field: 'eth_dst', value }] });
    expect(() => encodeMessage(bad('fa:16:3e:00:00'))).toThrow(EncodeError);
    expect(() => encodeMessage({ ...OVERLAY_FLOW_MOD, match: [{ field: 'ipv4_dst', value: '10.0.0.256' }] })).toThrow(EncodeError);
    expect(() => encodeMessage({ ...OVERLAY_FLOW_MOD, match: [{ field: 'ipv6_dst', value: '1::2::3' }] })).toThrow(EncodeError);
  });

  it('throws EncodeError when a frame would exceed 65535 bytes', () => {
    expect(() => encodeMessage({ type: 'echo_request', xid: 1, data: Buffer.alloc(70_000) })).toThrow(EncodeError);
  });
});
