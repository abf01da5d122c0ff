// Request/reply bookkeeping: reply types, multipart merging, xid correlation, errors and timeouts (no sockets).
import { describe, expect, it, vi } from 'vitest';
import type { ErrorMsg, FlowStats, OfpMessage, PortDesc } from '../../../openflow/messages/types.ts';
import { OpenFlowRequestError, ReplyDecodeError, ReplyTooLargeError, RequestTimeoutError, UnexpectedReplyError } from '../../../openflow/transport/errors.ts';
import { PendingTable } from '../../../openflow/transport/pending.ts';
import { expectedReplyType, mergeMultipartBodies } from '../../../openflow/transport/replies.ts';
import { XidAllocator } from '../../../openflow/transport/xids.ts';

const port = (portNo: number): PortDesc => ({
  portNo, hwAddr: '02:00:00:00:00:01', name: `p${portNo}`, config: 0, state: 0, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0,
});
const flow = (priority: number): FlowStats => ({
  tableId: 0, durationSec: 0, durationNsec: 0, priority, idleTimeout: 0, hardTimeout: 0, flags: 0, cookie: 0n, packetCount: 0n, byteCount: 0n, match: [], instructions: [],
});
const err = (xid: number): ErrorMsg => ({
  type: 'error', xid, version: 4, errType: 4, errCode: 9, typeName: 'OFPET_BAD_MATCH', codeName: 'OFPBMC_BAD_PREREQ', data: Buffer.from('x'),
});

describe('reply types', () => {
  it('knows which requests have replies and which are checked by a barrier', () => {
    expect(expectedReplyType('barrier_request')).toBe('barrier_reply');
    expect(expectedReplyType('multipart_request')).toBe('multipart_reply');
    expect(expectedReplyType('bundle_control')).toBe('bundle_control');
    expect(expectedReplyType('flow_mod')).toBeUndefined();
    expect(expectedReplyType('packet_out')).toBeUndefined();
  });

  it('merges multipart parts of one kind in arrival order', () => {
    expect(mergeMultipartBodies([{ kind: 'port_desc', ports: [port(1), port(2)] }, { kind: 'port_desc', ports: [port(3)] }])).toEqual({
      kind: 'port_desc',
      ports: [port(1), port(2), port(3)],
    });
    expect(mergeMultipartBodies([{ kind: 'flow', flows: [flow(1)] }, { kind: 'flow', flows: [] }, { kind: 'flow', flows: [flow(2)] }])).toEqual({
      kind: 'flow',
      flows: [flow(1), flow(2)],
    });
    expect(mergeMultipartBodies([{ kind: 'unknown', mpType: 99, body: Buffer.from('ab') }, { kind: 'unknown', mpType: 99, body: Buffer.from('c') }])).toEqual({
      kind: 'unknown',
      mpType: 99,
      body: Buffer.from('abc'),
    });
  });
});

describe('PendingTable', () => {
  const barrier = (xid: number): OfpMessage => ({ type: 'barrier_request', xid });

  it('resolves a request with the reply of the same xid and type only', async () => {
    const t = new PendingTable();
    const p = t.expectReply(barrier(5), 'barrier_reply', 0);
    expect(t.deliver({ type: 'barrier_reply', xid: 6 })).toBe(false);
    expect(t.deliver({ type: 'echo_reply', xid: 5, data: Buffer.alloc(0) })).toBe(false);
    expect(t.deliver({ type: 'barrier_reply', xid: 5 })).toBe(true);
    await expect(p).resolves.toEqual({ type: 'barrier_reply', xid: 5 });
    expect(t.size).toBe(0);
  });

  it('rejects a request with a typed error when an ERROR carries its xid', async () => {
    const t = new PendingTable();
    const p = t.expectReply(barrier(5), 'barrier_reply', 0);
    t.deliver(err(5));
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenFlowRequestError);
    expect(e).toMatchObject({ code: 'switch_error', xid: 5, requestType: 'barrier_request', typeName: 'OFPET_BAD_MATCH', codeName: 'OFPBMC_BAD_PREREQ', errType: 4, errCode: 9 });
  });

  it('reassembles multipart replies across OFPMPF_REPLY_MORE', async () => {
    const t = new PendingTable();
    const req: OfpMessage = { type: 'multipart_request', xid: 9, flags: 0, body: { kind: 'port_desc' } };
    const p = t.expectReply(req, 'multipart_reply', 0);
    t.deliver({ type: 'multipart_reply', xid: 9, flags: 1, body: { kind: 'port_desc', ports: [port(1)] } });
    t.deliver({ type: 'multipart_reply', xid: 9, flags: 1, body: { kind: 'port_desc', ports: [port(2)] } });
    expect(t.size).toBe(1);
    t.deliver({ type: 'multipart_reply', xid: 9, flags: 0, body: { kind: 'port_desc', ports: [port(3)] } });
    const reply = await p;
    expect(reply).toMatchObject({ type: 'multipart_reply', xid: 9, flags: 0 });
    if (reply.type === 'multipart_reply' && reply.body.kind === 'port_desc') expect(reply.body.ports.map((x) => x.portNo)).toEqual([1, 2, 3]);
    else throw new Error('wrong reply');
  });

  it('stops reassembling a multipart reply that grows past the byte limit', async () => {
    const t = new PendingTable(1000);
    const p = t.expectReply({ type: 'multipart_request', xid: 9, flags: 0, body: { kind: 'port_desc' } }, 'multipart_reply', 0);
    const part = { type: 'multipart_reply' as const, xid: 9, flags: 1, body: { kind: 'port_desc' as const, ports: [port(1)] } };
    expect(t.deliver(part, 600)).toBe(true);
    expect(t.deliver(part, 600)).toBe(true);
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ReplyTooLargeError);
    expect(e).toMatchObject({ code: 'reply_too_large', limitBytes: 1000 });
    // the rest of the flood is no longer anybody's reply
    expect(t.deliver(part, 600)).toBe(false);
  });

  it('rejects a reply of the wrong multipart kind or bundle sub-type', async () => {
    const t = new PendingTable();
    const p = t.expectReply({ type: 'multipart_request', xid: 3, flags: 0, body: { kind: 'desc' } }, 'multipart_reply', 0);
    t.deliver({ type: 'multipart_reply', xid: 3, flags: 0, body: { kind: 'port_desc', ports: [] } });
    await expect(p).rejects.toBeInstanceOf(UnexpectedReplyError);
    const b = t.expectReply(
      { type: 'bundle_control', xid: 4, bundleId: 1, ctrlType: 'commit_request', atomic: true, ordered: true, properties: Buffer.alloc(0) },
      'bundle_control',
      0,
    );
    t.deliver({ type: 'bundle_control', xid: 4, bundleId: 1, ctrlType: 'open_reply', atomic: true, ordered: true, properties: Buffer.alloc(0) });
    await expect(b).rejects.toThrow(/open_reply, wanted commit_reply/);
  });

  it('times out, and a long multipart dump stays alive while parts arrive', async () => {
    vi.useFakeTimers();
    try {
      const t = new PendingTable();
      const p = t.expectReply(barrier(1), 'barrier_reply', 1000);
      const caught = p.catch((x: unknown) => x);
      vi.advanceTimersByTime(1001);
      expect(await caught).toBeInstanceOf(RequestTimeoutError);
      const m = t.expectReply({ type: 'multipart_request', xid: 2, flags: 0, body: { kind: 'port_desc' } }, 'multipart_reply', 1000);
      for (let i = 0; i < 5; i++) {
        vi.advanceTimersByTime(800);
        t.deliver({ type: 'multipart_reply', xid: 2, flags: 1, body: { kind: 'port_desc', ports: [port(i)] } });
      }
      t.deliver({ type: 'multipart_reply', xid: 2, flags: 0, body: { kind: 'port_desc', ports: [] } });
      await expect(m).resolves.toMatchObject({ type: 'multipart_reply' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('routes ERRORs to watches, fails requests whose reply did not decode, rejects all on close', async () => {
    const t = new PendingTable();
    const seen: number[] = [];
    t.watchErrors(11, (e) => seen.push(e.xid));
    expect(t.deliver({ type: 'barrier_reply', xid: 11 })).toBe(false);
    expect(t.deliver(err(11))).toBe(true);
    t.unwatch(11);
    expect(t.deliver(err(11))).toBe(false);
    expect(seen).toEqual([11]);

    const p = t.expectReply(barrier(12), 'barrier_reply', 0);
    // a PACKET_IN that reuses the number is the switch's own message, not the reply
    expect(t.deliverUndecodable(12, 10, { code: 'truncated', message: 'x', offset: 8 })).toBe(false);
    expect(t.deliverUndecodable(12, 21, { code: 'truncated', message: 'x', offset: 8 })).toBe(true);
    await expect(p).rejects.toBeInstanceOf(ReplyDecodeError);

    const q = t.expectReply(barrier(13), 'barrier_reply', 0);
    t.rejectAll(new Error('gone'));
    await expect(q).rejects.toThrow('gone');
    expect(t.size).toBe(0);
  });
});

describe('XidAllocator', () => {
  it('skips 0 and ids in use, and wraps at 2^32', () => {
    const used = new Set([2, 3]);
    const a = new XidAllocator((x) => used.has(x));
    expect([a.allocate(), a.allocate()]).toEqual([1, 4]);
    const w = new XidAllocator(() => false, 0xffff_ffff);
    expect([w.allocate(), w.allocate()]).toEqual([0xffff_ffff, 1]);
  });
});
