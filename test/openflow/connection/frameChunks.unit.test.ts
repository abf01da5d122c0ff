// encodeChunks: a batch framed with the given xids, back to back, cut into chunks of at most maxBytes
// exactly where concatenating one frame per message would cut them; an unencodable message fails first.
import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../../openflow/messages/codec.ts';
import type { FlowMod, OfpMessage, PacketOut } from '../../../openflow/messages/types.ts';
import { encodeChunks } from '../../../openflow/transport/frameChunks.ts';
import type { Outgoing } from '../../../openflow/transport/outgoing.ts';

function flowMod(i: number): Omit<FlowMod, 'xid'> {
  return {
    type: 'flow_mod', cookie: BigInt(i), cookieMask: 0n, tableId: i % 8, command: 'add', idleTimeout: 0, hardTimeout: 0, priority: 100 + i,
    bufferId: 0xffffffff, outPort: 0xffffffff, outGroup: 0xffffffff, flags: 0,
    // 0-3 output actions: frames of several lengths
    match: [{ field: 'in_port', value: i + 1 }],
    instructions: i % 4 === 0 ? [] : [{ type: 'apply_actions', actions: Array.from({ length: i % 4 }, (_, a) => ({ type: 'output' as const, port: a + 1, maxLen: 0 })) }],
  };
}

/** The chunks the one-Buffer-per-frame way made: frames concatenated until the next would pass maxBytes. */
function reference(frames: Buffer[], maxBytes: number): { bytes: Buffer; frames: number }[] {
  const out: { bytes: Buffer; frames: number }[] = [];
  let start = 0;
  let size = 0;
  for (let i = 0; i < frames.length; i++) {
    if (i > start && size + frames[i].length > maxBytes) {
      out.push({ bytes: Buffer.concat(frames.slice(start, i)), frames: i - start });
      start = i;
      size = 0;
    }
    size += frames[i].length;
  }
  if (start < frames.length) out.push({ bytes: Buffer.concat(frames.slice(start)), frames: frames.length - start });
  return out;
}

const noFailure = (i: number, e: unknown): Error => new Error(`message ${i}: ${String(e)}`);

describe('encodeChunks', () => {
  it('gives the bytes and cuts of one encoded frame per message, with the xids given', () => {
    const msgs: Outgoing[] = Array.from({ length: 700 }, (_, i) => flowMod(i));
    const xids = msgs.map((_, i) => 1000 + i);
    const frames = msgs.map((m, i) => encodeMessage({ ...m, xid: xids[i] } as OfpMessage));
    for (const maxBytes of [64 * 1024, 1000, 200, 1]) {
      const chunks = encodeChunks(msgs, xids, maxBytes, noFailure);
      expect(chunks.map((c) => c.frames), `maxBytes ${maxBytes}`).toEqual(reference(frames, maxBytes).map((c) => c.frames));
      expect(chunks.map((c) => c.bytes.toString('hex')), `maxBytes ${maxBytes}`).toEqual(reference(frames, maxBytes).map((c) => c.bytes.toString('hex')));
    }
    expect(encodeChunks(msgs, xids, 64 * 1024, noFailure).length).toBeGreaterThan(1);
  });

  it('ignores an xid the message carries: the header has the one given', () => {
    const [chunk] = encodeChunks([{ ...flowMod(1), xid: 7 }], [42], 1024, noFailure);
    expect(chunk.bytes.readUInt32BE(4)).toBe(42);
  });

  it('fails with the error made for the first message that cannot be encoded', () => {
    const tooBig: Omit<PacketOut, 'xid'> = { type: 'packet_out', bufferId: 0xffffffff, inPort: 1, actions: [], data: Buffer.alloc(70_000) };
    const msgs: Outgoing[] = [flowMod(1), tooBig, flowMod(2)];
    const named = (i: number, e: unknown): Error => new Error(`message ${i}: ${(e as Error).message}`);
    expect(() => encodeChunks(msgs, [1, 2, 3], 64 * 1024, named)).toThrow(/^message 1: packet_out .*exceeds the OpenFlow maximum/);
    // past the end of the staging area too (the engine's RangeError becomes the same typed error)
    const huge: Outgoing = { ...tooBig, data: Buffer.alloc(1_000_000) };
    expect(() => encodeChunks([flowMod(1), huge], [1, 2], 64 * 1024, named)).toThrow(/^message 1: packet_out .*exceeds the OpenFlow maximum/);
    // the staging area is usable again after the failure
    expect(encodeChunks([flowMod(3)], [4], 64 * 1024, noFailure)[0].bytes).toEqual(encodeMessage({ ...flowMod(3), xid: 4 } as OfpMessage));
  });
});
