// Router interfaces: attach a subnet (new port with its gateway IP) or an existing port; detach them.
import type { DecideContext } from '../context.ts';
import { HTTP_BAD_REQUEST, NeutronError, conflict, notFound } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import { cidrsOverlap, parseCidr } from '../ip/address.ts';
import type { SubnetState } from '../subnet/state.ts';
import type { World } from '../world.ts';
import { visibleSubnet } from '../subnet/access.ts';
import { ownedPort, visibleRouter } from './access.ts';
import type { AddRouterInterface, RemoveRouterInterface } from './commands.ts';
import { routesVia } from './routes.ts';
import { servicePortCreated } from './servicePort.ts';
import { OWNER_ROUTER_INTERFACE, type RouterState } from './state.ts';

const badRequest = (message: string) => new NeutronError('BadRequest', HTTP_BAD_REQUEST, `Bad router request: ${message}.`);

function exactlyOne(command: { subnetId?: string; portId?: string }, allowBoth: boolean): void {
  if (command.subnetId === undefined && command.portId === undefined) throw badRequest('Either subnet_id or port_id must be specified');
  if (!allowBoth && command.subnetId !== undefined && command.portId !== undefined) {
    throw badRequest('Cannot specify both subnet-id and port-id');
  }
}

/** Neutron refuses a second interface on one subnet and subnets that overlap on one router. */
function checkNewSubnet(world: World, router: RouterState, subnet: SubnetState): void {
  const cidr = parseCidr(subnet.cidr);
  for (const existing of router.interfaces) {
    if (existing.subnetId === subnet.id) throw badRequest(`Router already has a port on subnet ${subnet.id}`);
    const other = world.subnets.get(existing.subnetId);
    const otherCidr = other === undefined ? undefined : parseCidr(other.cidr);
    if (cidr !== undefined && otherCidr !== undefined && cidrsOverlap(cidr, otherCidr)) {
      throw badRequest(`Cidr ${subnet.cidr} of subnet ${subnet.id} overlaps with cidr ${other?.cidr} of subnet ${existing.subnetId}`);
    }
  }
}

function addBySubnet(command: AddRouterInterface, subnetId: string, router: RouterState, world: World, ctx: DecideContext): DomainEvent[] {
  const subnet = visibleSubnet(world, command.actor, subnetId);
  if (subnet.gatewayIp === null) throw badRequest('Subnet for router interface must have a gateway IP');
  checkNewSubnet(world, router, subnet);
  if (subnet.allocations.has(subnet.gatewayIp)) {
    // another router (or a port) already holds the gateway address: one subnet, one router.
    throw conflict('IpAddressAlreadyAllocated', `IP address ${subnet.gatewayIp} already allocated in subnet ${subnet.id}`);
  }
  const portId = ctx.newId();
  return [
    servicePortCreated(world, ctx, {
      id: portId,
      projectId: subnet.projectId,
      networkId: subnet.networkId,
      deviceId: router.id,
      deviceOwner: OWNER_ROUTER_INTERFACE,
      fixedIps: [{ subnetId: subnet.id, ipAddress: subnet.gatewayIp }],
      at: command.at,
    }),
    { type: 'RouterInterfaceAdded', data: { id: router.id, portId, subnetId: subnet.id, updatedAt: command.at } },
  ];
}

function addByPort(command: AddRouterInterface, portId: string, router: RouterState, world: World): DomainEvent[] {
  const port = ownedPort(world, command.actor, portId, 'add_router_interface');
  if (port.deviceId !== '') {
    throw conflict('PortInUse',
      `Unable to complete operation on port ${port.id} for network ${port.networkId}. Port already has an attached device ${port.deviceId}.`);
  }
  if (port.fixedIps.length === 0) throw badRequest('Router port must have at least one fixed IP');
  const subnets = [...new Set(port.fixedIps.map((f) => f.subnetId))].map((id) => world.subnets.get(id)).filter((s): s is SubnetState => s !== undefined);
  if (subnets.filter((s) => s.ipVersion === 4).length > 1) throw badRequest('Cannot have multiple IPv4 subnets on router port');
  for (const subnet of subnets) checkNewSubnet(world, router, subnet);
  return [
    { type: 'PortUpdated', data: { id: port.id, changes: { deviceId: router.id, deviceOwner: OWNER_ROUTER_INTERFACE }, updatedAt: command.at } },
    ...subnets.map((s): DomainEvent => ({ type: 'RouterInterfaceAdded', data: { id: router.id, portId: port.id, subnetId: s.id, updatedAt: command.at } })),
  ];
}

export function addInterface(command: AddRouterInterface, world: World, ctx: DecideContext): DomainEvent[] {
  exactlyOne(command, false);
  const router = visibleRouter(world, command.actor, command.id);
  return command.subnetId !== undefined
    ? addBySubnet(command, command.subnetId, router, world, ctx)
    : addByPort(command, command.portId as string, router, world);
}

/** The interface port to remove: by port id, or by subnet (checked against the port when both are given). */
function interfacePort(router: RouterState, command: RemoveRouterInterface): string {
  const { portId, subnetId } = command;
  if (portId !== undefined) {
    const entries = router.interfaces.filter((i) => i.portId === portId);
    if (entries.length === 0) {
      throw notFound('RouterInterfaceNotFound', `Router ${router.id} does not have an interface with id ${portId}`);
    }
    if (subnetId !== undefined && !entries.some((i) => i.subnetId === subnetId)) {
      throw notFound('RouterInterfaceNotFoundForSubnet', `Router ${router.id} has no interface on subnet ${subnetId}`);
    }
    return portId;
  }
  const entry = router.interfaces.find((i) => i.subnetId === subnetId);
  if (entry === undefined) throw notFound('RouterInterfaceNotFoundForSubnet', `Router ${router.id} has no interface on subnet ${subnetId}`);
  return entry.portId;
}

/** Floating IPs through this router whose fixed IP lies on the subnet. */
function floatingIpsOnSubnet(world: World, routerId: string, subnetId: string): string[] {
  const ids: string[] = [];
  for (const [id, fip] of world.floatingIps) {
    const a = fip.association;
    if (a === null || a.routerId !== routerId) continue;
    const port = world.ports.get(a.portId);
    if (port?.fixedIps.some((f) => f.subnetId === subnetId && f.ipAddress === a.fixedIpAddress)) ids.push(id);
  }
  return ids;
}

export function removeInterface(command: RemoveRouterInterface, world: World): DomainEvent[] {
  exactlyOne(command, true);
  const router = visibleRouter(world, command.actor, command.id);
  const portId = interfacePort(router, command);
  const removed = router.interfaces.filter((i) => i.portId === portId);
  for (const { subnetId } of removed) {
    if (floatingIpsOnSubnet(world, router.id, subnetId).length > 0) {
      throw conflict('RouterInterfaceInUseByFloatingIP',
        `Router interface for subnet ${subnetId} on router ${router.id} cannot be deleted, as it is required by one or more floating IPs.`);
    }
    const subnet = world.subnets.get(subnetId);
    if (subnet !== undefined && routesVia(router.routes, subnet.cidr).length > 0) {
      throw conflict('RouterInterfaceInUseByRoute',
        `Router interface for subnet ${subnetId} on router ${router.id} cannot be deleted, as it is required by one or more routes.`);
    }
  }
  const port = world.ports.get(portId);
  return [
    ...removed.map((i): DomainEvent => ({ type: 'RouterInterfaceRemoved', data: { id: router.id, ...i, updatedAt: command.at } })),
    ...(port === undefined ? [] : [{ type: 'PortDeleted', data: { id: portId, networkId: port.networkId } } as DomainEvent]),
  ];
}
