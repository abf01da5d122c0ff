// Maps KurrentDB client failures onto the event log's typed errors.
import { AppendConsistencyViolationError, WrongExpectedVersionError as KurrentWrongExpectedVersion } from '@kurrent/kurrentdb-client';
import { StoreUnavailableError, WrongExpectedVersionError, type ExpectedRevision } from '../types.ts';

/** gRPC status codes (grpc/doc/statuscodes.md) meaning "the server was not reached or did not answer". */
export const GRPC_CANCELLED = 1;
export const GRPC_DEADLINE_EXCEEDED = 4;
export const GRPC_UNAVAILABLE = 14;
const UNREACHABLE_CODES = new Set([GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_UNAVAILABLE]);

/** The client's CommandError `type` values that mean the same (the Rust read path sets no code). */
const UNREACHABLE_TYPES = new Set(['unavailable', 'deadline-exceeded', 'cancelled', 'timeout', 'not-leader']);

interface ClientErrorShape {
  code?: unknown;
  type?: unknown;
  message?: unknown;
}

function shape(error: unknown): ClientErrorShape {
  return error !== null && typeof error === 'object' ? (error as ClientErrorShape) : {};
}

/** True for a failure to reach the server: plain gRPC errors (append path) and CommandErrors alike. */
export function isUnreachable(error: unknown): boolean {
  const { code, type } = shape(error);
  return (typeof code === 'number' && UNREACHABLE_CODES.has(code)) || (typeof type === 'string' && UNREACHABLE_TYPES.has(type));
}

export function isStreamNotFound(error: unknown): boolean {
  return shape(error).type === 'stream-not-found';
}

function actualRevision(error: KurrentWrongExpectedVersion): bigint | 'no_stream' {
  return typeof error.actualState === 'bigint' ? error.actualState : 'no_stream';
}

/**
 * Any failure becomes a typed error: a revision conflict a WrongExpectedVersionError, everything else
 * (unreachable, timed out, refused, unknown) a StoreUnavailableError carrying the original as cause.
 */
export function mapKurrentError(error: unknown, stream?: string, expected?: ExpectedRevision): Error {
  if (error instanceof WrongExpectedVersionError || error instanceof StoreUnavailableError) return error;
  if (error instanceof KurrentWrongExpectedVersion && stream !== undefined && expected !== undefined) {
    return new WrongExpectedVersionError(stream, expected, actualRevision(error));
  }
  const message = String(shape(error).message ?? error);
  if (isUnreachable(error)) return new StoreUnavailableError(`KurrentDB unreachable: ${message}`, error);
  return new StoreUnavailableError(`KurrentDB request failed: ${message}`, error);
}

/** The first violated check of a failed appendRecords, with the stream's actual revision. */
export function consistencyViolation(error: unknown): { streamName: string; actual: bigint | 'no_stream' } | undefined {
  if (!(error instanceof AppendConsistencyViolationError) || error.violations.length === 0) return undefined;
  const { streamName, actualState } = error.violations[0];
  return { streamName, actual: typeof actualState === 'bigint' && actualState >= 0n ? actualState : 'no_stream' };
}
