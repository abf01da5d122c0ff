// The OpenFlow controller: accepts switches, maps each datapath id to its registered host, and runs one reconciler per switch.
//
//   const controller = new Controller({ store, service, log, listen: [{ tcp: { host, port } }] });
//   await controller.start();      // folds the whole log first, then listens
//   controller.desired('hv1');     // the host's desired flow table
//   await controller.stop();       // closes switches without recording them as disconnected
//
// A switch whose datapath id no host has (yet) stays connected and waits: registering the host
// (POST /v2.0/hosts) starts its reconciler. A second connection with the same datapath id (the
// switch reconnected before the old socket timed out) replaces the first.
//
// Lanes (./lanes.ts): a connection that arrives on a lane listener is never a main session. It gets
// no async messages (OFPT_SET_ASYNC with every mask zero), no DHCP or neighbor handler and no
// reconciler; it is kept by datapath id until its socket closes, and the host's reconciler, whenever
// there is one, sends big diffs over it too. A main reconnect needs no lane to reconnect.
import type { SwitchConnection } from '../../openflow/connection.ts';
import { createOpenFlowServer, type ListenAddress, type ListenSpec, type OpenFlowServer } from '../../openflow/server.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import type { FlowChanges } from '../../projections/flows/incremental.ts';
import type { EventStore, RecordedEvent } from '../eventStore/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { NeutronService } from '../service/neutronService.ts';
import { attachDhcpResponder } from './dhcp/responder.ts';
import { attachNeighborHandler } from './neighbors/handler.ts';
import { OFPP_CONTROLLER, OFP_NO_BUFFER } from '../../openflow/constants/ports.ts';
import { FloatingIpStatusTracker } from './floatingIpStatus.ts';
import { GatewayScheduler } from './gatewayScheduler/scheduler.ts';
import { GatewayAnnouncer } from './gatewayScheduler/announce.ts';
import { LogFeed } from './feed.ts';
import { ObservationLog } from './observationLog.ts';
import { dpidHex, SwitchReconciler } from './reconciler.ts';

/**
 * Keepalive: echo a switch silent this long, drop it when the echo goes unanswered as long again, or,
 * while it still owes replies to flow_mods and requests, when it stays silent for a request timeout
 * (openflow/transport/keepalive.ts): an echo queues behind the slice a connection carries, and
 * ovs-vswitchd adding thousands of taps reads 50 messages per connection per main-loop turn of seconds.
 */
const ECHO_INTERVAL_MS = 5_000;
const ECHO_TIMEOUT_MS = 5_000;
/** A flow dump of 5000 ports takes a while on a busy machine; requests give up after this. */
const REQUEST_TIMEOUT_MS = 60_000;
/** Replies up to this size (a dump of ~100k flows) are reassembled. */
const MAX_REPLY_BYTES = 256 * 1024 * 1024;

export interface ControllerOptions {
  store: EventStore;
  service: NeutronService;
  log: Logger;
  listen: readonly ListenSpec[];
  /** called after every confirmed sync or diff of a host's switch */
  onSynced?: (host: string) => void;
  /** how long a gateway host's switch may stay away before its router gateways move (default 30 s) */
  gatewayFailoverAfterMs?: number;
  /** where lane connections arrive (none: no lanes) */
  lanes?: readonly ListenSpec[];
  /** diffs with at least this many flow_mods use the lanes (default LANE_MIN_MODS; tests set 1) */
  laneMinMods?: number;
}

export class Controller {
  readonly feed: LogFeed;
  private readonly server: OpenFlowServer;
  /** lane listeners: a connection arriving here is a lane, never a main session */
  private readonly laneServer: OpenFlowServer | undefined;
  /** connected lanes by datapath id, whether or not a host has that datapath id (yet) */
  private readonly lanes = new Map<bigint, Set<SwitchConnection>>();
  private readonly observations: ObservationLog;
  /** records which host carries each router gateway (issue 5: SNAT, failover) */
  readonly gateways: GatewayScheduler;
  private readonly reconcilers = new Map<string, SwitchReconciler>();
  /** connected switches whose datapath id names no registered host */
  private readonly waiting = new Set<SwitchConnection>();
  private stopping = false;
  /** floating IP status after barriers (issue 5) */
  private readonly floatingIps: FloatingIpStatusTracker;
  /** external neighbors just recorded, shared by every switch's handler (one observation per broadcast ARP) */
  private readonly neighborsLearned = new Map<string, { at: number; mac?: string }>();
  /** gratuitous ARP for a router's gateway address from its (new) gateway host */
  private readonly gatewayAnnouncer: GatewayAnnouncer;

  constructor(private readonly opts: ControllerOptions) {
    this.observations = new ObservationLog(opts.store, opts.log);
    this.floatingIps = new FloatingIpStatusTracker(opts.service, (e) => opts.log.warn({ err: e }, 'could not record a floating IP status'),
      (host, frame, actions) => void this.connection(host)?.send({ type: 'packet_out', bufferId: OFP_NO_BUFFER, inPort: OFPP_CONTROLLER, actions, data: frame })
        .catch(() => { /* the switch is going away: its floating IPs go DOWN anyway */ }));
    this.gatewayAnnouncer = new GatewayAnnouncer((host, frame, actions) =>
      void this.connection(host)?.send({ type: 'packet_out', bufferId: OFP_NO_BUFFER, inPort: OFPP_CONTROLLER, actions, data: frame })
        .catch(() => { /* the switch is going away: announced again from wherever the gateway goes */ }));
    this.gateways = new GatewayScheduler({
      store: opts.store, log: opts.log, view: () => this.feed.projection.view, folded: (p) => this.feed.until(p),
      connected: (host) => this.reconcilers.has(host), failoverAfterMs: opts.gatewayFailoverAfterMs,
    });
    this.feed = new LogFeed(opts.store, (e, c) => this.onEvents(e, c), (error) => opts.log.error({ err: error }, 'controller: reading the log failed'), opts.log);
    const connection = { echoIntervalMs: ECHO_INTERVAL_MS, echoTimeoutMs: ECHO_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS, maxReplyBytes: MAX_REPLY_BYTES };
    this.server = createOpenFlowServer({ listen: opts.listen, ...connection });
    this.server.on('switch', (sw) => this.onSwitch(sw));
    this.server.on('connection_failed', (f) => opts.log.warn({ remote: f.remote, err: f.error }, 'OpenFlow connection failed'));
    if (opts.lanes && opts.lanes.length > 0) {
      this.laneServer = createOpenFlowServer({ listen: opts.lanes, ...connection });
      this.laneServer.on('switch', (sw) => void this.onLane(sw));
      this.laneServer.on('connection_failed', (f) => opts.log.warn({ remote: f.remote, err: f.error }, 'OpenFlow lane connection failed'));
    }
  }

  /** Folds the log, then listens; resolves with the bound OpenFlow addresses (the main ones first, then the lanes'). */
  async start(): Promise<ListenAddress[]> {
    await this.feed.start();
    this.gateways.start();
    const main = await this.server.listen();
    return [...main, ...(this.laneServer ? await this.laneServer.listen() : [])];
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.gateways.stop();
    await Promise.all([this.server.close(), this.laneServer?.close()]);
    await this.feed.stop();
  }

  /** Connected lanes of a datapath id (tests and benchmarks read how many). */
  lanesOf(datapathId: bigint): SwitchConnection[] {
    return [...(this.lanes.get(datapathId) ?? [])].filter((l) => l.state === 'ready');
  }

  /** The desired flow table of a host (live view: do not mutate). */
  desired(host: string): ReadonlyMap<string, DesiredFlow> {
    return this.feed.projection.desired(host);
  }

  /** The live connection to a host's switch, or undefined when it is not connected. */
  connection(host: string): SwitchConnection | undefined {
    return this.reconcilers.get(host)?.sw;
  }

  /** Whether any switch's sync or diff is under way (the idle compactor waits for none: src/main.ts). */
  get syncing(): boolean {
    for (const r of this.reconcilers.values()) if (r.working) return true;
    return false;
  }

  /** Session state of a host's switch, or undefined when it is not connected. */
  switchState(host: string): string | undefined {
    return this.reconcilers.get(host)?.state;
  }

  private hostOf(datapathId: bigint): string | undefined {
    for (const h of this.feed.projection.view.hosts.values()) {
      if (/^[0-9a-fA-F]{1,16}$/.test(h.datapathId) && BigInt(`0x${h.datapathId}`) === datapathId) return h.name;
    }
    return undefined;
  }

  private onSwitch(sw: SwitchConnection): void {
    const host = this.hostOf(sw.datapathId);
    this.opts.log.info({ datapathId: dpidHex(sw.datapathId), host }, 'switch connected');
    if (host === undefined) {
      this.waiting.add(sw);
      void sw.whenClosed().then(() => this.waiting.delete(sw));
      return;
    }
    this.attach(host, sw);
  }

  private async onLane(lane: SwitchConnection): Promise<void> {
    const dpid = lane.datapathId;
    // A lane asks for no packet-in, port-status or flow-removed message, as master/equal or as slave
    // (OpenFlow 1.3 section 7.3.10). apply() waits for a barrier: whatever async message the switch
    // sent before it took the masks arrives before the reply and finds no handler here.
    try {
      await lane.apply([{ type: 'set_async', packetInMask: [0, 0], portStatusMask: [0, 0], flowRemovedMask: [0, 0] }]);
    } catch (error) {
      this.opts.log.warn({ datapathId: dpidHex(dpid), err: error }, 'OpenFlow lane: set_async failed, closing it');
      void lane.close();
      return;
    }
    // none should come: say so once per lane if the switch ignored the masks
    let warned = false;
    const unexpected = (kind: string) => {
      if (!warned) this.opts.log.warn({ datapathId: dpidHex(dpid), message: kind }, 'OpenFlow lane got an async message');
      warned = true;
    };
    lane.on('packet_in', () => unexpected('packet_in'));
    lane.on('port_status', () => unexpected('port_status'));
    lane.on('flow_removed', () => unexpected('flow_removed'));
    let set = this.lanes.get(dpid);
    if (!set) this.lanes.set(dpid, (set = new Set()));
    set.add(lane);
    this.opts.log.info({ datapathId: dpidHex(dpid), host: this.hostOf(dpid), lanes: set.size }, 'OpenFlow lane connected');
    void lane.whenClosed().then((info) => {
      set.delete(lane);
      if (set.size === 0 && this.lanes.get(dpid) === set) this.lanes.delete(dpid);
      this.opts.log.info({ datapathId: dpidHex(dpid), reason: info.reason }, 'OpenFlow lane disconnected');
    });
  }

  private attach(host: string, sw: SwitchConnection): void {
    const old = this.reconcilers.get(host);
    if (old && old.sw !== sw) void old.sw.close();
    const r = new SwitchReconciler(host, sw, {
      feed: this.feed, observations: this.observations, service: this.opts.service, log: this.opts.log,
      lanes: () => this.lanesOf(sw.datapathId), laneMinMods: this.opts.laneMinMods,
      onSynced: (h) => {
        void this.floatingIps.synced(this.feed.projection.view, h, (k, f) => r.holds(k, f));
        this.gatewayAnnouncer.synced(this.feed.projection.view, h, (k, f) => r.holds(k, f));
        this.opts.onSynced?.(h);
      },
    });
    this.reconcilers.set(host, r);
    this.gateways.switchUp(host);
    // DHCP from the host's VMs (issue 5): answered here from the view, by packet-out to the asking port
    attachDhcpResponder(sw, {
      host: () => host, view: () => this.feed.projection.view,
      onAnswer: (a) => this.opts.log.debug({ host, inPort: a.inPort, dhcp: a.kind === 'reply' ? a.messageType : a.reason }, 'DHCP'),
    });
    // external neighbors (issue 5): ARP from physical networks is recorded, neighbor misses are asked for
    attachNeighborHandler(sw, {
      host: () => host, view: () => this.feed.projection.view, record: (e) => this.observations.append(host, [e]), learned: this.neighborsLearned,
      onDecision: (d) => this.opts.log.debug({ host, neighbor: d.kind, detail: d.kind === 'learn' ? `${d.ip} ${d.mac}` : d.kind === 'ask' ? d.targetIp : d.reason }, 'external neighbor'),
    });
    void sw.whenClosed().then((info) => {
      const current = this.reconcilers.get(host) === r;
      if (current) this.reconcilers.delete(host);
      this.opts.log.info({ host, reason: info.reason }, 'switch disconnected');
      // a replaced connection or our own shutdown is no news about the switch
      void r.onClosed(info.reason, current && !this.stopping);
      if (current && !this.stopping) void this.floatingIps.disconnected(host);
      if (current) {
        this.gateways.switchDown(host);
        this.gatewayAnnouncer.disconnected(host);
      }
    });
    void r.start();
  }

  private onEvents(events: readonly RecordedEvent[], changes: FlowChanges): void {
    for (const e of events) this.gateways.onEvent(e);
    for (const [host, c] of changes) {
      const r = this.reconcilers.get(host);
      if (r) r.markDirty([...c.deletes, ...c.upserts.keys()]);
    }
    if (events.some((e) => e.type === 'HostRegistered' || e.type === 'HostUpdated')) {
      for (const sw of [...this.waiting]) {
        const host = this.hostOf(sw.datapathId);
        if (host === undefined) continue;
        this.waiting.delete(sw);
        this.attach(host, sw);
      }
    }
  }
}
