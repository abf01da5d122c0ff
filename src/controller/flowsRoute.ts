// GET /v2.0/hosts/{name}/flows: a host's desired flows with the resource each came from (admin only, same auth as the API).
import { Hono } from 'hono';
import type { AuthMode } from '../api/auth.ts';
import { authenticate } from '../api/auth.ts';
import type { ApiEnv } from '../api/env.ts';
import { errorResponse } from '../api/errors.ts';
import { notAuthorized } from '../domain/errors.ts';
import { hostNotFound } from '../domain/host/decide.ts';
import type { Controller } from './controller.ts';
import { flowsReport } from './flowsReport.ts';

export const FLOWS_PATH = '/v2.0/hosts/:name/flows';

export function flowsRoute(controller: Controller, auth: AuthMode): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.onError((error, c) => errorResponse(c, error, () => undefined));
  app.use(FLOWS_PATH, authenticate(auth));
  app.get(FLOWS_PATH, (c) => {
    if (!c.get('principal').isAdmin) throw notAuthorized('get_host_flows');
    const name = c.req.param('name');
    const view = controller.feed.projection.view;
    if (!view.hosts.has(name)) throw hostNotFound(name);
    const flows = flowsReport(view, controller.desired(name).values());
    return c.json({ host: name, switch: controller.switchState(name) ?? 'disconnected', flows });
  });
  return app;
}
