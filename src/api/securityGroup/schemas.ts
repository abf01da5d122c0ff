// zod schemas for security group and rule request bodies (unknown attributes are refused like Neutron).
import { z } from 'zod';
import { description, name, neutronBool, projectRef, tags, uuid } from '../fields.ts';

const ETHERTYPES = ['IPv4', 'IPv6'] as const;

/** Neutron matches ethertypes case-insensitively and stores the canonical spelling. */
const ethertype = z
  .string()
  .transform((v, ctx) => {
    const found = ETHERTYPES.find((e) => e.toLowerCase() === v.toLowerCase());
    if (found === undefined) ctx.addIssue({ code: 'custom', message: `'${v}' is not in [IPv4, IPv6]` });
    return found ?? 'IPv4';
  });

/** Neutron accepts port numbers as integers or numeric strings; range checks belong to the decider. */
const portValue = z.union([z.number().int(), z.string().regex(/^-?\d{1,6}$/).transform(Number)]).nullable();

const ownership = { project_id: projectRef.optional(), tenant_id: projectRef.optional() };

export const createSecurityGroupSchema = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  // esdn's groups are always stateful (conntrack); asking for stateless is refused.
  stateful: neutronBool.refine((v) => v, { message: 'only stateful security groups are supported' }).optional(),
  tags: tags.optional(),
  ...ownership,
});

export const updateSecurityGroupSchema = z.strictObject({
  name: name.optional(),
  description: description.optional(),
});

export const createSecurityGroupRuleSchema = z.strictObject({
  security_group_id: uuid,
  direction: z.enum(['ingress', 'egress']),
  ethertype: ethertype.optional(),
  protocol: z.union([z.string().max(40), z.number()]).nullable().optional(),
  port_range_min: portValue.optional(),
  port_range_max: portValue.optional(),
  remote_ip_prefix: z.string().max(64).nullable().optional(),
  remote_group_id: uuid.nullable().optional(),
  remote_address_group_id: z.null().optional(),
  description: description.optional(),
  ...ownership,
});

export type CreateSecurityGroupBody = z.output<typeof createSecurityGroupSchema>;
export type UpdateSecurityGroupBody = z.output<typeof updateSecurityGroupSchema>;
export type CreateSecurityGroupRuleBody = z.output<typeof createSecurityGroupRuleSchema>;
