// A router's external gateway: its port on an external network, set, changed and cleared as Neutron does.
import type { DecideContext } from '../context.ts';
import { HTTP_BAD_REQUEST, NeutronError, conflict, notAuthorized } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import { canonicalIp } from '../ip/address.ts';
import { visibleNetwork } from '../network/access.ts';
import type { Principal } from '../principal.ts';
import type { FixedIp } from '../port/state.ts';
import type { World } from '../world.ts';
import type { GatewayRequest } from './commands.ts';
import { allocateOnNetwork, inPools, servicePortCreated } from './servicePort.ts';
import { OWNER_ROUTER_GATEWAY, type ExternalGateway, type RouterState } from './state.ts';

const badRequest = (message: string) => new NeutronError('BadRequest', HTTP_BAD_REQUEST, `Bad router request: ${message}.`);

function ipInUse(networkId: string, ip: string): NeutronError {
  return conflict('IpAddressInUse', `Unable to complete operation for network ${networkId}. The IP address ${ip} is in use.`);
}

/**
 * One wanted address on the external network: a given address (admin only) or a free one of a
 * subnet. `ownPortId` is the current gateway port, whose addresses may be asked for again.
 */
function wantedFixedIp(
  world: World, networkId: string, want: { subnetId?: string; ipAddress?: string }, taken: ReadonlySet<string>, ownPortId?: string,
): FixedIp {
  const subnetIds = world.networks.get(networkId)?.subnetIds ?? [];
  if (want.ipAddress === undefined) {
    if (want.subnetId !== undefined && !subnetIds.includes(want.subnetId)) {
      throw badRequest(`subnet ${want.subnetId} is not on external network ${networkId}`);
    }
    return allocateOnNetwork(world, networkId, want.subnetId === undefined ? undefined : [want.subnetId], taken);
  }
  const ip = canonicalIp(want.ipAddress);
  if (ip === undefined) throw badRequest(`'${want.ipAddress}' is not a valid IP address`);
  const candidates = want.subnetId !== undefined ? [want.subnetId] : subnetIds;
  for (const id of candidates) {
    const subnet = world.subnets.get(id);
    if (subnet === undefined || subnet.networkId !== networkId || !inPools(subnet, ip)) continue;
    const holder = subnet.allocations.get(ip);
    if ((holder !== undefined && holder !== ownPortId) || subnet.gatewayIp === ip) throw ipInUse(networkId, ip);
    return { subnetId: id, ipAddress: ip };
  }
  throw badRequest(`IP address ${ip} is not a valid IP for the subnets of external network ${networkId}`);
}

/** Floating IPs whose NAT needs this router's gateway. */
export function floatingIpsViaRouter(world: World, routerId: string): string[] {
  const ids: string[] = [];
  for (const [id, fip] of world.floatingIps) if (fip.association?.routerId === routerId) ids.push(id);
  return ids;
}

/** `replacing`: a new gateway port on the same network follows, so floating IPs keep their way out. */
export function clearGatewayEvents(world: World, router: Pick<RouterState, 'id' | 'gateway'>, at: string, replacing = false): DomainEvent[] {
  const gateway = router.gateway;
  if (gateway === null) return [];
  if (!replacing && floatingIpsViaRouter(world, router.id).length > 0) {
    throw conflict('RouterExternalGatewayInUseByFloatingIp',
      `Gateway cannot be updated for router ${router.id}, since a gateway to external network ${gateway.networkId} is required by one or more floating IPs.`);
  }
  return [
    { type: 'RouterGatewayCleared', data: { id: router.id, portId: gateway.portId, updatedAt: at } },
    { type: 'PortDeleted', data: { id: gateway.portId, networkId: gateway.networkId } },
  ];
}

/**
 * Events that give the router this gateway: only enable_snat changes when the network and addresses
 * stay; otherwise the old gateway port goes and a new one is created on the external network.
 */
export function setGatewayEvents(
  world: World,
  ctx: DecideContext,
  actor: Principal,
  router: { id: string; gateway: ExternalGateway | null },
  request: GatewayRequest,
  at: string,
): DomainEvent[] {
  if (!actor.isAdmin && request.enableSnat !== undefined) throw notAuthorized('create_router:external_gateway_info:enable_snat');
  if (!actor.isAdmin && request.externalFixedIps !== undefined) {
    throw notAuthorized('create_router:external_gateway_info:external_fixed_ips');
  }
  const network = visibleNetwork(world, actor, request.networkId);
  if (!network.external) throw badRequest(`network ${network.id} is not a valid external network`);
  const enableSnat = request.enableSnat ?? router.gateway?.enableSnat ?? true;
  const current = router.gateway;
  if (current !== null && current.networkId === network.id && request.externalFixedIps === undefined) {
    if (current.enableSnat === enableSnat) return [];
    return [{ type: 'RouterGatewaySet', data: { id: router.id, gateway: { ...current, enableSnat }, updatedAt: at } }];
  }
  const cleared = clearGatewayEvents(world, router, at, current?.networkId === network.id);
  const wants = request.externalFixedIps ?? [{}];
  const fixedIps: FixedIp[] = [];
  for (const want of wants) {
    const taken = new Set(fixedIps.map((f) => f.ipAddress));
    const fixed = wantedFixedIp(world, network.id, want, taken, current?.networkId === network.id ? current.portId : undefined);
    if (fixedIps.some((f) => f.ipAddress === fixed.ipAddress)) throw ipInUse(network.id, fixed.ipAddress);
    fixedIps.push(fixed);
  }
  const portId = ctx.newId();
  const port = servicePortCreated(world, ctx, {
    id: portId, projectId: '', networkId: network.id, deviceId: router.id, deviceOwner: OWNER_ROUTER_GATEWAY, fixedIps, at,
  });
  const gateway: ExternalGateway = { networkId: network.id, enableSnat, externalFixedIps: fixedIps, portId };
  return [...cleared, port, { type: 'RouterGatewaySet', data: { id: router.id, gateway, updatedAt: at } }];
}

/** Neutron refuses making a network internal while routers have their gateway on it (409). */
export function checkExternalFlagChange(world: World, networkId: string, external: boolean): void {
  if (external) return;
  for (const [, router] of world.routers) {
    if (router.gateway?.networkId === networkId) {
      throw conflict('ExternalNetworkInUse',
        `External network ${networkId} cannot be updated to be made non-external, since it has existing gateway ports.`);
    }
  }
}
