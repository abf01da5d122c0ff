// The shape callers hand to send/request/apply: any message, with the xid optional (the connection allocates one).
import type { MessageOf, OfpMessage, OfpMessageType } from '../messages/types.ts';

/** A message without its xid (or with one the caller insists on, e.g. an echo reply). */
export type Outgoing = { [K in OfpMessageType]: Omit<MessageOf<K>, 'xid'> & { xid?: number } }[OfpMessageType];

/** Per-call options of request-like operations. */
export interface RequestOptions {
  /** reject with RequestTimeoutError when no reply arrives in time (0 = wait forever) */
  timeoutMs?: number;
}

/**
 * The xid an outgoing message goes with: the caller's if set and not awaiting a reply of its own (two
 * requests sharing an xid could not be told apart), else a fresh one.
 */
export function pickXid(msg: Outgoing, allocate: () => number, inUse: (xid: number) => boolean = () => false): number {
  return msg.xid !== undefined && !inUse(msg.xid) ? msg.xid : allocate();
}

/** The outgoing message with its xid (pickXid), as a copy. */
export function withXid(msg: Outgoing, allocate: () => number, inUse: (xid: number) => boolean = () => false): OfpMessage {
  return { ...msg, xid: pickXid(msg, allocate, inUse) } as OfpMessage;
}
