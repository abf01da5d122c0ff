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

/** Keepalive: echo a switch silent this long, drop it when the echo goes unanswered as long again. */
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
}

export class Controller {
  readonly feed: LogFeed;
  private readonly server: OpenFlowServer;
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
    this.server = createOpenFlowServer({
      listen: opts.listen, echoIntervalMs: ECHO_INTERVAL_MS, echoTimeoutMs: ECHO_TIMEOUT_MS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS, maxReplyBytes: MAX_REPLY_BYTES,
    });
    this.server.on('switch', (sw) => this.onSwitch(sw));
    this.server.on('connection_failed', (f) => opts.log.warn({ remote: f.remote, err: f.error }, 'OpenFlow connection failed'));
  }

  /** Folds the log, then listens; resolves with the bound OpenFlow addresses. */
  async start(): Promise<ListenAddress[]> {
    await this.feed.start();
    this.gateways.start();
    return this.server.listen();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.gateways.stop();
    await this.server.close();
    await this.feed.stop();
  }

  /** The desired flow table of a host (live view: do not mutate). */
  desired(host: string): ReadonlyMap<string, DesiredFlow> {
    return this.feed.projection.desired(host);
  }

  /** The live connection to a host's switch, or undefined when it is not connected. */
  connection(host: string): SwitchConnection | undefined {
    return this.reconcilers.get(host)?.sw;
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

  private attach(host: string, sw: SwitchConnection): void {
    const old = this.reconcilers.get(host);
    if (old && old.sw !== sw) void old.sw.close();
    const r = new SwitchReconciler(host, sw, {
      feed: this.feed, observations: this.observations, service: this.opts.service, log: this.opts.log,
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
