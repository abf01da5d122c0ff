// Finding a port as a principal may see or change it: others' ports do not exist for non-admins.
import { notFound } from '../errors.ts';
import { owns, type Principal } from '../principal.ts';
import type { World } from '../world.ts';
import type { PortState } from './state.ts';

export const portNotFound = (id: string) => notFound('PortNotFound', `Port ${id} could not be found.`);

/** A port is visible to its project, and to the owner of its network (Neutron's network-owner rule). */
export function canSeePort(world: World, principal: Principal, port: PortState): boolean {
  if (owns(principal, port.projectId)) return true;
  const network = world.networks.get(port.networkId);
  return network !== undefined && network.projectId === principal.projectId;
}

export function visiblePort(world: World, principal: Principal, id: string): PortState {
  const port = world.ports.get(id);
  if (port === undefined || !canSeePort(world, principal, port)) throw portNotFound(id);
  return port;
}
