// Bad input never crashes the audit's pure parts: points, event filters, resource keys, field diffs; typed 400s where a caller erred.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeutronError } from '../../src/domain/errors.ts';
import { eventMatcher } from '../../src/audit/eventFilter.ts';
import { fieldChanges } from '../../src/audit/diff.ts';
import { parsePoint } from '../../src/audit/point.ts';
import { resourceKeys } from '../../src/audit/resources.ts';
import { parseSwitchTarget } from '../../src/audit/switchDump.ts';
import type { RecordedEvent } from '../../src/eventStore/types.ts';

const RUNS = 2000;

describe('audit input', () => {
  it('parsePoint: positions, ISO-8601 times, head; anything else is a 400 naming the parameter', () => {
    expect(parsePoint('42')).toEqual({ kind: 'position', position: 42n });
    expect(parsePoint('-1')).toEqual({ kind: 'position', position: -1n });
    expect(parsePoint(undefined)).toEqual({ kind: 'head' });
    expect(parsePoint('2026-11-25T10:42:00Z')).toMatchObject({ kind: 'time', ms: Date.parse('2026-11-25T10:42:00Z') });
    expect(parsePoint('2026-11-25')).toMatchObject({ kind: 'time' });
    for (const bad of ['noon', '1e3', '2026-13-45T99:99Z', '12345678901234567890', ' 1']) {
      expect(() => parsePoint(bad, 'from'), bad).toThrow(/from must be/);
    }
    fc.assert(fc.property(fc.string(), (s) => {
      try {
        parsePoint(s);
      } catch (e) {
        expect(e).toBeInstanceOf(NeutronError);
        expect((e as NeutronError).status).toBe(400);
      }
    }), { numRuns: RUNS });
  });

  it('resourceKeys and eventMatcher never throw on any event shape', () => {
    const match = eventMatcher({ resourceId: 'x', actor: 'a', requestId: 'r', since: '2026-01-01T00:00:00Z', type: 'A,B' });
    fc.assert(fc.property(fc.string(), fc.anything(), fc.anything(), (type, data, metadata) => {
      const e = { type, data, metadata, stream: 's', revision: 0n, position: 1n, id: 'i' } as unknown as RecordedEvent;
      expect(Array.isArray(resourceKeys(e))).toBe(true);
      expect(typeof match(e)).toBe('boolean');
    }), { numRuns: RUNS });
  });

  it('eventMatcher refuses unparsable times with a 400', () => {
    expect(() => eventMatcher({ since: 'last week' })).toThrow(/since must be an ISO-8601 time/);
  });

  it('fieldChanges lists exactly the fields whose JSON differs', () => {
    expect(fieldChanges({ a: 1, b: [1], c: 'x' }, { a: 1, b: [2], d: null })).toEqual([
      { field: 'b', from: [1], to: [2] }, { field: 'c', from: 'x', to: null },
    ]);
    expect(fieldChanges(undefined, { a: 1 })).toEqual([{ field: 'a', from: null, to: 1 }]);
  });

  it('parseSwitchTarget: unix:, tcp:, a bridge name; anything else is a 400', () => {
    expect(parseSwitchTarget('unix:/tmp/x.mgmt')).toEqual({ unix: '/tmp/x.mgmt' });
    expect(parseSwitchTarget('tcp:127.0.0.1:6634')).toEqual({ tcp: { host: '127.0.0.1', port: 6634 } });
    expect(parseSwitchTarget('br-int')).toEqual({ unix: '/var/run/openvswitch/br-int.mgmt' });
    expect(() => parseSwitchTarget('br int; rm -rf')).toThrow(NeutronError);
  });
});
