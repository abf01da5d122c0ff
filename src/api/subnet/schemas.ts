// zod schemas for subnet request bodies (unknown attributes are refused like Neutron).
import { z } from 'zod';
import { description, name, neutronBool, neutronInt, projectRef, tags, uuid } from '../fields.ts';

/** Neutron's max_dns_nameservers and max_subnet_host_routes defaults. */
const MAX_DNS_NAMESERVERS = 5;
const MAX_HOST_ROUTES = 20;

const pool = z.strictObject({ start: z.string(), end: z.string() });
const route = z.strictObject({ destination: z.string(), nexthop: z.string() });

const common = {
  name: name.optional(),
  description: description.optional(),
  gateway_ip: z.string().nullable().optional(),
  allocation_pools: z.array(pool).optional(),
  enable_dhcp: neutronBool.optional(),
  dns_nameservers: z.array(z.string()).max(MAX_DNS_NAMESERVERS).optional(),
  host_routes: z.array(route).max(MAX_HOST_ROUTES).optional(),
};

export const createSubnetSchema = z.strictObject({
  ...common,
  network_id: uuid,
  cidr: z.string(),
  ip_version: neutronInt.pipe(z.union([z.literal(4), z.literal(6)])).optional(),
  project_id: projectRef.optional(),
  tenant_id: projectRef.optional(),
  tags: tags.optional(),
  // Accepted only with their "not used" values: esdn has no subnet pools and no IPv6 RA modes.
  subnetpool_id: z.null().optional(),
  ipv6_ra_mode: z.null().optional(),
  ipv6_address_mode: z.null().optional(),
});

export const updateSubnetSchema = z.strictObject(common);

export type CreateSubnetBody = z.output<typeof createSubnetSchema>;
export type UpdateSubnetBody = z.output<typeof updateSubnetSchema>;
