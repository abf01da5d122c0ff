// Renders a subnet in Neutron's JSON shape.
import type { NeutronJson } from '../network/view.ts';
import type { SubnetState } from './state.ts';

export function toNeutronSubnet(subnet: SubnetState): NeutronJson {
  return {
    id: subnet.id,
    name: subnet.name,
    description: subnet.description,
    tenant_id: subnet.projectId,
    project_id: subnet.projectId,
    network_id: subnet.networkId,
    ip_version: subnet.ipVersion,
    cidr: subnet.cidr,
    gateway_ip: subnet.gatewayIp,
    allocation_pools: subnet.allocationPools.map((p) => ({ ...p })),
    enable_dhcp: subnet.enableDhcp,
    dns_nameservers: [...subnet.dnsNameservers],
    host_routes: subnet.hostRoutes.map((r) => ({ ...r })),
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    subnetpool_id: null,
    service_types: [],
    segment_id: null,
    dns_publish_fixed_ip: false,
    tags: [...subnet.tags],
    created_at: subnet.createdAt,
    updated_at: subnet.updatedAt,
    revision_number: subnet.revision,
  };
}
