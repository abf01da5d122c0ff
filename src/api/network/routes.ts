// The networks collection: Neutron bodies <-> network commands and views.
import { networkNotFound, canSeeNetwork } from '../../domain/network/access.ts';
import type { NetworkAttributes, ProviderRequest } from '../../domain/network/commands.ts';
import type { NetworkState } from '../../domain/network/state.ts';
import { toNeutronNetwork } from '../../domain/network/view.ts';
import { projectOf } from '../fields.ts';
import type { ResourceSpec } from '../resource.ts';
import { createNetworkSchema, updateNetworkSchema, type CreateNetworkBody, type UpdateNetworkBody } from './schemas.ts';

function providerOf(body: UpdateNetworkBody): ProviderRequest | undefined {
  const type = body['provider:network_type'];
  const physnet = body['provider:physical_network'];
  const segmentation = body['provider:segmentation_id'];
  if (type === undefined && physnet === undefined && segmentation === undefined) return undefined;
  return { networkType: type, physicalNetwork: physnet, segmentationId: segmentation };
}

/** What a create and an update body both may set. */
function attributesOf(body: UpdateNetworkBody): NetworkAttributes {
  return {
    name: body.name,
    description: body.description,
    adminStateUp: body.admin_state_up,
    shared: body.shared,
    external: body['router:external'],
    mtu: body.mtu,
    portSecurityEnabled: body.port_security_enabled,
    provider: providerOf(body),
  };
}

export const networkResource: ResourceSpec<NetworkState, CreateNetworkBody, UpdateNetworkBody> = {
  collection: 'networks',
  member: 'network',
  *visible(world, principal) {
    for (const network of world.networks.values()) if (canSeeNetwork(principal, network)) yield network;
  },
  find(world, principal, id) {
    const network = world.networks.get(id);
    if (network === undefined || !canSeeNetwork(principal, network)) throw networkNotFound(id);
    return network;
  },
  render: (network, principal) => toNeutronNetwork(network, principal),
  create: {
    schema: createNetworkSchema,
    command: (body, req) => ({
      type: 'CreateNetwork',
      actor: req.principal,
      at: req.at,
      id: req.newId(),
      projectId: projectOf(body),
      ...attributesOf(body),
      tags: body.tags,
    }),
  },
  update: {
    schema: updateNetworkSchema,
    command: (id, body, req) => ({
      type: 'UpdateNetwork',
      actor: req.principal,
      at: req.at,
      id,
      ...attributesOf(body),
    }),
  },
  remove: (id, req) => ({ type: 'DeleteNetwork', actor: req.principal, at: req.at, id }),
};
