// The ports collection: Neutron bodies <-> port commands and views.
import { canSeePort, visiblePort } from '../../domain/port/access.ts';
import type { AddressPairRequest, FixedIpRequest } from '../../domain/port/commands.ts';
import type { PortState } from '../../domain/port/state.ts';
import type { World } from '../../domain/world.ts';
import { toNeutronPort } from '../../domain/port/view.ts';
import { projectOf } from '../fields.ts';
import type { ResourceSpec } from '../resource.ts';
import { createPortSchema, updatePortSchema, type CreatePortBody, type UpdatePortBody } from './schemas.ts';

function fixedIps(body: UpdatePortBody): FixedIpRequest[] | undefined {
  return body.fixed_ips?.map((f) => ({ subnetId: f.subnet_id, ipAddress: f.ip_address }));
}

function pairs(body: UpdatePortBody): AddressPairRequest[] | undefined {
  return body.allowed_address_pairs?.map((p) => ({ ipAddress: p.ip_address, macAddress: p.mac_address }));
}

/** The attributes create and update share, as command fields. */
function commonFields(body: UpdatePortBody) {
  return {
    name: body.name,
    description: body.description,
    adminStateUp: body.admin_state_up,
    macAddress: body.mac_address,
    fixedIps: fixedIps(body),
    deviceId: body.device_id,
    deviceOwner: body.device_owner,
    hostId: body['binding:host_id'],
    // null clears the profile, as in Neutron.
    bindingProfile: body['binding:profile'] === null ? {} : body['binding:profile'],
    vnicType: body['binding:vnic_type'],
    portSecurityEnabled: body.port_security_enabled,
    allowedAddressPairs: pairs(body),
    securityGroups: body.security_groups === null ? [] : body.security_groups,
  };
}

/** Port ids that can match an id, device_id or network_id filter, from the world's indexes. */
function portIdsFor(world: World, filters: ReadonlyMap<string, string[]>): Set<string> | undefined {
  const ids = filters.get('id');
  if (ids !== undefined) return new Set(ids);
  const devices = filters.get('device_id');
  // Ports without a device are not indexed: device_id= (empty) falls back to a scan.
  if (devices !== undefined && !devices.includes('')) return new Set(devices.flatMap((d) => [...(world.portsByDevice.get(d)?.keys() ?? [])]));
  const networks = filters.get('network_id');
  if (networks !== undefined) return new Set(networks.flatMap((n) => [...(world.networks.get(n)?.ports.keys() ?? [])]));
  return undefined;
}

export const portResource: ResourceSpec<PortState, CreatePortBody, UpdatePortBody> = {
  collection: 'ports',
  member: 'port',
  *visible(world, principal) {
    for (const port of world.ports.values()) if (canSeePort(world, principal, port)) yield port;
  },
  find: (world, principal, id) => visiblePort(world, principal, id),
  candidates: (world, principal, filters) => {
    // Nova asks for a VM's ports (device_id) and a network's ports all the time: answer from the indexes.
    const ids = portIdsFor(world, filters);
    if (ids === undefined) return undefined;
    const ports: PortState[] = [];
    for (const id of ids) {
      const port = world.ports.get(id);
      if (port !== undefined && canSeePort(world, principal, port)) ports.push(port);
    }
    return ports;
  },
  render: (port, principal, world) => toNeutronPort(port, principal, world),
  create: {
    schema: createPortSchema,
    command: (body, req) => ({
      type: 'CreatePort',
      actor: req.principal,
      at: req.at,
      id: req.newId(),
      networkId: body.network_id,
      projectId: projectOf(body),
      tags: body.tags,
      ...commonFields(body),
    }),
  },
  update: {
    schema: updatePortSchema,
    command: (id, body, req) => ({ type: 'UpdatePort', actor: req.principal, at: req.at, id, ...commonFields(body) }),
  },
  remove: (id, req) => ({ type: 'DeletePort', actor: req.principal, at: req.at, id }),
};
