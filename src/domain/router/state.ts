// Routers as recorded in events, and their state in the world (gateway port and interfaces).
import type { FixedIp } from '../port/state.ts';
import type { Route } from './routes.ts';

export interface ExternalGateway {
  networkId: string;
  /** SNAT (1:N) for VMs without a floating IP; Neutron's default is on. */
  enableSnat: boolean;
  /** The gateway port's addresses on the external network. */
  externalFixedIps: FixedIp[];
  /** The network:router_gateway port holding those addresses. */
  portId: string;
}

export interface RouterAttrs {
  id: string;
  projectId: string;
  name: string;
  description: string;
  adminStateUp: boolean;
  routes: Route[];
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

/** What PUT may change besides the gateway (which has its own events). */
export type RouterChanges = Partial<Pick<RouterAttrs, 'name' | 'description' | 'adminStateUp' | 'routes'>>;

/** One subnet the router routes for, through one of its network:router_interface ports. */
export interface RouterInterface {
  portId: string;
  subnetId: string;
}

export interface RouterState extends RouterAttrs {
  revision: number;
  gateway: ExternalGateway | null;
  interfaces: readonly RouterInterface[];
}

export const OWNER_ROUTER_INTERFACE = 'network:router_interface';
export const OWNER_ROUTER_GATEWAY = 'network:router_gateway';
export const OWNER_FLOATING_IP = 'network:floatingip';
/** device_owner values of ports the L3 service manages: the port API may not delete them. */
export const L3_OWNERS: ReadonlySet<string> = new Set([OWNER_ROUTER_INTERFACE, OWNER_ROUTER_GATEWAY, OWNER_FLOATING_IP]);
