// Decides port intents: create (MAC, fixed IPs, security groups, binding), update, delete, status.
import type { DecideContext } from '../context.ts';
import { conflict, invalidInput, notAuthorized } from '../errors.ts';
import type { DomainEvent, PortEvent } from '../events.ts';
import { checkFixedIpChange, checkPortDeletableByUser, disassociateOnPortDelete } from '../floatingIp/portHooks.ts';
import { canSeeNetwork, networkNotFound } from '../network/access.ts';
import { owns, type Principal } from '../principal.ts';
import { securityGroupsForNewPort, securityGroupsOnUpdate } from '../securityGroup/portGroups.ts';
import type { World } from '../world.ts';
import { portNotFound, visiblePort } from './access.ts';
import { chooseMac, defaultFixedIps, macAddressInUse, resolveFixedIps } from './addresses.ts';
import { bindingEvents } from './binding.ts';
import type { CreatePort, DeletePort, PortCommand, SetPortStatus, UpdatePort } from './commands.ts';
import { resolveAddressPairs } from './pairs.ts';
import type { PortChanges, PortState } from './state.ts';
import { normalTags } from '../tag/decide.ts';
import { unhandled } from '../unhandled.ts';

const NETWORK_OWNER_PREFIX = 'network:';

function checkAdminOnly(actor: Principal, command: CreatePort | UpdatePort, verb: string): void {
  if (actor.isAdmin) return;
  if (command.hostId !== undefined) throw notAuthorized(`${verb}:binding:host_id`);
  if (command.bindingProfile !== undefined) throw notAuthorized(`${verb}:binding:profile`);
  if (command.deviceOwner?.startsWith(NETWORK_OWNER_PREFIX)) throw notAuthorized(`${verb}:device_owner`);
}

function createPort(command: CreatePort, world: World, ctx: DecideContext): DomainEvent[] {
  const { actor } = command;
  const network = world.networks.get(command.networkId);
  if (network === undefined || !canSeeNetwork(actor, network)) throw networkNotFound(command.networkId);
  const networkOwner = owns(actor, network.projectId);
  if (!networkOwner && !network.shared) throw notAuthorized('create_port');
  if (world.ports.has(command.id)) throw conflict('PortExists', `Port ${command.id} already exists.`);
  if (!actor.isAdmin && command.projectId !== undefined && command.projectId !== actor.projectId) throw notAuthorized('create_port');
  checkAdminOnly(actor, command, 'create_port');
  if (!networkOwner && command.fixedIps?.some((f) => f.ipAddress !== undefined)) throw notAuthorized('create_port:fixed_ips:ip_address');
  const deviceOwner = command.deviceOwner ?? '';
  const macAddress = chooseMac(network, ctx, command.macAddress);
  const fixedIps = command.fixedIps === undefined
    ? defaultFixedIps(world, network)
    : resolveFixedIps(world, network, command.fixedIps, { own: new Set(), mayUseGateway: deviceOwner.startsWith(NETWORK_OWNER_PREFIX) });
  const projectId = command.projectId ?? actor.projectId;
  const portSecurityEnabled = command.portSecurityEnabled ?? network.portSecurityEnabled;
  const allowedAddressPairs = resolveAddressPairs(command.allowedAddressPairs ?? [], macAddress, portSecurityEnabled);
  const groups = securityGroupsForNewPort(world, ctx, {
    projectId, deviceOwner, portSecurityEnabled, requested: command.securityGroups, at: command.at,
  });
  const bindingProfile = command.bindingProfile ?? {};
  const created: PortEvent = {
    type: 'PortCreated',
    data: {
      id: command.id,
      projectId,
      networkId: network.id,
      name: command.name ?? '',
      description: command.description ?? '',
      adminStateUp: command.adminStateUp ?? true,
      macAddress,
      fixedIps,
      deviceId: command.deviceId ?? '',
      deviceOwner,
      bindingProfile,
      vnicType: command.vnicType ?? 'normal',
      portSecurityEnabled,
      allowedAddressPairs,
      securityGroups: groups.securityGroups,
      tags: normalTags(command.tags ?? []),
      createdAt: command.at,
      updatedAt: command.at,
    },
  };
  const bound: PortEvent[] = command.hostId === undefined || command.hostId === ''
    ? []
    : [{ type: 'PortBoundToHost', data: { id: command.id, hostId: command.hostId, profile: bindingProfile, updatedAt: command.at } }];
  return [...groups.events, created, ...bound];
}

function ownedPort(world: World, actor: Principal, id: string, rule: string): PortState {
  const port = visiblePort(world, actor, id);
  if (!owns(actor, port.projectId) && !owns(actor, world.networks.get(port.networkId)?.projectId ?? '')) throw notAuthorized(rule);
  return port;
}

function addressChanges(command: UpdatePort, world: World, port: PortState, changes: PortChanges): void {
  const network = world.networks.get(port.networkId)!;
  if (command.macAddress !== undefined && command.macAddress !== port.macAddress) {
    if (!command.actor.isAdmin) throw notAuthorized('update_port:mac_address');
    if (port.hostId !== '') throw conflict('PortBound', `Unable to complete operation on port ${port.id}: the port is bound to ${port.hostId}.`);
    if (network.macs.has(command.macAddress)) throw macAddressInUse(network.id, command.macAddress);
    changes.macAddress = command.macAddress;
  }
  if (command.fixedIps !== undefined) {
    const own = new Set(port.fixedIps.map((f) => `${f.subnetId}|${f.ipAddress}`));
    const mayUseGateway = (command.deviceOwner ?? port.deviceOwner).startsWith(NETWORK_OWNER_PREFIX);
    changes.fixedIps = resolveFixedIps(world, network, command.fixedIps, { own, mayUseGateway });
    checkFixedIpChange(world, port.id, changes.fixedIps);
  }
}

function updatePort(command: UpdatePort, world: World): DomainEvent[] {
  const { actor } = command;
  const port = ownedPort(world, actor, command.id, 'update_port');
  checkAdminOnly(actor, command, 'update_port');
  const changes: PortChanges = {};
  addressChanges(command, world, port, changes);
  for (const k of ['name', 'description', 'adminStateUp', 'deviceId', 'deviceOwner'] as const) {
    if (command[k] !== undefined && command[k] !== port[k]) (changes as Record<string, unknown>)[k] = command[k];
  }
  const enabled = command.portSecurityEnabled ?? port.portSecurityEnabled;
  if (command.portSecurityEnabled !== undefined && command.portSecurityEnabled !== port.portSecurityEnabled) {
    changes.portSecurityEnabled = command.portSecurityEnabled;
  }
  const groups = securityGroupsOnUpdate(world, port, { portSecurityEnabled: command.portSecurityEnabled, securityGroups: command.securityGroups });
  if (groups !== undefined) changes.securityGroups = groups;
  if (command.allowedAddressPairs !== undefined) {
    changes.allowedAddressPairs = resolveAddressPairs(command.allowedAddressPairs, changes.macAddress ?? port.macAddress, enabled);
  } else if (!enabled && port.allowedAddressPairs.length > 0) {
    throw conflict('AddressPairAndPortSecurityRequired', 'Port Security must be enabled in order to have allowed address pairs on a port.');
  }
  const events: DomainEvent[] = [];
  if (Object.keys(changes).length > 0) events.push({ type: 'PortUpdated', data: { id: port.id, changes, updatedAt: command.at } });
  if (command.vnicType !== undefined && command.vnicType !== port.vnicType) throw invalidInput('binding:vnic_type cannot be changed');
  return [...events, ...bindingEvents(port, command.hostId, command.bindingProfile, command.at)];
}

function deletePort(command: DeletePort, world: World): DomainEvent[] {
  const port = ownedPort(world, command.actor, command.id, 'delete_port');
  checkPortDeletableByUser(port);
  return [...disassociateOnPortDelete(world, port.id, command.at), { type: 'PortDeleted', data: { id: port.id, networkId: port.networkId } }];
}

function setPortStatus(command: SetPortStatus, world: World): DomainEvent[] {
  if (!command.actor.isAdmin) throw notAuthorized('update_port:status');
  const port = world.ports.get(command.id);
  if (port === undefined) throw portNotFound(command.id);
  if (port.status === command.status) return [];
  return [{ type: 'PortStatusChanged', data: { id: port.id, status: command.status, updatedAt: command.at } }];
}

export function decidePort(command: PortCommand, world: World, ctx: DecideContext): DomainEvent[] {
  switch (command.type) {
    case 'CreatePort':
      return createPort(command, world, ctx);
    case 'UpdatePort':
      return updatePort(command, world);
    case 'DeletePort':
      return deletePort(command, world);
    case 'SetPortStatus':
      return setPortStatus(command, world);
    default:
      return unhandled(command, 'unknown port command');
  }
}
