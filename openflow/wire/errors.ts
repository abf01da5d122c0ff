// Internal decode failure carried by throw inside the codec and turned into a DecodeResult at the public edge.
import type { DecodeError, DecodeErrorCode, DecodeResult } from '../messages/types.ts';

/** Thrown only inside the codec; every public decode entry point catches it. */
export class DecodeFailure extends Error {
  constructor(
    readonly code: DecodeErrorCode,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }

  toError(): DecodeError {
    return { code: this.code, message: this.message, offset: this.offset };
  }
}

/** Thrown by encoders when a value cannot be put on the wire (e.g. a malformed address string). */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}

/** Runs a decoder and converts any internal failure (or unexpected exception) to a typed error. */
export function guardDecode<T>(run: () => T): DecodeResult<T> {
  try {
    return { ok: true, value: run() };
  } catch (e) {
    if (e instanceof DecodeFailure) return { ok: false, error: e.toError() };
    // a bug in a decoder must still not escape as an exception to the caller
    return { ok: false, error: { code: 'bad_value', message: `decoder failure: ${String(e)}`, offset: 0 } };
  }
}
