// Renders a port in Neutron's JSON shape, with the binding extension (binding:* attributes).
import type { NeutronJson } from '../network/view.ts';
import type { Principal } from '../principal.ts';
import type { World } from '../world.ts';
import type { PortState } from './state.ts';

/** What esdn tells Nova about how to plug a bound port: into OVS br-int, filtered by esdn's flows. */
const VIF_DETAILS = { port_filter: true, ovs_hybrid_plug: false, datapath_type: 'system', bridge_name: 'br-int', connectivity: 'l2' };

/**
 * Neutron's binding:vif_type: "unbound" without a host; "binding_failed" when the host is not a
 * registered hypervisor (no mechanism can wire it), or does not map the physical network of the
 * port's flat or VLAN network; "ovs" once it is and does. Derived from the world at read
 * time rather than recorded: registering or deregistering the host flips every port bound to it with
 * no event per port, and replay at any point in the log gives the same answer.
 */
export function vifType(port: PortState, world: VifWorld): 'unbound' | 'binding_failed' | 'ovs' {
  if (port.hostId === '') return 'unbound';
  const host = world.hosts.get(port.hostId);
  if (!host) return 'binding_failed';
  return reachesSegment(port, host.bridgeMappings, world) ? 'ovs' : 'binding_failed';
}

/** The registered hosts, and the networks when known (a VM port on a flat or VLAN network needs its host to map the physical network). */
export type VifWorld = Pick<World, 'hosts'> & Partial<Pick<World, 'networks'>>;

/**
 * Whether the host reaches the port's network: always for VXLAN; for a provider network (flat, VLAN) a
 * VM port needs the host's bridge_mappings to name the physical network, as Neutron's OVS mechanism
 * driver, else esdn never wires it (DOWN). Ports Neutron itself owns ('network:*') are not VM ports.
 */
function reachesSegment(port: PortState, bridgeMappings: Record<string, string>, world: VifWorld): boolean {
  const segment = world.networks?.get(port.networkId)?.segment;
  if (!segment || segment.networkType === 'vxlan' || segment.physicalNetwork === null || port.deviceOwner.startsWith('network:')) return true;
  const name = bridgeMappings[segment.physicalNetwork];
  return typeof name === 'string' && name !== '';
}

/** `world` gives the registered hosts (and the networks) for binding:vif_type. */
export function toNeutronPort(port: PortState, principal: Principal, world: VifWorld): NeutronJson {
  const json: NeutronJson = {
    id: port.id,
    name: port.name,
    description: port.description,
    tenant_id: port.projectId,
    project_id: port.projectId,
    network_id: port.networkId,
    admin_state_up: port.adminStateUp,
    status: port.status,
    mac_address: port.macAddress,
    fixed_ips: port.fixedIps.map((f) => ({ subnet_id: f.subnetId, ip_address: f.ipAddress })),
    device_id: port.deviceId,
    device_owner: port.deviceOwner,
    port_security_enabled: port.portSecurityEnabled,
    allowed_address_pairs: port.allowedAddressPairs.map((p) => ({ ip_address: p.ipAddress, mac_address: p.macAddress })),
    security_groups: [...port.securityGroups],
    extra_dhcp_opts: [],
    'binding:vnic_type': port.vnicType,
    tags: [...port.tags],
    created_at: port.createdAt,
    updated_at: port.updatedAt,
    revision_number: port.revision,
  };
  // Neutron's policy shows binding details to admins only.
  if (principal.isAdmin) {
    json['binding:host_id'] = port.hostId;
    json['binding:profile'] = { ...port.bindingProfile };
    const vif = vifType(port, world);
    json['binding:vif_type'] = vif;
    json['binding:vif_details'] = vif === 'ovs' ? { ...VIF_DETAILS } : {};
  }
  return json;
}
