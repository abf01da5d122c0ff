// The reconciler's diffs: full (dump vs desired) and dirty-key (installed vs desired), esdn's flows only, deletes before adds.
import { describe, expect, it } from 'vitest';
import type { FlowStats } from '../../openflow/messages/types.ts';
import { makeCookie } from '../../projections/pipeline/cookie.ts';
import { flow, flowKey, gotoTable, m, output, applyActions, type DesiredFlow } from '../../projections/pipeline/flow.ts';
import { dirtyDiff, fullDiff, switchKey } from '../../src/controller/flowDiff.ts';

const C1 = makeCookie('classify', 'port', 0x1n);
const C2 = makeCookie('classify', 'port', 0x2n);
const f1 = flow(0, 100, [m('in_port', 1)], [gotoTable(10)], C1);
const f2 = flow(0, 100, [m('in_port', 2)], [gotoTable(10)], C2);
const f2moved = flow(0, 100, [m('in_port', 2)], [applyActions([output(3)])], C2);

function installed(f: DesiredFlow): FlowStats {
  return { ...f, durationSec: 1, durationNsec: 0, flags: 0, packetCount: 5n, byteCount: 500n };
}

describe('fullDiff (on (re)connect)', () => {
  it('leaves flows that are already installed as they are: nothing to send', () => {
    const d = fullDiff([installed(f1), installed(f2)], [f1, f2]);
    expect(d).toMatchObject({ mods: [], adds: 0, deletes: 0, unchanged: 2 });
  });

  it('adds the missing, replaces the changed, deletes the stale: deletes first, each delete with its exact cookie', () => {
    const stale = flow(60, 50, [m('eth_dst', '02:00:00:00:00:09')], [applyActions([output(9)])], makeCookie('l2_lookup', 'port', 0x9n));
    const d = fullDiff([installed(f2), installed(stale)], [f1, f2moved]);
    expect(d.adds).toBe(2);
    expect(d.deletes).toBe(1);
    expect(d.mods.map((x) => x.command)).toEqual(['delete_strict', 'add', 'add']);
    expect(d.mods[0]).toMatchObject({ tableId: 60, priority: 50, cookie: stale.cookie, cookieMask: 0xffff_ffff_ffff_ffffn });
    expect(d.mods[2].instructions).toEqual(f2moved.instructions);
  });

  it('sees a conjunction-only flow as unchanged when the switch reports its action fields in another order (each resync replaced them)', () => {
    const sent = flow(40, 70, [m('eth_type', 0x0800), m('ipv4_src', '10.0.0.5')], [applyActions([{ type: 'conjunction', id: 123, clause: 0, nClauses: 2 }])], C1);
    // the decoder's property order, as read back from OVS 3.1
    const readBack = { ...sent, instructions: [{ type: 'apply_actions' as const, actions: [{ type: 'conjunction' as const, clause: 0, nClauses: 2, id: 123 }] }] };
    expect(fullDiff([installed(readBack)], [sent])).toMatchObject({ mods: [], unchanged: 1 });
    // a real difference in the same fields is still a change
    const other = { ...readBack, instructions: [{ type: 'apply_actions' as const, actions: [{ type: 'conjunction' as const, clause: 1, nClauses: 2, id: 123 }] }] };
    expect(fullDiff([installed(other)], [sent]).adds).toBe(1);
  });

  it('sees the same flow whatever order the switch reports its match fields in', () => {
    const a = flow(10, 100, [m('in_port', 1), m('eth_src', '02:00:00:00:00:01'), m('eth_type', 0x0800)], [gotoTable(20)], C1);
    const b = { ...a, match: [a.match[2], a.match[0], a.match[1]] };
    expect(switchKey(a)).toBe(switchKey(b));
    expect(fullDiff([installed(b)], [a]).unchanged).toBe(1);
  });

  it('a changed cookie alone is a change (provenance must stay true)', () => {
    expect(fullDiff([installed({ ...f1, cookie: C2 })], [f1]).adds).toBe(1);
  });
});

describe('dirtyDiff (steady state)', () => {
  it('sends only what differs for the dirty keys', () => {
    const desired = new Map([[flowKey(f1), f1], [flowKey(f2moved), f2moved]]);
    const inst = new Map([[flowKey(f2), f2]]);
    const stale = flow(0, 100, [m('in_port', 7)], [gotoTable(10)], C1);
    inst.set(flowKey(stale), stale);
    const { mods, keys } = dirtyDiff([flowKey(f1), flowKey(f2), flowKey(stale), 'not-a-key'], desired, inst);
    expect(mods.map((x) => x.command)).toEqual(['delete_strict', 'add', 'add']);
    expect(keys).toEqual([flowKey(stale), flowKey(f1), flowKey(f2)]);
  });

  it('nothing for keys whose flow is installed unchanged', () => {
    const desired = new Map([[flowKey(f1), f1]]);
    expect(dirtyDiff([flowKey(f1)], desired, new Map([[flowKey(f1), { ...f1 }]])).mods).toEqual([]);
  });
});
