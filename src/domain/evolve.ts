// The one fold step: applies any domain event to the world; foldWorld replays a whole log.
import type { DomainEvent } from './events.ts';
import { isDomainEvent } from './events.ts';
import { evolveNetwork } from './network/evolve.ts';
import { evolveSubnet } from './subnet/evolve.ts';
import { evolvePort } from './port/evolve.ts';
import { evolveHost } from './host/evolve.ts';
import { evolveFloatingIp } from './floatingIp/evolve.ts';
import { evolveRouter } from './router/evolve.ts';
import { evolveSecurityGroup } from './securityGroup/evolve.ts';
import { evolveTags } from './tag/evolve.ts';
import { emptyWorld, type World } from './world.ts';
import { unhandled } from './unhandled.ts';

export function evolve(world: World, event: DomainEvent): World {
  switch (event.type) {
    case 'NetworkCreated':
    case 'NetworkUpdated':
    case 'NetworkDeleted':
      return evolveNetwork(world, event);
    case 'SubnetCreated':
    case 'SubnetUpdated':
    case 'SubnetDeleted':
      return evolveSubnet(world, event);
    case 'PortCreated':
    case 'PortUpdated':
    case 'PortBoundToHost':
    case 'PortUnboundFromHost':
    case 'PortStatusChanged':
    case 'PortDeleted':
      return evolvePort(world, event);
    case 'HostRegistered':
    case 'HostUpdated':
    case 'HostDeregistered':
      return evolveHost(world, event);
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
    case 'TagsChanged':
      return evolveTags(world, event);
    default:
      return unhandled(event, 'unknown event');
  }
}

/** Replays events (any log records; non-domain types are skipped) into a world. */
export function foldWorld(events: Iterable<{ type: string; data: unknown }>, from: World = emptyWorld()): World {
  let world = from;
  for (const event of events) if (isDomainEvent(event)) world = evolve(world, event);
  return world;
}
