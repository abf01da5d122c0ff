// zod schemas for router request bodies, external gateway info and interface actions.
import { z } from 'zod';
import { description, name, neutronBool, projectRef, tags, uuid } from '../fields.ts';

/** {} clears the gateway like null (Neutron's clients send either); anything else needs network_id. */
const externalGatewayInfo = z
  .strictObject({
    network_id: uuid.optional(),
    enable_snat: neutronBool.optional(),
    external_fixed_ips: z
      .array(z.strictObject({ subnet_id: uuid.optional(), ip_address: z.string().max(64).optional() }))
      .optional(),
  })
  .refine((g) => g.network_id !== undefined || Object.keys(g).length === 0, { message: 'network_id is required', path: ['network_id'] })
  .nullable();

const route = z.strictObject({ destination: z.string().max(64), nexthop: z.string().max(64) });

const common = {
  name: name.optional(),
  description: description.optional(),
  admin_state_up: neutronBool.optional(),
  external_gateway_info: externalGatewayInfo.optional(),
};

/** esdn routers are distributed and not HA; asking for anything else is refused. */
const createOnly = {
  distributed: neutronBool.refine((v) => v, { message: 'esdn routers are always distributed' }).optional(),
  ha: neutronBool.refine((v) => !v, { message: 'esdn routers are not HA routers' }).optional(),
  availability_zone_hints: z.array(z.string()).max(0).optional(),
  project_id: projectRef.optional(),
  tenant_id: projectRef.optional(),
  tags: tags.optional(),
};

export const createRouterSchema = z.strictObject({ ...common, ...createOnly });
export const updateRouterSchema = z.strictObject({ ...common, routes: z.array(route).nullable().optional() });

/** Body of add_extraroutes / remove_extraroutes: {"router": {"routes": [...]}}. */
export const extraRoutesSchema = z.strictObject({ routes: z.array(route) });

/** Body of add_router_interface / remove_router_interface (no member wrapper in Neutron). */
export const interfaceSchema = z.strictObject({ subnet_id: uuid.optional(), port_id: uuid.optional() });

export type CreateRouterBody = z.output<typeof createRouterSchema>;
export type UpdateRouterBody = z.output<typeof updateRouterSchema>;
export type GatewayInfoBody = z.output<typeof externalGatewayInfo>;
export type InterfaceBody = z.output<typeof interfaceSchema>;
