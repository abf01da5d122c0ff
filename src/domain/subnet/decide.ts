// Decides subnet intents: create (cidr, gateway, pools, no overlap in the network), update, delete.
import { AUTO_DELETE_OWNERS } from '../network/decide.ts';
import { ownedNetwork } from '../network/access.ts';
import { conflict, invalidInput, notAuthorized } from '../errors.ts';
import type { DomainEvent, SubnetEvent } from '../events.ts';
import { canonicalIp, cidrsOverlap, formatCidr, parseCidr, type Cidr } from '../ip/address.ts';
import type { World } from '../world.ts';
import { ownedSubnet } from './access.ts';
import type { CreateSubnet, DeleteSubnet, SubnetCommand, UpdateSubnet } from './commands.ts';
import { resolveGateway, resolveLayout } from './layout.ts';
import type { HostRoute, SubnetChanges } from './state.ts';
import { normalTags } from '../tag/decide.ts';
import { unhandled } from '../unhandled.ts';

function parseSubnetCidr(text: string, ipVersion: 4 | 6 | undefined): Cidr {
  const cidr = parseCidr(text);
  if (cidr === undefined) throw invalidInput(`'${text}' is not a valid IP subnet (address/prefix with host bits zero)`);
  if (ipVersion !== undefined && cidr.version !== ipVersion) throw invalidInput(`Cidr ${text} does not match ip_version ${ipVersion}`);
  return cidr;
}

function checkNameservers(list: string[] | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const out = list.map((s) => canonicalIp(s) ?? (() => { throw invalidInput(`'${s}' is not a valid nameserver`); })());
  if (new Set(out).size !== out.length) throw invalidInput('Duplicate nameserver');
  return out;
}

function checkRoutes(routes: HostRoute[] | undefined): HostRoute[] | undefined {
  if (routes === undefined) return undefined;
  return routes.map((r) => {
    const destination = parseCidr(r.destination);
    const nexthop = canonicalIp(r.nexthop);
    if (destination === undefined || nexthop === undefined) throw invalidInput(`Invalid host route ${r.destination} via ${r.nexthop}`);
    return { destination: formatCidr(destination), nexthop };
  });
}

function createSubnet(command: CreateSubnet, world: World): SubnetEvent[] {
  const { actor } = command;
  const network = ownedNetwork(world, actor, command.networkId, 'create_subnet');
  if (world.subnets.has(command.id)) throw conflict('SubnetExists', `Subnet ${command.id} already exists.`);
  if (!actor.isAdmin && command.projectId !== undefined && command.projectId !== actor.projectId) throw notAuthorized('create_subnet');
  const cidr = parseSubnetCidr(command.cidr, command.ipVersion);
  for (const otherId of network.subnetIds) {
    const other = world.subnets.get(otherId);
    const otherCidr = other === undefined ? undefined : parseCidr(other.cidr);
    if (otherCidr !== undefined && cidrsOverlap(cidr, otherCidr)) {
      throw invalidInput(`Requested subnet with cidr: ${formatCidr(cidr)} for network: ${network.id} overlaps with another subnet`);
    }
  }
  const layout = resolveLayout(cidr, resolveGateway(cidr, command.gatewayIp), command.allocationPools);
  return [{
    type: 'SubnetCreated',
    data: {
      id: command.id,
      projectId: command.projectId ?? network.projectId,
      networkId: network.id,
      name: command.name ?? '',
      description: command.description ?? '',
      ipVersion: cidr.version,
      cidr: formatCidr(cidr),
      gatewayIp: layout.gatewayIp,
      allocationPools: layout.allocationPools,
      enableDhcp: command.enableDhcp ?? true,
      dnsNameservers: checkNameservers(command.dnsNameservers) ?? [],
      hostRoutes: checkRoutes(command.hostRoutes) ?? [],
      tags: normalTags(command.tags ?? []),
      createdAt: command.at,
      updatedAt: command.at,
    },
  }];
}

function updateSubnet(command: UpdateSubnet, world: World): SubnetEvent[] {
  const subnet = ownedSubnet(world, command.actor, command.id, 'update_subnet');
  const cidr = parseSubnetCidr(subnet.cidr, undefined);
  const changes: SubnetChanges = {};
  if (command.gatewayIp !== undefined || command.allocationPools !== undefined) {
    const gateway = command.gatewayIp === undefined ? subnet.gatewayIp : resolveGateway(cidr, command.gatewayIp);
    if (gateway !== null && gateway !== subnet.gatewayIp && subnet.allocations.has(gateway)) {
      throw conflict('GatewayIpInUse', `Gateway ip ${gateway} conflicts with allocation.`);
    }
    const layout = resolveLayout(cidr, gateway, command.allocationPools ?? subnet.allocationPools);
    if (command.gatewayIp !== undefined) changes.gatewayIp = layout.gatewayIp;
    if (command.allocationPools !== undefined) changes.allocationPools = layout.allocationPools;
  }
  if (command.name !== undefined) changes.name = command.name;
  if (command.description !== undefined) changes.description = command.description;
  if (command.enableDhcp !== undefined) changes.enableDhcp = command.enableDhcp;
  const nameservers = checkNameservers(command.dnsNameservers);
  if (nameservers !== undefined) changes.dnsNameservers = nameservers;
  const routes = checkRoutes(command.hostRoutes);
  if (routes !== undefined) changes.hostRoutes = routes;
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'SubnetUpdated', data: { id: subnet.id, changes, updatedAt: command.at } }];
}

function deleteSubnet(command: DeleteSubnet, world: World): DomainEvent[] {
  const subnet = ownedSubnet(world, command.actor, command.id, 'delete_subnet');
  const autoPorts = new Set<string>();
  for (const portId of subnet.allocations.values()) {
    const port = world.ports.get(portId);
    if (port !== undefined && !AUTO_DELETE_OWNERS.has(port.deviceOwner)) {
      throw conflict('SubnetInUse',
        `Unable to complete operation on subnet ${subnet.id}: One or more ports have an IP allocation from this subnet.`);
    }
    autoPorts.add(portId);
  }
  const released: DomainEvent[] = [...autoPorts].map((id) => {
    const port = world.ports.get(id)!;
    return { type: 'PortUpdated', data: { id, changes: { fixedIps: port.fixedIps.filter((f) => f.subnetId !== subnet.id) }, updatedAt: command.at } };
  });
  return [...released, { type: 'SubnetDeleted', data: { id: subnet.id, networkId: subnet.networkId } }];
}

export function decideSubnet(command: SubnetCommand, world: World): DomainEvent[] {
  switch (command.type) {
    case 'CreateSubnet':
      return createSubnet(command, world);
    case 'UpdateSubnet':
      return updateSubnet(command, world);
    case 'DeleteSubnet':
      return deleteSubnet(command, world);
    default:
      return unhandled(command, 'unknown subnet command');
  }
}
