// The Neutron v2.0 HTTP app: request ids, auth, Neutron error bodies, version documents and every collection.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { notFound } from '../domain/errors.ts';
import type { NeutronService } from '../service/neutronService.ts';
import { authenticate, type AuthMode } from './auth.ts';
import { limitBody } from './bodyLimit.ts';
import type { ApiEnv } from './env.ts';
import { errorResponse } from './errors.ts';
import { registerExtensions } from './extensions.ts';
import { networkResource } from './network/routes.ts';
import { subnetResource } from './subnet/routes.ts';
import { portResource } from './port/routes.ts';
import { hostResource } from './host/routes.ts';
import { floatingIpResource } from './floatingIp/routes.ts';
import { registerRouterActions } from './router/actions.ts';
import { routerResource } from './router/routes.ts';
import { registerSecurityGroupDefaults, securityGroupResource, securityGroupRuleResource } from './securityGroup/routes.ts';
import { registerResource, type ResourceDeps, type ResourceSpec } from './resource.ts';
import { registerVersions } from './versions.ts';
import { registerTagRoutes } from './tags/routes.ts';
import { registerAuditRoutes } from './audit/routes.ts';
import type { AuditService } from '../audit/auditService.ts';

/** OpenStack's global request id format: callers pass theirs to correlate a change across services. */
const GLOBAL_REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Neutron's default max_request_body_size: bigger bodies are refused before they are read. */
export const MAX_REQUEST_BODY_BYTES = 114_688;

export interface NeutronApiDeps {
  service: NeutronService;
  auth: AuthMode;
  /** Clock for intent times; default the system clock. */
  now?: () => Date;
  /** Id source for new resources; default random uuids. */
  newId?: () => string;
  /** Unexpected (500) errors are reported here, e.g. to the logger. */
  onInternalError?: (error: unknown, requestId: string) => void;
  /** Serves GET /v1/audit/... (admin only) when given. */
  audit?: AuditService;
}

/** Every collection's routes; the second part appends routers, floating IPs and security groups. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const RESOURCES: ResourceSpec<any, any, any>[] = [
  networkResource,
  subnetResource,
  portResource,
  hostResource,
  securityGroupResource,
  securityGroupRuleResource,
  routerResource,
  floatingIpResource,
];

/** Routes beyond plain CRUD (member actions, list side effects), registered before the collections. */
export const EXTRA_ROUTES: ((app: Hono<ApiEnv>, deps: ResourceDeps) => void)[] = [registerSecurityGroupDefaults, registerRouterActions, registerTagRoutes];

export function createNeutronApi(deps: NeutronApiDeps): Hono<ApiEnv> {
  return registerNeutronApi(new Hono<ApiEnv>(), deps);
}

/**
 * Registers the API on `app` itself, its error and not-found handlers included. esdn serve puts it on
 * its top-level app this way rather than mounting a separate app with route(): hono wraps every route
 * of a mounted app that has its own error handler in a compose() of its own per request (the
 * request-id, auth and body-limit middlewares and the handler: four per port create), which was 7 % of
 * the bytes a port create allocated (sampling heap profile, 2026-11-26).
 */
export function registerNeutronApi(app: Hono<ApiEnv>, deps: NeutronApiDeps): Hono<ApiEnv> {
  app.use(async (c, next) => {
    const requestId = `req-${randomUUID()}`;
    c.set('requestId', requestId);
    const incoming = c.req.header('X-Openstack-Request-Id');
    c.set('globalRequestId', incoming !== undefined && GLOBAL_REQUEST_ID.test(incoming) ? incoming : undefined);
    await next();
    c.res.headers.set('X-Openstack-Request-Id', requestId);
  });
  app.onError((error, c) => errorResponse(c, error, (e) => deps.onInternalError?.(e, c.get('requestId'))));
  app.notFound((c) => errorResponse(c, notFound('HTTPNotFound', `The resource could not be found: ${new URL(c.req.url).pathname}`)));
  registerVersions(app);
  app.use('/v2.0/*', authenticate(deps.auth));
  app.use('/v2.0/*', limitBody(MAX_REQUEST_BODY_BYTES));
  registerExtensions(app);
  if (deps.audit) registerAuditRoutes(app, deps.audit, deps.auth);
  const resourceDeps: ResourceDeps = {
    service: deps.service,
    now: deps.now ?? (() => new Date()),
    newId: deps.newId ?? randomUUID,
  };
  for (const register of EXTRA_ROUTES) register(app, resourceDeps);
  for (const spec of RESOURCES) registerResource(app, spec, resourceDeps);
  return app;
}
