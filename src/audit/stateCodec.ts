// Turns a replay state (plain records, arrays, Map, Set, PMap, bigint) into JSON text and back, exactly, for persisted checkpoints.
//
// Generic on purpose, like cloneView: the view and the world gain fields and indexes without this
// file knowing. A value it cannot represent (a class instance, a function) throws on encode, so a
// new kind of state fails the checkpoint tests instead of being silently dropped.
import { PMap } from '../domain/pmap.ts';

/** Tags of the wrapped values; a plain object whose only key is one of these is itself wrapped in OBJ. */
const MAP = '$map';
const SET = '$set';
const PMAP = '$pmap';
const BIG = '$big';
const UNDEF = '$undef';
const NUM = '$num';
const OBJ = '$obj';
const TAGS = new Set([MAP, SET, PMAP, BIG, UNDEF, NUM, OBJ]);

export class StateCodecError extends Error {
  override readonly name = 'StateCodecError';
}

/** Sets an own property, also for the key "__proto__" (a plain assignment would change the prototype instead). */
function setOwn(o: Record<string, unknown>, k: string, value: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });
  else o[k] = value;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function encodeValue(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      // NaN and the infinities have no JSON form, and JSON writes -0 as 0
      if (Object.is(v, -0)) return { [NUM]: '-0' };
      return Number.isFinite(v) ? v : { [NUM]: String(v) };
    case 'bigint':
      return { [BIG]: v.toString() };
    case 'undefined':
      return { [UNDEF]: 1 };
    case 'object': {
      if (v === null) return null;
      if (Array.isArray(v)) return v.map(encodeValue);
      if (v instanceof Map) return { [MAP]: [...v].map(([k, x]) => [encodeValue(k), encodeValue(x)]) };
      if (v instanceof Set) return { [SET]: [...v].map(encodeValue) };
      if (v instanceof PMap) return { [PMAP]: [...v].map(([k, x]) => [k, encodeValue(x)]) };
      if (!isPlain(v)) throw new StateCodecError(`cannot persist a ${v.constructor?.name ?? 'foreign'} object`);
      const o: Record<string, unknown> = {};
      const keys = Object.keys(v);
      for (const k of keys) setOwn(o, k, encodeValue((v as Record<string, unknown>)[k]));
      return keys.length === 1 && TAGS.has(keys[0]) ? { [OBJ]: o } : o;
    }
    default:
      throw new StateCodecError(`cannot persist a ${typeof v}`);
  }
}

function decodeValue(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(decodeValue);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && TAGS.has(keys[0])) {
    const x = o[keys[0]];
    switch (keys[0]) {
      case MAP: return new Map((x as [unknown, unknown][]).map(([k, y]) => [decodeValue(k), decodeValue(y)]));
      case SET: return new Set((x as unknown[]).map(decodeValue));
      case PMAP: return PMap.from((x as [string | number, unknown][]).map(([k, y]) => [k, decodeValue(y)] as const));
      case BIG: return BigInt(x as string);
      case UNDEF: return undefined;
      case NUM: return Number(x);
      case OBJ: return decodeObject(x as Record<string, unknown>);
    }
  }
  return decodeObject(o);
}

function decodeObject(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) setOwn(out, k, decodeValue(o[k]));
  return out;
}

export function encodeState(v: unknown): string {
  return JSON.stringify(encodeValue(v));
}

/** Throws StateCodecError (or SyntaxError) on text that is not an encoded state. */
export function decodeState<T>(text: string): T {
  return decodeValue(JSON.parse(text)) as T;
}
