// Writes frames to a socket in call order, holding callers back while the socket needs draining, with a byte ceiling.
import type { Socket } from 'node:net';
import { ConnectionClosedError, WriteQueueFullError, type CloseReason } from './errors.ts';

interface Queued {
  frame: Buffer;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Frames go straight to the socket until it reports backpressure (write() returned false); after
 * that they wait here, in order, until 'drain'. So the socket buffers at most its high-water mark
 * plus one frame, this queue at most maxQueuedBytes, and a caller that awaits each write is paced
 * by the peer's reading.
 */
export class WriteQueue {
  private readonly queue: Queued[] = [];
  private queuedBytes = 0;
  private closed: ConnectionClosedError | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly maxQueuedBytes: number,
  ) {
    socket.on('drain', () => this.flush());
  }

  /** Resolves when the frame has been handed to the socket. */
  write(frame: Buffer): Promise<void> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.queue.length === 0 && !this.socket.writableNeedDrain) {
      this.socket.write(frame);
      return Promise.resolve();
    }
    if (this.queuedBytes + frame.length > this.maxQueuedBytes) return Promise.reject(new WriteQueueFullError(this.maxQueuedBytes));
    return new Promise((resolve, reject) => {
      this.queue.push({ frame, resolve, reject });
      this.queuedBytes += frame.length;
    });
  }

  /** Bytes waiting here plus bytes the socket holds but has not sent. */
  get bufferedBytes(): number {
    return this.queuedBytes + this.socket.writableLength;
  }

  /** Frames waiting here for the socket to drain. */
  get queuedFrames(): number {
    return this.queue.length;
  }

  /** Rejects every waiting write; later writes reject at once. */
  close(reason: CloseReason): void {
    this.closed ??= new ConnectionClosedError(reason);
    const waiting = this.queue.splice(0);
    this.queuedBytes = 0;
    for (const q of waiting) q.reject(this.closed);
  }

  private flush(): void {
    while (this.queue.length > 0 && !this.closed) {
      const q = this.queue.shift() as Queued;
      this.queuedBytes -= q.frame.length;
      const more = this.socket.write(q.frame);
      q.resolve();
      if (!more) return;
    }
  }
}
