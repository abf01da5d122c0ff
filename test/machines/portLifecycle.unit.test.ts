// The port lifecycle through the pure transition(): ACTIVE only after its flows are confirmed, DOWN when the switch or interface goes.
import { describe, expect, it } from 'vitest';
import {
  initialPortLifecycle, portLifecycleState, portStatusOf, stepPortLifecycle, type PortLifecycleEvent, type PortLifecycleSnapshot,
} from '../../src/machines/portLifecycle.ts';

const run = (events: PortLifecycleEvent[], from: PortLifecycleSnapshot = initialPortLifecycle('p1')) => events.reduce(stepPortLifecycle, from);
const BOOT: PortLifecycleEvent[] = [
  { type: 'BIND', host: 'hv1' },
  { type: 'INTERFACE_UP', host: 'hv1', ofport: 7 },
  { type: 'FLOWS_CONFIRMED', host: 'hv1', ofport: 7 },
];

describe('port lifecycle', () => {
  it('starts created and DOWN', () => {
    const s = initialPortLifecycle('p1');
    expect(portLifecycleState(s)).toBe('created');
    expect(portStatusOf(s)).toBe('DOWN');
    expect(s.context).toEqual({ portId: 'p1', host: null, ofport: null });
  });

  it('goes created -> bound -> wired -> active, and only active is ACTIVE', () => {
    const states: string[] = [];
    const statuses: string[] = [];
    let s = initialPortLifecycle('p1');
    for (const e of BOOT) {
      s = stepPortLifecycle(s, e);
      states.push(portLifecycleState(s));
      statuses.push(portStatusOf(s));
    }
    expect(states).toEqual(['bound', 'wired', 'active']);
    expect(statuses).toEqual(['DOWN', 'DOWN', 'ACTIVE']);
    expect(s.context).toMatchObject({ host: 'hv1', ofport: 7 });
  });

  it('is not made ACTIVE by a confirmation before the interface exists, or for an older interface', () => {
    expect(portLifecycleState(run([{ type: 'BIND', host: 'hv1' }, { type: 'FLOWS_CONFIRMED', host: 'hv1', ofport: 7 }]))).toBe('bound');
    const s = run([{ type: 'BIND', host: 'hv1' }, { type: 'INTERFACE_UP', host: 'hv1', ofport: 8 }, { type: 'FLOWS_CONFIRMED', host: 'hv1', ofport: 7 }]);
    expect(portLifecycleState(s)).toBe('wired');
  });

  it('ignores observations from another host than its binding', () => {
    const s = run([{ type: 'BIND', host: 'hv1' }, { type: 'INTERFACE_UP', host: 'hv2', ofport: 7 }]);
    expect(portLifecycleState(s)).toBe('bound');
    const active = run(BOOT);
    expect(portLifecycleState(stepPortLifecycle(active, { type: 'SWITCH_DOWN', host: 'hv2' }))).toBe('active');
  });

  it('goes DOWN when its switch disconnects, and ACTIVE again once its flows are re-confirmed', () => {
    const down = stepPortLifecycle(run(BOOT), { type: 'SWITCH_DOWN', host: 'hv1' });
    expect(portLifecycleState(down)).toBe('down');
    expect(portStatusOf(down)).toBe('DOWN');
    expect(portStatusOf(stepPortLifecycle(down, { type: 'FLOWS_CONFIRMED', host: 'hv1', ofport: 7 }))).toBe('ACTIVE');
  });

  it('goes DOWN when its interface goes away, and needs a new confirmation for the new interface', () => {
    const down = stepPortLifecycle(run(BOOT), { type: 'INTERFACE_DOWN', host: 'hv1' });
    expect(portLifecycleState(down)).toBe('down');
    expect(down.context.ofport).toBeNull();
    const back = stepPortLifecycle(down, { type: 'INTERFACE_UP', host: 'hv1', ofport: 9 });
    expect(portLifecycleState(back)).toBe('wired');
    expect(portStatusOf(stepPortLifecycle(back, { type: 'FLOWS_CONFIRMED', host: 'hv1', ofport: 9 }))).toBe('ACTIVE');
  });

  it('an interface renumbered while active must be confirmed again', () => {
    const s = stepPortLifecycle(run(BOOT), { type: 'INTERFACE_UP', host: 'hv1', ofport: 12 });
    expect(portLifecycleState(s)).toBe('wired');
  });

  it('rebinding to another host or unbinding leaves ACTIVE', () => {
    const moved = stepPortLifecycle(run(BOOT), { type: 'BIND', host: 'hv2' });
    expect(portLifecycleState(moved)).toBe('bound');
    expect(moved.context).toMatchObject({ host: 'hv2', ofport: null });
    const unbound = stepPortLifecycle(run(BOOT), { type: 'UNBIND' });
    expect(portLifecycleState(unbound)).toBe('created');
  });

  it('ends in deleted from any state and stays there', () => {
    for (const prefix of [[], BOOT.slice(0, 1), BOOT]) {
      const d = run([...prefix, { type: 'DELETE' }]);
      expect(portLifecycleState(d)).toBe('deleted');
      expect(d.status).toBe('done');
      expect(portLifecycleState(run(BOOT, d))).toBe('deleted');
    }
  });

  it('is deterministic: the same events give the same snapshot', () => {
    expect(run(BOOT).value).toEqual(run(BOOT).value);
    expect(run(BOOT).context).toEqual(run(BOOT).context);
  });
});
