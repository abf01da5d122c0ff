// The routers collection: Neutron bodies <-> router commands and views.
import { routerNotFound } from '../../domain/router/access.ts';
import type { GatewayRequest } from '../../domain/router/commands.ts';
import type { RouterState } from '../../domain/router/state.ts';
import { toNeutronRouter } from '../../domain/router/view.ts';
import { projectOf } from '../fields.ts';
import { ownedResource, type ResourceSpec } from '../resource.ts';
import { createRouterSchema, updateRouterSchema, type CreateRouterBody, type GatewayInfoBody, type UpdateRouterBody } from './schemas.ts';

/** undefined: not given; null: no gateway (or clear it); else the requested gateway. */
function gatewayOf(info: GatewayInfoBody | undefined): GatewayRequest | null | undefined {
  if (info === undefined || info === null || info.network_id === undefined) return info === undefined ? undefined : null;
  return {
    networkId: info.network_id,
    enableSnat: info.enable_snat,
    externalFixedIps: info.external_fixed_ips?.map((f) => ({ subnetId: f.subnet_id, ipAddress: f.ip_address })),
  };
}

export const routerResource: ResourceSpec<RouterState, CreateRouterBody, UpdateRouterBody> = {
  collection: 'routers',
  member: 'router',
  ...ownedResource((world) => world.routers, routerNotFound),
  render: (router, principal) => toNeutronRouter(router, principal),
  create: {
    schema: createRouterSchema,
    command: (body, req) => ({
      type: 'CreateRouter',
      actor: req.principal,
      at: req.at,
      id: req.newId(),
      projectId: projectOf(body),
      name: body.name,
      description: body.description,
      adminStateUp: body.admin_state_up,
      externalGateway: gatewayOf(body.external_gateway_info),
      tags: body.tags,
    }),
  },
  update: {
    schema: updateRouterSchema,
    command: (id, body, req) => ({
      type: 'UpdateRouter',
      actor: req.principal,
      at: req.at,
      id,
      name: body.name,
      description: body.description,
      adminStateUp: body.admin_state_up,
      // Neutron treats routes: null as "no routes".
      routes: body.routes === null ? [] : body.routes,
      externalGateway: gatewayOf(body.external_gateway_info),
    }),
  },
  remove: (id, req) => ({ type: 'DeleteRouter', actor: req.principal, at: req.at, id }),
};
