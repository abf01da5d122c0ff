// zod schemas for network request bodies (unknown attributes are refused like Neutron).
import { z } from 'zod';
import { MAX_VNI } from '../../domain/context.ts';
import { description, name, neutronBool, neutronInt, projectRef, tags } from '../fields.ts';

const networkType = z.enum(['vxlan', 'vlan', 'flat']);
/** Largest MTU accepted (jumbo frames). */
const MAX_MTU = 9216;

const provider = {
  'provider:network_type': networkType.optional(),
  'provider:physical_network': z.string().max(64).nullable().optional(),
  'provider:segmentation_id': neutronInt.pipe(z.number().min(0).max(MAX_VNI)).nullable().optional(),
};

const common = {
  name: name.optional(),
  description: description.optional(),
  admin_state_up: neutronBool.optional(),
  shared: neutronBool.optional(),
  'router:external': neutronBool.optional(),
  mtu: neutronInt.pipe(z.number().min(0).max(MAX_MTU)).optional(),
  port_security_enabled: neutronBool.optional(),
  availability_zone_hints: z.array(z.string()).max(0).optional(),
  ...provider,
};

export const createNetworkSchema = z.strictObject({
  ...common,
  project_id: projectRef.optional(),
  tenant_id: projectRef.optional(),
  tags: tags.optional(),
});

export const updateNetworkSchema = z.strictObject(common);

export type CreateNetworkBody = z.output<typeof createNetworkSchema>;
export type UpdateNetworkBody = z.output<typeof updateNetworkSchema>;
