// Lanes: a big diff split by flow key over [main, ...lanes]; stable per key, every flow_mod once, rejections mapped back, a failed lane's share resent over main.
import { describe, expect, it } from 'vitest';
import { OFP_NO_BUFFER, OFPG_ANY, OFPP_ANY } from '../../openflow/constants/ports.ts';
import { ConnectionClosedError, OpenFlowBatchError, OpenFlowRequestError } from '../../openflow/transport/errors.ts';
import type { Outgoing } from '../../openflow/transport/outgoing.ts';
import type { FlowModOut } from '../../src/controller/flowDiff.ts';
import { laneOf, sendSpread, splitByKey, type LaneConnection } from '../../src/controller/lanes.ts';

const mod = (i: number): FlowModOut => ({
  type: 'flow_mod', command: 'add', tableId: i % 5, priority: 100, bufferId: OFP_NO_BUFFER, outPort: OFPP_ANY, outGroup: OFPG_ANY,
  flags: 0, cookie: BigInt(i), cookieMask: 0n, idleTimeout: 0, hardTimeout: 0, match: [], instructions: [],
});
const keyOf = (i: number) => `${i % 5}/100/in_port=${i}`;

/** A connection that records what it was asked to apply and may reject some cookies or fail outright. */
class FakeConnection implements LaneConnection {
  state = 'ready';
  readonly applied: bigint[][] = [];
  constructor(private readonly behaviour: { reject?: Set<bigint>; failAfterSlices?: number } = {}) {}
  async apply(msgs: readonly Outgoing[]): Promise<void> {
    const cookies = msgs.map((m) => (m as FlowModOut).cookie);
    if (this.behaviour.failAfterSlices !== undefined && this.applied.length >= this.behaviour.failAfterSlices) {
      this.state = 'closed';
      throw new ConnectionClosedError('peer_closed');
    }
    this.applied.push(cookies);
    const failures = cookies.flatMap((c, index) => (this.behaviour.reject?.has(c)
      ? [{ index, error: new OpenFlowRequestError('flow_mod', 1, { type: 'error', xid: 1, errType: 5, errCode: 0, typeName: 'FLOW_MOD_FAILED', codeName: 'UNKNOWN', data: Buffer.alloc(0) } as never) }]
      : []));
    if (failures.length > 0) throw new OpenFlowBatchError(failures, msgs.length);
  }
  get all(): bigint[] {
    return this.applied.flat();
  }
}

const hooks = (log: string[] = []) => ({
  sendSlice: (c: FakeConnection, slice: FlowModOut[]) => c.apply(slice),
  onRejected: () => undefined,
  onLaneFailed: (lane: number, rest: number) => void log.push(`lane ${lane} failed, ${rest} to main`),
});

describe('splitByKey', () => {
  const keys = Array.from({ length: 5000 }, (_, i) => keyOf(i));

  it('puts every flow_mod in exactly one share, in diff order', () => {
    const shares = splitByKey(keys, 4);
    expect(shares.flat().sort((a, b) => a - b)).toEqual(keys.map((_, i) => i));
    for (const s of shares) expect(s).toEqual([...s].sort((a, b) => a - b));
  });

  it('is stable by key: the same key picks the same connection in any diff, and the shares are even enough', () => {
    const shuffled = [...keys].reverse().slice(0, 3000);
    for (const k of shuffled) expect(laneOf(k, 4)).toBe(laneOf(k, 4));
    const byKey = new Map(splitByKey(keys, 4).flatMap((s, c) => s.map((i) => [keys[i], c] as const)));
    splitByKey(shuffled, 4).forEach((s, c) => s.forEach((i) => expect(byKey.get(shuffled[i])).toBe(c)));
    for (const s of splitByKey(keys, 4)) expect(s.length).toBeGreaterThan(5000 / 4 * 0.85);
  });

  it('one connection: everything on it, in order', () => {
    expect(splitByKey(['a', 'b', 'c'], 1)).toEqual([[0, 1, 2]]);
  });
});

describe('sendSpread', () => {
  const n = 1000;
  const mods = Array.from({ length: n }, (_, i) => mod(i));
  const keys = mods.map((_, i) => keyOf(i));

  it('sends every share at once in slices, each flow_mod exactly once, over the connection its key picks', async () => {
    const main = new FakeConnection();
    const lanes = [new FakeConnection(), new FakeConnection(), new FakeConnection()];
    await sendSpread(main, lanes, mods, keys, new Set(), 100, hooks());
    const all = [main, ...lanes].flatMap((c) => c.all);
    expect(all.sort((a, b) => Number(a - b))).toEqual(mods.map((m) => m.cookie));
    [main, ...lanes].forEach((c, ci) => {
      for (const cookie of c.all) expect(laneOf(keys[Number(cookie)], 4)).toBe(ci);
      for (const slice of c.applied) expect(slice.length).toBeLessThanOrEqual(100);
    });
  });

  it('maps rejected flow_mods back to their index in the whole diff', async () => {
    const bad = new Set([7n, 512n, 999n]);
    const main = new FakeConnection({ reject: bad });
    const lanes = [new FakeConnection({ reject: bad }), new FakeConnection({ reject: bad })];
    const rejected = new Set<number>();
    await sendSpread(main, lanes, mods, keys, rejected, 64, hooks());
    expect([...rejected].sort((a, b) => a - b)).toEqual([7, 512, 999]);
  });

  it('a lane that fails mid-diff: the rest of its share goes over main, from the failed slice on; the diff does not fail', async () => {
    const main = new FakeConnection();
    const lane = new FakeConnection({ failAfterSlices: 1 });
    const log: string[] = [];
    await sendSpread(main, [lane], mods, keys, new Set(), 50, hooks(log));
    expect(lane.applied).toHaveLength(1);
    expect(log).toHaveLength(1);
    const laneShare = splitByKey(keys, 2)[1];
    expect(log[0]).toBe(`lane 0 failed, ${laneShare.length - 50} to main`);
    // main carried its own share and the lane's rest; together with the lane's first slice: each flow_mod once
    expect([...main.all, ...lane.all].sort((a, b) => Number(a - b))).toEqual(mods.map((m) => m.cookie));
  });

  it('a failure of main rejects, after the lanes settled', async () => {
    const main = new FakeConnection({ failAfterSlices: 0 });
    const lane = new FakeConnection();
    await expect(sendSpread(main, [lane], mods, keys, new Set(), 50, hooks())).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(lane.all).toHaveLength(splitByKey(keys, 2)[1].length);
  });
});
