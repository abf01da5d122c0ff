// The subnets collection: Neutron bodies <-> subnet commands and views.
import { canSeeSubnet, visibleSubnet } from '../../domain/subnet/access.ts';
import type { SubnetAttributes } from '../../domain/subnet/commands.ts';
import type { SubnetState } from '../../domain/subnet/state.ts';
import { toNeutronSubnet } from '../../domain/subnet/view.ts';
import { projectOf } from '../fields.ts';
import type { ResourceSpec } from '../resource.ts';
import { createSubnetSchema, updateSubnetSchema, type CreateSubnetBody, type UpdateSubnetBody } from './schemas.ts';

/** What a create and an update body both may set. */
function attributesOf(body: UpdateSubnetBody): SubnetAttributes {
  return {
    name: body.name,
    description: body.description,
    gatewayIp: body.gateway_ip,
    allocationPools: body.allocation_pools,
    enableDhcp: body.enable_dhcp,
    dnsNameservers: body.dns_nameservers,
    hostRoutes: body.host_routes,
  };
}

export const subnetResource: ResourceSpec<SubnetState, CreateSubnetBody, UpdateSubnetBody> = {
  collection: 'subnets',
  member: 'subnet',
  *visible(world, principal) {
    for (const subnet of world.subnets.values()) if (canSeeSubnet(world, principal, subnet)) yield subnet;
  },
  find: (world, principal, id) => visibleSubnet(world, principal, id),
  render: (subnet) => toNeutronSubnet(subnet),
  create: {
    schema: createSubnetSchema,
    command: (body, req) => ({
      type: 'CreateSubnet',
      actor: req.principal,
      at: req.at,
      id: req.newId(),
      networkId: body.network_id,
      cidr: body.cidr,
      ipVersion: body.ip_version,
      projectId: projectOf(body),
      ...attributesOf(body),
      tags: body.tags,
    }),
  },
  update: {
    schema: updateSubnetSchema,
    command: (id, body, req) => ({
      type: 'UpdateSubnet',
      actor: req.principal,
      at: req.at,
      id,
      ...attributesOf(body),
    }),
  },
  remove: (id, req) => ({ type: 'DeleteSubnet', actor: req.principal, at: req.at, id }),
};
