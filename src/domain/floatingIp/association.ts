// Associating a floating IP with a port's fixed IP: which address, through which router, and uniqueness.
import { HTTP_BAD_REQUEST, NeutronError, conflict, notFound } from '../errors.ts';
import { canonicalIp, parseIp } from '../ip/address.ts';
import { owns, type Principal } from '../principal.ts';
import { portNotFound } from '../port/access.ts';
import { L3_OWNERS } from '../router/state.ts';
import type { PortState } from '../port/state.ts';
import type { World } from '../world.ts';
import { routerForFloatingIp } from './access.ts';
import { fixedIpKey, type FloatingIpAssociation } from './state.ts';

const badRequest = (message: string) => new NeutronError('BadRequest', HTTP_BAD_REQUEST, `Bad floatingip request: ${message}.`);

/** The IPv4 fixed IP to translate: the requested one, or the port's only IPv4 address. */
function chooseFixedIp(port: PortState, requested: string | undefined): { subnetId: string; ipAddress: string } {
  if (requested !== undefined) {
    const ip = canonicalIp(requested);
    const fixed = port.fixedIps.find((f) => f.ipAddress === ip);
    if (ip === undefined || fixed === undefined) throw badRequest(`Port ${port.id} does not have fixed ip ${requested}`);
    if (parseIp(fixed.ipAddress)?.version !== 4) throw badRequest(`Cannot use IPv6 fixed ip ${requested} for a floating IP`);
    return fixed;
  }
  const v4 = port.fixedIps.filter((f) => parseIp(f.ipAddress)?.version === 4);
  if (v4.length === 0) throw badRequest(`Port ${port.id} does not have any IPv4 address`);
  if (v4.length > 1) {
    throw badRequest(`Port ${port.id} has multiple fixed IPv4 addresses. Must provide a specific IPv4 address when assigning a floating IP`);
  }
  return v4[0];
}

export interface AssociationRequest {
  actor: Principal;
  floatingIp: { id: string; projectId: string; floatingNetworkId: string; floatingIpAddress: string };
  portId: string;
  fixedIpAddress?: string;
}

/**
 * Where the floating IP will point, or a Neutron refusal: the port must be the floating IP's
 * project's, a router must join its subnet to the external network, and the fixed IP must not
 * already have a floating IP on that network.
 */
export function resolveAssociation(world: World, req: AssociationRequest): FloatingIpAssociation {
  const { floatingIp: fip } = req;
  const port = world.ports.get(req.portId);
  if (port === undefined || !owns(req.actor, port.projectId)) throw portNotFound(req.portId);
  if (L3_OWNERS.has(port.deviceOwner)) {
    throw badRequest(`Port ${port.id} has owner ${port.deviceOwner} and therefore cannot be associated with a floating IP`);
  }
  if (port.projectId !== fip.projectId) {
    throw badRequest(`Cannot create floating IP and bind it to Port ${port.id}, since that port is owned by a different tenant`);
  }
  const fixed = chooseFixedIp(port, req.fixedIpAddress);
  const router = routerForFloatingIp(world, fixed.subnetId, fip.floatingNetworkId);
  if (router === undefined) {
    throw notFound('ExternalGatewayForFloatingIPNotFound',
      `External network ${fip.floatingNetworkId} is not reachable from subnet ${fixed.subnetId}.  Therefore, cannot associate Port ${port.id} with a Floating IP.`);
  }
  const holder = world.floatingIpsByFixedIp.get(fixedIpKey(port.id, fixed.ipAddress, fip.floatingNetworkId));
  if (holder !== undefined && holder !== fip.id) {
    throw conflict('FloatingIPPortAlreadyAssociated',
      `Cannot associate floating IP ${fip.floatingIpAddress} (${fip.id}) with port ${port.id} using fixed IP ${fixed.ipAddress}, ` +
        `as that fixed IP already has a floating IP on external network ${fip.floatingNetworkId}.`);
  }
  return { portId: port.id, fixedIpAddress: fixed.ipAddress, routerId: router.id };
}
