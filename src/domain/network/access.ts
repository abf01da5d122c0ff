// Finding a network as a principal may see or change it: others' private networks do not exist for them.
import { notAuthorized, notFound } from '../errors.ts';
import { owns, type Principal } from '../principal.ts';
import type { World } from '../world.ts';
import type { NetworkState } from './state.ts';

export const networkNotFound = (id: string) => notFound('NetworkNotFound', `Network ${id} could not be found.`);

/** Shared and external networks are visible to every project, like in Neutron. */
export function canSeeNetwork(principal: Principal, network: NetworkState): boolean {
  return owns(principal, network.projectId) || network.shared || network.external;
}

export function visibleNetwork(world: World, principal: Principal, id: string): NetworkState {
  const network = world.networks.get(id);
  if (network === undefined || !canSeeNetwork(principal, network)) throw networkNotFound(id);
  return network;
}

/** A network the principal may change: visible but not owned is a policy refusal. */
export function ownedNetwork(world: World, principal: Principal, id: string, rule: string): NetworkState {
  const network = visibleNetwork(world, principal, id);
  if (!owns(principal, network.projectId)) throw notAuthorized(rule);
  return network;
}
