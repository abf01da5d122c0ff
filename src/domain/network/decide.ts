// Decides network intents against the whole world: create (with segment allocation), update, delete.
import type { DecideContext } from '../context.ts';
import { conflict, invalidInput, notAuthorized } from '../errors.ts';
import type { DomainEvent, NetworkEvent } from '../events.ts';
import type { World } from '../world.ts';
import { ownedNetwork } from './access.ts';
import type { CreateNetwork, DeleteNetwork, NetworkCommand, UpdateNetwork } from './commands.ts';
import { resolveSegment } from './segments.ts';
import type { NetworkChanges } from './state.ts';
import { checkExternalFlagChange } from '../router/gateway.ts';
import { normalTags } from '../tag/decide.ts';
import { unhandled } from '../unhandled.ts';

/** VXLAN over IPv4 costs 50 bytes of a 1500-byte underlay MTU. */
export const VXLAN_MTU = 1450;
export const PHYSICAL_MTU = 1500;
/** Smallest IPv4 MTU (RFC 791). */
const MIN_MTU = 68;
/** device_owner values whose ports go away with their network (Neutron's auto-delete owners). */
export const AUTO_DELETE_OWNERS: ReadonlySet<string> = new Set(['network:dhcp', 'network:distributed']);

function checkMtu(mtu: number | undefined): void {
  if (mtu !== undefined && mtu < MIN_MTU) throw invalidInput(`MTU ${mtu} is smaller than ${MIN_MTU}`);
}

function createNetwork(command: CreateNetwork, world: World, ctx: DecideContext): NetworkEvent[] {
  const { actor } = command;
  if (world.networks.has(command.id)) throw conflict('NetworkExists', `Network ${command.id} already exists.`);
  if (!actor.isAdmin) {
    if (command.provider !== undefined) throw notAuthorized('create_network:provider:network_type');
    if (command.shared === true) throw notAuthorized('create_network:shared');
    if (command.external === true) throw notAuthorized('create_network:router:external');
    if (command.projectId !== undefined && command.projectId !== actor.projectId) throw notAuthorized('create_network');
  }
  checkMtu(command.mtu);
  const segment = resolveSegment(world, ctx, command.provider);
  return [{
    type: 'NetworkCreated',
    data: {
      id: command.id,
      projectId: command.projectId ?? actor.projectId,
      name: command.name ?? '',
      description: command.description ?? '',
      adminStateUp: command.adminStateUp ?? true,
      shared: command.shared ?? false,
      external: command.external ?? false,
      mtu: command.mtu ?? (segment.networkType === 'vxlan' ? VXLAN_MTU : PHYSICAL_MTU),
      portSecurityEnabled: command.portSecurityEnabled ?? true,
      segment,
      tags: normalTags(command.tags ?? []),
      createdAt: command.at,
      updatedAt: command.at,
    },
  }];
}

function updateNetwork(command: UpdateNetwork, world: World): NetworkEvent[] {
  const { actor } = command;
  const network = ownedNetwork(world, actor, command.id, 'update_network');
  if (command.provider !== undefined) throw invalidInput('provider attributes of a network cannot be updated');
  if (!actor.isAdmin && command.shared !== undefined) throw notAuthorized('update_network:shared');
  if (!actor.isAdmin && command.external !== undefined) throw notAuthorized('update_network:router:external');
  checkMtu(command.mtu);
  const changes: NetworkChanges = {};
  if (command.name !== undefined) changes.name = command.name;
  if (command.description !== undefined) changes.description = command.description;
  if (command.adminStateUp !== undefined) changes.adminStateUp = command.adminStateUp;
  if (command.shared !== undefined) changes.shared = command.shared;
  if (command.external !== undefined) {
    checkExternalFlagChange(world, network.id, command.external);
    changes.external = command.external;
  }
  if (command.mtu !== undefined) changes.mtu = command.mtu;
  if (command.portSecurityEnabled !== undefined) changes.portSecurityEnabled = command.portSecurityEnabled;
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'NetworkUpdated', data: { id: network.id, changes, updatedAt: command.at } }];
}

function deleteNetwork(command: DeleteNetwork, world: World): DomainEvent[] {
  const network = ownedNetwork(world, command.actor, command.id, 'delete_network');
  const autoPorts: string[] = [];
  for (const [portId, owner] of network.ports) {
    if (!AUTO_DELETE_OWNERS.has(owner)) {
      throw conflict('NetworkInUse',
        `Unable to complete operation on network ${network.id}. There are one or more ports still in use on the network.`);
    }
    autoPorts.push(portId);
  }
  return [
    ...autoPorts.map((id): DomainEvent => ({ type: 'PortDeleted', data: { id, networkId: network.id } })),
    ...network.subnetIds.map((id): DomainEvent => ({ type: 'SubnetDeleted', data: { id, networkId: network.id } })),
    { type: 'NetworkDeleted', data: { id: network.id } },
  ];
}

export function decideNetwork(command: NetworkCommand, world: World, ctx: DecideContext): DomainEvent[] {
  switch (command.type) {
    case 'CreateNetwork':
      return createNetwork(command, world, ctx);
    case 'UpdateNetwork':
      return updateNetwork(command, world);
    case 'DeleteNetwork':
      return deleteNetwork(command, world);
    default:
      return unhandled(command, 'unknown network command');
  }
}
