// Renders routers in Neutron's JSON shape (external_gateway_info, routes).
import type { Principal } from '../principal.ts';
import type { RouterState } from './state.ts';

export type NeutronJson = Record<string, unknown>;

export function toNeutronRouter(router: RouterState, _principal: Principal): NeutronJson {
  const gateway = router.gateway;
  return {
    id: router.id,
    name: router.name,
    description: router.description,
    tenant_id: router.projectId,
    project_id: router.projectId,
    admin_state_up: router.adminStateUp,
    status: 'ACTIVE',
    external_gateway_info:
      gateway === null
        ? null
        : {
            network_id: gateway.networkId,
            enable_snat: gateway.enableSnat,
            external_fixed_ips: gateway.externalFixedIps.map((f) => ({ subnet_id: f.subnetId, ip_address: f.ipAddress })),
          },
    routes: router.routes.map((r) => ({ destination: r.destination, nexthop: r.nexthop })),
    distributed: true,
    ha: false,
    flavor_id: null,
    availability_zone_hints: [],
    availability_zones: [],
    tags: [...router.tags],
    created_at: router.createdAt,
    updated_at: router.updatedAt,
    revision_number: router.revision,
  };
}
