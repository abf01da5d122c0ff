// --openflow-lanes / ESDN_OPENFLOW_LANES: lane listeners on the ports right after the OpenFlow port, validated with the rest.
import { describe, expect, test } from 'vitest';
import { DEFAULT_OPENFLOW_LANES, loadConfig, MAX_OPENFLOW_LANES, SETTINGS } from '../../src/config.ts';

function lanes(flags: Record<string, string>, env: Record<string, string> = {}) {
  const r = loadConfig(flags, env);
  if (!r.ok) throw new Error(r.error.message);
  return r.config.openflowLanes;
}

function error(flags: Record<string, string>, env: Record<string, string> = {}): string {
  const r = loadConfig(flags, env);
  if (r.ok) throw new Error('configuration was accepted');
  return r.error.message;
}

describe('--openflow-lanes', () => {
  test('default: 7 lanes on the seven ports after the OpenFlow port, same host', () => {
    expect(DEFAULT_OPENFLOW_LANES).toBe(7);
    expect(SETTINGS.openflowLanes.default).toBe('7');
    expect(lanes({ openflowListen: '127.0.0.1:7000' })).toEqual([7001, 7002, 7003, 7004, 7005, 7006, 7007].map((port) => ({ host: '127.0.0.1', port })));
  });

  test('flag over environment variable; 0 means no lanes', () => {
    expect(lanes({}, { ESDN_OPENFLOW_LANES: '0' })).toEqual([]);
    expect(lanes({ openflowLanes: '1' }, { ESDN_OPENFLOW_LANES: '7' })).toEqual([{ host: '0.0.0.0', port: 6654 }]);
    expect(lanes({}, { ESDN_OPENFLOW_LANES: '7' })).toHaveLength(7);
  });

  test('an OpenFlow port of 0 (a free one) gives lanes on free ports too', () => {
    expect(lanes({ openflowListen: '127.0.0.1:0', openflowLanes: '2' })).toEqual([{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: 0 }]);
  });

  test.each(['-1', '1.5', 'four', String(MAX_OPENFLOW_LANES + 1), ''])('refuses %j, naming the flag and the variable', (raw) => {
    // an empty variable counts as unset, so the empty case goes through the flag
    expect(error({ openflowLanes: raw })).toContain('--openflow-lanes (ESDN_OPENFLOW_LANES)');
  });

  test('refuses lanes past port 65535', () => {
    expect(error({ openflowListen: '0.0.0.0:65534', openflowLanes: '2' })).toMatch(/--openflow-lanes \(ESDN_OPENFLOW_LANES\): 2 lanes after port 65534/);
    expect(lanes({ openflowListen: '0.0.0.0:65534', openflowLanes: '1' })).toEqual([{ host: '0.0.0.0', port: 65535 }]);
  });
});
