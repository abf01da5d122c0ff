// Renders a network in Neutron's JSON shape, hiding provider attributes from non-admins like Neutron's policy.
import type { Principal } from '../principal.ts';
import type { NetworkState } from './state.ts';

export type NeutronJson = Record<string, unknown>;

export function toNeutronNetwork(network: NetworkState, principal: Principal): NeutronJson {
  const json: NeutronJson = {
    id: network.id,
    name: network.name,
    description: network.description,
    tenant_id: network.projectId,
    project_id: network.projectId,
    admin_state_up: network.adminStateUp,
    status: 'ACTIVE',
    subnets: [...network.subnetIds],
    shared: network.shared,
    'router:external': network.external,
    mtu: network.mtu,
    port_security_enabled: network.portSecurityEnabled,
    availability_zone_hints: [],
    availability_zones: [],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    l2_adjacency: true,
    is_default: false,
    qos_policy_id: null,
    tags: [...network.tags],
    created_at: network.createdAt,
    updated_at: network.updatedAt,
    revision_number: network.revision,
  };
  if (principal.isAdmin) {
    json['provider:network_type'] = network.segment.networkType;
    json['provider:physical_network'] = network.segment.physicalNetwork;
    json['provider:segmentation_id'] = network.segment.segmentationId;
  }
  return json;
}
