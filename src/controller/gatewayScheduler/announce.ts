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
import { gatewayHostOf, gatewaysOf } from '../../../projections/topology/gateways.ts';
import type { TopologyView } from '../../../projections/topology/view.ts';
import type { HoldsFlow, SendFrame } from '../floatingIpStatus.ts';
import { buildArpRequest } from '../neighbors/arpFrame.ts';


/** The gratuitous ARP (request, sender = target = the gateway IP, from the gateway port's MAC) out the host's physical port. */
export function gatewayAnnouncement(view: TopologyView, routerId: string, host: string): { frame: Buffer; actions: Action[] } | undefined {
  const g = gatewaysOf(view).gateways.get(routerId);
  const s = g ? snatSpecOf(view, g, host) : null;
  return s ? { frame: buildArpRequest(s.mac, s.ip, s.ip), actions: onWire(s.segment, s.segment.ofport) } : undefined;
}

export class GatewayAnnouncer {
  /** router -> the host it was announced from */
  private readonly announcedOn = new Map<string, string>();

  constructor(private readonly send: SendFrame) {}

  /** After a confirmed sync or diff of `host`: announce the gateways that are now confirmed there. */
  synced(view: TopologyView, host: string, holds: HoldsFlow): void {
    for (const [rid, h] of [...this.announcedOn]) if (gatewayHostOf(view, rid) !== h) this.announcedOn.delete(rid);
    for (const rid of gatewaysOf(view).gateways.keys()) {
      if (gatewayHostOf(view, rid) !== host || this.announcedOn.get(rid) === host) continue;
      const a = gatewayAnnouncement(view, rid, host);
      if (!a || unitFlows(view, gatewayUnit(rid), host).size === 0) continue;
      // the way back needs the next hops of the router's ports too (their own units since q:<port>)
      const wanted = routerWideUnits(view, rid).flatMap((u) => [...unitFlows(view, u, host)]);
      if (!wanted.every(([k, f]) => holds(k, f))) continue;
      this.announcedOn.set(rid, host);
      this.send(host, a.frame, a.actions);
    }
  }

  /** The switch of `host` is gone: its gateways are announced again when it (or another host) has them. */
  disconnected(host: string): void {
    for (const [rid, h] of [...this.announcedOn]) if (h === host) this.announcedOn.delete(rid);
  }
}
