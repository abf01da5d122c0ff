// A port's security groups: Neutron's defaults and checks, for the port decider to call on create and update.
import type { DecideContext } from '../context.ts';
import { HTTP_BAD_REQUEST, NeutronError, conflict } from '../errors.ts';
import type { World } from '../world.ts';
import { securityGroupNotFound } from './access.ts';
import { ensureDefaultGroup } from './defaultGroup.ts';
import type { SecurityGroupEvent } from './events.ts';

/** Ports Neutron trusts (routers, DHCP, floating IPs): device_owner "network:*", never filtered. */
export function isTrustedOwner(deviceOwner: string): boolean {
  return deviceOwner.startsWith('network:');
}

const securityRequired = () =>
  new NeutronError(
    'PortSecurityAndIPRequiredForSecurityGroups',
    HTTP_BAD_REQUEST,
    'Port security must be enabled and port must have an IP address in order to use security groups.',
  );

/** Every id names a group of the port's project (others' groups do not exist for it). */
function checkGroups(world: World, projectId: string, ids: readonly string[]): string[] {
  for (const id of ids) {
    const group = world.securityGroups.get(id);
    if (group === undefined || group.projectId !== projectId) throw securityGroupNotFound(id);
  }
  return [...new Set(ids)];
}

export interface PortGroupsOnCreate {
  securityGroups: string[];
  /** The project's default group when this port is its first use; put them before PortCreated. */
  events: SecurityGroupEvent[];
}

/**
 * Groups of a new port: the requested ones, else the project's default group (created if missing)
 * when port security is on and the port is not a trusted network:* port.
 */
export function securityGroupsForNewPort(
  world: World,
  ctx: DecideContext,
  port: { projectId: string; deviceOwner: string; portSecurityEnabled: boolean; requested?: readonly string[]; at: string },
): PortGroupsOnCreate {
  if (port.requested !== undefined) {
    if (!port.portSecurityEnabled && port.requested.length > 0) throw securityRequired();
    return { securityGroups: checkGroups(world, port.projectId, port.requested), events: [] };
  }
  if (!port.portSecurityEnabled || isTrustedOwner(port.deviceOwner)) return { securityGroups: [], events: [] };
  const { groupId, events } = ensureDefaultGroup(world, ctx, port.projectId, port.at);
  return { securityGroups: [groupId], events };
}

/**
 * The groups after an update, or undefined when they do not change. Turning port security off while
 * groups remain is refused (409 PortSecurityPortHasSecurityGroup), as Neutron does.
 */
export function securityGroupsOnUpdate(
  world: World,
  port: { projectId: string; portSecurityEnabled: boolean; securityGroups: readonly string[] },
  update: { portSecurityEnabled?: boolean; securityGroups?: readonly string[] },
): string[] | undefined {
  const enabled = update.portSecurityEnabled ?? port.portSecurityEnabled;
  const groups = update.securityGroups === undefined ? undefined : checkGroups(world, port.projectId, update.securityGroups);
  const after = groups ?? port.securityGroups;
  if (!enabled && after.length > 0) {
    if (update.securityGroups !== undefined) throw securityRequired();
    throw conflict(
      'PortSecurityPortHasSecurityGroup',
      'Port has security group associated. Cannot disable port security or IP address until security group is removed.',
    );
  }
  return groups;
}
