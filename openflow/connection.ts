// One OpenFlow 1.3 switch connection: handshake, echo keepalive, xid-correlated requests, events, paced writes.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { Framer } from './framer.ts';
import { decodeMessage, encodeMessage } from './messages/codec.ts';
import type { ControllerRole, ErrorMsg, FeaturesReply, MultipartReplyBody, MultipartRequestBody, OfpMessage, RoleReply } from './messages/types.ts';
import { badRequest } from './transport/badFrame.ts';
import { runBundle, type BundleOptions } from './transport/bundle.ts';
import * as C from './transport/constants.ts';
import {
  ConnectionClosedError,
  HandshakeError,
  MessageEncodeError,
  OpenFlowBatchError,
  OpenFlowRequestError,
  type BatchFailure,
  type CloseReason,
} from './transport/errors.ts';
import type { CloseInfo, ConnectionOptions, ConnectionState, ConnectionStats, SwitchConnectionEvents } from './transport/connectionTypes.ts';
import { helloFailed, negotiate, ourHello } from './transport/handshake.ts';
import { classifyFrame } from './transport/inbound.ts';
import { Keepalive } from './transport/keepalive.ts';
import { encodeChunks } from './transport/frameChunks.ts';
import { pickXid, withXid, type Outgoing, type RequestOptions } from './transport/outgoing.ts';
import { PendingTable } from './transport/pending.ts';
import { expectedReplyType, type ReplyFor } from './transport/replies.ts';
import { WriteQueue } from './transport/writeQueue.ts';
import { XidAllocator } from './transport/xids.ts';

export type { CloseInfo, ConnectionOptions, ConnectionState, ConnectionStats, SwitchConnectionEvents } from './transport/connectionTypes.ts';

export class SwitchConnection extends EventEmitter<SwitchConnectionEvents> {
  /** "host:port" of the peer, or "unix" */
  readonly remote: string;
  private stateValue: ConnectionState = 'handshaking';
  private featuresValue: FeaturesReply | undefined;
  private closeInfo: CloseInfo | undefined;
  private helloSeen = false;
  private nextBundleId = 1;
  private readonly counters: ConnectionStats = { framesIn: 0, framesOut: 0, echoRequestsIn: 0, echoRequestsOut: 0 };
  private readonly opts: Required<ConnectionOptions>;
  private readonly framer = new Framer();
  private readonly pending: PendingTable;
  private readonly xids = new XidAllocator((x) => this.pending.has(x));
  private readonly writes: WriteQueue;
  private readonly keepalive: Keepalive;
  private readonly closed: Promise<CloseInfo>;
  private handshake: { resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined;

  private constructor(
    private readonly socket: Socket,
    opts: ConnectionOptions,
  ) {
    super();
    this.opts = {
      echoIntervalMs: opts.echoIntervalMs ?? C.DEFAULT_ECHO_INTERVAL_MS,
      echoTimeoutMs: opts.echoTimeoutMs ?? C.DEFAULT_ECHO_TIMEOUT_MS,
      handshakeTimeoutMs: opts.handshakeTimeoutMs ?? C.DEFAULT_HANDSHAKE_TIMEOUT_MS,
      requestTimeoutMs: opts.requestTimeoutMs ?? C.DEFAULT_REQUEST_TIMEOUT_MS,
      maxQueuedBytes: opts.maxQueuedBytes ?? C.DEFAULT_MAX_QUEUED_BYTES,
      maxReplyBytes: opts.maxReplyBytes ?? C.DEFAULT_MAX_REPLY_BYTES,
    };
    this.pending = new PendingTable(this.opts.maxReplyBytes);
    // OpenFlow is many small request/reply exchanges: Nagle would hold a barrier behind its flow_mods
    socket.setNoDelay(true);
    this.remote = socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : 'unix';
    this.writes = new WriteQueue(socket, this.opts.maxQueuedBytes);
    this.keepalive = new Keepalive({
      intervalMs: this.opts.echoIntervalMs,
      timeoutMs: this.opts.echoTimeoutMs,
      probe: () => {
        this.counters.echoRequestsOut++;
        void this.request({ type: 'echo_request', data: Buffer.alloc(0) }, { timeoutMs: 0 }).catch(() => {});
      },
      onDead: (ms) => this.shutdown('echo_timeout', new Error(`no traffic for ${ms} ms after an echo request`)),
      busy: () => this.writes.bufferedBytes > 0 || this.pending.owesAnswers(),
      busyTimeoutMs: this.opts.requestTimeoutMs,
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve(this.finish())));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.shutdown('peer_closed'));
    socket.on('error', (err) => this.shutdown('socket_error', err));
  }

  /**
   * Runs the switch side of a fresh socket through HELLO and FEATURES. Resolves once the datapath
   * id is known; rejects with HandshakeError (the socket is then closed).
   */
  static accept(socket: Socket, opts: ConnectionOptions = {}): Promise<SwitchConnection> {
    const conn = new SwitchConnection(socket, opts);
    return conn.startHandshake().then(() => conn);
  }

  get state(): ConnectionState {
    return this.stateValue;
  }
  /** The FEATURES reply of the handshake. */
  get features(): FeaturesReply {
    if (!this.featuresValue) throw new HandshakeError('features are known only after the handshake');
    return this.featuresValue;
  }
  get datapathId(): bigint {
    return this.features.datapathId;
  }
  /** Bytes written but not yet taken by the peer (socket buffer plus our queue). */
  get bufferedBytes(): number {
    return this.writes.bufferedBytes;
  }
  /** Frames waiting for the socket to drain. */
  get queuedFrames(): number {
    return this.writes.queuedFrames;
  }
  get stats(): Readonly<ConnectionStats> {
    return { ...this.counters };
  }
  /** Requests still awaiting their replies. */
  get pendingRequests(): number {
    return this.pending.size;
  }

  // ------------------------------------------------------------------------------------------
  // Public operations

  /**
   * Sends without waiting for an answer; resolves (with the xid) once the socket took the bytes,
   * waiting while the peer is not reading. Errors the switch sends later arrive as 'error_message'.
   */
  send(msg: Outgoing): Promise<number> {
    const full = this.assignXid(msg);
    return this.writeMessage(full).then(() => full.xid);
  }

  /**
   * Sends a request and resolves with its reply (multipart replies merged into one). Messages the
   * switch answers only on failure (flow_mod, group_mod, packet_out ...) are followed by a barrier
   * and resolve with nothing. An ERROR for the request rejects with OpenFlowRequestError.
   */
  async request<M extends Outgoing>(msg: M, opts: RequestOptions = {}): Promise<ReplyFor<M['type']>> {
    const replyType = expectedReplyType(msg.type);
    if (!replyType) {
      try {
        await this.apply([msg], opts);
      } catch (e) {
        throw e instanceof OpenFlowBatchError ? e.failures[0].error : e;
      }
      return undefined as ReplyFor<M['type']>;
    }
    const full = this.assignXid(msg);
    const frame = this.encode(full);
    const reply = this.pending.expectReply(full, replyType, opts.timeoutMs ?? this.opts.requestTimeoutMs);
    this.counters.framesOut++;
    this.writes.write(frame).catch((err: Error) => this.pending.cancel(full.xid, err));
    return (await reply) as ReplyFor<M['type']>;
  }

  /**
   * Sends messages in order, then a barrier; resolves when the barrier reply proves all were
   * applied, rejects with OpenFlowBatchError naming each rejected message by index.
   */
  async apply(msgs: readonly Outgoing[], opts: RequestOptions = {}): Promise<void> {
    // the messages are framed with their xids, not copied to carry one (a copy per flow_mod of a bulk bring-up)
    const xids = msgs.map((m) => this.pickXid(m));
    // In chunks: one socket write per frame cost a system call each (our install ran at 0.7 of
    // ovs-ofctl's rate); awaiting each chunk still paces a large batch by the peer's reading.
    const chunks = encodeChunks(msgs, xids, WRITE_CHUNK_BYTES, (i, e) => new MessageEncodeError(msgs[i].type, e));
    const failures: BatchFailure[] = [];
    msgs.forEach((m, index) =>
      this.pending.watchErrors(xids[index], (err) => failures.push({ index, error: new OpenFlowRequestError(m.type, xids[index], err) })),
    );
    try {
      for (const chunk of chunks) {
        this.counters.framesOut += chunk.frames;
        await this.writes.write(chunk.bytes);
      }
      await this.request({ type: 'barrier_request' }, opts);
    } finally {
      for (const xid of xids) this.pending.unwatch(xid);
    }
    if (failures.length > 0) throw new OpenFlowBatchError(failures, msgs.length);
  }

  barrier(opts?: RequestOptions): Promise<void> {
    return this.request({ type: 'barrier_request' }, opts).then(() => undefined);
  }

  /** One multipart request; the reply parts (OFPMPF_REPLY_MORE) merged into one body. */
  async multipart(body: MultipartRequestBody, opts?: RequestOptions): Promise<MultipartReplyBody> {
    const reply = await this.request({ type: 'multipart_request', flags: 0, body }, opts);
    return reply.body;
  }

  /** Role request (spec 7.3.9); a stale generation id rejects with OFPET_ROLE_REQUEST_FAILED. */
  setRole(role: ControllerRole, generationId: bigint, opts?: RequestOptions): Promise<RoleReply> {
    return this.request({ type: 'role_request', role, generationId }, opts);
  }

  /**
   * Applies messages as one ONF bundle (open, add each, barrier, commit). Rejects with
   * OpenFlowBundleError (and the switch's errors by message index) when any part fails; the bundle
   * is then discarded, so nothing in it took effect.
   */
  bundle(msgs: readonly Outgoing[], options: BundleOptions = {}): Promise<void> {
    const bundleId = this.nextBundleId;
    this.nextBundleId = (this.nextBundleId % C.XID_MAX) + 1;
    return runBundle(
      {
        request: (m, o) => this.request(m, o),
        apply: (m, o) => this.apply(m, o),
        allocateXid: () => this.xids.allocate(),
        watchErrors: (xid, onError) => this.pending.watchErrors(xid, onError),
        unwatch: (xid) => this.pending.unwatch(xid),
      },
      bundleId,
      msgs,
      options,
    );
  }

  /** Closes cleanly: pending requests reject, the socket is ended (destroyed after a grace period). */
  close(): Promise<CloseInfo> {
    this.shutdown('local');
    return this.closed;
  }

  /**
   * Closes at once with a TCP reset: what the peer has not read yet is discarded on its side (Linux
   * drops a socket's unread data on RST) instead of being acted on after a clean FIN. For a connection
   * whose unread requests must not take effect late (a lane given up mid-diff).
   */
  abort(): Promise<CloseInfo> {
    this.shutdown('local', undefined, true);
    return this.closed;
  }

  /** Resolves when the socket has closed, with why. */
  whenClosed(): Promise<CloseInfo> {
    return this.closed;
  }

  // ------------------------------------------------------------------------------------------
  // Handshake

  private startHandshake(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.shutdown('handshake_failed', new HandshakeError(`no HELLO/FEATURES within ${this.opts.handshakeTimeoutMs} ms`)),
        this.opts.handshakeTimeoutMs,
      );
      timer.unref();
      this.handshake = { resolve, reject, timer };
      this.writeMessage(ourHello(this.xids.allocate())).catch(() => {});
    });
  }

  private onHello(frame: Buffer): void {
    const decoded = decodeMessage(frame);
    const peerVersion = frame[0];
    if (!decoded.ok || decoded.value.type !== 'hello') {
      if (decoded.ok && decoded.value.type === 'error') return this.onHandshakeError(decoded.value);
      return this.refuse(frame, peerVersion, 'expected HELLO as the first message');
    }
    const result = negotiate(decoded.value);
    if (!result.ok) return this.refuse(frame, peerVersion, result.reason);
    this.helloSeen = true;
    this.request({ type: 'features_request' }, { timeoutMs: this.opts.handshakeTimeoutMs }).then(
      (features) => this.becomeReady(features),
      (err: Error) => this.shutdown('handshake_failed', new HandshakeError(`FEATURES failed: ${err.message}`, { cause: err })),
    );
  }

  private refuse(frame: Buffer, peerVersion: number, reason: string): void {
    const xid = frame.length >= C.OFP_HEADER_LEN ? frame.readUInt32BE(C.HEADER_XID_OFFSET) : 0;
    this.writeRaw(helloFailed(xid, peerVersion, reason));
    this.shutdown('handshake_failed', new HandshakeError(`version negotiation failed: ${reason}`));
  }

  private onHandshakeError(err: ErrorMsg): void {
    this.shutdown('handshake_failed', new HandshakeError(`peer sent ${err.typeName}/${err.codeName} during the handshake: ${err.data.toString('latin1')}`));
  }

  private becomeReady(features: FeaturesReply): void {
    if (this.stateValue !== 'handshaking' || !this.handshake) return;
    this.featuresValue = features;
    this.stateValue = 'ready';
    clearTimeout(this.handshake.timer);
    this.handshake.resolve();
    this.handshake = undefined;
    this.keepalive.start();
  }

  // ------------------------------------------------------------------------------------------
  // Receiving

  private onData(chunk: Buffer): void {
    if (this.stateValue === 'closed') return;
    this.keepalive.received();
    const { frames, error } = this.framer.push(chunk);
    for (const frame of frames) {
      if (this.isClosed()) return;
      this.counters.framesIn++;
      try {
        this.onFrame(frame);
      } catch (e) {
        // a bug here must cost this connection only, never the process
        this.shutdown('protocol_error', e instanceof Error ? e : new Error(String(e)));
      }
    }
    if (error && !this.isClosed()) {
      // the stream is out of sync: say why, then hang up
      this.safeEmit('protocol_error', error);
      this.writeRaw(badRequest(0, C.OFPBRC_BAD_LEN, chunk.subarray(0, C.ERROR_DATA_BYTES)));
      this.shutdown('protocol_error', new Error(`framing lost: ${error.message}`));
    }
  }

  /** A method, not a field read, so TypeScript does not narrow it across calls that close. */
  private isClosed(): boolean {
    return this.stateValue === 'closed';
  }

  private onFrame(frame: Buffer): void {
    if (!this.helloSeen) return this.onHello(frame);
    const inbound = classifyFrame(frame);
    if (inbound.kind === 'message') return this.dispatch(inbound.msg, frame.length);
    this.safeEmit('protocol_error', inbound.error);
    if (this.pending.deliverUndecodable(inbound.xid, inbound.typeNumber, inbound.error)) return;
    // queued like any reply, so a peer that floods garbage and never reads stays bounded
    if (inbound.answer) this.writeMessage(inbound.answer).catch(() => {});
  }

  private dispatch(msg: OfpMessage, frameBytes: number): void {
    if (msg.type === 'echo_request') {
      this.counters.echoRequestsIn++;
      this.writeMessage({ type: 'echo_reply', xid: msg.xid, data: msg.data }).catch(() => {});
      return;
    }
    if (this.pending.deliver(msg, frameBytes)) return;
    switch (msg.type) {
      case 'error':
        if (this.stateValue === 'handshaking') return this.onHandshakeError(msg);
        return this.safeEmit('error_message', msg);
      case 'port_status':
        return this.safeEmit('port_status', msg);
      case 'packet_in':
        return this.safeEmit('packet_in', msg);
      case 'flow_removed':
        return this.safeEmit('flow_removed', msg);
      default:
        return this.safeEmit('message', msg);
    }
  }

  /** Listeners are user code: one that throws must not break the read loop or the process. */
  private safeEmit<K extends keyof SwitchConnectionEvents>(event: K, ...args: SwitchConnectionEvents[K]): void {
    // each listener on its own, so one that throws neither stops the others nor escapes
    for (const fn of this.rawListeners(event) as ((...a: unknown[]) => void)[]) {
      try {
        fn.apply(this, args);
      } catch (e) {
        process.emitWarning(`OpenFlow connection ${this.remote}: '${event}' listener threw: ${e instanceof Error ? e.stack : String(e)}`);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Writing and closing

  private assignXid(msg: Outgoing): OfpMessage {
    return withXid(msg, () => this.xids.allocate(), (x) => this.pending.has(x));
  }

  private pickXid(msg: Outgoing): number {
    return pickXid(msg, () => this.xids.allocate(), (x) => this.pending.has(x));
  }

  private encode(msg: OfpMessage): Buffer {
    try {
      return encodeMessage(msg);
    } catch (e) {
      throw new MessageEncodeError(msg.type, e);
    }
  }

  private writeMessage(msg: OfpMessage): Promise<void> {
    let frame: Buffer;
    try {
      frame = this.encode(msg);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    this.counters.framesOut++;
    return this.writes.write(frame);
  }

  /** Writes past the queue: only for the last words before closing, or tiny protocol answers. */
  private writeRaw(msg: OfpMessage): void {
    if (!this.socket.writable) return;
    try {
      this.socket.write(this.encode(msg));
      this.counters.framesOut++;
    } catch {
      /* last words only: the close that follows carries the real reason */
    }
  }

  private shutdown(reason: CloseReason, error?: Error, reset = false): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.closeInfo = error ? { reason, error } : { reason };
    this.keepalive.stop();
    this.writes.close(reason);
    this.pending.rejectAll(new ConnectionClosedError(reason, error?.message));
    if (this.handshake) {
      clearTimeout(this.handshake.timer);
      this.handshake.reject(error instanceof HandshakeError ? error : new HandshakeError(`connection closed (${reason})${error ? `: ${error.message}` : ''}`, { cause: error }));
      this.handshake = undefined;
    }
    if (reason === 'socket_error') {
      this.socket.destroy();
      return;
    }
    if (reset) {
      // resetAndDestroy needs a TCP handle: a unix or TLS socket is destroyed plainly
      try {
        this.socket.resetAndDestroy();
      } catch {
        this.socket.destroy();
      }
      return;
    }
    this.socket.end();
    const grace = setTimeout(() => this.socket.destroy(), C.CLOSE_GRACE_MS);
    grace.unref();
    this.socket.once('close', () => clearTimeout(grace));
  }

  /** The socket is gone: make sure state says so, then tell listeners once. */
  private finish(): CloseInfo {
    this.shutdown('peer_closed');
    const info = this.closeInfo as CloseInfo;
    this.safeEmit('close', info);
    return info;
  }
}

/** Frames of a batch written per socket write: well under the socket's buffer, big enough to amortise. */
const WRITE_CHUNK_BYTES = 64 * 1024;

