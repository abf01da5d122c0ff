// Finding routers, and the ports they touch, as a principal may see them.
import { notAuthorized, notFound } from '../errors.ts';
import { canSeeNetwork } from '../network/access.ts';
import { owns, type Principal } from '../principal.ts';
import { portNotFound } from '../port/access.ts';
import type { PortState } from '../port/state.ts';
import type { World } from '../world.ts';
import type { RouterState } from './state.ts';

export const routerNotFound = (id: string) => notFound('RouterNotFound', `Router ${id} could not be found`);

export function visibleRouter(world: World, principal: Principal, id: string): RouterState {
  const router = world.routers.get(id);
  if (router === undefined || !owns(principal, router.projectId)) throw routerNotFound(id);
  return router;
}

export function ownedPort(world: World, principal: Principal, id: string, rule: string): PortState {
  const port = world.ports.get(id);
  if (port === undefined) throw portNotFound(id);
  if (!owns(principal, port.projectId)) {
    const network = world.networks.get(port.networkId);
    if (network === undefined || !canSeeNetwork(principal, network)) throw portNotFound(id);
    throw notAuthorized(rule);
  }
  return port;
}

/** Routers with an interface on the subnet. */
export function routersOnSubnet(world: World, subnetId: string): RouterState[] {
  const found: RouterState[] = [];
  for (const [, router] of world.routers) if (router.interfaces.some((i) => i.subnetId === subnetId)) found.push(router);
  return found;
}

/** The router's own addresses on its interface subnets, and those subnets' CIDRs. */
export function connectionsOf(world: World, router: RouterState): { cidrs: string[]; ownIps: string[] } {
  const cidrs: string[] = [];
  const ownIps: string[] = [];
  for (const { portId, subnetId } of router.interfaces) {
    const subnet = world.subnets.get(subnetId);
    if (subnet !== undefined) cidrs.push(subnet.cidr);
    const port = world.ports.get(portId);
    for (const ip of port?.fixedIps ?? []) if (ip.subnetId === subnetId) ownIps.push(ip.ipAddress);
  }
  return { cidrs, ownIps };
}
