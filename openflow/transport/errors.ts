// Typed errors that connection-layer promises reject with; every one carries a `code` to switch on.
import type { DecodeError, ErrorMsg, OfpMessageType } from '../messages/types.ts';

/** Why a connection ended. */
export type CloseReason =
  | 'local' // close() was called (or the server is shutting down)
  | 'peer_closed' // the switch closed or half-closed its end
  | 'echo_timeout' // the switch stayed silent past the echo deadline
  | 'handshake_failed' // version negotiation or FEATURES failed
  | 'protocol_error' // the byte stream lost framing (absurd length) and cannot be resynchronised
  | 'socket_error'; // the socket reported an error (reset, TLS failure, ...)

export type ConnectionErrorCode =
  | 'switch_error'
  | 'closed'
  | 'timeout'
  | 'unexpected_reply'
  | 'bad_reply'
  | 'reply_too_large'
  | 'write_queue_full'
  | 'encode_failed'
  | 'handshake_failed'
  | 'batch_failed'
  | 'bundle_failed';

/** Base class: `code` says which of the subclasses this is. */
export abstract class OpenFlowConnectionError extends Error {
  abstract readonly code: ConnectionErrorCode;
}

/** The switch answered a request with an OpenFlow ERROR carrying the request's xid. */
export class OpenFlowRequestError extends OpenFlowConnectionError {
  readonly code = 'switch_error';
  override readonly name = 'OpenFlowRequestError';
  readonly errType: number;
  readonly errCode: number;
  readonly typeName: string;
  readonly codeName: string;
  readonly experimenter: number | undefined;
  /** usually the first bytes of the rejected request */
  readonly data: Buffer;
  constructor(
    readonly requestType: OfpMessageType,
    readonly xid: number,
    err: ErrorMsg,
  ) {
    super(`switch rejected ${requestType} (xid ${xid}): ${err.typeName}/${err.codeName}`);
    this.errType = err.errType;
    this.errCode = err.errCode;
    this.typeName = err.typeName;
    this.codeName = err.codeName;
    this.experimenter = err.experimenter;
    this.data = err.data;
  }
}

/** The connection closed (or was never usable) before the operation finished. */
export class ConnectionClosedError extends OpenFlowConnectionError {
  readonly code = 'closed';
  override readonly name = 'ConnectionClosedError';
  constructor(
    readonly reason: CloseReason,
    detail?: string,
  ) {
    super(`OpenFlow connection closed (${reason})${detail ? `: ${detail}` : ''}`);
  }
}

export class RequestTimeoutError extends OpenFlowConnectionError {
  readonly code = 'timeout';
  override readonly name = 'RequestTimeoutError';
  constructor(
    readonly requestType: OfpMessageType,
    readonly xid: number,
    readonly timeoutMs: number,
  ) {
    super(`no reply to ${requestType} (xid ${xid}) within ${timeoutMs} ms`);
  }
}

/** A message arrived with the request's xid but of a type (or sub-type) the request cannot have caused. */
export class UnexpectedReplyError extends OpenFlowConnectionError {
  readonly code = 'unexpected_reply';
  override readonly name = 'UnexpectedReplyError';
  constructor(
    readonly requestType: OfpMessageType,
    readonly xid: number,
    detail: string,
  ) {
    super(`unexpected reply to ${requestType} (xid ${xid}): ${detail}`);
  }
}

/** The reply to a request arrived but could not be decoded. */
export class ReplyDecodeError extends OpenFlowConnectionError {
  readonly code = 'bad_reply';
  override readonly name = 'ReplyDecodeError';
  constructor(
    readonly requestType: OfpMessageType,
    readonly xid: number,
    readonly decodeError: DecodeError,
  ) {
    super(`reply to ${requestType} (xid ${xid}) did not decode: ${decodeError.code} at ${decodeError.offset}: ${decodeError.message}`);
  }
}

/** A multipart reply grew past the connection's limit (a switch that never stops sending REPLY_MORE). */
export class ReplyTooLargeError extends OpenFlowConnectionError {
  readonly code = 'reply_too_large';
  override readonly name = 'ReplyTooLargeError';
  constructor(
    readonly requestType: OfpMessageType,
    readonly xid: number,
    readonly limitBytes: number,
  ) {
    super(`reply to ${requestType} (xid ${xid}) exceeded ${limitBytes} bytes`);
  }
}

/** Writes queued for a peer that does not read reached the connection's byte limit. */
export class WriteQueueFullError extends OpenFlowConnectionError {
  readonly code = 'write_queue_full';
  override readonly name = 'WriteQueueFullError';
  constructor(readonly limitBytes: number) {
    super(`write queue full (${limitBytes} bytes waiting for the peer to read); await send() before sending more`);
  }
}

/** encodeMessage refused the message (e.g. a malformed address string). */
export class MessageEncodeError extends OpenFlowConnectionError {
  readonly code = 'encode_failed';
  override readonly name = 'MessageEncodeError';
  constructor(
    readonly messageType: string,
    cause: unknown,
  ) {
    super(`cannot encode ${messageType}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export class HandshakeError extends OpenFlowConnectionError {
  readonly code = 'handshake_failed';
  override readonly name = 'HandshakeError';
}

/** One message of a batch that the switch rejected. */
export interface BatchFailure {
  /** position of the message in the batch given to apply() */
  index: number;
  error: OpenFlowRequestError;
}

/** Some messages of an apply() batch were rejected (the others were applied). */
export class OpenFlowBatchError extends OpenFlowConnectionError {
  readonly code = 'batch_failed';
  override readonly name = 'OpenFlowBatchError';
  constructor(
    readonly failures: readonly BatchFailure[],
    readonly total: number,
  ) {
    super(`${failures.length} of ${total} messages rejected: ${failures.map((f) => `#${f.index} ${f.error.message}`).join('; ')}`);
  }
}

export type BundlePhase = 'open' | 'add' | 'commit';

/** A bundle was not committed; nothing in it was applied (the switch discarded it). */
export class OpenFlowBundleError extends OpenFlowConnectionError {
  readonly code = 'bundle_failed';
  override readonly name = 'OpenFlowBundleError';
  constructor(
    readonly phase: BundlePhase,
    readonly bundleId: number,
    /** inner messages the switch rejected, by their index in the list given to bundle() */
    readonly failures: readonly BatchFailure[],
    cause: Error,
  ) {
    const inner = failures.map((f) => `#${f.index} ${f.error.typeName}/${f.error.codeName}`).join('; ');
    super(`bundle ${bundleId} failed at ${phase}: ${inner || cause.message}`, { cause });
  }
}
