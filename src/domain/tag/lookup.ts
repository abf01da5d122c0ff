// The taggable resources as one shape: find one a principal may change (404/403 like its updates), read and replace its tags.
import { notAuthorized } from '../errors.ts';
import { floatingIpNotFound } from '../floatingIp/access.ts';
import { ownedNetwork } from '../network/access.ts';
import { owns, type Principal } from '../principal.ts';
import { ownedPort, routerNotFound } from '../router/access.ts';
import { securityGroupNotFound } from '../securityGroup/access.ts';
import { ownedSubnet } from '../subnet/access.ts';
import type { World } from '../world.ts';
import type { TaggableKind } from './commands.ts';

/** What every taggable state shares (standard attributes). */
export interface Tagged {
  id: string;
  tags: string[];
  updatedAt: string;
  revision: number;
}

/** Neutron's policy rule names for tag changes, e.g. update_networks_tags. */
function rule(kind: TaggableKind): string {
  return `update_${kind === 'security_group' ? 'security_groups' : `${kind}s`}_tags`;
}

/** Owner-only resources: others' do not exist for a non-admin. */
function ownedOrMissing<S extends Tagged & { projectId: string }>(found: S | undefined, principal: Principal, missing: () => Error): S {
  if (found === undefined || !owns(principal, found.projectId)) throw missing();
  return found;
}

/** The resource whose tags the principal may change: 404 when it cannot see it, 403 when it only sees it. */
export function taggableFor(world: World, principal: Principal, kind: TaggableKind, id: string): Tagged {
  switch (kind) {
    case 'network':
      return ownedNetwork(world, principal, id, rule(kind));
    case 'subnet':
      return ownedSubnet(world, principal, id, rule(kind));
    case 'port':
      return ownedPort(world, principal, id, rule(kind));
    case 'router':
      return ownedOrMissing(world.routers.get(id), principal, () => routerNotFound(id));
    case 'floatingip':
      return ownedOrMissing(world.floatingIps.get(id), principal, () => floatingIpNotFound(id));
    case 'security_group':
      return ownedOrMissing(world.securityGroups.get(id), principal, () => securityGroupNotFound(id));
    default: {
      const unknown: never = kind;
      throw notAuthorized(String(unknown));
    }
  }
}

function retagged<S extends Tagged>(state: S, tags: string[], updatedAt: string): S {
  return { ...state, tags, updatedAt, revision: state.revision + 1 };
}

/** The world with the resource's tags replaced (revision and updated_at move, as for any standard attribute). */
export function withTags(world: World, kind: TaggableKind, id: string, tags: string[], updatedAt: string): World {
  switch (kind) {
    case 'network': {
      const s = world.networks.get(id);
      return s === undefined ? world : { ...world, networks: world.networks.set(id, retagged(s, tags, updatedAt)) };
    }
    case 'subnet': {
      const s = world.subnets.get(id);
      return s === undefined ? world : { ...world, subnets: world.subnets.set(id, retagged(s, tags, updatedAt)) };
    }
    case 'port': {
      const s = world.ports.get(id);
      return s === undefined ? world : { ...world, ports: world.ports.set(id, retagged(s, tags, updatedAt)) };
    }
    case 'router': {
      const s = world.routers.get(id);
      return s === undefined ? world : { ...world, routers: world.routers.set(id, retagged(s, tags, updatedAt)) };
    }
    case 'floatingip': {
      const s = world.floatingIps.get(id);
      return s === undefined ? world : { ...world, floatingIps: world.floatingIps.set(id, retagged(s, tags, updatedAt)) };
    }
    case 'security_group': {
      const s = world.securityGroups.get(id);
      return s === undefined ? world : { ...world, securityGroups: world.securityGroups.set(id, retagged(s, tags, updatedAt)) };
    }
    default: {
      const unknown: never = kind;
      return unknown;
    }
  }
}
