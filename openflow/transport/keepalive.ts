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
  /**
   * The peer has work of ours it has not answered yet (bytes it has not read, flow_mods awaiting their
   * barrier, requests awaiting replies). A switch handles a connection's messages in order, so the
   * echo waits behind that work: silence then means busy, not dead, up to busyTimeoutMs.
   */
  busy?: () => boolean;
  /** how long a busy peer may stay silent (the connection's request timeout); default timeoutMs */
  busyTimeoutMs?: number;
}

/**
 * Any received frame proves the peer alive (as OVS's rconn does), so a busy connection never
 * echoes; an idle one echoes once per interval. An unanswered echo means death after timeoutMs,
 * or after busyTimeoutMs of silence while the peer still owes us replies: OVS reads at most 50
 * messages per connection per main-loop turn, and a turn on a switch adding thousands of taps
 * takes seconds, so an echo behind 2000 flow_mods went unanswered for over 10 s.
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
    this.armDeadTimer(this.opts.timeoutMs);
    this.opts.probe();
  }

  private armDeadTimer(ms: number): void {
    this.deadTimer = setTimeout(() => {
      this.deadTimer = undefined;
      const silentMs = Date.now() - this.lastRx;
      const busyLimitMs = this.opts.busyTimeoutMs ?? this.opts.timeoutMs;
      if (silentMs < busyLimitMs && this.opts.busy?.()) return this.armDeadTimer(Math.min(this.opts.timeoutMs, busyLimitMs - silentMs));
      this.stop();
      this.opts.onDead(silentMs);
    }, ms);
    this.deadTimer.unref();
  }
}
