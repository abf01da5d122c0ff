// One reconciler per connected switch: learn its ports, move it to the desired table in one atomic bundle, then keep it there diff by diff.
//
// Driven by the switch-session machine (src/machines/switchSession.ts) through its pure step function:
// syncing on connect (port description -> observations -> dump of esdn's flows -> one bundle ->
// barrier), in sync afterwards, back to syncing while a diff is on the wire. Desired flows are read
// from the projection only after the observations this switch caused are folded, so what is sent is
// always a function of the log. Errors from the switch are logged with the flow's text; the session
// counts them and gives the connection up after MAX_SYNC_FAILURES in a row (the switch reconnects).
import type { SwitchConnection } from '../../openflow/connection.ts';
import { OFPP_MAX } from '../../openflow/constants/ports.ts';
import type { FlowStats, PortDesc, PortStatus } from '../../openflow/messages/types.ts';
import { formatFlowMod } from '../../openflow/text/format.ts';
import { OpenFlowBundleError, RequestTimeoutError, type BatchFailure } from '../../openflow/transport/errors.ts';
import { cookieIdBits, resourceIdBits } from '../../projections/pipeline/cookie.ts';
import { flowBody, type DesiredFlow } from '../../projections/pipeline/flow.ts';
import type { SwitchObservation } from '../../projections/topology/observations.ts';
import {
  initialSwitchSession, stepSwitchSession, switchSessionState, type SwitchSessionEvent, type SwitchSessionSnapshot,
} from '../machines/switchSession.ts';
import type { Logger } from '../observability/logger.ts';
import type { NeutronService } from '../service/neutronService.ts';
import type { LogFeed } from './feed.ts';
import { dirtyDiff, ESDN_FLOW_DUMP, fullDiff, switchKey, type FlowModOut } from './flowDiff.ts';
import { LANE_MIN_MODS, sendSpread } from './lanes.ts';
import type { ObservationLog } from './observationLog.ts';
import { recordStatuses, statusChanges, wiredPorts, type StatusChange } from './portStatus.ts';

export interface ReconcilerDeps {
  feed: LogFeed;
  observations: ObservationLog;
  service: NeutronService;
  log: Logger;
  /** called after every confirmed sync or diff (tests and benchmarks wait on it) */
  onSynced?: (host: string) => void;
  /** the switch's connected lanes (src/controller/lanes.ts); none: every diff goes over `sw` alone */
  lanes?: () => readonly SwitchConnection[];
  /** diffs with at least this many flow_mods go over the lanes too (default LANE_MIN_MODS) */
  laneMinMods?: number;
}

/** The datapath id as 16 lowercase hex digits (the form hosts are registered with). */
export const dpidHex = (dpid: bigint): string => dpid.toString(16).padStart(16, '0');

export class SwitchReconciler {
  private session: SwitchSessionSnapshot = initialSwitchSession();
  /** what the switch holds of esdn's flows, keyed like the desired table; undefined until the first sync */
  private installed: Map<string, DesiredFlow> | undefined;
  private readonly dirty = new Set<string>();
  private busy = false;
  /** a lane failed during the diff on the wire: dump and resync once it is confirmed */
  private resyncAfterDiff = false;
  private closed = false;
  /** ports this reconciler reported ACTIVE, so one that leaves the host can be reported DOWN */
  private readonly active = new Set<string>();
  /** SwitchConnected is in the log for this connection: a later resync (a failed lane, a failed diff) is no connect */
  private connectRecorded = false;
  /** the appends of the last confirmed diff, which run beside the next diff (see confirmBeside) */
  private confirming: Promise<void> = Promise.resolve();
  /** whether `confirming` has not settled yet */
  private confirmPending = false;

  constructor(readonly host: string, readonly sw: SwitchConnection, private readonly deps: ReconcilerDeps) {
    this.step({ type: 'HELLO_OK' });
    this.step({ type: 'FEATURES_REPLY', datapathId: dpidHex(sw.datapathId) });
    sw.on('port_status', (ps) => this.onPortStatus(ps));
    sw.on('error_message', (e) => deps.log.warn({ host, error: e }, 'unsolicited OpenFlow error from switch'));
  }

  get state(): string {
    return switchSessionState(this.session);
  }

  /** A sync or a diff is under way (scheduled, or on the wire awaiting the switch's barrier). */
  get working(): boolean {
    return this.busy;
  }

  /** Whether the switch holds this flow as desired, confirmed by a barrier (floating IP status, issue 5). */
  holds(key: string, flow: DesiredFlow): boolean {
    const f = this.installed?.get(key);
    return f !== undefined && (f === flow || flowBody(f) === flowBody(flow));
  }

  /** Desired flows under these keys may have changed. */
  markDirty(keys: Iterable<string>): void {
    for (const k of keys) this.dirty.add(k);
    this.schedule();
  }

  /** First sync; resolves when the switch holds the desired table (or the attempt failed and was logged). */
  async start(): Promise<void> {
    this.busy = true;
    try {
      await this.fullSync();
    } catch (error) {
      this.fail('initial sync failed', error);
    } finally {
      this.busy = false;
      this.schedule();
    }
  }

  /** The connection closed: stop, and unless esdn itself is stopping, record it and take the ports DOWN. */
  async onClosed(reason: string, recordDown: boolean): Promise<void> {
    this.closed = true;
    this.step({ type: 'DISCONNECTED', reason });
    if (!recordDown) return;
    // a confirmation still being recorded would otherwise mark ports ACTIVE after they were taken DOWN
    await this.confirming;
    const at = new Date().toISOString();
    try {
      await this.deps.observations.append(this.host, [{ type: 'SwitchDisconnected', data: { host: this.host, at } }]);
      const view = this.deps.feed.projection.view;
      const ports = [...(view.portsByHost.get(this.host) ?? []), ...this.active].map((id): [string, boolean] => [id, false]);
      await recordStatuses(this.deps.service, statusChanges(this.deps.service, ports), (e) => this.deps.log.warn({ err: e }, 'port status'));
    } catch (error) {
      this.deps.log.warn({ host: this.host, err: error }, 'could not record a switch disconnect');
    }
  }

  private step(event: SwitchSessionEvent): void {
    this.session = stepSwitchSession(this.session, event);
  }

  private schedule(): void {
    if (this.busy || this.closed || this.installed === undefined || this.dirty.size === 0) return;
    this.busy = true;
    setImmediate(() => void this.flushLoop());
  }

  private async flushLoop(): Promise<void> {
    try {
      while (!this.closed && this.dirty.size > 0) {
        if (this.state === 'syncing' && this.session.context.failures > 0) await this.fullSync();
        else await this.flush();
      }
    } catch (error) {
      this.fail('diff failed', error);
    } finally {
      this.busy = false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Full sync on (re)connect

  private async fullSync(): Promise<void> {
    // the statuses of a diff confirmed before come first: the resync's own follow them
    await this.confirming;
    const desc = await this.sw.multipart({ kind: 'port_desc' });
    if (desc.kind !== 'port_desc') throw new Error(`port_desc request answered with ${desc.kind}`);
    const at = new Date().toISOString();
    // once per connection: the first sync records it (again if that sync failed before its append)
    const connect = !this.connectRecorded;
    const obs: SwitchObservation[] = connect ? [{ type: 'SwitchConnected', data: { host: this.host, datapathId: dpidHex(this.sw.datapathId), at } }] : [];
    obs.push(...this.portDifferences(desc.ports, at));
    if (obs.length > 0) await this.deps.feed.until(await this.deps.observations.append(this.host, obs));
    if (connect) this.connectRecorded = true;
    const dump = await this.sw.multipart(ESDN_FLOW_DUMP);
    if (dump.kind !== 'flow') throw new Error(`flow dump answered with ${dump.kind}`);
    // one synchronous snapshot: everything that changes after it is in `dirty`
    const desired = new Map(this.deps.feed.projection.desired(this.host));
    this.dirty.clear();
    const wired = wiredPorts(this.deps.feed.projection.view, this.host);
    const diff = fullDiff(dump.flows as FlowStats[], desired.values());
    this.step({ type: 'CHANGES_SENT' });
    await this.sendResync(diff.mods);
    await this.patiently(() => this.sw.barrier(), 0);
    this.installed = desired;
    this.step({ type: 'BARRIER_REPLY' });
    // on a reconnect, flows that had to be replaced are worth seeing (the switch lost or altered them)
    const replaced = dump.flows.length > 0 ? diff.mods.slice(0, LOGGED_CHANGES).map((m) => formatFlowMod({ ...m, xid: 0 })) : [];
    this.deps.log.info({ host: this.host, adds: diff.adds, deletes: diff.deletes, unchanged: diff.unchanged, changed: replaced }, 'switch in sync');
    await this.confirm(wired, true);
    if (this.resyncAfterDiff) await this.resyncAfterLaneFailure();
  }

  /**
   * A resync's changes. A switch that kept its flows gets a small diff: one atomic bundle. A big one (a
   * first connect, a switch that lost its flows, the backlog a resync after a failed lane takes over)
   * would be several bundles anyway (MAX_MODS_PER_BARRIER), so it goes as a big steady-state diff does,
   * over the lanes too: 48k flow_mods on the main connection alone took 57-101 s at 5000 taps.
   */
  private async sendResync(mods: FlowModOut[]): Promise<void> {
    if (mods.length <= MAX_MODS_PER_BARRIER) {
      if (mods.length > 0) await this.patiently(() => this.sendBundle(mods), mods.length);
      return;
    }
    const rejected = new Set<number>();
    await this.sendDiff(mods, mods.map(switchKey), rejected);
    if (rejected.size > 0) this.step({ type: 'SWITCH_ERROR', reason: `${rejected.size} flow_mods rejected` });
  }

  private async resyncAfterLaneFailure(): Promise<void> {
    this.resyncAfterDiff = false;
    this.deps.log.warn({ host: this.host }, 'a lane failed mid-diff: checking the whole flow table');
    await this.fullSync();
  }

  /** Observations that bring the log's view of this switch's ports in line with its port description. */
  private portDifferences(ports: readonly PortDesc[], at: string): SwitchObservation[] {
    const known = this.deps.feed.projection.view.switches.get(this.host)?.ports ?? new Map<string, number>();
    const seen = new Set<string>();
    const out: SwitchObservation[] = [];
    for (const p of ports) {
      if (p.portNo > OFPP_MAX) continue; // LOCAL and other reserved ports are not interfaces
      seen.add(p.name);
      if (known.get(p.name) !== p.portNo) out.push({ type: 'SwitchPortObserved', data: { host: this.host, name: p.name, ofport: p.portNo, at } });
    }
    for (const name of known.keys()) if (!seen.has(name)) out.push({ type: 'SwitchPortRemoved', data: { host: this.host, name, at } });
    return out;
  }

  /** One atomic bundle; flows the switch rejects are logged and left out of a second attempt. */
  private async sendBundle(mods: FlowModOut[]): Promise<void> {
    try {
      await this.sw.bundle(mods);
    } catch (error) {
      if (!(error instanceof OpenFlowBundleError) || error.failures.length === 0) throw error;
      this.logRejected(mods, error.failures);
      const bad = new Set(error.failures.map((f) => f.index));
      this.step({ type: 'SWITCH_ERROR', reason: error.message });
      await this.sw.bundle(mods.filter((_, i) => !bad.has(i)));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Steady state

  private async flush(): Promise<void> {
    const installed = this.installed;
    if (!installed) return;
    const desired = this.deps.feed.projection.desired(this.host);
    const keys = [...this.dirty];
    this.dirty.clear();
    const { mods, keys: modKeys } = dirtyDiff(keys, desired, installed);
    const sent = modKeys.map((k) => desired.get(k));
    const rejected = new Set<number>();
    this.step({ type: 'CHANGES_SENT' });
    const sentAt = performance.now();
    const sending = this.sendDiff(mods, modKeys, rejected);
    // While the switch works on the diff (ms; seconds with 5000 taps on a busy userspace switch), the
    // status check's O(ports on the host) part runs, on the view the desired flows were read from:
    // nothing folds before sendDiff's first await. After the barrier it delayed ACTIVE by ~10 ms at
    // 5000 ports (bench/oneMorePort.bench.ts).
    const wired = wiredPorts(this.deps.feed.projection.view, this.host);
    // a plan made while the last diff's statuses are still being recorded would name its ports again
    const plannedAhead = !this.confirmPending;
    let planned = plannedAhead ? this.statusPlan(wired) : undefined;
    const lanesUsed = await sending;
    // how long the switch took to confirm a diff (benchmarks read it: where bring-up time goes)
    this.deps.log.debug({ host: this.host, mods: mods.length, lanes: lanesUsed, barrierMs: Math.round(performance.now() - sentAt) }, 'diff confirmed');
    modKeys.forEach((k, i) => {
      if (rejected.has(i)) return;
      const f = sent[i];
      if (f) installed.set(k, f);
      else installed.delete(k);
    });
    if (rejected.size > 0) {
      this.step({ type: 'SWITCH_ERROR', reason: `${rejected.size} flow_mods rejected` });
      // a port whose own flow was rejected is not wired
      for (const i of rejected) for (const [id] of wired) if (mods[i].cookie !== 0n && cookieNamesPort(mods[i].cookie, id)) wired.delete(id);
      planned = undefined; // planned again from the narrowed `wired` when recorded
    } else {
      this.step({ type: 'BARRIER_REPLY' });
    }
    this.confirmBeside(wired, planned);
    if (this.resyncAfterDiff) await this.resyncAfterLaneFailure();
  }

  /**
   * Records what a diff confirmed (PortWired, ACTIVE) while the next diff is already computed and sent:
   * during a bring-up the next ports' flows were waiting for the switch while these appends became
   * durable (~30 ms a diff at 1000 ports, BENCHMARKS.md). Confirmations stay in order, each after the
   * one before; a failed one fails the session as a failed diff did (the switch is resynced).
   */
  private confirmBeside(wired: Map<string, number>, planned: StatusChange[] | undefined): void {
    const previous = this.confirming;
    this.confirmPending = true;
    const mine: Promise<void> = previous
      .then(() => this.confirm(wired, false, planned ?? this.statusPlan(wired)))
      .catch((error: unknown) => this.fail('recording a confirmed diff failed', error))
      .finally(() => {
        if (this.confirming === mine) this.confirmPending = false;
      });
    this.confirming = mine;
  }

  /**
   * Sends a diff with one barrier per slice (MAX_MODS_PER_BARRIER): the switch answers while it works
   * through a big one. A big diff goes over the switch's lanes too, split by flow key (./lanes.ts).
   * Resolves with how many lanes it used.
   */
  private async sendDiff(mods: FlowModOut[], keys: readonly string[], rejected: Set<number>): Promise<number> {
    if (mods.length === 0) {
      await this.patiently(() => this.sw.barrier(), 0);
      return 0;
    }
    const lanes = mods.length >= (this.deps.laneMinMods ?? LANE_MIN_MODS) ? (this.deps.lanes?.() ?? []) : [];
    await sendSpread(this.sw, lanes, mods, keys, rejected, MAX_MODS_PER_BARRIER, {
      sendSlice: (conn, slice) => this.patiently(() => conn.apply(slice), slice.length, conn),
      onRejected: (slice, failures) => this.logRejected(slice, failures),
      onLaneFailed: (lane, rest, error) => {
        this.deps.log.warn({ host: this.host, lane, mods: rest, err: (error as Error).message },
          'OpenFlow lane failed mid-diff: its share goes over the main connection');
        // A lane given up while the switch may still hold unread flow_mods of it must not apply them
        // after a later diff touched the same flows: reset it (the switch drops what it has not read)
        // and check the whole table once this diff is confirmed.
        void lanes[lane].abort();
        this.resyncAfterDiff = true;
      },
    });
    return lanes.length;
  }

  /**
   * One barrier-confirmed step (a diff slice, a bundle of a resync, a barrier), sent again when its
   * reply times out on a live connection: ovs-vswitchd busy for a minute (reconfiguring 5000 taps) is
   * slow, not gone, and a full resync (dump + rebuild of every flow) would only add to its load.
   * Sending the same slice again is safe: an add replaces an identical flow, a delete_strict of an
   * absent flow does nothing, and the switch works in order, so the second reply covers both copies
   * and reports the slice's rejected flow_mods again (the first copy's errors arrive with no one
   * waiting; a bundle that timed out is either committed late or discarded by the switch). After
   * MAX_BARRIER_ATTEMPTS, or any other failure, the error goes up and the session resyncs as before.
   */
  private async patiently(step: () => Promise<void>, mods: number, conn: SwitchConnection = this.sw): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        const live = !this.closed && conn.state !== 'closed';
        if (!timedOut(error) || !live || attempt >= MAX_BARRIER_ATTEMPTS) throw error;
        this.deps.log.warn({ host: this.host, attempt, mods, err: (error as Error).message }, 'barrier timed out, switch busy: sending the slice again');
      }
    }
  }

  /** The port statuses that `wired` changes: every port of the host, and those this reconciler made ACTIVE. */
  private statusPlan(wired: Map<string, number>): StatusChange[] {
    const view = this.deps.feed.projection.view;
    const candidates = new Map<string, boolean>();
    for (const id of view.portsByHost.get(this.host) ?? []) candidates.set(id, wired.has(id));
    for (const id of this.active) if (!candidates.has(id)) candidates.set(id, false);
    return statusChanges(this.deps.service, candidates);
  }

  /**
   * After a barrier: PortWired for newly wired ports, switch in sync after a full sync, port statuses
   * (`changes` may be planned before the barrier: recording a status a port already has is a no-op).
   */
  private async confirm(wired: Map<string, number>, full: boolean, changes = this.statusPlan(wired)): Promise<void> {
    const at = new Date().toISOString();
    const obs: SwitchObservation[] = full ? [{ type: 'SwitchInSync', data: { host: this.host, at } }] : [];
    for (const c of changes) {
      if (c.status === 'ACTIVE') {
        obs.push({ type: 'PortWired', data: { id: c.id, host: this.host, ofport: wired.get(c.id) ?? 0, at } });
        this.active.add(c.id);
      } else {
        this.active.delete(c.id);
      }
    }
    // both are appends to the log: one group commit instead of two in a row
    await Promise.all([
      obs.length > 0 ? this.deps.observations.append(this.host, obs) : undefined,
      recordStatuses(this.deps.service, changes, (e) => this.deps.log.warn({ host: this.host, err: e }, 'could not record a port status')),
    ]);
    this.deps.onSynced?.(this.host);
  }

  private onPortStatus(ps: PortStatus): void {
    const { name, portNo } = ps.desc;
    if (portNo > OFPP_MAX) return;
    const at = new Date().toISOString();
    const obs: SwitchObservation = ps.reason === 'delete'
      ? { type: 'SwitchPortRemoved', data: { host: this.host, name, at } }
      : { type: 'SwitchPortObserved', data: { host: this.host, name, ofport: portNo, at } };
    const known = this.deps.feed.projection.view.switches.get(this.host)?.ports.get(name);
    if (obs.type === 'SwitchPortObserved' && known === portNo) return;
    if (obs.type === 'SwitchPortRemoved' && known === undefined) return;
    this.deps.observations.append(this.host, [obs]).catch((e: unknown) => this.deps.log.warn({ host: this.host, err: e }, 'could not record a port status'));
  }

  private logRejected(mods: readonly FlowModOut[], failures: readonly BatchFailure[]): void {
    for (const f of failures) {
      const mod = mods[f.index];
      this.deps.log.error({ host: this.host, error: f.error.message, flow: mod ? formatFlowMod({ ...mod, xid: 0 }) : '?' }, 'switch rejected a flow');
    }
  }

  private fail(what: string, error: unknown): void {
    if (this.closed) return;
    const reason = error instanceof Error ? error.message : String(error);
    this.step({ type: 'SWITCH_ERROR', reason });
    this.deps.log.error({ host: this.host, err: error, state: this.state }, what);
    if (this.state === 'disconnected') void this.sw.close();
    else if (this.state === 'syncing') setTimeout(() => void this.retry(), RETRY_DELAY_MS).unref();
  }

  private async retry(): Promise<void> {
    if (this.closed || this.busy) return;
    await this.start();
  }
}

/**
 * Flow_mods sent before waiting for a barrier (or per bundle). ovs-vswitchd reads at most 50 OpenFlow
 * messages per main-loop turn, and a turn of the userspace datapath with 5000 taps took ~75 ms on this
 * machine under load: 65k flow_mods in one go kept the switch silent for over a minute, so esdn's
 * echo keepalive (any frame counts, none comes back before the barrier) dropped the connection and
 * every resync started over. A barrier per slice keeps replies coming every few seconds at worst.
 */
const MAX_MODS_PER_BARRIER = 2_000;

/**
 * Times one slice (of a diff, or a resync's bundle) is sent before its reply timeout fails the sync
 * (and the switch is resynced). With the controller's 60 s request timeout, a switch may stay busy
 * for 3 minutes per slice.
 */
export const MAX_BARRIER_ATTEMPTS = 3;

/** How many changed flows a resync names in its log line. */
const LOGGED_CHANGES = 5;

/** Wait before a failed sync is tried again (the switch may be briefly overloaded). */
const RETRY_DELAY_MS = 500;

/** A reply that did not come in time: a request's, or one step of a bundle (which reports it as its cause). */
function timedOut(error: unknown): boolean {
  if (error instanceof RequestTimeoutError) return true;
  return error instanceof OpenFlowBundleError && error.failures.length === 0 && error.cause instanceof RequestTimeoutError;
}

/** Whether a cookie's id field names this port. */
function cookieNamesPort(cookie: bigint, portId: string): boolean {
  return cookieIdBits(cookie) === resourceIdBits(portId);
}
