// The typed refusal every decider throws: a Neutron error type, its HTTP status and message.

/** HTTP status codes Neutron answers with for refused intents. */
export const HTTP_BAD_REQUEST = 400;
export const HTTP_UNAUTHORIZED = 401;
export const HTTP_FORBIDDEN = 403;
export const HTTP_NOT_FOUND = 404;
export const HTTP_CONFLICT = 409;
export const HTTP_PRECONDITION_FAILED = 412;
export const HTTP_PAYLOAD_TOO_LARGE = 413;
export const HTTP_SERVICE_UNAVAILABLE = 503;
export const HTTP_INTERNAL_ERROR = 500;

export type HttpErrorStatus =
  | typeof HTTP_BAD_REQUEST
  | typeof HTTP_UNAUTHORIZED
  | typeof HTTP_FORBIDDEN
  | typeof HTTP_NOT_FOUND
  | typeof HTTP_CONFLICT
  | typeof HTTP_PRECONDITION_FAILED
  | typeof HTTP_PAYLOAD_TOO_LARGE
  | typeof HTTP_SERVICE_UNAVAILABLE
  | typeof HTTP_INTERNAL_ERROR;

export class NeutronError extends Error {
  override readonly name = 'NeutronError';
  constructor(
    /** Neutron's exception class name, e.g. "NetworkNotFound"; clients match on it. */
    readonly type: string,
    readonly status: HttpErrorStatus,
    message: string,
    readonly detail = '',
  ) {
    super(message);
  }
}

// ---- constructors for the errors several resources share ----

export const badRequest = (message: string, type = 'BadRequest') => new NeutronError(type, HTTP_BAD_REQUEST, message);
export const invalidInput = (message: string) =>
  new NeutronError('InvalidInput', HTTP_BAD_REQUEST, `Invalid input for operation: ${message}`);
export const notAuthorized = (rule: string) =>
  new NeutronError('PolicyNotAuthorized', HTTP_FORBIDDEN, `(rule:${rule}) is disallowed by policy`);
export const conflict = (type: string, message: string) => new NeutronError(type, HTTP_CONFLICT, message);
export const notFound = (type: string, message: string) => new NeutronError(type, HTTP_NOT_FOUND, message);
export const unavailable = (type: string, message: string) => new NeutronError(type, HTTP_SERVICE_UNAVAILABLE, message);
