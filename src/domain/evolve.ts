// The one fold step: applies any domain event to the world; foldWorld replays a whole log.
import type { DomainEvent } from './events.ts';
import { isDomainEvent } from './events.ts';
import { evolveNetwork } from './network/evolve.ts';
import { evolveFloatingIp } from './floatingIp/evolve.ts';
import { evolveRouter } from './router/evolve.ts';
import { evolveSecurityGroup } from './securityGroup/evolve.ts';
import { emptyWorld, type World } from './world.ts';

export function evolve(world: World, event: DomainEvent): World {
  switch (event.type) {
    case 'NetworkCreated':
    case 'NetworkUpdated':
    case 'NetworkDeleted':
      return evolveNetwork(world, event);
    case 'SecurityGroupCreated':
    case 'SecurityGroupUpdated':
    case 'SecurityGroupDeleted':
    case 'SecurityGroupRuleCreated':
    case 'SecurityGroupRuleDeleted':
      return evolveSecurityGroup(world, event);
    case 'RouterCreated':
    case 'RouterUpdated':
    case 'RouterGatewaySet':
    case 'RouterGatewayCleared':
    case 'RouterInterfaceAdded':
    case 'RouterInterfaceRemoved':
    case 'RouterDeleted':
      return evolveRouter(world, event);
    case 'FloatingIpCreated':
    case 'FloatingIpUpdated':
    case 'FloatingIpAssociated':
    case 'FloatingIpDisassociated':
    case 'FloatingIpStatusChanged':
    case 'FloatingIpDeleted':
      return evolveFloatingIp(world, event);
    default:
      return world;
  }
}

/** Replays events (any log records; non-domain types are skipped) into a world. */
export function foldWorld(events: Iterable<{ type: string; data: unknown }>, from: World = emptyWorld()): World {
  let world = from;
  for (const event of events) if (isDomainEvent(event)) world = evolve(world, event);
  return world;
}
