// Reads a JSON request body and validates its member object with zod: 400 naming the field on bad input.
import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest } from '../domain/errors.ts';

const BAD_REQUEST_TYPE = 'HTTPBadRequest';

/** The request body as JSON, or a 400 naming it malformed. */
export async function readJson(c: Context): Promise<unknown> {
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw badRequest('Malformed request body', BAD_REQUEST_TYPE);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('Malformed request body', BAD_REQUEST_TYPE);
  }
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `Unrecognized attribute(s) '${issue.keys.join(', ')}'`;
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
  return `Invalid input for ${field}. Reason: ${issue.message}.`;
}

/** Neutron refuses bulk requests beyond this many resources. */
export const MAX_BULK_ITEMS = 1000;

function parseOne<S extends z.ZodType>(value: unknown, member: string, schema: S): z.output<S> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`Invalid input for ${member}. Reason: must be an object.`, BAD_REQUEST_TYPE);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(describeIssue(parsed.error.issues[0]), BAD_REQUEST_TYPE);
  return parsed.data;
}

function onlyKey(body: object, key: string): void {
  const extra = Object.keys(body).filter((k) => k !== key);
  if (extra.length > 0) throw badRequest(`Unrecognized attribute(s) '${extra.join(', ')}'`, BAD_REQUEST_TYPE);
}

/** Parses `{"<member>": {...}}`; the member must be an object, validated by the schema. */
export async function readMember<S extends z.ZodType>(c: Context, member: string, schema: S): Promise<z.output<S>> {
  const body = await readJson(c);
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !(member in body)) {
    throw badRequest(`Resource body required: expected a "${member}" object`, BAD_REQUEST_TYPE);
  }
  onlyKey(body, member);
  return parseOne((body as Record<string, unknown>)[member], member, schema);
}

/** A create body: `{"<member>": {...}}`, or Neutron's bulk form `{"<collection>": [{...}, ...]}`. */
export async function readCreate<S extends z.ZodType>(
  c: Context,
  member: string,
  collection: string,
  schema: S,
): Promise<{ bulk: boolean; items: z.output<S>[] }> {
  const body = await readJson(c);
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !(member in body || collection in body)) {
    throw badRequest(`Resource body required: expected a "${member}" object or a "${collection}" list`, BAD_REQUEST_TYPE);
  }
  const record = body as Record<string, unknown>;
  if (member in record) {
    onlyKey(body, member);
    return { bulk: false, items: [parseOne(record[member], member, schema)] };
  }
  onlyKey(body, collection);
  const list = record[collection];
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_BULK_ITEMS) {
    throw badRequest(`Invalid input for ${collection}. Reason: must be a list of 1 to ${MAX_BULK_ITEMS} objects.`, BAD_REQUEST_TYPE);
  }
  return { bulk: true, items: list.map((item) => parseOne(item, member, schema)) };
}
