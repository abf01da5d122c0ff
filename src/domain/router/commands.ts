// Intents about routers, as the API hands them to the decider.
import type { Principal } from '../principal.ts';
import type { Route } from './routes.ts';

export interface GatewayRequest {
  networkId: string;
  enableSnat?: boolean;
  /** Wanted addresses on the external network: a subnet, an address, or both per entry. */
  externalFixedIps?: { subnetId?: string; ipAddress?: string }[];
}

export interface CreateRouter {
  type: 'CreateRouter';
  actor: Principal;
  at: string;
  id: string;
  projectId?: string;
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  /** null or absent: no gateway. */
  externalGateway?: GatewayRequest | null;
  tags?: string[];
}

export interface UpdateRouter {
  type: 'UpdateRouter';
  actor: Principal;
  at: string;
  id: string;
  name?: string;
  description?: string;
  adminStateUp?: boolean;
  routes?: { destination: string; nexthop: string }[];
  /** null clears the gateway; absent leaves it. */
  externalGateway?: GatewayRequest | null;
}

export interface DeleteRouter {
  type: 'DeleteRouter';
  actor: Principal;
  at: string;
  id: string;
}

/** By subnet (a new port with the subnet's gateway IP) or by an existing port; exactly one. */
export interface AddRouterInterface {
  type: 'AddRouterInterface';
  actor: Principal;
  at: string;
  id: string;
  subnetId?: string;
  portId?: string;
}

export interface RemoveRouterInterface {
  type: 'RemoveRouterInterface';
  actor: Principal;
  at: string;
  id: string;
  subnetId?: string;
  portId?: string;
}

/** extraroute-atomic: add routes (already present ones are kept once) or remove them (absent ones ignored). */
export interface ChangeRouterRoutes {
  type: 'ChangeRouterRoutes';
  actor: Principal;
  at: string;
  id: string;
  mode: 'add' | 'remove';
  routes: { destination: string; nexthop: string }[];
}

export type RouterCommand = CreateRouter | UpdateRouter | DeleteRouter | AddRouterInterface | RemoveRouterInterface | ChangeRouterRoutes;
export type { Route };
