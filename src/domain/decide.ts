// The one entry point for decisions: routes a command to its resource's decider.
import type { Command } from './commands.ts';
import type { DecideContext } from './context.ts';
import type { DomainEvent } from './events.ts';
import { decideNetwork } from './network/decide.ts';
import { decideSubnet } from './subnet/decide.ts';
import { decidePort } from './port/decide.ts';
import { decideHost } from './host/decide.ts';
import { decideFloatingIp } from './floatingIp/decide.ts';
import { decideRouter } from './router/decide.ts';
import { decideSecurityGroup } from './securityGroup/decide.ts';
import { decideTags } from './tag/decide.ts';
import type { World } from './world.ts';
import { unhandled } from './unhandled.ts';

/** Pure: the events a command causes in this world, or a thrown NeutronError when it is refused. */
export function decide(command: Command, world: World, ctx: DecideContext): DomainEvent[] {
  switch (command.type) {
    case 'CreateNetwork':
    case 'UpdateNetwork':
    case 'DeleteNetwork':
      return decideNetwork(command, world, ctx);
    case 'CreateSubnet':
    case 'UpdateSubnet':
    case 'DeleteSubnet':
      return decideSubnet(command, world);
    case 'CreatePort':
    case 'UpdatePort':
    case 'DeletePort':
    case 'SetPortStatus':
      return decidePort(command, world, ctx);
    case 'RegisterHost':
    case 'UpdateHost':
    case 'DeregisterHost':
      return decideHost(command, world);
    case 'CreateSecurityGroup':
    case 'UpdateSecurityGroup':
    case 'DeleteSecurityGroup':
    case 'EnsureDefaultSecurityGroup':
    case 'CreateSecurityGroupRule':
    case 'DeleteSecurityGroupRule':
      return decideSecurityGroup(command, world, ctx);
    case 'CreateRouter':
    case 'UpdateRouter':
    case 'DeleteRouter':
    case 'AddRouterInterface':
    case 'RemoveRouterInterface':
    case 'ChangeRouterRoutes':
      return decideRouter(command, world, ctx);
    case 'CreateFloatingIp':
    case 'UpdateFloatingIp':
    case 'DeleteFloatingIp':
    case 'SetFloatingIpStatus':
      return decideFloatingIp(command, world, ctx);
    case 'ChangeTags':
      return decideTags(command, world);
    default:
      return unhandled(command, 'unknown command');
  }
}
