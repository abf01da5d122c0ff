// Announces a router's gateway address from its (new) gateway host: a gratuitous ARP once that host's switch holds the gateway's flows.
//
// The gateway port keeps its MAC when the gateway moves, so neighbors' ARP caches stay right, but a
// learning switch on the physical network still sends the gateway MAC to the old host's port until
// a frame from the new one arrives. SNAT traffic starts inside and fixes that with its first packet;
// replies and centralized floating IPs should not have to wait for it.
import type { Action } from '../../../openflow/messages/types.ts';
import { gatewayUnit, snatSpecOf } from '../../../projections/flows/gatewayUnit.ts';
import { routerWideUnits } from '../../../projections/flows/nextHopUnit.ts';
import { unitFlows } from '../../../projections/flows/units.ts';
import { onWire } from '../../../projections/pipeline/stages/external.ts';
import { gatewayDecisionOf, gatewayHostOf, gatewaysOf, gatewaysOnHost } from '../../../projections/topology/gateways.ts';
import type { TopologyView } from '../../../projections/topology/view.ts';
import type { HoldsFlow, SendFrame } from '../floatingIpStatus.ts';
import { buildArpRequest } from '../neighbors/arpFrame.ts';


/** The gratuitous ARP (request, sender = target = the gateway IP, from the gateway port's MAC) out the host's physical port. */
export function gatewayAnnouncement(view: TopologyView, routerId: string, host: string): { frame: Buffer; actions: Action[] } | undefined {
  const g = gatewaysOf(view).gateways.get(routerId);
  const s = g ? snatSpecOf(view, g, host) : null;
  return s ? { frame: buildArpRequest(s.mac, s.ip, s.ip), actions: onWire(s.segment, s.segment.ofport) } : undefined;
}

/** A gateway announced from a host, under the scheduling decision that placed it there. */
interface Announced {
  host: string;
  decision: number | undefined;
}

export class GatewayAnnouncer {
  /** router -> where (and under which decision) it was announced */
  private readonly announced = new Map<string, Announced>();
  /** host -> routers announced from it */
  private readonly byHost = new Map<string, Set<string>>();

  constructor(private readonly send: SendFrame) {}

  /**
   * After a confirmed sync or diff of `host`: announce the gateways that are now confirmed there. Looks
   * only at the routers scheduled on `host` and those announced from it (the view's host -> routers
   * index), not at every gateway of the cloud: with 5000 ports a host syncs after every port change.
   */
  synced(view: TopologyView, host: string, holds: HoldsFlow): void {
    // forget announcements from this host whose router left it, or came back under a newer decision
    // (it may have been announced from elsewhere meanwhile: the physical switch must learn this host again)
    for (const rid of [...(this.byHost.get(host) ?? [])]) {
      if (gatewayHostOf(view, rid) !== host || gatewayDecisionOf(view, rid) !== this.announced.get(rid)?.decision) this.forget(rid);
    }
    for (const rid of gatewaysOnHost(view, host)) {
      if (this.announced.get(rid)?.host === host) continue;
      const a = gatewayAnnouncement(view, rid, host);
      if (!a || unitFlows(view, gatewayUnit(rid), host).size === 0) continue;
      // the way back needs the next hops of the router's ports too (their own units since q:<port>)
      const wanted = routerWideUnits(view, rid).flatMap((u) => [...unitFlows(view, u, host)]);
      if (!wanted.every(([k, f]) => holds(k, f))) continue;
      this.remember(rid, { host, decision: gatewayDecisionOf(view, rid) });
      this.send(host, a.frame, a.actions);
    }
  }

  /** The switch of `host` is gone: its gateways are announced again when it (or another host) has them. */
  disconnected(host: string): void {
    for (const rid of [...(this.byHost.get(host) ?? [])]) this.forget(rid);
  }

  private remember(rid: string, a: Announced): void {
    this.forget(rid);
    this.announced.set(rid, a);
    let set = this.byHost.get(a.host);
    if (!set) this.byHost.set(a.host, (set = new Set()));
    set.add(rid);
  }

  private forget(rid: string): void {
    const a = this.announced.get(rid);
    if (!a) return;
    this.announced.delete(rid);
    const set = this.byHost.get(a.host);
    set?.delete(rid);
    if (set?.size === 0) this.byHost.delete(a.host);
  }
}
