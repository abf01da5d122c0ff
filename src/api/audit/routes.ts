// GET /v1/audit/...: the audit questions over HTTP (admin only, same X-Auth-Token auth as the Neutron API).
import type { Context, Hono } from 'hono';
import { authenticate, type AuthMode } from '../auth.ts';
import type { ApiEnv } from '../env.ts';
import { badRequest, notAuthorized } from '../../domain/errors.ts';
import type { AuditService } from '../../audit/auditService.ts';
import type { EventFilter } from '../../audit/eventFilter.ts';

export const AUDIT_PREFIX = '/v1/audit';

function admin(c: Context<ApiEnv>, rule: string): void {
  if (!c.get('principal').isAdmin) throw notAuthorized(`audit:${rule}`);
}

function position(c: Context<ApiEnv>, name: string): bigint | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d{1,15}$/.test(v)) throw badRequest(`${name} must be an integer log position, got '${v}'`);
  return BigInt(v);
}

function limit(c: Context<ApiEnv>): number | undefined {
  const v = c.req.query('limit');
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,7}$/.test(v)) throw badRequest(`limit must be a positive integer, got '${v}'`);
  return Number(v);
}

export function eventFilterOf(c: Context<ApiEnv>): EventFilter {
  const q = (k: string) => c.req.query(k);
  return {
    resourceId: q('resource_id'), stream: q('stream'), type: q('type'), actor: q('actor'), requestId: q('request_id'),
    since: q('since'), until: q('until'), fromPosition: position(c, 'from_position'), toPosition: position(c, 'to_position'),
    limit: limit(c),
  };
}

export function registerAuditRoutes(app: Hono<ApiEnv>, audit: AuditService, auth: AuthMode): void {
  app.use(`${AUDIT_PREFIX}/*`, authenticate(auth));
  app.get(`${AUDIT_PREFIX}/events`, async (c) => {
    admin(c, 'events');
    return c.json(await audit.events(eventFilterOf(c)));
  });
  app.get(`${AUDIT_PREFIX}/state`, async (c) => {
    admin(c, 'state');
    return c.json(await audit.state(c.req.query('at')));
  });
  app.get(`${AUDIT_PREFIX}/diff`, async (c) => {
    admin(c, 'diff');
    return c.json(await audit.diff(c.req.query('from'), c.req.query('to')));
  });
  app.get(`${AUDIT_PREFIX}/history/:id`, async (c) => {
    admin(c, 'history');
    return c.json(await audit.history(c.req.param('id')));
  });
  app.get(`${AUDIT_PREFIX}/flows/:host`, async (c) => {
    admin(c, 'flows');
    return c.json(await audit.flows(c.req.param('host'), c.req.query('at')));
  });
  app.get(`${AUDIT_PREFIX}/explain/:host`, async (c) => {
    admin(c, 'explain');
    const cookie = c.req.query('cookie');
    const flow = c.req.query('flow');
    if ((cookie === undefined) === (flow === undefined)) throw badRequest('give exactly one of cookie= or flow=');
    const input = cookie !== undefined ? { cookie } : { flow: flow as string };
    return c.json(await audit.explain(c.req.param('host'), input, c.req.query('at')));
  });
  app.get(`${AUDIT_PREFIX}/verify/:host`, async (c) => {
    admin(c, 'verify');
    return c.json(await audit.verify(c.req.param('host')));
  });
}
