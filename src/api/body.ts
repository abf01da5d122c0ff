// Reads a JSON request body and validates its member object with zod: 400 naming the field on bad input.
import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest } from '../domain/errors.ts';

const BAD_REQUEST_TYPE = 'HTTPBadRequest';

async function readJson(c: Context): Promise<unknown> {
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

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `Unrecognized attribute(s) '${issue.keys.join(', ')}'`;
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
  return `Invalid input for ${field}. Reason: ${issue.message}.`;
}

/** Parses `{"<member>": {...}}`; the member must be an object, validated by the schema. */
export async function readMember<S extends z.ZodType>(c: Context, member: string, schema: S): Promise<z.output<S>> {
  const body = await readJson(c);
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !(member in body)) {
    throw badRequest(`Resource body required: expected a "${member}" object`, BAD_REQUEST_TYPE);
  }
  const extra = Object.keys(body).filter((k) => k !== member);
  if (extra.length > 0) throw badRequest(`Unrecognized attribute(s) '${extra.join(', ')}'`, BAD_REQUEST_TYPE);
  const value = (body as Record<string, unknown>)[member];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`Invalid input for ${member}. Reason: must be an object.`, BAD_REQUEST_TYPE);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(describeIssue(parsed.error.issues[0]), BAD_REQUEST_TYPE);
  return parsed.data;
}
