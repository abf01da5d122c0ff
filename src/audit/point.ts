// A point in the log as callers name it: a position, an ISO-8601 time, or nothing (the head).
import { badRequest } from '../domain/errors.ts';
import type { AuditIndex } from './auditIndex.ts';

const POSITION = /^-?\d{1,15}$/;
/** ISO-8601 date, optionally with a time and zone: 2026-11-25, 2026-11-25T10:42:00Z, ...+01:00 */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export type Point = { kind: 'head' } | { kind: 'position'; position: bigint } | { kind: 'time'; ms: number; text: string };

/** Parses `at`/`from`/`to`; throws a 400 NeutronError naming the parameter for anything else. */
export function parsePoint(text: string | undefined, param = 'at'): Point {
  if (text === undefined || text === '' || text === 'head') return { kind: 'head' };
  if (POSITION.test(text)) return { kind: 'position', position: BigInt(text) };
  if (ISO_TIME.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return { kind: 'time', ms, text };
  }
  throw badRequest(`${param} must be a log position (integer) or an ISO-8601 time, got '${text}'`);
}

/** The position a point names: the last event at or before it (START when none is). */
export function resolvePoint(index: AuditIndex, point: Point): bigint {
  switch (point.kind) {
    case 'head':
      return index.headPosition;
    case 'position':
      return index.settle(point.position);
    case 'time':
      return index.positionAtTime(point.ms);
  }
}
