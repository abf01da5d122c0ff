// KurrentDB error and value mapping, against the client's real error classes.
import {
  CancelledError,
  DeadlineExceededError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as KurrentWrongExpectedVersion,
} from '@kurrent/kurrentdb-client';
import { describe, expect, it } from 'vitest';
import { toEventData, toReadPosition, toStreamState } from '../../src/eventStore/kurrentdb/convert.ts';
import { GRPC_UNAVAILABLE, isStreamNotFound, mapKurrentError } from '../../src/eventStore/kurrentdb/errors.ts';
import { InvalidEventError, START, StoreUnavailableError, WrongExpectedVersionError } from '../../src/eventStore/types.ts';
import { newEvent } from './helpers.ts';

/** What @grpc/grpc-js rejects an append with when nothing listens: a plain Error carrying code 14. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

describe('KurrentDB error mapping', () => {
  it('maps a plain gRPC UNAVAILABLE (code 14) error to StoreUnavailableError', () => {
    const cause = grpcError(GRPC_UNAVAILABLE, 'UNAVAILABLE: No connection established');
    const mapped = mapKurrentError(cause, 's', 'any');
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect((mapped as StoreUnavailableError).cause).toBe(cause);
    expect(mapped.message).toMatch(/unreachable/);
  });

  it("maps the client's UnavailableError, DeadlineExceededError and CancelledError to StoreUnavailableError", () => {
    for (const error of [new UnavailableError(), new DeadlineExceededError(), new CancelledError()]) {
      const mapped = mapKurrentError(error);
      expect(mapped).toBeInstanceOf(StoreUnavailableError);
      expect(mapped.message).toMatch(/unreachable/);
    }
  });

  it('maps deadline (4) and cancelled (1) gRPC codes as unreachable too', () => {
    expect(mapKurrentError(grpcError(4, 'DEADLINE_EXCEEDED')).message).toMatch(/unreachable/);
    expect(mapKurrentError(grpcError(1, 'CANCELLED')).message).toMatch(/unreachable/);
  });

  it("maps the client's WrongExpectedVersionError to ours, with the stream's actual revision", () => {
    const conflict = new KurrentWrongExpectedVersion(undefined, { streamName: 's', expected: 2n, current: 5n });
    const mapped = mapKurrentError(conflict, 's', 2n);
    expect(mapped).toBeInstanceOf(WrongExpectedVersionError);
    expect(mapped).toMatchObject({ stream: 's', expected: 2n, actual: 5n });
    const absent = new KurrentWrongExpectedVersion(undefined, { streamName: 's', expected: 'stream_exists', current: 'no_stream' });
    expect(mapKurrentError(absent, 's', 'stream_exists')).toMatchObject({ actual: 'no_stream', expected: 'stream_exists' });
  });

  it('maps anything else to StoreUnavailableError, never throws while mapping', () => {
    for (const odd of [new Error('boom'), 'text', 42, null, undefined, { code: 'x' }]) {
      expect(mapKurrentError(odd)).toBeInstanceOf(StoreUnavailableError);
    }
  });

  it('recognises a missing stream', () => {
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 'nope'))).toBe(true);
    expect(isStreamNotFound(new UnavailableError())).toBe(false);
  });
});

describe('KurrentDB value mapping', () => {
  it('maps expected revisions to stream states', () => {
    expect(toStreamState('no_stream')).toBe('no_stream');
    expect(toStreamState('stream_exists')).toBe('stream_exists');
    expect(toStreamState('any')).toBe('any');
    expect(toStreamState(7n)).toBe(7n);
  });

  it('maps START to the start of $all and a position to a commit/prepare pair', () => {
    expect(toReadPosition(START)).toBe('start');
    expect(toReadPosition(1234n)).toEqual({ commit: 1234n, prepare: 1234n });
  });

  it('stores events as JSON with our metadata, and refuses ids that are not UUIDs', () => {
    const event = newEvent('PortCreated', { id: 'p1' });
    expect(toEventData(event)).toMatchObject({ id: event.id, type: 'PortCreated', contentType: 'application/json', data: event.data, metadata: event.metadata });
    expect(() => toEventData({ ...event, id: 'not-a-uuid' })).toThrow(InvalidEventError);
  });
});
