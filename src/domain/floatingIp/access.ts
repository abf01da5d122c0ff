// Finding floating IPs as a principal may see them, and the router that can carry a floating IP's NAT.
import { notFound } from '../errors.ts';
import { owns, type Principal } from '../principal.ts';
import type { RouterState } from '../router/state.ts';
import type { World } from '../world.ts';
import type { FloatingIpState } from './state.ts';

export const floatingIpNotFound = (id: string) => notFound('FloatingIPNotFound', `Floating IP ${id} could not be found`);

export function visibleFloatingIp(world: World, principal: Principal, id: string): FloatingIpState {
  const fip = world.floatingIps.get(id);
  if (fip === undefined || !owns(principal, fip.projectId)) throw floatingIpNotFound(id);
  return fip;
}

/** A router with an interface on the subnet and its gateway on the external network (lowest id on ties). */
export function routerForFloatingIp(world: World, subnetId: string, externalNetworkId: string): RouterState | undefined {
  let found: RouterState | undefined;
  for (const [, router] of world.routers) {
    if (router.gateway?.networkId !== externalNetworkId) continue;
    if (!router.interfaces.some((i) => i.subnetId === subnetId)) continue;
    if (found === undefined || router.id < found.id) found = router;
  }
  return found;
}

/** Floating IPs associated with the port. */
export function floatingIpsOfPort(world: World, portId: string): FloatingIpState[] {
  const found: FloatingIpState[] = [];
  for (const [id] of world.floatingIpsByPort.get(portId) ?? []) {
    const fip = world.floatingIps.get(id);
    if (fip !== undefined) found.push(fip);
  }
  return found;
}
