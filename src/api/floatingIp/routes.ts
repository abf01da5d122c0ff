// The floatingips collection: Neutron bodies <-> floating IP commands and views.
import { floatingIpNotFound } from '../../domain/floatingIp/access.ts';
import type { FloatingIpState } from '../../domain/floatingIp/state.ts';
import { toNeutronFloatingIp } from '../../domain/floatingIp/view.ts';
import { projectOf } from '../fields.ts';
import { ownedResource, type ResourceSpec } from '../resource.ts';
import { createFloatingIpSchema, updateFloatingIpSchema, type CreateFloatingIpBody, type UpdateFloatingIpBody } from './schemas.ts';

export const floatingIpResource: ResourceSpec<FloatingIpState, CreateFloatingIpBody, UpdateFloatingIpBody> = {
  collection: 'floatingips',
  member: 'floatingip',
  ...ownedResource((world) => world.floatingIps, floatingIpNotFound),
  render: (fip, _principal, world) => toNeutronFloatingIp(fip, world),
  create: {
    schema: createFloatingIpSchema,
    command: (body, req) => ({
      type: 'CreateFloatingIp',
      actor: req.principal,
      at: req.at,
      id: req.newId(),
      projectId: projectOf(body),
      floatingNetworkId: body.floating_network_id,
      subnetId: body.subnet_id ?? undefined,
      floatingIpAddress: body.floating_ip_address,
      portId: body.port_id,
      fixedIpAddress: body.fixed_ip_address,
      description: body.description,
      tags: body.tags,
    }),
  },
  update: {
    schema: updateFloatingIpSchema,
    command: (id, body, req) => ({
      type: 'UpdateFloatingIp',
      actor: req.principal,
      at: req.at,
      id,
      portId: body.port_id,
      fixedIpAddress: body.fixed_ip_address ?? undefined,
      description: body.description,
    }),
  },
  remove: (id, req) => ({ type: 'DeleteFloatingIp', actor: req.principal, at: req.at, id }),
};
