// The table of requests awaiting replies on one connection, keyed by xid: correlation, multipart reassembly, timeouts.
import type { DecodeError, ErrorMsg, MultipartReplyBody, OfpMessage, OfpMessageType } from '../messages/types.ts';
import { OFPMPF_REPLY_MORE } from './constants.ts';
import { OpenFlowRequestError, ReplyDecodeError, ReplyTooLargeError, RequestTimeoutError, UnexpectedReplyError } from './errors.ts';
import { mergeMultipartBodies, replyMismatch } from './replies.ts';

/** ofp_type numbers of asynchronous switch messages: never replies, whatever their xid (spec 7.4). */
const ASYNC_TYPE_NUMBERS = new Set([10, 11, 12]); // OFPT_PACKET_IN, OFPT_FLOW_REMOVED, OFPT_PORT_STATUS

interface ReplyWaiter {
  kind: 'reply';
  request: OfpMessage;
  replyType: OfpMessageType;
  parts: MultipartReplyBody[];
  /** wire bytes of the parts so far */
  bytes: number;
  resolve: (reply: OfpMessage) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/** Catches ERRORs for a message that has no reply of its own (checked later by a barrier). */
interface ErrorWatch {
  kind: 'watch';
  onError: (err: ErrorMsg) => void;
}

type Entry = ReplyWaiter | ErrorWatch;

export class PendingTable {
  private readonly entries = new Map<number, Entry>();

  /** maxReplyBytes bounds the memory one multipart reply can take while it is reassembled. */
  constructor(private readonly maxReplyBytes = Number.POSITIVE_INFINITY) {}

  has(xid: number): boolean {
    return this.entries.has(xid);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The peer owes an answer: a request with a timeout, or a message watched until its barrier (an echo sent with no timeout does not count). */
  owesAnswers(): boolean {
    for (const e of this.entries.values()) if (e.kind === 'watch' || e.timer) return true;
    return false;
  }

  /** Registers `request` (its xid already set) and resolves with its reply; timeoutMs 0 = no timeout. */
  expectReply(request: OfpMessage, replyType: OfpMessageType, timeoutMs: number): Promise<OfpMessage> {
    return new Promise((resolve, reject) => {
      const waiter: ReplyWaiter = { kind: 'reply', request, replyType, parts: [], bytes: 0, resolve, reject, timer: undefined };
      if (timeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          this.entries.delete(request.xid);
          reject(new RequestTimeoutError(request.type, request.xid, timeoutMs));
        }, timeoutMs);
        waiter.timer.unref();
      }
      this.entries.set(request.xid, waiter);
    });
  }

  /** Routes ERRORs carrying xid to onError until unwatch(xid). */
  watchErrors(xid: number, onError: (err: ErrorMsg) => void): void {
    this.entries.set(xid, { kind: 'watch', onError });
  }

  unwatch(xid: number): void {
    if (this.entries.get(xid)?.kind === 'watch') this.entries.delete(xid);
  }

  /** Rejects one waiting request (e.g. its bytes could not be written). */
  cancel(xid: number, err: Error): void {
    const e = this.entries.get(xid);
    if (e?.kind !== 'reply') return;
    this.settle(xid, e);
    e.reject(err);
  }

  /** Offers a decoded message (frameBytes long on the wire); true when it answered (or failed) a pending request. */
  deliver(msg: OfpMessage, frameBytes = 0): boolean {
    const e = this.entries.get(msg.xid);
    if (!e) return false;
    if (e.kind === 'watch') {
      if (msg.type !== 'error') return false;
      e.onError(msg);
      return true;
    }
    if (msg.type === 'error') {
      this.settle(msg.xid, e);
      e.reject(new OpenFlowRequestError(e.request.type, msg.xid, msg));
      return true;
    }
    // same xid, other type: a switch's own message that happens to reuse the number
    if (msg.type !== e.replyType) return false;
    const mismatch = replyMismatch(e.request, msg);
    if (mismatch) {
      this.settle(msg.xid, e);
      e.reject(new UnexpectedReplyError(e.request.type, msg.xid, mismatch));
      return true;
    }
    if (msg.type === 'multipart_reply') return this.deliverPart(e, msg, frameBytes);
    this.settle(msg.xid, e);
    e.resolve(msg);
    return true;
  }

  private deliverPart(e: ReplyWaiter, msg: Extract<OfpMessage, { type: 'multipart_reply' }>, frameBytes: number): true {
    e.bytes += frameBytes;
    if (e.bytes > this.maxReplyBytes) {
      // later parts with this xid find no entry and surface as unsolicited messages
      this.settle(msg.xid, e);
      e.reject(new ReplyTooLargeError(e.request.type, msg.xid, this.maxReplyBytes));
      return true;
    }
    e.parts.push(msg.body);
    if (msg.flags & OFPMPF_REPLY_MORE) {
      // a long dump is alive as long as parts keep coming
      e.timer?.refresh();
      return true;
    }
    this.settle(msg.xid, e);
    e.resolve({ ...msg, body: mergeMultipartBodies(e.parts) });
    return true;
  }

  /** A frame with this xid and ofp_type number did not decode: fail the request it answers, if any. */
  deliverUndecodable(xid: number, typeNumber: number, error: DecodeError): boolean {
    const e = this.entries.get(xid);
    if (e?.kind !== 'reply' || ASYNC_TYPE_NUMBERS.has(typeNumber)) return false;
    this.settle(xid, e);
    e.reject(new ReplyDecodeError(e.request.type, xid, error));
    return true;
  }

  /** Rejects every waiting request and drops every watch (the connection is gone). */
  rejectAll(err: Error): void {
    const all = [...this.entries];
    this.entries.clear();
    for (const [, e] of all) {
      if (e.kind !== 'reply') continue;
      clearTimeout(e.timer);
      e.reject(err);
    }
  }

  private settle(xid: number, e: ReplyWaiter): void {
    clearTimeout(e.timer);
    this.entries.delete(xid);
  }
}
