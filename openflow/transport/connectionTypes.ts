// Options, events, state and counters of a switch connection (the types connection.ts implements).
import type { DecodeError, ErrorMsg, FlowRemoved, OfpMessage, PacketIn, PortStatus } from '../messages/types.ts';
import type { CloseReason } from './errors.ts';

export interface ConnectionOptions {
  /** echo after this long without traffic from the switch (0 = never) */
  echoIntervalMs?: number;
  /** drop the switch when it stays silent this long after our echo */
  echoTimeoutMs?: number;
  /** HELLO + FEATURES must complete within this */
  handshakeTimeoutMs?: number;
  /** default for request(), barrier(), multipart() ... (0 = wait forever) */
  requestTimeoutMs?: number;
  /** encoded bytes held for a peer that does not read before send() rejects */
  maxQueuedBytes?: number;
  /** wire bytes of one multipart reply (all parts) before the request rejects with ReplyTooLargeError */
  maxReplyBytes?: number;
}

export interface CloseInfo {
  reason: CloseReason;
  error?: Error;
}

/** Events of a connection. No event is named 'error', so nothing here can throw for want of a listener. */
export interface SwitchConnectionEvents {
  port_status: [PortStatus];
  packet_in: [PacketIn];
  flow_removed: [FlowRemoved];
  /** an OpenFlow ERROR whose xid matches no pending request */
  error_message: [ErrorMsg];
  /** any other message the switch sent on its own (experimenter, hello, late replies, ...) */
  message: [OfpMessage];
  /** a frame that did not decode (answered with ERROR BAD_REQUEST where the spec says so) */
  protocol_error: [DecodeError];
  close: [CloseInfo];
}

export type ConnectionState = 'handshaking' | 'ready' | 'closed';

/** Counters of one connection (for metrics and tests). */
export interface ConnectionStats {
  framesIn: number;
  framesOut: number;
  /** echo requests the switch sent us (each answered) */
  echoRequestsIn: number;
  /** keepalive echo requests we sent */
  echoRequestsOut: number;
}
