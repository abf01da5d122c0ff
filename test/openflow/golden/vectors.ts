// Loads the committed golden vectors and turns their JSON conventions ("123n" = bigint, {$hex} = Buffer) back into values.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Expect, Span } from './annotate.ts';

export const VECTORS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'vectors');

export interface Vector {
  id: string;
  /** to_switch: what ovs-ofctl sends; from_switch: what a real ovs-vswitchd answers */
  direction: 'to_switch' | 'from_switch';
  /** the command that produced the frame */
  command: string;
  /** flow/group/meter text given to ovs-ofctl (requests only) */
  text?: string;
  hex: string;
  /** `ovs-ofctl ofp-print HEX` of the frame */
  ofpPrint: string;
  /** `dump-flows --no-stats` of a real switch holding only this flow (add-flow vectors) */
  switchDump?: string;
  /** the real switch's refusal, when it refused the flow */
  switchError?: string;
  /** what decodeMessage must return, as a subset */
  expect: Expect;
  spans: Span[];
}

/** Reverses the JSON conventions of `expect`: "123n" -> 123n, {$hex: "..."} -> Buffer. */
export function revive(v: unknown): unknown {
  if (typeof v === 'string' && /^\d+n$/.test(v)) return BigInt(v.slice(0, -1));
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$hex === 'string' && Object.keys(o).length === 1) return Buffer.from(o.$hex, 'hex');
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}

export function loadVectors(file: 'requests.json' | 'replies.json'): Vector[] {
  return JSON.parse(readFileSync(join(VECTORS_DIR, file), 'utf8')) as Vector[];
}
