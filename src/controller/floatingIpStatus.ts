// Floating IP status from what the switches hold: ACTIVE once a barrier confirmed its NAT flows on its NAT host, DOWN when they are gone.
//
// Called after every confirmed sync or diff of a host (the reconciler's onSynced) and when a switch
// disconnects. "Confirmed" = every flow of the floating IP's unit is in the reconciler's installed
// table, which it only updates after the barrier reply.
import { randomUUID } from 'node:crypto';
import { SYSTEM_PRINCIPAL } from '../domain/principal.ts';
import type { FloatingIpStatus } from '../domain/floatingIp/state.ts';
import type { NeutronService } from '../service/neutronService.ts';
import { floatingIpNat, floatingIpUnit, natHostOf } from '../../projections/flows/externalUnits.ts';
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

/**
 * The status each floating IP should have after a confirmed sync of `host` (only those that change).
 * `activeOn` (floating IP -> host that made it ACTIVE) is updated for floating IPs that stay ACTIVE
 * here, so a restarted controller, which finds them ACTIVE in the log, still knows whose they are.
 */
export function floatingIpStatusChanges(
  view: TopologyView, host: string, holds: HoldsFlow, current: (id: string) => FloatingIpStatus | undefined, activeOn: Map<string, string>,
): { id: string; status: FloatingIpStatus }[] {
  const out: { id: string; status: FloatingIpStatus }[] = [];
  for (const fip of externalOf(view).floatingIps.values()) {
    const status = current(fip.id);
    if (status === undefined) continue;
    const natHost = natHostOf(view, fip);
    if (natHost === host) {
      // an ACTIVE one is only rechecked for having lost its flows (cheap), not flow by flow on every sync
      if (status === 'ACTIVE') {
        if (floatingIpNat(view, fip, host) === undefined) out.push({ id: fip.id, status: 'DOWN' });
        else activeOn.set(fip.id, host);
        continue;
      }
      const flows = unitFlows(view, floatingIpUnit(fip.id), host);
      if (flows.size > 0 && [...flows].every(([k, f]) => holds(k, f))) out.push({ id: fip.id, status: 'ACTIVE' });
    } else if (status === 'ACTIVE' && (natHost === undefined || activeOn.get(fip.id) === host)) {
      // moved away from this host, or no host does its NAT any more
      out.push({ id: fip.id, status: 'DOWN' });
    }
  }
  return out;
}

export class FloatingIpStatusTracker {
  /** floating IP -> the host whose barrier made it ACTIVE */
  private readonly activeOn = new Map<string, string>();

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
    const changes = [...this.activeOn].filter(([, h]) => h === host).map(([id]) => ({ id, status: 'DOWN' as const }));
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
