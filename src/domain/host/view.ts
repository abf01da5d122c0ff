// Renders a host in esdn's Neutron-shaped JSON.
import type { NeutronJson } from '../network/view.ts';
import type { HostState } from './state.ts';

export function toHostJson(host: HostState): NeutronJson {
  return {
    // The name is the host's id: ports name it in binding:host_id.
    id: host.name,
    name: host.name,
    datapath_id: host.datapathId,
    tunnel_ip: host.tunnelIp,
    bridge_mappings: { ...host.bridgeMappings },
    tunnel_interface: host.tunnelInterface,
    created_at: host.createdAt,
    updated_at: host.updatedAt,
    revision_number: host.revision,
  };
}
