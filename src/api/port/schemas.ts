// zod schemas for port request bodies (unknown attributes are refused like Neutron).
import { z } from 'zod';
import { description, name, neutronBool, projectRef, tags, uuid } from '../fields.ts';

const DEVICE_ID_MAX_LENGTH = 255;
const DEVICE_OWNER_MAX_LENGTH = 255;
const HOST_ID_MAX_LENGTH = 255;

/** A unicast Ethernet address, normalised to lowercase like Neutron stores it. */
export const macAddress = z
  .string()
  .regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, 'not a valid MAC address')
  .transform((m) => m.toLowerCase())
  .refine((m) => (parseInt(m.slice(0, 2), 16) & 1) === 0, 'multicast MAC addresses are not allowed')
  .refine((m) => m !== '00:00:00:00:00:00', 'the all-zero MAC address is not allowed');

const fixedIp = z.strictObject({ subnet_id: uuid.optional(), ip_address: z.string().optional() });
const pair = z.strictObject({ ip_address: z.string(), mac_address: macAddress.optional() });

const common = {
  name: name.optional(),
  description: description.optional(),
  admin_state_up: neutronBool.optional(),
  mac_address: macAddress.optional(),
  fixed_ips: z.array(fixedIp).optional(),
  device_id: z.string().max(DEVICE_ID_MAX_LENGTH).optional(),
  device_owner: z.string().max(DEVICE_OWNER_MAX_LENGTH).optional(),
  'binding:host_id': z.string().max(HOST_ID_MAX_LENGTH).optional(),
  'binding:profile': z.record(z.string(), z.unknown()).nullable().optional(),
  'binding:vnic_type': z.literal('normal').optional(),
  port_security_enabled: neutronBool.optional(),
  allowed_address_pairs: z.array(pair).optional(),
  security_groups: z.array(uuid).nullable().optional(),
};

export const createPortSchema = z.strictObject({
  ...common,
  network_id: uuid,
  project_id: projectRef.optional(),
  tenant_id: projectRef.optional(),
  tags: tags.optional(),
});

export const updatePortSchema = z.strictObject(common);

export type CreatePortBody = z.output<typeof createPortSchema>;
export type UpdatePortBody = z.output<typeof updatePortSchema>;
