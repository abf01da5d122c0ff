// Floating IP status from what the switches hold: ACTIVE once a barrier confirmed its NAT flows on its NAT host, DOWN when they are gone.
//
// Called after every confirmed sync or diff of a host (the reconciler's onSynced) and when a switch
// disconnects. "Confirmed" = every flow of the floating IP's unit is in the reconciler's installed
// table, which it only updates after the barrier reply. A sync of host H looks only at H's floating
// IPs (those H may NAT, those H made ACTIVE, and ACTIVE ones no host has claimed since a restart),
// not at every floating IP of the cloud: with 5000 ports a host syncs after every port change.
import { randomUUID } from 'node:crypto';
import { SYSTEM_PRINCIPAL } from '../domain/principal.ts';
import type { FloatingIpStatus } from '../domain/floatingIp/state.ts';
import type { NeutronService } from '../service/neutronService.ts';
import { floatingIpNat, floatingIpsNattedBy, floatingIpUnit, natHostOf } from '../../projections/flows/externalUnits.ts';
import { onWire } from '../../projections/pipeline/stages/external.ts';
import type { Action } from '../../openflow/messages/types.ts';
import { buildArpRequest } from './neighbors/arpFrame.ts';
import { unitFlows } from '../../projections/flows/units.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import { externalOf } from '../../projections/topology/external.ts';
import type { TopologyView } from '../../projections/topology/view.ts';

export type HoldsFlow = (key: string, flow: DesiredFlow) => boolean;
/** Sends a frame out of a host's switch (packet-out with these actions). */
export type SendFrame = (host: string, frame: Buffer, actions: Action[]) => void;

/**
 * A gratuitous ARP (request, sender = target = the floating IP) from the floating IP's MAC out its
 * NAT host's physical port: the external switch learns where the MAC now is, and neighbors refresh
 * their caches (a floating IP that moved between hosts keeps its MAC, as Neutron's DVR does).
 */
export function gratuitousArp(view: TopologyView, fipId: string, host: string): { frame: Buffer; actions: Action[] } | undefined {
  const fip = externalOf(view).floatingIps.get(fipId);
  const nat = fip ? floatingIpNat(view, fip, host) : undefined;
  return nat ? { frame: buildArpRequest(nat.mac, nat.address, nat.address), actions: onWire(nat.segment, nat.segment.ofport) } : undefined;
}

/** Which host made each floating IP ACTIVE, indexed both ways, and the ACTIVE ones no host has claimed yet. */
export class ActiveFloatingIps {
  private readonly hostOf = new Map<string, string>();
  private readonly byHost = new Map<string, Set<string>>();
  /**
   * ACTIVE in the log but confirmed by no host since this controller started (a restart): looked at on
   * every sync until claimed or DOWN. undefined until the first sync found them with one full pass.
   */
  unclaimed: Set<string> | undefined;

  constructor(entries: Iterable<readonly [string, string]> = []) {
    for (const [id, host] of entries) this.set(id, host);
  }

  get(id: string): string | undefined {
    return this.hostOf.get(id);
  }

  set(id: string, host: string): void {
    this.delete(id);
    this.hostOf.set(id, host);
    let set = this.byHost.get(host);
    if (!set) this.byHost.set(host, (set = new Set()));
    set.add(id);
    this.unclaimed?.delete(id);
  }

  delete(id: string): void {
    const host = this.hostOf.get(id);
    if (host === undefined) return;
    this.hostOf.delete(id);
    const set = this.byHost.get(host);
    set?.delete(id);
    if (set?.size === 0) this.byHost.delete(host);
  }

  /** Floating IPs `host` made ACTIVE. */
  onHost(host: string): readonly string[] {
    return [...(this.byHost.get(host) ?? [])];
  }
}

// the index lookup lives with natHostOf (the flow projection lists a host's units with it too)
export { floatingIpsNattedBy };

/** The floating IPs a sync of `host` may change; finds the unclaimed ACTIVE ones with one full pass the first time. */
function candidates(view: TopologyView, host: string, current: (id: string) => FloatingIpStatus | undefined, active: ActiveFloatingIps): Set<string> {
  const out = floatingIpsNattedBy(view, host);
  for (const id of active.onHost(host)) out.add(id);
  if (active.unclaimed === undefined) {
    active.unclaimed = new Set();
    for (const id of externalOf(view).floatingIps.keys()) if (current(id) === 'ACTIVE' && active.get(id) === undefined) active.unclaimed.add(id);
  }
  for (const id of [...active.unclaimed]) {
    if (current(id) !== 'ACTIVE' || active.get(id) !== undefined || !externalOf(view).floatingIps.has(id)) active.unclaimed.delete(id);
    else out.add(id);
  }
  return out;
}

/**
 * The status each of `host`'s floating IPs should have after a confirmed sync of it (only those that
 * change). `active` is updated for floating IPs that stay ACTIVE here, so a restarted controller,
 * which finds them ACTIVE in the log, still knows whose they are.
 */
export function floatingIpStatusChanges(
  view: TopologyView, host: string, holds: HoldsFlow, current: (id: string) => FloatingIpStatus | undefined, active: ActiveFloatingIps,
): { id: string; status: FloatingIpStatus }[] {
  const out: { id: string; status: FloatingIpStatus }[] = [];
  const all = externalOf(view).floatingIps;
  for (const id of candidates(view, host, current, active)) {
    const fip = all.get(id);
    if (fip === undefined) {
      // deleted: nothing to report, and nothing to remember
      active.delete(id);
      continue;
    }
    const status = current(fip.id);
    if (status === undefined) continue;
    const natHost = natHostOf(view, fip);
    if (natHost === host) {
      // an ACTIVE one is only rechecked for having lost its flows (cheap), not flow by flow on every sync
      if (status === 'ACTIVE') {
        if (floatingIpNat(view, fip, host) === undefined) out.push({ id: fip.id, status: 'DOWN' });
        else active.set(fip.id, host);
        continue;
      }
      const flows = unitFlows(view, floatingIpUnit(fip.id), host);
      if (flows.size > 0 && [...flows].every(([k, f]) => holds(k, f))) out.push({ id: fip.id, status: 'ACTIVE' });
    } else if (status === 'ACTIVE' && (natHost === undefined || active.get(fip.id) === host)) {
      // moved away from this host, or no host does its NAT any more
      out.push({ id: fip.id, status: 'DOWN' });
    }
  }
  return out;
}

export class FloatingIpStatusTracker {
  /** floating IP -> the host whose barrier made it ACTIVE */
  private readonly activeOn = new ActiveFloatingIps();

  constructor(private readonly service: NeutronService, private readonly onError: (e: unknown) => void, private readonly send?: SendFrame) {}

  /** After a confirmed sync or diff of `host`. */
  async synced(view: TopologyView, host: string, holds: HoldsFlow): Promise<void> {
    const world = this.service.world();
    const changes = floatingIpStatusChanges(view, host, holds, (id) => world.floatingIps.get(id)?.status, this.activeOn);
    for (const c of changes) {
      if (c.status === 'ACTIVE') {
        this.activeOn.set(c.id, host);
        const g = gratuitousArp(view, c.id, host);
        if (g && this.send) this.send(host, g.frame, g.actions);
      } else {
        this.activeOn.delete(c.id);
      }
    }
    await this.record(changes);
  }

  /** The switch of `host` is gone: its floating IPs are DOWN. */
  async disconnected(host: string): Promise<void> {
    const changes = this.activeOn.onHost(host).map((id) => ({ id, status: 'DOWN' as const }));
    for (const c of changes) this.activeOn.delete(c.id);
    await this.record(changes);
  }

  private async record(changes: readonly { id: string; status: FloatingIpStatus }[]): Promise<void> {
    if (changes.length === 0) return;
    const at = new Date().toISOString();
    const requestId = `req-${randomUUID()}`;
    await Promise.all(changes.map((c) =>
      this.service.execute({ type: 'SetFloatingIpStatus', actor: SYSTEM_PRINCIPAL, at, id: c.id, status: c.status }, { requestId, actor: SYSTEM_PRINCIPAL })
        .catch((error: unknown) => {
          if ((error as { type?: string }).type !== 'FloatingIPNotFound') this.onError(error);
        })));
  }
}
