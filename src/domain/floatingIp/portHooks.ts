// What the port decider must do for L3: refuse deleting router/floating IP ports, disassociate floating IPs.
import { badRequest, conflict } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { PortState } from '../port/state.ts';
import { L3_OWNERS } from '../router/state.ts';
import type { World } from '../world.ts';
import { floatingIpsOfPort } from './access.ts';

/** Ports the L3 service owns go only through routers and floating IPs (409 ServicePortInUse). */
export function checkPortDeletableByUser(port: PortState): void {
  if (L3_OWNERS.has(port.deviceOwner)) {
    throw conflict('ServicePortInUse',
      `Port ${port.id} cannot be deleted directly via the port API: has device owner ${port.deviceOwner}.`);
  }
}

/** Put these before the PortDeleted: the port's floating IPs stay allocated, pointing nowhere. */
export function disassociateOnPortDelete(world: World, portId: string, at: string): DomainEvent[] {
  return floatingIpsOfPort(world, portId).map((fip) => ({ type: 'FloatingIpDisassociated', data: { id: fip.id, updatedAt: at } }));
}

/**
 * Neutron refuses changing a port's fixed IPs so that an associated floating IP loses its
 * fixed IP (400): the NAT would point at an address the port no longer has.
 */
export function checkFixedIpChange(world: World, portId: string, newFixedIps: readonly { ipAddress: string }[]): void {
  for (const fip of floatingIpsOfPort(world, portId)) {
    const kept = newFixedIps.some((f) => f.ipAddress === fip.association?.fixedIpAddress);
    if (!kept) {
      throw badRequest(`Cannot update the fixed_ips of the port ${portId}, because its original fixed_ip has been associated to a floating ip`);
    }
  }
}
