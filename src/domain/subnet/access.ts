// Finding a subnet as a principal may see or change it (a subnet is visible with its network).
import { notAuthorized, notFound } from '../errors.ts';
import { canSeeNetwork } from '../network/access.ts';
import { owns, type Principal } from '../principal.ts';
import type { World } from '../world.ts';
import type { SubnetState } from './state.ts';

export const subnetNotFound = (id: string) => notFound('SubnetNotFound', `Subnet ${id} could not be found.`);

export function canSeeSubnet(world: World, principal: Principal, subnet: SubnetState): boolean {
  if (owns(principal, subnet.projectId)) return true;
  const network = world.networks.get(subnet.networkId);
  return network !== undefined && canSeeNetwork(principal, network);
}

export function visibleSubnet(world: World, principal: Principal, id: string): SubnetState {
  const subnet = world.subnets.get(id);
  if (subnet === undefined || !canSeeSubnet(world, principal, subnet)) throw subnetNotFound(id);
  return subnet;
}

export function ownedSubnet(world: World, principal: Principal, id: string, rule: string): SubnetState {
  const subnet = visibleSubnet(world, principal, id);
  if (!owns(principal, subnet.projectId)) throw notAuthorized(rule);
  return subnet;
}
