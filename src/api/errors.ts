// Maps every failure to Neutron's error body {"NeutronError": {type, message, detail}} with its status.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { HTTP_INTERNAL_ERROR, NeutronError } from '../domain/errors.ts';

/** The body and status Neutron would answer with. */
export function neutronErrorBody(error: NeutronError): { NeutronError: { type: string; message: string; detail: string } } {
  return { NeutronError: { type: error.type, message: error.message, detail: error.detail } };
}

export function toNeutronError(error: unknown): NeutronError {
  if (error instanceof NeutronError) return error;
  if (error instanceof HTTPException) {
    return new NeutronError(`HTTP${error.status}`, error.status as NeutronError['status'], error.message);
  }
  return new NeutronError('HTTPInternalServerError', HTTP_INTERNAL_ERROR,
    'Request Failed: internal server error while processing your request.');
}

export function errorResponse(c: Context, error: unknown, onInternal?: (error: unknown) => void): Response {
  const neutron = toNeutronError(error);
  if (neutron.status === HTTP_INTERNAL_ERROR) onInternal?.(error);
  return c.json(neutronErrorBody(neutron), neutron.status);
}
