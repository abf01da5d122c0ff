// The switch session through the pure transition(): handshake, first sync, steady-state diffs, errors and reconnects.
import { describe, expect, it } from 'vitest';
import {
  MAX_SYNC_FAILURES, initialSwitchSession, stepSwitchSession, switchSessionState, type SwitchSessionEvent, type SwitchSessionSnapshot,
} from '../../src/machines/switchSession.ts';

const DPID = '00000000000000a1';
const run = (events: SwitchSessionEvent[], from: SwitchSessionSnapshot = initialSwitchSession()) => events.reduce(stepSwitchSession, from);
const UP: SwitchSessionEvent[] = [{ type: 'HELLO_OK' }, { type: 'FEATURES_REPLY', datapathId: DPID }, { type: 'BARRIER_REPLY' }];

describe('switch session', () => {
  it('goes connecting -> handshaking -> syncing -> inSync and learns the datapath id', () => {
    const seen: string[] = [switchSessionState(initialSwitchSession())];
    let s = initialSwitchSession();
    for (const e of UP) {
      s = stepSwitchSession(s, e);
      seen.push(switchSessionState(s));
    }
    expect(seen).toEqual(['connecting', 'handshaking', 'syncing', 'inSync']);
    expect(s.context).toMatchObject({ datapathId: DPID, syncs: 1, failures: 0 });
  });

  it('is not in sync before the barrier after the bundle', () => {
    expect(switchSessionState(run(UP.slice(0, 2)))).toBe('syncing');
  });

  it('goes back to syncing for each diff and to inSync at its barrier', () => {
    const s = run([...UP, { type: 'CHANGES_SENT' }]);
    expect(switchSessionState(s)).toBe('syncing');
    const t = stepSwitchSession(s, { type: 'BARRIER_REPLY' });
    expect(switchSessionState(t)).toBe('inSync');
    expect(t.context.syncs).toBe(2);
  });

  it('refuses a features reply without a valid datapath id', () => {
    const s = run([{ type: 'HELLO_OK' }, { type: 'FEATURES_REPLY', datapathId: 'nonsense' }]);
    expect(switchSessionState(s)).toBe('disconnected');
    expect(s.context.lastError).toMatch(/datapath/);
  });

  it('resyncs after a switch error and gives up after MAX_SYNC_FAILURES in a row', () => {
    let s = run([...UP, { type: 'SWITCH_ERROR', reason: 'OFPET_BAD_MATCH' }]);
    expect(switchSessionState(s)).toBe('syncing');
    for (let i = 1; i < MAX_SYNC_FAILURES; i++) s = stepSwitchSession(s, { type: 'SWITCH_ERROR', reason: `again ${i}` });
    expect(switchSessionState(s)).toBe('disconnected');
    expect(s.context.failures).toBe(MAX_SYNC_FAILURES);
    expect(s.context.lastError).toBe(`again ${MAX_SYNC_FAILURES - 1}`);
  });

  it('a successful barrier clears the failure count', () => {
    const s = run([...UP, { type: 'SWITCH_ERROR', reason: 'x' }, { type: 'BARRIER_REPLY' }]);
    expect(switchSessionState(s)).toBe('inSync');
    expect(s.context.failures).toBe(0);
  });

  it('disconnects from any state, keeps why, and starts over on the next connection', () => {
    for (let n = 0; n <= UP.length; n++) {
      const s = run([...UP.slice(0, n), { type: 'DISCONNECTED', reason: 'echo timeout' }]);
      expect(switchSessionState(s)).toBe('disconnected');
      expect(s.context.lastError).toBe('echo timeout');
    }
    const again = run([...UP, { type: 'DISCONNECTED', reason: 'x' }, { type: 'CONNECTED' }]);
    expect(switchSessionState(again)).toBe('connecting');
    expect(again.context.syncs).toBe(0);
  });

  it('ignores events that make no sense in a state (a barrier while handshaking)', () => {
    expect(switchSessionState(run([{ type: 'HELLO_OK' }, { type: 'BARRIER_REPLY' }]))).toBe('handshaking');
    expect(switchSessionState(run([{ type: 'HELLO_FAILED', reason: 'version' }]))).toBe('disconnected');
  });
});
