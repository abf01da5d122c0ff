// zod schemas for floating IP request bodies.
import { z } from 'zod';
import { description, projectRef, tags, uuid } from '../fields.ts';

const address = z.string().max(64);

export const createFloatingIpSchema = z.strictObject({
  floating_network_id: uuid,
  subnet_id: uuid.nullable().optional(),
  floating_ip_address: address.optional(),
  port_id: uuid.nullable().optional(),
  fixed_ip_address: address.optional(),
  description: description.optional(),
  project_id: projectRef.optional(),
  tenant_id: projectRef.optional(),
  tags: tags.optional(),
});

export const updateFloatingIpSchema = z.strictObject({
  port_id: uuid.nullable().optional(),
  fixed_ip_address: address.nullable().optional(),
  description: description.optional(),
});

export type CreateFloatingIpBody = z.output<typeof createFloatingIpSchema>;
export type UpdateFloatingIpBody = z.output<typeof updateFloatingIpSchema>;
