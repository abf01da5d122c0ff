// Decides host intents: register (unique name, datapath id and tunnel address), update, deregister.
import { conflict, invalidInput, notAuthorized, notFound } from '../errors.ts';
import type { HostEvent } from '../events.ts';
import { canonicalIp } from '../ip/address.ts';
import type { Principal } from '../principal.ts';
import type { World } from '../world.ts';
import type { HostCommand, RegisterHost, UpdateHost } from './commands.ts';
import type { HostChanges, HostState } from './state.ts';
import { unhandled } from '../unhandled.ts';

/** The flow-based VXLAN port `esdn host-setup` creates on br-int. */
export const DEFAULT_TUNNEL_INTERFACE = 'vxlan0';
const DATAPATH_ID = /^[0-9a-fA-F]{16}$/;

export const hostNotFound = (name: string) => notFound('HostNotFound', `Host ${name} could not be found.`);

function requireAdmin(actor: Principal, rule: string): void {
  if (!actor.isAdmin) throw notAuthorized(rule);
}

function datapathId(text: string, world: World, self: string | undefined): string {
  if (!DATAPATH_ID.test(text)) throw invalidInput(`datapath_id '${text}' is not 16 hexadecimal digits`);
  const id = text.toLowerCase();
  const owner = world.hostsByDatapath.get(id);
  if (owner !== undefined && owner !== self) throw conflict('DatapathIdInUse', `Datapath id ${id} is already registered by host ${owner}.`);
  return id;
}

function tunnelIp(text: string, world: World, self: string | undefined): string {
  const ip = canonicalIp(text);
  if (ip === undefined) throw invalidInput(`tunnel_ip '${text}' is not a valid IP address`);
  for (const host of world.hosts.values()) {
    if (host.tunnelIp === ip && host.name !== self) throw conflict('TunnelIpInUse', `Tunnel IP ${ip} is already used by host ${host.name}.`);
  }
  return ip;
}

function registerHost(command: RegisterHost, world: World): HostEvent[] {
  requireAdmin(command.actor, 'create_host');
  if (world.hosts.has(command.name)) throw conflict('HostExists', `Host ${command.name} is already registered.`);
  return [{
    type: 'HostRegistered',
    data: {
      name: command.name,
      datapathId: datapathId(command.datapathId, world, undefined),
      tunnelIp: tunnelIp(command.tunnelIp, world, undefined),
      bridgeMappings: { ...(command.bridgeMappings ?? {}) },
      tunnelInterface: command.tunnelInterface ?? DEFAULT_TUNNEL_INTERFACE,
      createdAt: command.at,
      updatedAt: command.at,
    },
  }];
}

function existing(world: World, name: string): HostState {
  const host = world.hosts.get(name);
  if (host === undefined) throw hostNotFound(name);
  return host;
}

function updateHost(command: UpdateHost, world: World): HostEvent[] {
  requireAdmin(command.actor, 'update_host');
  const host = existing(world, command.name);
  const changes: HostChanges = {};
  if (command.datapathId !== undefined) {
    const id = datapathId(command.datapathId, world, host.name);
    if (id !== host.datapathId) changes.datapathId = id;
  }
  if (command.tunnelIp !== undefined) {
    const ip = tunnelIp(command.tunnelIp, world, host.name);
    if (ip !== host.tunnelIp) changes.tunnelIp = ip;
  }
  if (command.bridgeMappings !== undefined) changes.bridgeMappings = { ...command.bridgeMappings };
  if (command.tunnelInterface !== undefined && command.tunnelInterface !== host.tunnelInterface) {
    changes.tunnelInterface = command.tunnelInterface;
  }
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'HostUpdated', data: { name: host.name, changes, updatedAt: command.at } }];
}

export function decideHost(command: HostCommand, world: World): HostEvent[] {
  switch (command.type) {
    case 'RegisterHost':
      return registerHost(command, world);
    case 'UpdateHost':
      return updateHost(command, world);
    case 'DeregisterHost':
      requireAdmin(command.actor, 'delete_host');
      existing(world, command.name);
      return [{ type: 'HostDeregistered', data: { name: command.name } }];
    default:
      return unhandled(command, 'unknown host command');
  }
}
