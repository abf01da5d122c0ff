// Echo keepalive for one connection: probe after an idle interval, give up when the probe goes unanswered.

export interface KeepaliveOptions {
  /** send an echo after this long without receiving anything (0 = never) */
  intervalMs: number;
  /** drop the peer when nothing arrives this long after the echo */
  timeoutMs: number;
  /** sends one echo request; its reply (or any other traffic) counts as life */
  probe: () => void;
  /** the peer is considered dead */
  onDead: (silentMs: number) => void;
}

/**
 * Any received frame proves the peer alive (as OVS's rconn does), so a busy connection never
 * echoes; an idle one echoes once per interval.
 */
export class Keepalive {
  private idleTimer: NodeJS.Timeout | undefined;
  private deadTimer: NodeJS.Timeout | undefined;
  private lastRx = Date.now();

  constructor(private readonly opts: KeepaliveOptions) {}

  start(): void {
    if (this.opts.intervalMs <= 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => this.onIdle(), this.opts.intervalMs);
    this.idleTimer.unref();
  }

  /** Call on every received frame. */
  received(): void {
    this.lastRx = Date.now();
    if (this.deadTimer) {
      clearTimeout(this.deadTimer);
      this.deadTimer = undefined;
    }
    // refresh() also re-arms the idle timer after it has fired
    this.idleTimer?.refresh();
  }

  stop(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.deadTimer);
    this.idleTimer = undefined;
    this.deadTimer = undefined;
  }

  private onIdle(): void {
    if (this.deadTimer) return;
    this.deadTimer = setTimeout(() => {
      this.stop();
      this.opts.onDead(Date.now() - this.lastRx);
    }, this.opts.timeoutMs);
    this.deadTimer.unref();
    this.opts.probe();
  }
}
