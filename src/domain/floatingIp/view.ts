// Renders floating IPs in Neutron's JSON shape (port_details included, as current Neutron does).
import type { World } from '../world.ts';
import type { FloatingIpState } from './state.ts';

export type NeutronJson = Record<string, unknown>;

function portDetails(fip: FloatingIpState, world: World): NeutronJson | null {
  const port = fip.association === null ? undefined : world.ports.get(fip.association.portId);
  if (port === undefined) return null;
  return {
    name: port.name,
    network_id: port.networkId,
    mac_address: port.macAddress,
    admin_state_up: port.adminStateUp,
    status: port.status,
    device_id: port.deviceId,
    device_owner: port.deviceOwner,
  };
}

export function toNeutronFloatingIp(fip: FloatingIpState, world: World): NeutronJson {
  const a = fip.association;
  return {
    id: fip.id,
    tenant_id: fip.projectId,
    project_id: fip.projectId,
    floating_network_id: fip.floatingNetworkId,
    floating_ip_address: fip.floatingIpAddress,
    subnet_id: fip.subnetId,
    port_id: a?.portId ?? null,
    fixed_ip_address: a?.fixedIpAddress ?? null,
    router_id: a?.routerId ?? null,
    status: fip.status,
    description: fip.description,
    port_details: portDetails(fip, world),
    port_forwardings: [],
    qos_policy_id: null,
    dns_domain: '',
    dns_name: '',
    tags: [...fip.tags],
    created_at: fip.createdAt,
    updated_at: fip.updatedAt,
    revision_number: fip.revision,
  };
}
