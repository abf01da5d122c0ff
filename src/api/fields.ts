// zod building blocks for Neutron attributes: Neutron's boolean conversion, names, ids, lengths.
import { z } from 'zod';

/** Neutron's attribute length limits. */
export const NAME_MAX_LENGTH = 255;
export const DESCRIPTION_MAX_LENGTH = 255;
export const ID_MAX_LENGTH = 255;

const TRUE_WORDS = ['true', 'True', 'TRUE', '1'];
const FALSE_WORDS = ['false', 'False', 'FALSE', '0'];

/** A boolean, or one of the strings Neutron's convert_to_boolean accepts. */
export const neutronBool = z
  .union([z.boolean(), z.enum([...TRUE_WORDS, ...FALSE_WORDS] as [string, ...string[]])])
  .transform((v) => (typeof v === 'boolean' ? v : TRUE_WORDS.includes(v)));

export const name = z.string().max(NAME_MAX_LENGTH);
export const description = z.string().max(DESCRIPTION_MAX_LENGTH);
export const projectRef = z.string().min(1).max(ID_MAX_LENGTH);
export const uuid = z.uuid();
export const tags = z.array(z.string().min(1).max(NAME_MAX_LENGTH));

/** project_id and its legacy spelling tenant_id must agree when both are given. */
export function projectOf(body: { project_id?: string; tenant_id?: string }): string | undefined {
  return body.project_id ?? body.tenant_id;
}

/** An integer, or a decimal string of one (Neutron's convert_to_int; the openstack CLI sends strings). */
export const neutronInt = z
  .union([z.number().int(), z.string().regex(/^-?\d{1,10}$/, 'not an integer')])
  .transform((v) => (typeof v === 'number' ? v : Number(v)));
