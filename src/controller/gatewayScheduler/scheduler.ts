// The gateway scheduler in the controller: watches the log and the switches, and records RouterGatewayHostScheduled decisions.
//
// Inputs are the controller's folded view (routers, their gateways and recorded hosts, registered
// hosts and their bridge_mappings) and live switch connections (which only this process knows).
// It re-decides after every event that can change a choice, when a switch connects or disconnects,
// and when a scheduled host's failover time runs out. Decisions go to `gateway-<router>` at the
// stream revision this controller has folded, so a restart or a second controller never records
// the same decision twice: the current choice is always read from the log first.
import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent, RecordedEvent } from '../../eventStore/types.ts';
import { WrongExpectedVersionError } from '../../eventStore/types.ts';
import { SYSTEM_PRINCIPAL } from '../../domain/principal.ts';
import type { Logger } from '../../observability/logger.ts';
import { gatewayStream, type GatewayHostScheduledData } from '../../../projections/topology/gatewayEvents.ts';
import { gatewaysOf } from '../../../projections/topology/gateways.ts';
import type { TopologyView } from '../../../projections/topology/view.ts';
import { decideGatewayHosts, type GatewayDecision, type SchedulingInput } from './decide.ts';

/** Neutron-style default: a gateway host's switch may be away this long before its gateways move. */
export const DEFAULT_GATEWAY_FAILOVER_AFTER_MS = 30_000;

/** Events after which a choice may change. */
const TRIGGERS: ReadonlySet<string> = new Set([
  'RouterGatewaySet', 'RouterGatewayCleared', 'RouterDeleted', 'HostRegistered', 'HostUpdated', 'HostDeregistered', 'NetworkCreated',
]);

export interface GatewaySchedulerOptions {
  store: EventStore;
  log: Logger;
  /** the controller's folded view (live: read only) */
  view: () => TopologyView;
  /** resolves once the controller has folded the log up to this position */
  folded: (position: bigint) => Promise<void>;
  /** whether a host's switch is connected to this controller now */
  connected: (host: string) => boolean;
  failoverAfterMs?: number;
  now?: () => number;
}

export class GatewayScheduler {
  private readonly failoverAfterMs: number;
  private readonly now: () => number;
  /** host -> when its switch was last seen going away (or when this controller started, for switches not yet back) */
  private readonly downSince = new Map<string, number>();
  /** gateway stream -> revision of its last event folded */
  private readonly revisions = new Map<string, bigint>();
  private startedAt: number | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly opts: GatewaySchedulerOptions) {
    this.failoverAfterMs = opts.failoverAfterMs ?? DEFAULT_GATEWAY_FAILOVER_AFTER_MS;
    this.now = opts.now ?? Date.now;
  }

  /** Starts deciding (call once the controller has folded the log). */
  start(): void {
    this.startedAt = this.now();
    this.kick();
  }

  /** Stops deciding; resolves once a decision on its way to the log is written. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One event was folded by the controller (called for the whole history too, before start). */
  onEvent(event: RecordedEvent): void {
    if (event.stream.startsWith(gatewayStream(''))) this.revisions.set(event.stream, event.revision);
    if (this.startedAt !== undefined && TRIGGERS.has(event.type)) this.kick();
  }

  switchUp(host: string): void {
    this.downSince.delete(host);
    this.kick();
  }

  switchDown(host: string): void {
    this.downSince.set(host, this.now());
    this.kick();
  }

  /** The decision input from the view and the switches, as of now. */
  input(): SchedulingInput {
    const view = this.opts.view();
    const idx = gatewaysOf(view);
    const now = this.now();
    const routers = [...idx.gateways.values()].map((g) => ({
      routerId: g.routerId, physicalNetwork: idx.physicalNetworks.get(g.networkId) ?? null, current: idx.hosts.get(g.routerId),
    }));
    const hosts = [...view.hosts.values()].map((h) => {
      const connected = this.opts.connected(h.name);
      const since = this.downSince.get(h.name) ?? this.startedAt ?? now;
      return { name: h.name, physicalNetworks: mappedPhysicalNetworks(h.bridgeMappings), connected, downForMs: connected ? 0 : Math.max(0, now - since) };
    });
    return { routers, hosts, failoverAfterMs: this.failoverAfterMs };
  }

  /** Runs one decision round now, or once the round under way is done. */
  private kick(): void {
    if (this.stopped || this.startedAt === undefined) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async round(): Promise<void> {
    clearTimeout(this.timer);
    const input = this.input();
    for (const d of decideGatewayHosts(input)) {
      if (this.stopped) return;
      await this.record(d, input);
    }
    this.armFailoverTimer(input);
  }

  private async record(d: GatewayDecision, input: SchedulingInput): Promise<void> {
    const stream = gatewayStream(d.routerId);
    const at = new Date(this.now()).toISOString();
    const data: GatewayHostScheduledData = {
      id: d.routerId, host: d.host, ...(d.previousHost !== undefined ? { previousHost: d.previousHost } : {}),
      reason: d.reason, physicalNetwork: d.physicalNetwork, detail: detailOf(d, input), at,
    };
    const requestId = `req-${randomUUID()}`;
    const event: NewEvent = {
      id: randomUUID(), type: 'RouterGatewayHostScheduled', data,
      metadata: { correlationId: requestId, causationId: requestId, requestId, actor: { userId: SYSTEM_PRINCIPAL.userId, projectId: SYSTEM_PRINCIPAL.projectId }, at },
    };
    try {
      const r = await this.opts.store.append(stream, [event], this.revisions.get(stream) ?? 'no_stream');
      this.opts.log.info({ router: d.routerId, host: d.host, previousHost: d.previousHost, reason: d.reason }, 'router gateway scheduled');
      // the next round must see this decision
      await this.opts.folded(r.position);
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        // someone else decided first: fold what they wrote (not a tight retry on a stale view), then decide again
        await this.opts.folded(await this.opts.store.headPosition()).catch(() => undefined);
        this.again = true;
        return;
      }
      this.opts.log.error({ err: error, router: d.routerId }, 'recording a gateway scheduling decision failed');
    }
  }

  /** Wakes up when the earliest scheduled host that is down reaches its failover time. */
  private armFailoverTimer(input: SchedulingInput): void {
    if (this.stopped) return;
    const scheduled = new Set(input.routers.map((r) => r.current).filter((h): h is string => typeof h === 'string'));
    let wait = Infinity;
    for (const h of input.hosts) {
      if (h.connected || !scheduled.has(h.name)) continue;
      wait = Math.min(wait, Math.max(0, this.failoverAfterMs - h.downForMs));
    }
    if (wait === Infinity) return;
    // a host already past its time with nowhere to go is retried when something changes, not in a loop
    if (wait === 0) return;
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }
}

/** Physical networks a host maps to a named port (an empty port name maps nothing, as the flows read it). */
function mappedPhysicalNetworks(mappings: Record<string, string>): string[] {
  return Object.entries(mappings).filter(([, port]) => typeof port === 'string' && port !== '').map(([physnet]) => physnet);
}

function detailOf(d: GatewayDecision, input: SchedulingInput): string {
  const where = d.host === null ? `no registered host maps physical network ${d.physicalNetwork ?? '(none)'}` : `on ${d.host}`;
  switch (d.reason) {
    case 'host_unavailable': {
      const down = input.hosts.find((h) => h.name === d.previousHost)?.downForMs ?? 0;
      return `the switch of ${d.previousHost ?? '?'} was disconnected for ${(down / 1000).toFixed(1)} s (failover after ${input.failoverAfterMs / 1000} s): ${where}`;
    }
    case 'host_removed': return `${d.previousHost ?? '?'} was deregistered: ${where}`;
    case 'host_ineligible': return `${d.previousHost ?? '?'} no longer maps physical network ${d.physicalNetwork ?? '(none)'}: ${where}`;
    default: return where;
  }
}
