// X-Auth-Token authentication: noauth (every request is admin of a default project) or a token map.
import type { MiddlewareHandler } from 'hono';
import { HTTP_UNAUTHORIZED, NeutronError } from '../domain/errors.ts';
import type { Principal } from '../domain/principal.ts';
import type { ApiEnv } from './env.ts';

/** tokens: X-Auth-Token -> principal (src/cli/tokenFile.ts reads them from --auth tokens:FILE). */
export type AuthMode =
  | { kind: 'noauth'; userId?: string; projectId?: string }
  | { kind: 'tokens'; tokens: ReadonlyMap<string, Principal> };

/** Project and user of every noauth request. */
export const NOAUTH_PROJECT_ID = 'admin';
export const NOAUTH_USER_ID = 'admin';

function unauthorized(): NeutronError {
  return new NeutronError('HTTPUnauthorized', HTTP_UNAUTHORIZED, 'The request you have made requires authentication.');
}

export function principalFor(mode: AuthMode, token: string | undefined): Principal | undefined {
  if (mode.kind === 'noauth') {
    return { userId: mode.userId ?? NOAUTH_USER_ID, projectId: mode.projectId ?? NOAUTH_PROJECT_ID, isAdmin: true };
  }
  return token === undefined ? undefined : mode.tokens.get(token);
}

export function authenticate(mode: AuthMode): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const principal = principalFor(mode, c.req.header('X-Auth-Token'));
    if (principal === undefined) throw unauthorized();
    c.set('principal', principal);
    await next();
  };
}
