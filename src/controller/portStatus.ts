// Port status from what a switch holds: ACTIVE once a barrier confirmed the port's flows, DOWN when its switch or interface is gone.
import { randomUUID } from 'node:crypto';
import { SYSTEM_PRINCIPAL } from '../domain/principal.ts';
import type { PortStatus } from '../domain/port/state.ts';
import type { NeutronService } from '../service/neutronService.ts';
import { providerPortWired } from '../../projections/flows/providerPorts.ts';
import { ofportOfPort, overlayNetworkOf } from '../../projections/topology/queries.ts';
import type { TopologyView } from '../../projections/topology/view.ts';

/**
 * Ports of `host` whose own flows are in the desired table of this view (bound there, admin up, on an
 * overlay network or on a provider network the host maps, interface seen with an OpenFlow port number): port id -> ofport.
 */
export function wiredPorts(view: TopologyView, host: string): Map<string, number> {
  const wired = new Map<string, number>();
  if (!view.hosts.has(host)) return wired;
  for (const id of view.portsByHost.get(host) ?? []) {
    const p = view.ports.get(id);
    if (!p || !p.adminStateUp) continue;
    // on a provider network only through a bridge_mappings port the switch has (else DOWN: binding failed)
    if (!overlayNetworkOf(view, p) && !providerPortWired(view, p)) continue;
    const ofport = ofportOfPort(view, p);
    if (ofport !== undefined) wired.set(id, ofport);
  }
  return wired;
}

export interface StatusChange {
  id: string;
  status: PortStatus;
}

/** The status changes that make `ports` (id -> wired?) true in the service's world. */
export function statusChanges(service: NeutronService, ports: Iterable<[string, boolean]>): StatusChange[] {
  const world = service.world();
  const out: StatusChange[] = [];
  for (const [id, wired] of ports) {
    const current = world.ports.get(id)?.status;
    if (current === undefined) continue;
    const want: PortStatus = wired ? 'ACTIVE' : 'DOWN';
    if (current !== want) out.push({ id, status: want });
  }
  return out;
}

/** Records status changes as intents of esdn itself; a port deleted meanwhile is skipped, never an error. */
export async function recordStatuses(service: NeutronService, changes: readonly StatusChange[], onError: (e: unknown) => void): Promise<void> {
  const at = new Date().toISOString();
  const requestId = `req-${randomUUID()}`;
  await Promise.all(changes.map((c) =>
    service.execute({ type: 'SetPortStatus', actor: SYSTEM_PRINCIPAL, at, id: c.id, status: c.status }, { requestId, actor: SYSTEM_PRINCIPAL })
      .catch((error: unknown) => {
        if ((error as { type?: string }).type !== 'PortNotFound') onError(error);
      }),
  ));
}
