// Neutron's revision-if-match: `If-Match: revision_number=N` makes a PUT/DELETE apply only to revision N.
import type { Context } from 'hono';
import { HTTP_PRECONDITION_FAILED, NeutronError } from '../domain/errors.ts';

const REVISION_CONSTRAINT = /revision_number=(\d+)/g;

/** The revisions the caller will accept, or undefined when it set no constraint. */
export function requestedRevisions(c: Context): number[] | undefined {
  const header = c.req.header('If-Match');
  if (header === undefined) return undefined;
  const revisions = [...header.matchAll(REVISION_CONSTRAINT)].map((m) => Number(m[1]));
  return revisions.length === 0 ? undefined : revisions;
}

/**
 * Throws 412 when the resource is at another revision. Called right before the command is
 * executed: decisions are synchronous, so no other intent can slip in between check and decision.
 */
export function checkRevision(c: Context, current: unknown): void {
  const wanted = requestedRevisions(c);
  if (wanted === undefined || (typeof current === 'number' && wanted.includes(current))) return;
  throw new NeutronError('RevisionNumberConstraintFailed', HTTP_PRECONDITION_FAILED,
    `Constrained to ${wanted.join(', ')}, but current revision is ${String(current)}`);
}
