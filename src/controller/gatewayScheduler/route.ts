// GET /v2.0/routers/{id}/l3-agents: which host carries a router's gateway, in the shape of Neutron's l3_agent_scheduler answer (admin only).
//
// esdn has no L3 agents; the "agent" is the scheduled gateway host, so `openstack network agent list
// --router ROUTER` shows where SNAT happens and whether that host's switch is connected. The choice
// itself comes from the log (RouterGatewayHostScheduled), as the flows do.
import { Hono } from 'hono';
import type { AuthMode } from '../../api/auth.ts';
import { authenticate } from '../../api/auth.ts';
import type { ApiEnv } from '../../api/env.ts';
import { errorResponse } from '../../api/errors.ts';
import { notAuthorized } from '../../domain/errors.ts';
import { routerNotFound } from '../../domain/router/access.ts';
import { gatewayHostOf, gatewayPhysicalNetworkOf } from '../../../projections/topology/gateways.ts';
import { routersOf } from '../../../projections/topology/routers.ts';
import type { Controller } from '../controller.ts';

export const L3_AGENTS_PATH = '/v2.0/routers/:id/l3-agents';
/** Neutron's agent_type of an L3 agent: clients filter on it. */
const AGENT_TYPE_L3 = 'L3 agent';

export function gatewayHostRoute(controller: Controller, auth: AuthMode): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.onError((error, c) => errorResponse(c, error, () => undefined));
  app.use(L3_AGENTS_PATH, authenticate(auth));
  app.get(L3_AGENTS_PATH, (c) => {
    if (!c.get('principal').isAdmin) throw notAuthorized('get_l3-agents');
    const id = c.req.param('id');
    const view = controller.feed.projection.view;
    if (!routersOf(view).has(id)) throw routerNotFound(id);
    const host = gatewayHostOf(view, id);
    if (host === undefined) return c.json({ agents: [] });
    const alive = controller.switchState(host) !== undefined;
    return c.json({
      agents: [{
        id: host, host, agent_type: AGENT_TYPE_L3, binary: 'esdn', topic: 'l3_agent', alive, admin_state_up: true,
        availability_zone: null, description: 'router gateway host scheduled by esdn (SNAT, centralized floating IPs)',
        configurations: { physical_network: gatewayPhysicalNetworkOf(view, id), switch: controller.switchState(host) ?? 'disconnected' },
        ha_state: null,
      }],
    });
  });
  return app;
}
