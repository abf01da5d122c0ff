// The persisted-checkpoint encoding: every kind of value a replay state holds comes back exactly; anything else is a typed error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PMap } from '../../src/domain/pmap.ts';
import { decodeState, encodeState, StateCodecError } from '../../src/audit/stateCodec.ts';

describe('stateCodec', () => {
  it('round-trips maps, sets, persistent maps, bigints, undefined, non-finite numbers and objects shaped like its tags', () => {
    const value = {
      m: new Map<unknown, unknown>([['a', 1], [2, new Set(['x', 'y'])]]),
      p: PMap.from<string, unknown>([['k1', { deep: [1, undefined, null] }], ['k2', PMap.from([[1, 'one']])]]),
      big: 2n ** 64n - 1n,
      gone: undefined,
      nums: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5],
      tricky: { $map: 'not a map' },
      order: { z: 1, a: 2 },
    };
    const back = decodeState<typeof value>(encodeState(value));
    expect(back).toEqual(value);
    expect(Object.keys(back)).toEqual(Object.keys(value));
    expect(Object.keys(back.order)).toEqual(['z', 'a']);
    expect('gone' in back).toBe(true);
    expect(back.p).toBeInstanceOf(PMap);
    expect([...back.p.get('k2') as PMap<number, string>]).toEqual([[1, 'one']]);
    expect(back.tricky).toEqual({ $map: 'not a map' });
  });

  it('numbers JSON cannot write keep their value: -0, NaN and the infinities', () => {
    const back = decodeState<number[]>(encodeState([-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0]));
    expect(Object.is(back[0], -0)).toBe(true);
    expect(back.slice(1)).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0]);
    expect(Object.is(back[4], 0)).toBe(true);
  });

  it('a "__proto__" key stays an own key, in both directions', () => {
    const v = JSON.parse('{"a": {"__proto__": {"x": 1}}}') as { a: Record<string, unknown> };
    const back = decodeState<typeof v>(encodeState(v));
    expect(Object.keys(back.a)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(back.a)).toBe(Object.prototype);
    expect(JSON.stringify(back)).toBe(JSON.stringify(v));
  });

  it('any JSON-like value round-trips', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(decodeState(encodeState(v))).toEqual(v);
    }));
  });

  it('a value it cannot represent is a StateCodecError, not a silent loss', () => {
    class Foreign { x = 1; }
    expect(() => encodeState({ a: new Foreign() })).toThrow(StateCodecError);
    expect(() => encodeState({ f: () => 1 })).toThrow(StateCodecError);
  });
});
