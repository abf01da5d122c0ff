// Decides floating IP intents: allocate on an external network, associate, disassociate, delete, status.
import type { DecideContext } from '../context.ts';
import { HTTP_BAD_REQUEST, NeutronError, conflict, notAuthorized } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import { canonicalIp } from '../ip/address.ts';
import { visibleNetwork } from '../network/access.ts';
import { allocateOnNetwork, inPools, servicePortCreated } from '../router/servicePort.ts';
import { OWNER_FLOATING_IP } from '../router/state.ts';
import type { FixedIp } from '../port/state.ts';
import type { World } from '../world.ts';
import { floatingIpNotFound, visibleFloatingIp } from './access.ts';
import { resolveAssociation } from './association.ts';
import type { CreateFloatingIp, DeleteFloatingIp, FloatingIpCommand, SetFloatingIpStatus, UpdateFloatingIp } from './commands.ts';
import type { FloatingIpChanges } from './state.ts';
import { normalTags } from '../tag/decide.ts';
import { unhandled } from '../unhandled.ts';

const IPV4 = 4;
const badRequest = (message: string) => new NeutronError('BadRequest', HTTP_BAD_REQUEST, `Bad floatingip request: ${message}.`);

/** The requested address (checked against the network's IPv4 subnets) or a free one: floating IPs are IPv4 NAT. */
function floatingAddress(world: World, command: CreateFloatingIp): FixedIp {
  const networkId = command.floatingNetworkId;
  const allIds = world.networks.get(networkId)?.subnetIds ?? [];
  if (command.subnetId !== undefined && !allIds.includes(command.subnetId)) {
    throw badRequest(`Subnet ${command.subnetId} is not on network ${networkId}`);
  }
  const subnetIds = allIds.filter((id) => world.subnets.get(id)?.ipVersion === IPV4);
  if (subnetIds.length === 0) throw badRequest(`Network ${networkId} does not contain any IPv4 subnet`);
  if (command.subnetId !== undefined && !subnetIds.includes(command.subnetId)) {
    throw badRequest(`Subnet ${command.subnetId} is not an IPv4 subnet`);
  }
  if (command.floatingIpAddress === undefined) {
    return allocateOnNetwork(world, networkId, command.subnetId === undefined ? subnetIds : [command.subnetId]);
  }
  const ip = canonicalIp(command.floatingIpAddress);
  if (ip === undefined) throw badRequest(`'${command.floatingIpAddress}' is not a valid IP address`);
  for (const id of command.subnetId !== undefined ? [command.subnetId] : subnetIds) {
    const subnet = world.subnets.get(id);
    if (subnet === undefined || !inPools(subnet, ip)) continue;
    if (subnet.allocations.has(ip) || subnet.gatewayIp === ip) {
      throw conflict('IpAddressInUse', `Unable to complete operation for network ${networkId}. The IP address ${ip} is in use.`);
    }
    return { subnetId: id, ipAddress: ip };
  }
  throw new NeutronError('InvalidIpForNetwork', HTTP_BAD_REQUEST,
    `IP address ${ip} is not a valid IP for any of the subnets on the specified network.`);
}

function createFloatingIp(command: CreateFloatingIp, world: World, ctx: DecideContext): DomainEvent[] {
  const { actor } = command;
  if (command.projectId !== undefined && command.projectId !== actor.projectId && !actor.isAdmin) throw notAuthorized('create_floatingip');
  if (!actor.isAdmin && command.floatingIpAddress !== undefined) throw notAuthorized('create_floatingip:floating_ip_address');
  if (world.floatingIps.has(command.id)) throw conflict('FloatingIPExists', `Floating IP ${command.id} already exists.`);
  const network = visibleNetwork(world, actor, command.floatingNetworkId);
  if (!network.external) throw badRequest(`Network ${network.id} is not a valid external network`);
  const projectId = command.projectId ?? actor.projectId;
  const address = floatingAddress(world, command);
  const fip = { id: command.id, projectId, floatingNetworkId: network.id, floatingIpAddress: address.ipAddress };
  const hasPort = command.portId !== undefined && command.portId !== null;
  if (!hasPort && command.fixedIpAddress !== undefined) throw badRequest('fixed_ip_address cannot be specified without a port_id');
  // decide the association before any event, so a refusal leaves nothing allocated.
  const association = hasPort
    ? resolveAssociation(world, { actor, floatingIp: fip, portId: command.portId as string, fixedIpAddress: command.fixedIpAddress })
    : null;
  const floatingPortId = ctx.newId();
  const events: DomainEvent[] = [
    servicePortCreated(world, ctx, {
      id: floatingPortId, projectId: '', networkId: network.id, deviceId: command.id, deviceOwner: OWNER_FLOATING_IP, fixedIps: [address], at: command.at,
    }),
    {
      type: 'FloatingIpCreated',
      data: {
        ...fip,
        subnetId: address.subnetId,
        floatingPortId,
        description: command.description ?? '',
        tags: normalTags(command.tags ?? []),
        createdAt: command.at,
        updatedAt: command.at,
      },
    },
  ];
  if (association !== null) events.push({ type: 'FloatingIpAssociated', data: { id: command.id, ...association, updatedAt: command.at } });
  return events;
}

function updateFloatingIp(command: UpdateFloatingIp, world: World): DomainEvent[] {
  const fip = visibleFloatingIp(world, command.actor, command.id);
  const events: DomainEvent[] = [];
  const changes: FloatingIpChanges = {};
  if (command.description !== undefined && command.description !== fip.description) changes.description = command.description;
  if (Object.keys(changes).length > 0) events.push({ type: 'FloatingIpUpdated', data: { id: fip.id, changes, updatedAt: command.at } });
  if (command.portId === undefined) {
    if (command.fixedIpAddress !== undefined) throw badRequest('fixed_ip_address cannot be specified without a port_id');
  } else if (command.portId === null) {
    if (fip.association !== null) events.push({ type: 'FloatingIpDisassociated', data: { id: fip.id, updatedAt: command.at } });
  } else {
    const association = resolveAssociation(world, {
      actor: command.actor, floatingIp: fip, portId: command.portId, fixedIpAddress: command.fixedIpAddress,
    });
    const current = fip.association;
    const same = current !== null && current.portId === association.portId && current.fixedIpAddress === association.fixedIpAddress
      && current.routerId === association.routerId;
    if (!same) events.push({ type: 'FloatingIpAssociated', data: { id: fip.id, ...association, updatedAt: command.at } });
  }
  return events;
}

function deleteFloatingIp(command: DeleteFloatingIp, world: World): DomainEvent[] {
  const fip = visibleFloatingIp(world, command.actor, command.id);
  return [
    { type: 'FloatingIpDeleted', data: { id: fip.id } },
    { type: 'PortDeleted', data: { id: fip.floatingPortId, networkId: fip.floatingNetworkId } },
  ];
}

/** The southbound reports as an admin; an unknown or unchanged status records nothing new. */
function setStatus(command: SetFloatingIpStatus, world: World): DomainEvent[] {
  if (!command.actor.isAdmin) throw notAuthorized('update_floatingip:status');
  const fip = world.floatingIps.get(command.id);
  if (fip === undefined) throw floatingIpNotFound(command.id);
  if (fip.status === command.status) return [];
  return [{ type: 'FloatingIpStatusChanged', data: { id: fip.id, status: command.status, updatedAt: command.at } }];
}

export function decideFloatingIp(command: FloatingIpCommand, world: World, ctx: DecideContext): DomainEvent[] {
  switch (command.type) {
    case 'CreateFloatingIp':
      return createFloatingIp(command, world, ctx);
    case 'UpdateFloatingIp':
      return updateFloatingIp(command, world);
    case 'DeleteFloatingIp':
      return deleteFloatingIp(command, world);
    case 'SetFloatingIpStatus':
      return setStatus(command, world);
    default:
      return unhandled(command, 'unknown floating IP command');
  }
}
